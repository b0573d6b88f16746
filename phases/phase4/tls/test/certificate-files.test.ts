/**
 * Loading the certificate files: a good set loads (the key in its own file or in the chain file),
 * and each fault is put on the file it is in, in memcached's words — a chain, a key that is not a
 * key or not the certificate's, a CA file without a certificate, a file that is missing.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCertificates } from '../certificate-files.ts';
import { makeTestCertificates } from '../../../../shared/testing/test-certificates.ts';

const T = { timeout: 20_000 };
const certs = makeTestCertificates();
after(() => certs.remove());

function failure(paths: Parameters<typeof loadCertificates>[0]): { code: string; detail: string } {
  const loaded = loadCertificates(paths);
  assert.ok(!loaded.ok, 'expected a failure');
  return loaded.failure;
}

test('a chain, its key and a CA load; so does a key kept in the chain file', T, () => {
  const loaded = loadCertificates({ chainCert: certs.serverCert, key: certs.serverKey, caCert: certs.caCert });
  assert.ok(loaded.ok);
  assert.equal(loaded.context.ca, readFileSync(certs.caCert, 'utf8'));
  const both = join(certs.dir, 'both.pem');
  writeFileSync(both, readFileSync(certs.serverCert, 'utf8') + readFileSync(certs.serverKey, 'utf8'));
  assert.ok(loadCertificates({ chainCert: both, key: null, caCert: null }).ok);
});

test('each fault names its file, in memcached\'s words', T, () => {
  const missing = join(certs.dir, 'missing.pem');
  assert.deepEqual(Object.keys(failure({ chainCert: missing, key: certs.serverKey, caCert: null })), ['code', 'detail']);
  assert.equal(failure({ chainCert: missing, key: certs.serverKey, caCert: null }).code, 'TLS_CHAIN_CERT');
  assert.match(failure({ chainCert: missing, key: certs.serverKey, caCert: null }).detail, new RegExp(`^${missing} : .*no such file`, 'i'));
  assert.equal(failure({ chainCert: certs.serverKey, key: certs.serverKey, caCert: null }).code, 'TLS_CHAIN_CERT');
  const notAKey = failure({ chainCert: certs.serverCert, key: certs.caCert, caCert: null });
  assert.equal(notAKey.code, 'TLS_KEY');
  assert.ok(notAKey.detail.startsWith(`${certs.caCert} : `), notAKey.detail);
  // The client's key is a good key, but not the server certificate's.
  const otherKey = failure({ chainCert: certs.serverCert, key: certs.clientKey, caCert: null });
  assert.equal(otherKey.code, 'TLS_KEY');
  assert.match(otherKey.detail, /mismatch/);
  const noCa = failure({ chainCert: certs.serverCert, key: certs.serverKey, caCert: certs.serverKey });
  assert.deepEqual(noCa, { code: 'TLS_CA_CERT', detail: `${certs.serverKey} : no certificate in the file` });
});
