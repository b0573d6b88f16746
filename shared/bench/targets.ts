/**
 * The servers a bench run can measure: a KV Lab phase (`phase1`…), started from its folder on a
 * free port; real memcached, started from /usr/bin; or any loopback `HOST:PORT` already running.
 * A target that cannot run here is reported as not available, with the reason, and skipped.
 * @module
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { memcachedInstalled, REPO_ROOT, startMemcached, startPhase, type RunningServer } from '../testing/server-process.ts';

/** A target as named on the command line, resolved. */
export interface TargetSpec {
  readonly name: string;
  readonly kind: 'phase' | 'memcached' | 'external';
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

const PHASE_NAME = /^phase\d+$/;
const HOST_PORT = /^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/;

/** True for addresses on this machine's loopback: the bench targets nothing else. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Resolves one name from `--targets`. Throws for a name that is not a target at all. */
export function resolveTarget(name: string): TargetSpec {
  if (PHASE_NAME.test(name)) {
    const exists = existsSync(join(REPO_ROOT, 'phases', name, 'main.ts'));
    return { name, kind: 'phase', unavailable: exists ? undefined : `phases/${name}/main.ts does not exist yet` };
  }
  if (name === 'memcached') {
    return { name, kind: 'memcached', unavailable: memcachedInstalled() ? undefined : 'memcached is not installed at /usr/bin/memcached' };
  }
  const match = HOST_PORT.exec(name);
  if (match) {
    const host = match[1]!.replace(/^\[|\]$/g, '');
    const port = Number(match[2]);
    if (!isLoopback(host)) throw new Error(`target ${name}: the bench only targets loopback addresses (127.0.0.0/8, ::1, localhost)`);
    if (port < 1 || port > 65535) throw new Error(`target ${name}: port out of range`);
    return { name, kind: 'external', unavailable: undefined, host, port };
  }
  throw new Error(`unknown target ${JSON.stringify(name)}: use phase1, phase2, …, memcached or HOST:PORT`);
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
      const server = await startPhase(spec.name, [...args.phase]);
      return fromRunning(spec, server, `node --import tsx phases/${spec.name}/main.ts --host 127.0.0.1 --port 0 ${args.phase.join(' ')}`.trim());
    }
    case 'memcached': {
      const extra = [...args.memcached];
      const server = await startMemcached(extra);
      return fromRunning(spec, server, `memcached -l 127.0.0.1 -p -1 -U 0 ${extra.join(' ')}`.trim());
    }
    case 'external':
      return {
        spec, host: spec.host!, port: spec.port!, pid: undefined, command: `(already running at ${spec.name})`,
        alive: () => true,
        stop: () => Promise.resolve(),
      };
  }
}
