/**
 * What the suite runs against: real memcached, a KV Lab phase, or any HOST:PORT. A target spec is
 * described first (name and capabilities, so tests can be skipped before anything starts), then
 * started: memcached and phases as child processes on a free loopback port, an address as given.
 * @module
 */
import { ALL_CAPABILITIES, type Capability } from './capabilities.ts';
import { isPhase, PHASES, phaseCapabilities } from '../../phases/registry.ts';
import { memcachedInstalled, MEMCACHED_BIN, startMemcached, startPhase, type RunningServer } from '../testing/server-process.ts';

/** What the suite knows about a target before it starts. */
export interface TargetDescription {
  /** `memcached`, `phase1`, … or the address itself. */
  readonly name: string;
  readonly kind: 'memcached' | 'phase' | 'address';
  readonly capabilities: ReadonlySet<Capability>;
  /**
   * True for real memcached: cases marked as deliberate differences (where memcached has a known
   * flaw that KV Lab's servers do not copy) are not run against it.
   */
  readonly reference: boolean;
  /** Why the target cannot run here (memcached not installed), or null. */
  readonly unavailable: string | null;
  /** Extra options for a phase's server, e.g. `['--workers', '2']`. */
  readonly serverArgs: readonly string[];
}

/** A started target. */
export interface Target extends TargetDescription {
  readonly host: string;
  readonly port: number;
  /** The server's process id when the suite started it (checked against `stats` pid). */
  readonly pid: number | null;
  /** `name (host:port)`, for messages. */
  readonly label: string;
  /** Stops the server if the suite started it. */
  stop(): Promise<void>;
}

/** How to choose a target: from the command line, or from an entry test file. */
export interface TargetOptions {
  /** `memcached`, `phase1`…`phase4`, or `HOST:PORT`. */
  readonly target: string;
  /** Overrides the declared capabilities (required for an address unless it has every one). */
  readonly capabilities?: readonly Capability[];
  /** For an address: it is real memcached, so deliberate differences are skipped. */
  readonly reference?: boolean;
  /** Extra options for a phase's server, e.g. `['--workers', '2']` (phases only). */
  readonly serverArgs?: readonly string[];
}

const ADDRESS = /^(\[[^\]]+\]|[^:\s]+):(\d+)$/;

/** Resolves a target spec to its name and capabilities without starting anything. */
export async function describeTarget(options: TargetOptions): Promise<TargetDescription> {
  const { target } = options;
  if (target === 'memcached') {
    return {
      name: 'memcached',
      kind: 'memcached',
      capabilities: new Set(options.capabilities ?? ALL_CAPABILITIES),
      reference: true,
      unavailable: memcachedInstalled() ? null : `memcached is not installed at ${MEMCACHED_BIN} (apt-get install memcached)`,
      serverArgs: [],
    };
  }
  if (isPhase(target)) {
    const declared = options.capabilities ?? (await phaseCapabilities(target));
    const serverArgs = options.serverArgs ?? [];
    const name = serverArgs.length > 0 ? `${target} ${serverArgs.join(' ')}` : target;
    return { name, kind: 'phase', capabilities: new Set(declared), reference: false, unavailable: null, serverArgs };
  }
  if (ADDRESS.test(target)) {
    return {
      name: target,
      kind: 'address',
      capabilities: new Set(options.capabilities ?? ALL_CAPABILITIES),
      reference: options.reference ?? false,
      unavailable: null,
      serverArgs: [],
    };
  }
  throw new Error(`unknown target "${target}": use memcached, ${PHASES.join(', ')}, or HOST:PORT`);
}


/** Starts (or, for an address, simply names) the target. */
export async function startTarget(description: TargetDescription): Promise<Target> {
  if (description.kind === 'address') {
    const [, host = '', port = ''] = ADDRESS.exec(description.name) ?? [];
    return fromServer(description, host.replace(/^\[|\]$/g, ''), Number(port), null);
  }
  const server = description.kind === 'memcached' ? await startMemcached() : await startPhase(description.name.split(' ')[0]!, [...description.serverArgs]);
  return fromServer(description, server.host, server.port, server);
}

function fromServer(description: TargetDescription, host: string, port: number, server: RunningServer | null): Target {
  return {
    ...description,
    host,
    port,
    pid: server?.pid ?? null,
    label: `${description.name} (${host}:${port})`,
    stop: async () => {
      await server?.stop();
    },
  };
}
