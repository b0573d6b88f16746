/**
 * One crash trial: a phase 4 server persisting to a directory takes writes from several clients
 * (one request in flight each, so every STORED is one known key's acknowledgement); at a random
 * moment it is killed (SIGKILL: a crash; SIGTERM: a clean stop), restarted on the same directory,
 * and every acknowledged write is read back. Used by crash.test.ts.
 * @module
 */
import type { Socket } from 'node:net';
import { openSocket } from '../../../../shared/testing/line-client.ts';
import { startPhase, type RunningServer } from '../../../../shared/testing/server-process.ts';

/** How one trial ran. */
export interface TrialOptions {
  readonly dir: string;
  readonly fsync: 'always' | 'everysec' | 'no';
  readonly signal: 'SIGKILL' | 'SIGTERM';
  readonly writers?: number;
  /** The kill comes at a random moment in [minMs, maxMs] after the writes start. */
  readonly minMs?: number;
  readonly maxMs?: number;
}

/** What a trial found. */
export interface TrialResult {
  readonly acknowledged: number;
  /** Acknowledged writes missing (or wrong) after the restart. */
  readonly lost: number;
  /** Of those, the ones acknowledged more than `windowMs` before the kill. */
  readonly lostBeforeWindow: number;
  /** ms between the kill and the oldest acknowledged write that was lost (0: none lost). */
  readonly oldestLossMs: number;
  readonly killedAfterMs: number;
}

/** Serves the persisted directory. */
export function startPersisting(dir: string, fsync: string): Promise<RunningServer> {
  return startPhase('phase4', ['--workers', '0', '--persist', dir, '--fsync', fsync], { readyTimeoutMs: 60_000 });
}

function valueOf(key: string): string {
  return `value-of-${key}`;
}

/** One client writing unique keys until told to stop; its acknowledgements with their times. */
async function writer(port: number, id: number, stop: { now: boolean }, acked: Map<string, number>): Promise<Socket> {
  const socket = await openSocket(port);
  let sequence = 0;
  let pending = '';
  let received = '';
  const sendNext = () => {
    if (stop.now) return;
    pending = `w${id}-${sequence++}`;
    const value = valueOf(pending);
    socket.write(`set ${pending} 0 0 ${value.length}\r\n${value}\r\n`);
  };
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1');
    while (received.includes('\r\n')) {
      const line = received.slice(0, received.indexOf('\r\n'));
      received = received.slice(line.length + 2);
      if (line === 'STORED' && !stop.now) acked.set(pending, performance.now());
      sendNext();
    }
  });
  sendNext();
  return socket;
}

/** Reads `keys` back (in batches of one `get` each) and returns those missing or wrong. */
async function missing(port: number, keys: string[]): Promise<string[]> {
  const socket = await openSocket(port);
  const lost: string[] = [];
  try {
    for (let i = 0; i < keys.length; i += 100) {
      const batch = keys.slice(i, i + 100);
      const reply = await new Promise<string>((resolve, reject) => {
        let text = '';
        const timer = setTimeout(() => reject(new Error(`no END for a get of ${batch.length} keys`)), 15_000);
        const onData = (chunk: Buffer) => {
          text += chunk.toString('latin1');
          if (!text.endsWith('END\r\n')) return;
          socket.off('data', onData);
          clearTimeout(timer);
          resolve(text);
        };
        socket.on('data', onData);
        socket.write(`get ${batch.join(' ')}\r\n`);
      });
      const found = new Map<string, string>();
      const lines = reply.split('\r\n');
      for (let l = 0; l < lines.length; l++) {
        const match = /^VALUE (\S+) \d+ \d+$/.exec(lines[l]!);
        if (match) found.set(match[1]!, lines[++l]!);
      }
      for (const key of batch) if (found.get(key) !== valueOf(key)) lost.push(key);
    }
  } finally {
    socket.destroy();
  }
  return lost;
}

/** Runs one trial; `windowMs` is how recent a lost write may be before it counts against the policy. */
export async function crashTrial(options: TrialOptions, windowMs = 0): Promise<TrialResult> {
  const { dir, fsync, signal, writers = 8, minMs = 200, maxMs = 1200 } = options;
  const server = await startPersisting(dir, fsync);
  const acked = new Map<string, number>();
  const stop = { now: false };
  const sockets: Socket[] = [];
  let killedAt = 0;
  const started = performance.now();
  try {
    for (let id = 0; id < writers; id++) sockets.push(await writer(server.port, id, stop, acked));
    await new Promise((resolve) => setTimeout(resolve, minMs + Math.random() * (maxMs - minMs)));
    // From here on a STORED that arrives is not counted: it may have been sent after the kill.
    stop.now = true;
    killedAt = performance.now();
    process.kill(server.pid, signal);
    await server.exited;
  } finally {
    for (const socket of sockets) socket.destroy();
    if (killedAt === 0) await server.stop();
  }
  const restarted = await startPersisting(dir, fsync);
  try {
    const keys = [...acked.keys()];
    const lost = await missing(restarted.port, keys);
    const ages = lost.map((key) => killedAt - acked.get(key)!);
    return {
      acknowledged: keys.length,
      lost: lost.length,
      lostBeforeWindow: ages.filter((age) => age > windowMs).length,
      oldestLossMs: ages.length === 0 ? 0 : Math.max(...ages),
      killedAfterMs: Math.round(killedAt - started),
    };
  } finally {
    await restarted.stop();
  }
}
