/**
 * A memcached client library that nobody here wrote, speaking TLS: memcache-client (its `tls`
 * option hands Node's `tls.connect` the CA, certificate and key). Against real memcached -Z first,
 * so the expectations are memcached's, then against phase 4: with the server verified only
 * (ssl_verify_mode 0) — commands run, and a client that trusts another CA gets nowhere — and with
 * mutual TLS (mode 2, require) — a client with a certificate the CA signed runs commands, one
 * without a certificate is refused.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MemcacheClient } from 'memcache-client';
import { memcachedInstalled, startMemcached, startPhase, type RunningServer } from '../../../../shared/testing/server-process.ts';
import { makeTestCertificates, type TestCertificates } from '../../../../shared/testing/test-certificates.ts';

const T = { timeout: 30_000 };
/** Bounds every command and connection of the library, so a refused client fails instead of waiting. */
const CLIENT_TIMEOUT_MS = 3000;

/** Who the client is and whom it trusts: files of the test certificates. */
interface Identity {
  readonly ca: string;
  readonly cert?: string;
  readonly key?: string;
}

/** A memcache-client over TLS to 127.0.0.1:`port`, checking the server's name as localhost. */
function tlsClient(port: number, identity: Identity): MemcacheClient {
  return new MemcacheClient({
    server: `127.0.0.1:${port}`,
    cmdTimeout: CLIENT_TIMEOUT_MS,
    connectTimeout: CLIENT_TIMEOUT_MS,
    tls: {
      servername: 'localhost',
      ca: readFileSync(identity.ca),
      ...(identity.cert ? { cert: readFileSync(identity.cert) } : {}),
      ...(identity.key ? { key: readFileSync(identity.key) } : {}),
    },
  });
}

/** set, get, incr and delete through `client`, checking every answer. */
async function roundTrip(client: MemcacheClient, key: string): Promise<void> {
  assert.deepEqual(await client.set(key, 'over tls'), ['STORED']);
  assert.equal((await client.get<string>(key)).value, 'over tls');
  assert.deepEqual(await client.set(`${key}-n`, '41'), ['STORED']);
  assert.equal(await client.incr(`${key}-n`, 1), '42');
  assert.deepEqual(await client.delete(key), ['DELETED']);
  assert.equal(await client.get(key), undefined);
}

/** True when the client could not run a command: refused, or it did not trust the server. */
async function turnedAway(client: MemcacheClient, key: string): Promise<boolean> {
  try {
    await client.set(key, 'x');
    return false;
  } catch {
    return true;
  } finally {
    client.shutdown();
  }
}

/** The server options for TLS in `verifyMode`, memcached's spellings. */
function tlsOptions(certs: TestCertificates, verifyMode: number): string[] {
  return ['-Z', '-o', `ssl_chain_cert=${certs.serverCert},ssl_key=${certs.serverKey},ssl_ca_cert=${certs.caCert},ssl_verify_mode=${verifyMode}`];
}

const targets: ReadonlyArray<{ name: string; start: (args: string[]) => Promise<RunningServer>; skip: string | false }> = [
  { name: 'memcached 1.6.18', start: (args) => startMemcached(args), skip: memcachedInstalled() ? false : 'memcached is not installed (apt-get install memcached)' },
  { name: 'phase 4', start: (args) => startPhase('phase4', args), skip: false },
];

for (const target of targets) {
  describe(`memcache-client over TLS against ${target.name}`, { skip: target.skip }, () => {
    let certs: TestCertificates;
    before(() => {
      certs = makeTestCertificates();
      // memcached reads them as `nobody`.
      certs.shareWithAll();
    });
    after(() => certs.remove());

    test('the server verified only (ssl_verify_mode 0): commands run; a client trusting another CA gets nowhere', T, async () => {
      const server = await target.start(tlsOptions(certs, 0));
      try {
        const client = tlsClient(server.port, { ca: certs.caCert });
        try {
          await roundTrip(client, 'tls-lib-server-only');
        } finally {
          client.shutdown();
        }
        // The rogue certificate is self-signed: as a CA, it signed nothing the server presents.
        assert.equal(await turnedAway(tlsClient(server.port, { ca: certs.rogueCert }), 'tls-lib-distrust'), true);
      } finally {
        await server.stop();
      }
    });

    test('mutual TLS (ssl_verify_mode 2): a certificate the CA signed runs commands; none at all is refused', T, async () => {
      const server = await target.start(tlsOptions(certs, 2));
      try {
        const client = tlsClient(server.port, { ca: certs.caCert, cert: certs.clientCert, key: certs.clientKey });
        try {
          await roundTrip(client, 'tls-lib-mutual');
        } finally {
          client.shutdown();
        }
        assert.equal(await turnedAway(tlsClient(server.port, { ca: certs.caCert }), 'tls-lib-no-cert'), true);
        assert.equal(await turnedAway(tlsClient(server.port, { ca: certs.caCert, cert: certs.rogueCert, key: certs.rogueKey }), 'tls-lib-rogue'), true);
      } finally {
        await server.stop();
      }
    });
  });
}
