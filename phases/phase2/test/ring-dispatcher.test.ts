/**
 * The ring dispatcher's supervision: a worker that dies takes its sessions with it, so its
 * connections are closed (not left waiting for replies that never come), and a new worker serves
 * the connections that open afterwards.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { pino } from 'pino';
import { SharedStore } from '../../../shared/store/shared-store.ts';
import { ConnectionTable } from '../../../shared/runtime/connection-table.ts';
import { ServerCounters } from '../../../shared/runtime/server-counters.ts';
import { RingDispatcher, type RingClient } from '../ring-dispatcher.ts';

const VERSION = '1.6.18-ring-test';
/** A bound on anything the dispatcher does on its own. */
const WITHIN_MS = 15_000;

/** A connection stand-in that records what its worker sends back. */
class RecordingClient implements RingClient {
  id = 0;
  received = '';
  aborted = false;
  private wake: (() => void) | null = null;
  constructor(private readonly dispatcher: RingDispatcher) {
    this.id = dispatcher.open(this);
  }
  reply(bytes: Buffer): void {
    this.received += bytes.toString('latin1');
    this.wake?.();
  }
  close(): void {}
  more(): void {
    this.dispatcher.resume(this.id);
  }
  idle(): void {}
  retry(): void {}
  abort(): void {
    this.aborted = true;
    this.wake?.();
  }
  /** Resolves once `done()` holds, or fails after {@link WITHIN_MS}. */
  async until(done: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + WITHIN_MS;
    while (!done()) {
      const left = deadline - Date.now();
      assert.ok(left > 0, `${what}: not within ${WITHIN_MS} ms (received ${JSON.stringify(this.received)}, aborted ${this.aborted})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
  ask(request: string): void {
    assert.ok(this.dispatcher.send(this.id, Buffer.from(request, 'latin1')), 'the request ring had room');
  }
}

test('a ring worker that dies: its connections are closed, and a replacement serves new ones', { timeout: 40_000 }, async () => {
  const store = SharedStore.create({ memoryBytes: 1024 * 1024 });
  const counters = new ServerCounters();
  const dispatcher = await RingDispatcher.start(1, {
    storeBuffer: store.buffer, countersBuffer: counters.buffer, connectionsBuffer: ConnectionTable.create(10).buffer,
    facts: { version: VERSION, startedAtMs: Date.now(), maxConnections: 10, threads: 1, settings: [] },
    maxItemSize: store.maxItemSize, requestsPerTurn: 64, writeHighWater: 1024 * 1024,
  }, pino({ level: 'silent' }));
  try {
    const before = new RecordingClient(dispatcher);
    before.ask('version\r\n');
    await before.until(() => before.received.endsWith('\r\n'), 'a reply from the first worker');
    assert.equal(before.received, `VERSION ${VERSION}\r\n`);

    const dying = dispatcher.threads[0]!;
    const exited = once(dying, 'exit');
    await dying.terminate();
    await exited;
    await before.until(() => before.aborted, 'the dead worker\'s connection closed');

    const deadline = Date.now() + WITHIN_MS;
    while (dispatcher.threads[0] === dying) {
      assert.ok(Date.now() < deadline, 'no replacement worker started');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const after = new RecordingClient(dispatcher);
    after.ask('version\r\n');
    await after.until(() => after.received.endsWith('\r\n'), 'a reply from the replacement worker');
    assert.equal(after.received, `VERSION ${VERSION}\r\n`);
  } finally {
    await dispatcher.close();
  }
});
