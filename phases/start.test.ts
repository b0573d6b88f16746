/** `npm start` serves the most advanced finished phase: its entry point starts phase 4. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { once } from 'node:events';
import { join } from 'node:path';
import { REPO_ROOT, startProcess } from '../shared/testing/server-process.ts';

test('the npm start entry point serves phase 4', { timeout: 20000 }, async () => {
  const server = await startProcess('npm start', process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'phases', 'main.ts'), '--port', '0']);
  try {
    assert.match(server.output(), /kvlab phase4 listening on 127\.0\.0\.1:\d+/);
    const socket = connect({ host: server.host, port: server.port });
    socket.write('version\r\n');
    const [reply] = (await once(socket, 'data')) as [Buffer];
    assert.equal(reply.toString(), 'VERSION 1.6.18-kvlab-phase4\r\n');
    socket.destroy();
  } finally {
    assert.equal(await server.stop(), 0);
  }
});
