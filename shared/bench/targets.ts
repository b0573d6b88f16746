/**
 * The servers a bench run can measure: a KV Lab phase (`phase1`…), started from its folder on a
 * free port; real memcached, started from /usr/bin; `bare`, a `net.Server` that only accepts and
 * keeps its connections (bare-server.ts: the floor of connections mode, it answers nothing); or
 * any loopback `HOST:PORT` already running.
 * A started target may carry server options in its name (`phase2:workers=2` runs
 * `--workers 2`), so one run can compare configurations of one server. A target that cannot run
 * here is reported as not available, with the reason, and skipped.
 * @module
 */
import { isPhase, PHASES } from '../../phases/registry.ts';
import { memcachedInstalled, startMemcached, startPhase, startProcess, type RunningServer } from '../testing/server-process.ts';
import { BARE_SERVER_ENTRY } from './bare-server.ts';

/** A target as named on the command line, resolved. */
export interface TargetSpec {
  /** As named on the command line, options included (`phase2:workers=2`). */
  readonly name: string;
  readonly kind: 'phase' | 'memcached' | 'bare' | 'external';
  /** The server without its options: `phase2`, `memcached`, or the address. */
  readonly base: string;
  /** The server options the name asked for, as command-line arguments (`['--workers', '2']`). */
  readonly serverArgs: readonly string[];
  /** Why it cannot run here; undefined when it can. */
  readonly unavailable: string | undefined;
  /** For an external target: its address. */
  readonly host?: string;
  readonly port?: number;
}

/** A target ready to be measured. */
export interface StartedTarget {
  readonly spec: TargetSpec;
  readonly host: string;
  readonly port: number;
  /** The server's pid when it was started here. */
  readonly pid: number | undefined;
  /** The exact server command line, for the record. */
  readonly command: string;
  /** True while the server process is alive (always true for an external target). */
  alive(): boolean;
  /** Stops the server if it was started here; a no-op for an external target. */
  stop(): Promise<void>;
}

/** Server options per target kind, as chosen for a run (e.g. a higher connection limit). */
export interface ServerArgs {
  readonly phase: readonly string[];
  readonly memcached: readonly string[];
}

/** A target name that names no target: a mistake on the command line. */
export class TargetError extends Error {
  override readonly name = 'TargetError';
}

const PHASE_NAME = /^phase\d+$/;
const HOST_PORT = /^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/;
/** One option in a target name: `:name` or `:name=value` (a value holds no `:`, `,` or space). */
const NAME_OPTION = /^([a-zA-Z][\w-]*)(?:=([^:,\s]+))?$/;

/** True for addresses on this machine's loopback: the bench targets nothing else. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * The options after a started target's name as server arguments. A phase takes `--name value`
 * (`phase2:workers=2` → `--workers 2`; `:name` alone → `--name`); memcached takes a one-letter
 * option as `-t 4` and a longer one as `--name=value` (`memcached:t=4`).
 */
export function optionArgs(kind: 'phase' | 'memcached', name: string, options: readonly string[]): string[] {
  const args: string[] = [];
  for (const option of options) {
    const match = NAME_OPTION.exec(option);
    if (!match) throw new TargetError(`target ${name}: "${option}" is not an option (write :name or :name=value)`);
    const [, key = '', value] = match;
    if (kind === 'memcached' && key.length === 1) args.push(`-${key}`, ...(value === undefined ? [] : [value]));
    else if (kind === 'memcached') args.push(value === undefined ? `--${key}` : `--${key}=${value}`);
    else args.push(`--${key}`, ...(value === undefined ? [] : [value]));
  }
  return args;
}

/** Resolves one name from `--targets`. Throws for a name that is not a target at all. */
export function resolveTarget(name: string): TargetSpec {
  const [base = '', ...options] = name.split(':');
  // phaseN, or another server the registry lists (the coroutine server).
  if (PHASE_NAME.test(base) || isPhase(base)) {
    const serverArgs = optionArgs('phase', name, options);
    // A phase is one phases/registry.ts lists: the same list the conformance suite and npm scripts use.
    const unavailable = isPhase(base) ? undefined : `${base} does not exist yet (phases/registry.ts lists ${PHASES.join(', ')})`;
    return { name, kind: 'phase', base, serverArgs, unavailable };
  }
  if (base === 'memcached') {
    const serverArgs = optionArgs('memcached', name, options);
    return { name, kind: 'memcached', base, serverArgs, unavailable: memcachedInstalled() ? undefined : 'memcached is not installed at /usr/bin/memcached' };
  }
  if (base === 'bare') {
    if (options.length) throw new TargetError(`target ${name}: bare takes no options`);
    return { name, kind: 'bare', base, serverArgs: [], unavailable: undefined };
  }
  const match = HOST_PORT.exec(name);
  if (match) {
    const host = match[1]!.replace(/^\[|\]$/g, '');
    const port = Number(match[2]);
    if (!isLoopback(host)) throw new TargetError(`target ${name}: the bench only targets loopback addresses (127.0.0.0/8, ::1, localhost)`);
    if (port < 1 || port > 65535) throw new TargetError(`target ${name}: port out of range`);
    return { name, kind: 'external', base: name, serverArgs: [], unavailable: undefined, host, port };
  }
  throw new TargetError(`unknown target ${JSON.stringify(name)}: use phase1, phase2, …, memcached (each optionally with :option=value), bare or HOST:PORT`);
}

function fromRunning(spec: TargetSpec, server: RunningServer, command: string): StartedTarget {
  let exited = false;
  void server.exited.then(() => {
    exited = true;
  });
  return {
    spec, host: server.host, port: server.port, pid: server.pid, command,
    alive: () => !exited,
    stop: async () => {
      await server.stop();
    },
  };
}

/** Starts (or, for an external target, simply addresses) a target that is available. */
export async function startTarget(spec: TargetSpec, args: ServerArgs): Promise<StartedTarget> {
  switch (spec.kind) {
    case 'phase': {
      // The name's options come last, so they win over the run's defaults for the same option.
      const extra = [...args.phase, ...spec.serverArgs];
      const server = await startPhase(spec.base, extra);
      return fromRunning(spec, server, `node --import tsx phases/${spec.base}/main.ts --host 127.0.0.1 --port 0 ${extra.join(' ')}`.trim());
    }
    case 'memcached': {
      const extra = [...args.memcached, ...spec.serverArgs];
      const server = await startMemcached(extra);
      return fromRunning(spec, server, `memcached -l 127.0.0.1 -p -1 -U 0 ${extra.join(' ')}`.trim());
    }
    case 'bare': {
      const server = await startProcess('bare', process.execPath, ['--import', 'tsx', BARE_SERVER_ENTRY, '--host', '127.0.0.1', '--port', '0']);
      return fromRunning(spec, server, 'node --import tsx shared/bench/bare-server.ts --host 127.0.0.1 --port 0');
    }
    case 'external':
      return {
        spec, host: spec.host!, port: spec.port!, pid: undefined, command: `(already running at ${spec.name})`,
        alive: () => true,
        stop: () => Promise.resolve(),
      };
  }
}
