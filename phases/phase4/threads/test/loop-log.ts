/**
 * Which loop of a `--threads N` server did something, read from its log: every loop's lines carry
 * `loop`, and the lines about a connection name its peer, so the client's own port says which
 * line is its. The server's log is the only signal another process gives; it is polled, bounded.
 */
import type { RunningServer } from '../../../../shared/testing/server-process.ts';

/** How long the server's log may lag behind what a client saw (its log is written asynchronously). */
export const LOG_DEADLINE_MS = 15_000;

/** One parsed log line (the fields these tests read). */
interface Entry {
  readonly loop?: number;
  readonly peer?: string;
  readonly msg?: string;
}

/** What these helpers read of a server: its output so far. */
type Output = Pick<RunningServer, 'output'>;

/** Every log line of the server that parses as JSON. */
export function entries(server: Output): Entry[] {
  return server.output().split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as Entry];
    } catch {
      // The tail of the output may start mid-line, or end before a line does.
      return [];
    }
  });
}

/**
 * The loop that logged `msg` (its start) for the client on local port `port`, once that line is
 * there; null when `withinMs` passes without it (a throttled line is never written).
 */
export async function loopThatLogged(server: RunningServer, msg: string, port: number, withinMs = LOG_DEADLINE_MS): Promise<number | null> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const found = entries(server).find((entry) => entry.peer === `127.0.0.1:${port}` && entry.msg?.startsWith(msg) === true && typeof entry.loop === 'number');
    if (found) return found.loop!;
    if (Date.now() > deadline) return null;
    // The line is on its way through an asynchronous log stream: look again shortly.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The loop that accepted the connection from local port `port` (its debug line "connection opened"). */
export async function loopOf(server: RunningServer, port: number): Promise<number> {
  const loop = await loopThatLogged(server, 'connection opened', port);
  if (loop === null) throw new Error(`no "connection opened" line for port ${port} within ${LOG_DEADLINE_MS} ms`);
  return loop;
}

/** How many connections each of `loops` loops has logged opening so far. */
export function openedPerLoop(server: Output, loops = 2): number[] {
  const counts = new Array<number>(loops).fill(0);
  for (const entry of entries(server)) if (entry.msg === 'connection opened' && typeof entry.loop === 'number') counts[entry.loop]! += 1;
  return counts;
}

/** Resolves once the server has logged a line `matches` accepts, or throws after the deadline. */
export async function logged(server: Output, matches: (entry: Entry) => boolean, what: string, withinMs = LOG_DEADLINE_MS): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!entries(server).some(matches)) {
    if (Date.now() > deadline) throw new Error(`the server never logged ${what}; its output ends: ${server.output().slice(-800)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
