/**
 * The loop call on one thread: where the loop thread serves the buffer its handler runs directly
 * (waiting there would wait for itself), the answer crosses the shared buffer cut to its size
 * only when it must, and a call that nobody answers gives up at its deadline instead of hanging.
 * Calls from ring workers, answered across threads, run in phases/phase4/tls/test (refresh_certs
 * with --workers 2).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LoopCall, LoopCallServer } from '../loop-call.ts';

const T = { timeout: 10_000 };

test('on the loop thread the handler runs directly, every call', T, () => {
  const buffer = LoopCall.createBuffer();
  let served = 0;
  const server = new LoopCallServer(buffer, () => `answer ${++served}`);
  try {
    const call = new LoopCall(buffer);
    assert.equal(call.call(), 'answer 1');
    assert.equal(call.call(), 'answer 2');
  } finally {
    server.stop();
  }
});

test('a call that no loop thread answers gives up with null at its deadline', T, () => {
  const buffer = LoopCall.createBuffer();
  const server = new LoopCallServer(buffer, () => 'never asked');
  server.stop();
  const started = Date.now();
  // Atomics.wait blocks this thread for the deadline: 200 ms keeps the test short.
  assert.equal(new LoopCall(buffer, 200).call(), null);
  assert.ok(Date.now() - started >= 190);
});
