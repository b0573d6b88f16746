/**
 * Expiry that needs the clock to move: an item with a short exptime disappears, touch and gat
 * lengthen or shorten an item's life, and flush_all with a delay takes effect later. memcached's
 * clock ticks in whole seconds, so an exptime of 2 lives between 1 and 2 seconds; each check polls
 * until the item is gone, within a bound, and the checks run concurrently to share the wait.
 * @module
 */
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { Capability } from '../capabilities.ts';
import type { Target } from '../target.ts';
import { WireConnection } from '../wire-connection.ts';
import { ask } from './ask.ts';

/** The shortest exptime that surely outlives the first read: 1 could expire at the next tick, a millisecond away. */
const SHORT_S = 2;

/** How long an item with exptime {@link SHORT_S} may take to vanish: 2 s plus a tick plus a slow machine. */
const GONE_WITHIN_MS = 5000;

/** Between polls: the clock ticks once a second, so ten polls a second see a change within 0.1 s. */
const POLL_MS = 100;

/** Long enough that an item cannot expire while a check runs. */
const HOUR = 3600;

/** A delayed flush_all that surely does not fire before the first read (see {@link SHORT_S}). */
const FLUSH_DELAY_S = 3;

/** One expiry-over-time check. */
export interface ExpiryCheck {
  readonly name: string;
  readonly needs: readonly Capability[];
  /** Runs the check on one connection; `key` names the keys so runs never collide. Rejects on a mismatch. */
  run(connection: WireConnection, key: (name: string) => string): Promise<void>;
}

async function expectStored(connection: WireConnection, command: string): Promise<void> {
  assert.equal(await ask(connection, command, '\r\n'), 'STORED\r\n', `sent ${JSON.stringify(command)}`);
}

async function isPresent(connection: WireConnection, key: string): Promise<boolean> {
  const reply = await ask(connection, `get ${key}\r\n`, 'END\r\n');
  return reply !== 'END\r\n';
}

/** Polls until `key` is gone; fails if it outlives `withinMs`. */
async function waitUntilGone(connection: WireConnection, key: string, withinMs = GONE_WITHIN_MS): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (await isPresent(connection, key)) {
    assert.ok(Date.now() < deadline, `${key} should have expired within ${withinMs} ms, and get still returns it`);
    await delay(POLL_MS);
  }
}

/** The checks; each runs on its own connection with its own keys. */
export const EXPIRY_CHECKS: readonly ExpiryCheck[] = [
  {
    name: 'an item with a 2-second exptime is served at first, then expires, and add can reuse its key',
    needs: [],
    async run(connection, key) {
      await expectStored(connection, `set ${key('a')} 0 ${SHORT_S} 1\r\nx\r\n`);
      assert.ok(await isPresent(connection, key('a')), 'the item should be served right after set');
      await waitUntilGone(connection, key('a'));
      await expectStored(connection, `add ${key('a')} 0 0 1\r\ny\r\n`);
    },
  },
  {
    name: 'touch lengthens an item\'s life past its exptime',
    needs: [Capability.Touch],
    async run(connection, key) {
      await expectStored(connection, `set ${key('a')} 0 ${SHORT_S} 1\r\nx\r\n`);
      assert.equal(await ask(connection, `touch ${key('a')} ${HOUR}\r\n`, '\r\n'), 'TOUCHED\r\n');
      // A companion set after the touch with the same short exptime: once it is gone, the touched item's old exptime has passed too.
      await expectStored(connection, `set ${key('clock')} 0 ${SHORT_S} 1\r\nc\r\n`);
      await waitUntilGone(connection, key('clock'));
      assert.ok(await isPresent(connection, key('a')), 'the touched item should outlive its original exptime');
    },
  },
  {
    name: 'gat lengthens an item\'s life past its exptime',
    needs: [Capability.Gat],
    async run(connection, key) {
      await expectStored(connection, `set ${key('a')} 0 ${SHORT_S} 1\r\nx\r\n`);
      assert.equal(await ask(connection, `gat ${HOUR} ${key('a')}\r\n`, 'END\r\n'), `VALUE ${key('a')} 0 1\r\nx\r\nEND\r\n`);
      await expectStored(connection, `set ${key('clock')} 0 ${SHORT_S} 1\r\nc\r\n`);
      await waitUntilGone(connection, key('clock'));
      assert.ok(await isPresent(connection, key('a')), 'the item fetched with gat should outlive its original exptime');
    },
  },
  {
    name: 'touch shortens the life of an item stored without an exptime',
    needs: [Capability.Touch],
    async run(connection, key) {
      await expectStored(connection, `set ${key('a')} 0 0 1\r\nx\r\n`);
      assert.equal(await ask(connection, `touch ${key('a')} ${SHORT_S}\r\n`, '\r\n'), 'TOUCHED\r\n');
      assert.ok(await isPresent(connection, key('a')), 'the item should be served right after touch');
      await waitUntilGone(connection, key('a'));
    },
  },
];

/** flush_all with a delay: nothing changes at once, everything is gone after the delay. Run last: it empties the server. */
export async function checkDelayedFlush(target: Target, key: (name: string) => string): Promise<void> {
  const connection = await WireConnection.open(target.host, target.port);
  try {
    await expectStored(connection, `set ${key('a')} 0 0 1\r\nx\r\n`);
    assert.equal(await ask(connection, `flush_all ${FLUSH_DELAY_S}\r\n`, '\r\n'), 'OK\r\n');
    assert.ok(await isPresent(connection, key('a')), 'a delayed flush_all should leave items in place until the delay passes');
    await waitUntilGone(connection, key('a'), FLUSH_DELAY_S * 1000 + GONE_WITHIN_MS);
  } finally {
    connection.destroy();
  }
}
