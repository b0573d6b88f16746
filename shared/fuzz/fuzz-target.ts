/**
 * The server under fuzz: a KV Lab phase or real memcached started here (on a free loopback port,
 * awaited by its readiness signal), or a loopback HOST:PORT already running. Names are resolved by
 * the conformance suite's target resolution; servers are started by the test helpers. A server
 * started here is also watched for exiting, and its output kept for the report.
 * @module
 */
import { isLoopback } from '../bench/targets.ts';
import { describeTarget, startTarget } from '../conformance/target.ts';
import { startMemcached, startPhase, type RunningServer } from '../testing/server-process.ts';

/** A target ready to be fuzzed. */
export interface FuzzTarget {
  /** As resolved: `phase2 --workers 2`, `memcached`, `127.0.0.1:11211`. */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** The server's pid when it was started here, else null. */
  readonly pid: number | null;
  /** The exit code once a server started here has exited; undefined while it runs (or for an address). */
  exitCode(): number | null | undefined;
  /** The tail of the server's output, for a server started here. */
  output(): string;
  /** Stops a server started here; a no-op for an address. */
  stop(): Promise<void>;
}

/** A target the fuzzer will not run against. */
export class FuzzTargetError extends Error {
  override readonly name = 'FuzzTargetError';
}

function fromServer(name: string, server: RunningServer): FuzzTarget {
  let exit: number | null | undefined;
  void server.exited.then((code) => {
    exit = code;
  });
  return {
    name, host: server.host, port: server.port, pid: server.pid,
    exitCode: () => exit,
    output: () => server.output(),
    stop: async () => {
      await server.stop();
    },
  };
}

/** Resolves and starts `target`; `serverArgs` go to a phase's server (refused for others). */
export async function startFuzzTarget(target: string, serverArgs: readonly string[]): Promise<FuzzTarget> {
  const description = await describeTarget({ target, serverArgs: serverArgs.length > 0 ? serverArgs : undefined });
  if (description.unavailable !== null) throw new FuzzTargetError(description.unavailable);
  if (description.kind !== 'phase' && serverArgs.length > 0) throw new FuzzTargetError(`--server-args applies to phases only, not to ${description.name}`);
  if (description.kind === 'address') {
    const started = await startTarget(description);
    if (!isLoopback(started.host)) throw new FuzzTargetError(`${started.host} is not a loopback address: the fuzzer only targets this machine`);
    return { name: description.name, host: started.host, port: started.port, pid: null, exitCode: () => undefined, output: () => '', stop: () => started.stop() };
  }
  // Started through the helpers directly (not startTarget) to keep the process's exit and output.
  const server = description.kind === 'memcached' ? await startMemcached() : await startPhase(target, [...serverArgs]);
  return fromServer(description.name, server);
}
