/**
 * Phase 4 as a process: `npm run phase4` prints its ready line, answers as phase 4, and refuses a
 * configuration it cannot honour before it listens.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startPhase, phaseArgs } from '../../../shared/testing/server-process.ts';
import { askUntil as ask, openSocket as open } from '../../../shared/testing/line-client.ts';

test('phase 4 serves with its own version', { timeout: 20_000 }, async () => {
  const server = await startPhase('phase4');
  try {
    assert.match(server.output(), /kvlab phase4 listening on 127\.0\.0\.1:\d+/);
    const socket = await open(server.port);
    assert.equal(await ask(socket, 'version\r\n', '\r\n'), 'VERSION 1.6.18-kvlab-phase4\r\n');
    socket.destroy();
  } finally {
    assert.equal(await server.stop(), 0);
  }
});

test('phase 4 exits 2 with the reason on a -o key it has no counterpart for', { timeout: 20_000 }, () => {
  const run = spawnSync(process.execPath, phaseArgs('phase4', ['-o', 'no_such_key=1']), { encoding: 'utf8', timeout: 15_000 });
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /-o refused: -o no_such_key has no counterpart here/);
});
