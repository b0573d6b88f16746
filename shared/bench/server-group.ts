/**
 * Several processes of one target, each on its own port: how connections mode goes past the
 * descriptors of one process (20,000 here) on the server side. They start in waves, their
 * memory is summed, and they stop together — on every path, a failed start included.
 * @module
 */
import { ServerSampler } from './server-sampler.ts';
import { startTarget, type ServerArgs, type StartedTarget, type TargetSpec } from './targets.ts';

/** The started processes of one target. */
export interface ServerGroup {
  readonly servers: readonly StartedTarget[];
  /** The first server's command line (every process runs the same one, on a port of its own). */
  readonly command: string;
  /** RSS summed over every process, or undefined when it cannot be read (an external target). */
  rssBytes(): number | undefined;
  /** Why memory cannot be read, or undefined. */
  readonly unavailable: string | undefined;
  /** How many of the processes are still running. */
  alive(): number;
  /** Stops every process; resolves once all have exited. */
  stop(): Promise<void>;
}

/**
 * Processes started at once. Each must print its ready line within 20 s, and phase 4 takes about
 * 0.9 s of CPU to start under tsx: 32 at once on 2 cores need ~15 s before any other load, too
 * near the limit on a shared machine; 8 need ~4 s.
 */
const STARTS_AT_ONCE = 8;

/** Starts `count` processes of `spec`, in waves; if any fails to start, stops the others and throws. */
export async function startGroup(spec: TargetSpec, args: ServerArgs, count: number): Promise<ServerGroup> {
  const started: PromiseSettledResult<StartedTarget>[] = [];
  for (let first = 0; first < count; first += STARTS_AT_ONCE) {
    const wave = Math.min(STARTS_AT_ONCE, count - first);
    started.push(...await Promise.allSettled(Array.from({ length: wave }, () => startTarget(spec, args))));
  }
  const servers = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const stop = async () => {
    await Promise.all(servers.map((server) => server.stop()));
  };
  const failed = started.find((outcome) => outcome.status === 'rejected');
  if (failed !== undefined) {
    await stop();
    throw failed.reason;
  }
  const samplers = servers.map((server) => new ServerSampler(server.pid));
  return {
    servers,
    command: servers[0]!.command,
    unavailable: samplers.find((sampler) => sampler.unavailable !== undefined)?.unavailable,
    rssBytes: () => {
      let sum = 0;
      for (const sampler of samplers) {
        const now = sampler.now();
        if (now === undefined) return undefined;
        sum += now.rssBytes;
      }
      return sum;
    },
    alive: () => servers.filter((server) => server.alive()).length,
    stop,
  };
}
