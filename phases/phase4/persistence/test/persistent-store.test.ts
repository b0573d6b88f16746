/**
 * The decorator against its own log: a run of every kind of write on a PersistentStore over a
 * SharedStore, the log read back into a fresh store, and every key compared — value, flags and
 * CAS — so a write the decorator forgets to record, or records differently from what the store
 * did, shows up as a difference. Also: the store's extra parts (memory admin) stay reachable.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { SharedStore } from '../../../../shared/store/shared-store.ts';
import { StoreMode, type MemoryAdminApi, type Store } from '../../../../shared/store/store.ts';
import { LogWriter } from '../log-writer.ts';
import { PersistenceStats } from '../persistence-stats.ts';
import { PersistentStore } from '../persistent-store.ts';
import { recover } from '../recovery.ts';
import { endOf } from '../item-map.ts';
import { logPath } from '../log-files.ts';

const T = { timeout: 20_000 };
const silent = pino({ level: 'silent' });

function freshStore(): SharedStore {
  return SharedStore.create({ memoryBytes: 4 * 1024 * 1024, maxItemSize: 1024 * 1024 });
}

const KEYS = ['a', 'b', 'c', 'counter', 'made', 'gone', 'viv', 'stale'];

test('what the log holds replays to the store the writes made', T, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kvlab-model-'));
  try {
    const writer = await LogWriter.open(dir, 0, 'no', new PersistenceStats(), silent);
    const live = freshStore();
    const store = new PersistentStore(live, writer, new PersistenceStats(), 0n);
    const v = (text: string) => Buffer.from(text);
    store.store(StoreMode.Set, 'a', 5, 0, v('alpha'));
    store.store(StoreMode.Add, 'b', 0, 3600, v('beta'));
    store.store(StoreMode.Add, 'b', 0, 0, v('ignored'));
    store.store(StoreMode.Append, 'a', 0, 0, v('-end'));
    store.store(StoreMode.Prepend, 'a', 0, 0, v('start-'));
    const cas = store.get('b')!.cas;
    store.store(StoreMode.Cas, 'b', 9, 0, v('beta2'), cas);
    store.store(StoreMode.Cas, 'b', 9, 0, v('lost race'), cas);
    store.store(StoreMode.Set, 'counter', 0, 0, v('10'));
    store.incrDecr('counter', true, 5n);
    store.incrDecr('counter', false, 3n);
    store.metaArith('made', { incr: true, delta: 1n, create: { initial: 7n, exptime: 0 }, compareCas: 0n });
    store.store(StoreMode.Set, 'gone', 0, 0, v('x'));
    store.delete('gone');
    store.store(StoreMode.Replace, 'c', 0, 0, v('never there'));
    store.touch('a', 7200);
    store.metaGet('viv', { withValue: true, noBump: false, vivify: 30 });
    store.store(StoreMode.Set, 'stale', 0, 0, v('s'));
    store.metaDelete('stale', { invalidate: true });
    store.store(StoreMode.Set, 'c', 1, 0, v('gamma'), 0n, { explicitCas: 999n });
    await writer.close();

    const { map } = await recover(dir, { repair: false, warn: () => undefined });
    const restored = freshStore();
    for (const [key, item] of map.items) {
      const end = endOf(item);
      restored.store(StoreMode.Set, key, item.flags, end === 0 ? 0 : Math.ceil(end / 1000), item.value, 0n, { explicitCas: item.cas });
    }
    for (const key of KEYS) {
      const want = live.get(key);
      const got = restored.get(key);
      assert.deepEqual(got && { value: got.value.toString(), flags: got.flags, cas: got.cas }, want && { value: want.value.toString(), flags: want.flags, cas: want.cas }, key);
      const wantTtl = live.inspect(key)?.ttl;
      const gotTtl = restored.inspect(key)?.ttl;
      if (wantTtl !== undefined && gotTtl !== undefined) assert.ok(Math.abs(wantTtl - gotTtl) <= 1, `${key}: ttl ${gotTtl} against ${wantTtl}`);
    }
    // The client's own CAS (E) counts too: a restart hands out only higher ones.
    assert.equal(map.maxCas, 999n);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the store\'s memory admin stays reachable through the layer', T, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kvlab-admin-'));
  try {
    const writer = await LogWriter.open(dir, 0, 'no', new PersistenceStats(), silent);
    const admin: MemoryAdminApi = { setMemoryLimit: () => 'OK', reassign: () => 'OK', setAutomove: () => undefined, crawl: () => true };
    const inner: Store = Object.assign(freshStore(), { admin });
    assert.equal(new PersistentStore(inner, writer, new PersistenceStats(), 0n).admin, admin);
    assert.equal(new PersistentStore(freshStore(), writer, new PersistenceStats(), 0n).admin, undefined);
    await writer.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('log segments are readable by the server\'s user only', T, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kvlab-mode-'));
  try {
    const writer = await LogWriter.open(dir, 0, 'no', new PersistenceStats(), silent);
    await writer.close();
    assert.equal(statSync(logPath(dir, 0)).mode & 0o777, 0o600);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
