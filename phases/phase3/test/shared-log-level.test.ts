/** The shared log level: a level set on one side is the level the other side's logger writes at. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { SharedLogLevel } from '../shared-log-level.ts';

test('a logger that follows the shared level picks up a change before its next line', () => {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => { lines.push(chunk.toString()); done(); } });
  const owner = SharedLogLevel.create('error');
  const other = SharedLogLevel.attach(owner.buffer);
  const log = pino({ level: other.get() }, sink);
  const follower = other.follow(log);
  follower.warn({ n: 1 }, 'dropped at level error');
  assert.equal(lines.length, 0);
  owner.set('warn');
  follower.warn({ n: 2 }, 'written at level warn');
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /written at level warn/);
  assert.equal(log.level, 'warn');
  owner.set('no-such-level');
  assert.equal(other.get(), 'warn', 'an unknown name leaves the level alone');
});
