/**
 * A log that cannot be written (a segment that is /dev/full: every write fails with ENOSPC), over
 * a real SharedStore and a text session: the write whose reply waited for it is failed (its
 * connection never sees STORED), later writes are answered with the catalogue's SERVER_ERROR
 * before they change anything, reads keep working, and the failure is counted and logged once.
 * Linux only (/dev/full).
 * @module
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { SharedStore } from '../../../../shared/store/shared-store.ts';
import { StoreMode } from '../../../../shared/store/store.ts';
import { createSession, Step } from '../../../../shared/protocol/session.ts';
import { errorReply } from '../../../../shared/protocol/errors.ts';
import { fakeServer } from '../../../../shared/protocol/binary/test/harness.ts';
import { logPath } from '../log-files.ts';
import { LogWriter } from '../log-writer.ts';
import { PersistenceStats } from '../persistence-stats.ts';
import { PersistentStore } from '../persistent-store.ts';

/** Feeds a text request to a session over `store` and returns its replies. */
function ask(store: PersistentStore, request: string): string {
  const session = createSession(request.charCodeAt(0), { store, server: fakeServer(), maxItemSize: store.maxItemSize });
  session.feed(Buffer.from(request, 'latin1'));
  while (session.step() !== Step.NeedMore) { /* every request buffered */ }
  return Buffer.concat(session.out.take()).toString('latin1');
}

test('a full disk turns writes into SERVER_ERROR while reads go on', { skip: !existsSync('/dev/full') && 'no /dev/full here', timeout: 20_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kvlab-full-'));
  symlinkSync('/dev/full', logPath(dir, 0));
  const lines: string[] = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
  const stats = new PersistenceStats();
  const writer = await LogWriter.open(dir, 0, 'always', stats, log);
  const inner = SharedStore.create({ memoryBytes: 4 * 1024 * 1024, maxItemSize: 1024 * 1024 });
  const store = new PersistentStore(inner, writer, stats, 0n);
  try {
    inner.store(StoreMode.Set, 'old', 0, 0, Buffer.from('kept'));
    // The first write is applied and recorded; its reply waits for the disk, which fails it.
    assert.equal(ask(store, 'set lost 0 0 1\r\nx\r\n'), 'STORED\r\n');
    const outcome = await new Promise<string>((resolve) => {
      assert.ok(writer.wait(writer.position(), { committed: () => resolve('committed'), failed: () => resolve('failed') }));
    });
    assert.equal(outcome, 'failed');
    assert.equal(writer.writable, false);

    const refused = errorReply('PERSIST_FAILED').toString('latin1');
    assert.match(refused, /^SERVER_ERROR /);
    assert.equal(ask(store, 'set k 0 0 1\r\ny\r\n'), refused);
    assert.equal(ask(store, 'delete old\r\n'), refused);
    assert.equal(ask(store, 'incr old 1\r\n'), refused);
    assert.equal(ask(store, 'get old\r\n'), 'VALUE old 0 4\r\nkept\r\nEND\r\n');
    assert.equal(stats.refused, 3);
    assert.ok(stats.errors >= 1);
    assert.equal(stats.failing, true);
    assert.equal(lines.filter((line) => line.includes('writing the log failed')).length, 1, 'logged once');
  } finally {
    store.close();
    await writer.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
