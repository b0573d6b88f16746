/**
 * The pool and what makes a session poolable: only a session at rest (no request held, no reply
 * waiting) is taken back, and a session taken again serves its next client from scratch.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { basicServerInfo } from '../runtime/basic-server-info.ts';
import { ServerCounters } from '../runtime/server-counters.ts';
import { SharedStore } from '../store/shared-store.ts';
import { MAGIC_REQUEST } from './binary/constants.ts';
import { SessionPool } from './session-pool.ts';
import { Step, type SessionContext } from './session.ts';

function context(): SessionContext {
  const counters = new ServerCounters();
  const facts = { version: '1.6.18-test', startedAtMs: Date.now(), maxConnections: 10, threads: 1, settings: [] };
  return { store: SharedStore.create({ memoryBytes: 4 * 1024 * 1024 }), server: basicServerInfo(facts, counters), maxItemSize: 1024 * 1024 };
}

test('a session holding part of a request or unsent replies is not taken back', () => {
  const pool = new SessionPool(context());
  const session = pool.take('s'.charCodeAt(0));
  session.feed(Buffer.from('set k 0 0 3\r\n'));
  assert.equal(session.step(), Step.NeedMore);
  assert.equal(pool.give(session), false, 'waiting for a data block');
  session.feed(Buffer.from('abc\r\n'));
  assert.equal(session.step(), Step.Continue);
  assert.equal(pool.give(session), false, 'its STORED is not written yet');
  assert.equal(Buffer.concat(session.out.take()).toString(), 'STORED\r\n');
  assert.equal(pool.give(session), true);
  assert.equal(pool.size, 1);
  assert.equal(pool.take('g'.charCodeAt(0)), session, 'taken again by the next text connection');
});

test('the pool keeps text and binary sessions apart, and a taken-back session refuses nothing', () => {
  const pool = new SessionPool(context());
  const text = pool.take('v'.charCodeAt(0));
  text.refusing = true;
  assert.equal(pool.give(text), true);
  const binary = pool.take(MAGIC_REQUEST);
  assert.equal(binary.protocol, 'binary');
  assert.notEqual(binary, text);
  const again = pool.take('v'.charCodeAt(0));
  assert.equal(again, text);
  assert.equal(again.refusing, false);
  again.feed(Buffer.from('version\r\n'));
  assert.equal(again.step(), Step.Continue);
  assert.match(Buffer.concat(again.out.take()).toString(), /^VERSION /);
});
