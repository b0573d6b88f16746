/**
 * TLS on phase 4's listener with real clients, on the event loop and with ring workers: openssl
 * s_client verifying the server, Node's TLS client speaking memcached with and without a client
 * certificate (ssl_verify_mode 1, request; and 2, require), a plaintext client on the TLS port
 * (nothing executed, hung up, counted), a client that never starts its handshake (closed by the
 * timeout), the plaintext listener beside sharing the store, and certificate reload by
 * refresh_certs and by SIGHUP while an open connection keeps working.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { askUntil as ask, openSocket as open } from '../../../../shared/testing/line-client.ts';
import { phaseArgs, startPhase, type RunningServer } from '../../../../shared/testing/server-process.ts';
import { makeTestCertificates, type TestCertificates } from '../../../../shared/testing/test-certificates.ts';
import { sClient } from '../../../../shared/testing/openssl-client.ts';
import { openTls, outputMatches, refused, stat, untilClosed, type ClientIdentity } from './tls-client.ts';

const T = { timeout: 30_000 };
const STOP_WITHIN_MS = 10_000;

/** The server's TLS options: memcached's spellings (-Z, -o ssl_*), with the handshake timeout at 1 s. */
function tlsArgs(certs: TestCertificates, verifyMode: number): string[] {
  return [
    '-Z', '-o', `ssl_chain_cert=${certs.serverCert},ssl_key=${certs.serverKey},ssl_ca_cert=${certs.caCert},ssl_verify_mode=${verifyMode},ssl_session_cache`,
    '--tls-handshake-timeout', '1',
  ];
}

/** The organisation in the certificate the server presented: which of the test certificates it is. */
function serverCertificateOf(socket: TLSSocket): string | undefined {
  const organisation = socket.getPeerCertificate().subject?.O;
  return Array.isArray(organisation) ? organisation.join(',') : organisation;
}

for (const workers of ['0', '2']) {
  describe(`phase 4 TLS, --workers ${workers}`, () => {
    let certs: TestCertificates;
    let server: RunningServer;
    let plainPort: number;
    const trusted = (): ClientIdentity => ({ ca: certs.caCert, cert: certs.clientCert, key: certs.clientKey });

    before(async () => {
      certs = makeTestCertificates();
      server = await startPhase('phase4', ['--workers', workers, ...tlsArgs(certs, 1), '--plain-port', '0']);
      const beside = /plaintext on 127\.0\.0\.1:(\d+)/.exec(server.output());
      assert.ok(beside, `the ready line names the plaintext listener: ${server.output()}`);
      plainPort = Number(beside[1]);
    });

    after(async () => {
      assert.equal(await server.stop(STOP_WITHIN_MS), 0);
      certs.remove();
    });

    test('openssl s_client verifies the server against the CA and runs memcached commands', T, async () => {
      const run = await sClient(server.port, ['-CAfile', certs.caCert, '-verify_return_error', '-verify_hostname', 'localhost'],
        'set via-openssl 0 0 2\r\nhi\r\nget via-openssl\r\nquit\r\n');
      assert.equal(run.stdout, 'STORED\r\nVALUE via-openssl 0 2\r\nhi\r\nEND\r\n', run.stderr);
      // And a client that trusts another CA does not get in: the server is verified, not merely encrypted.
      const wrongCa = await sClient(server.port, ['-CAfile', certs.rogueCert, '-verify_return_error'], 'version\r\n');
      assert.notEqual(wrongCa.status, 0);
      assert.equal(wrongCa.stdout, '');
    });

    test('a client certificate signed by the CA is let in, and the plaintext listener serves the same store', T, async () => {
      const client = await openTls(server.port, trusted());
      assert.equal(client.getProtocol(), 'TLSv1.3');
      assert.equal(await ask(client, 'set shared 0 0 3\r\nabc\r\n', '\r\n'), 'STORED\r\n');
      const plain = await open(plainPort);
      assert.equal(await ask(plain, 'get shared\r\n', 'END\r\n'), 'VALUE shared 0 3\r\nabc\r\nEND\r\n');
      plain.destroy();
      client.destroy();
    });

    test('ssl_verify_mode 1 (request): no certificate is let in, a certificate the CA did not sign is refused and counted', T, async () => {
      const before = Number(stat(await ask(await open(plainPort), 'stats\r\n', 'END\r\n'), 'ssl_handshake_errors'));
      const anonymous = await openTls(server.port, { ca: certs.caCert });
      assert.equal(await ask(anonymous, 'version\r\n', '\r\n'), 'VERSION 1.6.18-kvlab-phase4\r\n');
      anonymous.destroy();
      assert.ok(await refused(server.port, { ca: certs.caCert, cert: certs.rogueCert, key: certs.rogueKey }));
      const plain = await open(plainPort);
      const stats = await ask(plain, 'stats\r\n', 'END\r\n');
      plain.destroy();
      assert.equal(Number(stat(stats, 'ssl_handshake_errors')), before + 1);
      assert.ok(Number(stat(stats, 'ssl_new_sessions')) >= 2, stats);
    });

    test('a plaintext client on the TLS port has nothing executed, is hung up on, and is counted', T, async () => {
      const plain = await open(plainPort);
      const before = Number(stat(await ask(plain, 'stats\r\n', 'END\r\n'), 'ssl_handshake_errors'));
      const wrong = await open(server.port);
      assert.equal(await untilClosed(wrong, 'set sneaked-in 0 0 1\r\nx\r\n'), '');
      assert.equal(await ask(plain, 'get sneaked-in\r\n', 'END\r\n'), 'END\r\n');
      assert.equal(Number(stat(await ask(plain, 'stats\r\n', 'END\r\n'), 'ssl_handshake_errors')), before + 1);
      plain.destroy();
      await outputMatches(server, /TLS handshake failed: not TLS, a plaintext client\?/);
    });

    test('a client that never starts its handshake is closed by the handshake timeout', T, async () => {
      const silent = connect({ host: '127.0.0.1', port: server.port });
      const started = Date.now();
      assert.equal(await untilClosed(silent, null, 10_000), '');
      // --tls-handshake-timeout 1: closed after about a second, not after Node's default two minutes.
      assert.ok(Date.now() - started >= 900, `closed after ${Date.now() - started} ms`);
      await outputMatches(server, /TLS handshake failed: no handshake within the timeout/);
    });

    test('refresh_certs and SIGHUP load new certificates for new connections while an open one keeps working', T, async () => {
      const open1 = await openTls(server.port, trusted());
      assert.equal(serverCertificateOf(open1), 'kvlab test server 1');
      certs.install(2);
      assert.equal(await ask(open1, 'refresh_certs\r\n', '\r\n'), 'OK\r\n');
      assert.equal(await ask(open1, 'set after-refresh 0 0 1\r\n1\r\nget after-refresh\r\n', 'END\r\n'), 'STORED\r\nVALUE after-refresh 0 1\r\n1\r\nEND\r\n');
      const open2 = await openTls(server.port, trusted());
      assert.equal(serverCertificateOf(open2), 'kvlab test server 2');

      // A key that does not load: memcached's words, the file, the reason; the loaded certificate stays.
      certs.breakKey('not a key\n');
      const failed = await ask(open1, 'refresh_certs\r\n', '\r\n');
      assert.ok(failed.startsWith(`Error loading the key: ${certs.serverKey} : `) && failed.endsWith('\r\n'), JSON.stringify(failed));
      // noreply silences only the OK, as in memcached: the error still comes.
      const quiet = await ask(open1, 'refresh_certs noreply\r\nversion\r\n', 'VERSION 1.6.18-kvlab-phase4\r\n');
      assert.ok(quiet.startsWith('Error loading the key: '), JSON.stringify(quiet));
      const open3 = await openTls(server.port, trusted());
      assert.equal(serverCertificateOf(open3), 'kvlab test server 2');

      certs.install(3);
      process.kill(server.pid, 'SIGHUP');
      await outputMatches(server, /"by":"SIGHUP".*TLS certificates reloaded/);
      const open4 = await openTls(server.port, trusted());
      assert.equal(serverCertificateOf(open4), 'kvlab test server 3');
      // Every connection opened before either reload still answers.
      for (const socket of [open1, open2, open3]) assert.equal(await ask(socket, 'get after-refresh\r\n', 'END\r\n'), 'VALUE after-refresh 0 1\r\n1\r\nEND\r\n');
      const stats = await ask(open4, 'stats\r\n', 'END\r\n');
      assert.ok(Number(stat(stats, 'time_since_server_cert_refresh')) <= 5, stats);
      for (const socket of [open1, open2, open3, open4]) socket.destroy();
    });

    test("stats settings reports the TLS configuration in memcached's words", T, async () => {
      const plain = await open(plainPort);
      const settings = await ask(plain, 'stats settings\r\n', 'END\r\n');
      plain.destroy();
      assert.equal(stat(settings, 'ssl_enabled'), 'yes');
      assert.equal(stat(settings, 'ssl_chain_cert'), certs.serverCert);
      assert.equal(stat(settings, 'ssl_ca_cert'), certs.caCert);
      // memcached prints OpenSSL's flag word: mode 1 is SSL_VERIFY_PEER.
      assert.equal(stat(settings, 'ssl_verify_mode'), '1');
      assert.equal(stat(settings, 'ssl_session_cache'), 'yes');
      assert.equal(stat(settings, 'ssl_min_version'), 'tlsv1.2');
    });
  });
}

test('ssl_verify_mode 2 (require): a client without a certificate, or with one the CA did not sign, is refused; so is TLS 1.2 under ssl_min_version 3; handshakes in flight are bounded by -c', T, async () => {
  const certs = makeTestCertificates();
  const server = await startPhase('phase4', [...tlsArgs(certs, 2), '-o', 'ssl_min_version=3', '-c', '8']);
  try {
    const trusted = { ca: certs.caCert, cert: certs.clientCert, key: certs.clientKey };
    assert.ok(await refused(server.port, { ca: certs.caCert }));
    assert.ok(await refused(server.port, { ca: certs.caCert, cert: certs.rogueCert, key: certs.rogueKey }));
    assert.ok(await refused(server.port, { ...trusted, maxVersion: 'TLSv1.2' }));
    const client = await openTls(server.port, trusted);
    const stats = await ask(client, 'stats\r\n', 'END\r\n');
    assert.equal(stat(stats, 'ssl_handshake_errors'), '3');
    assert.equal(stat(await ask(client, 'stats settings\r\n', 'END\r\n'), 'ssl_min_version'), 'tlsv1.3');
    client.destroy();
    // And s_client without a certificate gets nothing either.
    const run = await sClient(server.port, ['-CAfile', certs.caCert], 'version\r\n');
    assert.equal(run.stdout, '');
    // Silent sockets: at most -c of them wait in their handshake; the one past it is closed at once.
    const silent = await Promise.all(Array.from({ length: 8 }, () => open(server.port)));
    const closedBy = silent.map((socket) => untilClosed(socket, null));
    const started = Date.now();
    assert.equal(await untilClosed(await open(server.port), null), '');
    assert.ok(Date.now() - started < 900, `the socket past the limit waited ${Date.now() - started} ms`);
    await Promise.all(closedBy);
  } finally {
    assert.equal(await server.stop(STOP_WITHIN_MS), 0);
    certs.remove();
  }
});

test('phase 4 does not start with TLS it cannot serve: no certificate, or a key that does not load', T, () => {
  const missing = spawnSync(process.execPath, phaseArgs('phase4', ['-Z']), { encoding: 'utf8', timeout: 15_000 });
  assert.equal(missing.status, 2, missing.stderr);
  assert.match(missing.stderr, /tls-chain-cert/);
  const certs = makeTestCertificates();
  try {
    certs.breakKey('not a key\n');
    const broken = spawnSync(process.execPath, phaseArgs('phase4', ['-p', '0', ...tlsArgs(certs, 0)]), { encoding: 'utf8', timeout: 15_000 });
    assert.equal(broken.status, 1, broken.stderr);
    assert.match(broken.stderr, new RegExp(`could not start: Error loading the key: ${certs.serverKey} : `));
  } finally {
    certs.remove();
  }
});
