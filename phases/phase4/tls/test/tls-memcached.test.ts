/**
 * The TLS behaviour phase 4's tests expect, checked against real memcached 1.6.18 started with
 * -Z (Debian builds it with TLS), so the expectations are memcached's and not only ours: openssl
 * s_client runs commands, a plaintext client on the TLS port gets nothing executed, a client certificate the CA did not sign is refused under ssl_verify_mode 1, and
 * refresh_certs answers OK for a new certificate and memcached's words for a key that does not
 * load. Skipped, with the reason, where memcached is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { TLSSocket } from 'node:tls';
import { askUntil as ask, openSocket as open } from '../../../../shared/testing/line-client.ts';
import { memcachedInstalled, startMemcached } from '../../../../shared/testing/server-process.ts';
import { makeTestCertificates, OPENSSL } from '../../../../shared/testing/test-certificates.ts';
import { openTls, refused, stat, untilClosed } from './tls-client.ts';

const skip = memcachedInstalled() ? false : 'memcached is not installed (Debian: apt-get install memcached)';

function organisation(socket: TLSSocket): string | undefined {
  const o = socket.getPeerCertificate().subject?.O;
  return Array.isArray(o) ? o.join(',') : o;
}

test('real memcached -Z: the TLS behaviour phase 4 is tested for', { timeout: 30_000, skip }, async () => {
  const certs = makeTestCertificates();
  certs.shareWithAll();
  const server = await startMemcached(['-Z', '-o', `ssl_chain_cert=${certs.serverCert},ssl_key=${certs.serverKey},ssl_ca_cert=${certs.caCert},ssl_verify_mode=1`]);
  try {
    const sClient = await new Promise<string>((resolve, reject) => {
      const child = spawn(OPENSSL, ['s_client', '-connect', `127.0.0.1:${server.port}`, '-quiet', '-nocommands', '-CAfile', certs.caCert, '-verify_return_error'], { timeout: 15_000 });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('latin1')));
      child.once('error', reject);
      child.once('close', () => resolve(stdout));
      child.stdin.end('set via-openssl 0 0 2\r\nhi\r\nget via-openssl\r\nquit\r\n');
    });
    assert.equal(sClient, 'STORED\r\nVALUE via-openssl 0 2\r\nhi\r\nEND\r\n');

    const trusted = { ca: certs.caCert, cert: certs.clientCert, key: certs.clientKey };
    const client = await openTls(server.port, trusted);
    assert.equal(await untilClosed(await open(server.port), 'set sneaked-in 0 0 1\r\nx\r\n'), '');
    assert.equal(await ask(client, 'get sneaked-in\r\n', 'END\r\n'), 'END\r\n');
    // memcached counts it in ssl_handshake_errors only when the bytes are there as it accepts
    // (its SSL_accept runs once, at accept), so the count is not compared here; phase 4 counts every one.
    assert.ok(stat(await ask(client, 'stats\r\n', 'END\r\n'), 'ssl_handshake_errors') !== undefined);

    // Mode 1: a certificate the CA did not sign fails the handshake.
    assert.ok(await refused(server.port, { ca: certs.caCert, cert: certs.rogueCert, key: certs.rogueKey }));
    // And without one it is let in.
    assert.equal(await refused(server.port, { ca: certs.caCert }), false);

    certs.install(2);
    certs.shareWithAll();
    assert.equal(await ask(client, 'refresh_certs\r\n', '\r\n'), 'OK\r\n');
    const fresh = await openTls(server.port, trusted);
    assert.equal(organisation(fresh), 'kvlab test server 2');
    certs.breakKey('not a key\n');
    const failed = await ask(client, 'refresh_certs\r\n', '\r\n');
    assert.ok(failed.startsWith(`Error loading the key: ${certs.serverKey} : `), JSON.stringify(failed));
    assert.equal(await ask(client, 'version\r\n', '\r\n'), 'VERSION 1.6.18\r\n');
    fresh.destroy();
    client.destroy();
  } finally {
    await server.stop(5000);
    certs.remove();
  }
});
