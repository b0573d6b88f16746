/**
 * Checks for exercise 1.5 (worker-pool): real worker threads (phases/phase1/worker.ts) running
 * real commands against one shared store. Commands are parsed from the bytes a client would send,
 * so a failure shows the very line that went astray.
 */
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { SharedStore } from '../../shared/store/shared-store.ts';
import { ServerCounters } from '../../shared/runtime/server-counters.ts';
import { TextParser } from '../../shared/protocol/text/text-parser.ts';
import type { TextCommand } from '../../shared/protocol/text/text-command.ts';
import type { Reply } from '../../phases/phase1/executor.ts';
import type { WorkerSetup } from '../../phases/phase1/worker-protocol.ts';
import { loadExercise } from '../../shared/course/load-exercise.ts';
import { expectSame, fail } from '../../shared/course/checks.ts';

const { WorkerPool } = await loadExercise<typeof import('./worker-pool.ts')>(import.meta.url);
type Pool = Awaited<ReturnType<typeof WorkerPool.start>>;

const T = { timeout: 20_000 };
const VERSION = '1.6.18-kvlab-course';
/** How long one reply may take: a worker answers in well under a millisecond. */
const REPLY_MS = 3000;

function setup(): WorkerSetup {
  const store = SharedStore.create({ memoryBytes: 1024 * 1024 });
  const counters = new ServerCounters();
  return {
    storeBuffer: store.buffer,
    countersBuffer: counters.buffer,
    facts: { version: VERSION, startedAtMs: Date.now(), maxConnections: 10, threads: 2, settings: [] },
  };
}

/** The command a client sends as `text`, parsed by the real parser. */
function command(text: string): TextCommand {
  const parser = new TextParser({ maxItemSize: 1024 * 1024 });
  parser.feed(Buffer.from(text, 'latin1'));
  const parsed = parser.next();
  if (parsed === undefined) throw new Error(`not a complete command: ${JSON.stringify(text)}`);
  return parsed;
}

/** Sends `text` through the pool and returns the reply as text, failing if none comes in time. */
async function send(pool: Pool, text: string, why = ''): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('late')), REPLY_MS);
  });
  try {
    const reply: Reply = await Promise.race([pool.execute(command(text)), late]);
    return Buffer.concat(reply.chunks).toString('latin1');
  } catch (error) {
    if ((error as Error).message !== 'late') throw error;
    return fail(`execute(${JSON.stringify(text)})${why}`, 'a reply', `no reply within ${REPLY_MS} ms`);
  } finally {
    clearTimeout(timer);
  }
}

const log = pino({ level: 'silent' });
let one: Pool | undefined;
let two: Pool | undefined;

describe('1.5 worker-pool', () => {
  before(async () => {
    one = await WorkerPool.start(1, setup(), log);
    two = await WorkerPool.start(2, setup(), log);
  }, { timeout: 20_000 });
  after(async () => {
    await one?.close();
    await two?.close();
  });

  test('a command goes to a worker, and its reply comes back', T, async () => {
    expectSame(await send(one!, 'version\r\n'), `VERSION ${VERSION}\r\n`, 'execute("version\\r\\n") on a pool of 1');
  });

  test('more commands than workers: the rest wait, and each reply reaches its own command', T, async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `key-${i}`);
    const stored = await Promise.all(keys.map((key) => send(two!, `set ${key} 0 0 ${key.length + 2}\r\nv:${key}\r\n`)));
    expectSame(stored, keys.map(() => 'STORED\r\n'), '30 sets at once on a pool of 2');
    const values = await Promise.all(keys.map((key) => send(two!, `get ${key}\r\n`)));
    expectSame(values, keys.map((key) => `VALUE ${key} 0 ${key.length + 2}\r\nv:${key}\r\nEND\r\n`), '30 gets at once on a pool of 2');
  });

  test('queued commands run in arrival order (FIFO)', T, async () => {
    await send(one!, 'set order 0 0 0\r\n\r\n');
    const appends = Array.from({ length: 10 }, (_, digit) => send(one!, `append order 0 0 1\r\n${digit}\r\n`));
    const final = send(one!, 'get order\r\n');
    await Promise.all(appends);
    expectSame(await final, 'VALUE order 0 10\r\n0123456789\r\nEND\r\n',
      'on a pool of 1: set order "", then append "0", "1", … "9" and get order, all sent at once');
  });

  test('after a burst, the workers are idle again and serve the next command at once', T, async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => send(two!, `incr burst-${i} 1\r\n`)));
    expectSame(await send(two!, 'version\r\n', ', sent after 20 commands have all been answered'), `VERSION ${VERSION}\r\n`,
      'execute("version\\r\\n") once a burst of 20 is over (did finished() return each worker to the idle list?)');
  });
});
