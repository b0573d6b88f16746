/**
 * A TLS server stopped the moment it says it is ready drains and exits 0: the ready line comes
 * only once the signal handlers are installed (a SIGTERM sent on the line used to find none and
 * kill the process — seen here three times in three).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startPhase } from '../../../../shared/testing/server-process.ts';
import { makeTestCertificates } from '../../../../shared/testing/test-certificates.ts';

test('phase 4 with TLS and a plaintext port beside it exits 0 on a SIGTERM sent on its ready line', { timeout: 60_000 }, async () => {
  const certs = makeTestCertificates();
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      const server = await startPhase('phase4', ['-Z', '-o', `ssl_chain_cert=${certs.serverCert},ssl_key=${certs.serverKey}`, '--plain-port', '0']);
      assert.equal(await server.stop(10_000), 0, server.output().slice(-500));
      assert.match(server.output(), /shut down: 0 connections drained/);
    }
  } finally {
    certs.remove();
  }
});
