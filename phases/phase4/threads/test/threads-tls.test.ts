/**
 * Phase 4 with `--threads 2` and TLS (-Z), as a process: TLS clients land on both loops and every
 * loop answers them (Node's TLS client, and openssl s_client); a plaintext client on the TLS port
 * is refused by whichever loop takes it, and the shared `ssl_handshake_errors` counts every
 * refusal; a reload (refresh_certs asked through one loop, then SIGHUP) reaches both loops, so the
 * next handshake on either presents the new certificate; SIGTERM drains both loops and leaves no
 * child process.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TLSSocket } from 'node:tls';
import { askUntil, openSocket } from '../../../../shared/testing/line-client.ts';
import { startPhase, type RunningServer } from '../../../../shared/testing/server-process.ts';
import { makeTestCertificates, type TestCertificates } from '../../../../shared/testing/test-certificates.ts';
import { sClient } from '../../../../shared/testing/openssl-client.ts';
import { openTls, stat, untilClosed, type ClientIdentity } from '../../tls/test/tls-client.ts';
import { logged, loopOf, loopThatLogged, openedPerLoop } from './loop-log.ts';
import { childrenOf } from './server-children.ts';

const T = { timeout: 90_000 };
/** Connections opened until both loops have taken one (the kernel's split is uneven but not one-sided). */
const MAX_CONNECTIONS = 200;
/** How long a refused client's log line may take; one not there by then was throttled (5 lines a second a loop). */
const REFUSAL_LINE_MS = 2000;

let certs: TestCertificates;
let server: RunningServer;
const identity = (): ClientIdentity => ({ ca: certs.caCert });
/** Every TLS client opened (closed by `after`), and the loop that accepted it. */
const clients: { socket: TLSSocket; loop: number }[] = [];

/** Opens TLS connections until one is on each loop; every one is answered before it counts. */
async function onEachLoop(): Promise<TLSSocket[]> {
  const found: TLSSocket[] = [];
  for (let opened = 0; opened < MAX_CONNECTIONS && (found[0] === undefined || found[1] === undefined); opened++) {
    const socket = await openTls(server.port, identity());
    // A reply first: the loop that answered has surely accepted, and logged it.
    assert.equal(await askUntil(socket, 'version\r\n', '\r\n'), 'VERSION 1.6.18-kvlab-phase4\r\n');
    const loop = await loopOf(server, socket.localPort!);
    clients.push({ socket, loop });
    found[loop] ??= socket;
  }
  assert.ok(found[0] && found[1], `both loops took a connection within ${MAX_CONNECTIONS}`);
  return found;
}

/** The organisation in the certificate the server presented: which of the test certificates it is. */
function certificateOf(socket: TLSSocket): string | undefined {
  const organisation = socket.getPeerCertificate().subject?.O;
  return Array.isArray(organisation) ? organisation.join(',') : organisation;
}

before(async () => {
  certs = makeTestCertificates();
  server = await startPhase('phase4', [
    '--threads', '2', '--log-level', 'debug', '--tls-handshake-timeout', '2',
    '-Z', '-o', `ssl_chain_cert=${certs.serverCert},ssl_key=${certs.serverKey},ssl_ca_cert=${certs.caCert}`,
  ]);
});

after(async () => {
  for (const { socket } of clients) socket.destroy();
  await server.stop(20_000);
  certs.remove();
});

test('TLS clients land on both loops, and each loop serves them one store', T, async () => {
  const [zero, one] = await onEachLoop();
  assert.equal(await askUntil(zero!, 'set threads-tls:k 3 0 2\r\nhi\r\n', '\r\n'), 'STORED\r\n');
  assert.equal(await askUntil(one!, 'get threads-tls:k\r\n', 'END\r\n'), 'VALUE threads-tls:k 3 2\r\nhi\r\nEND\r\n');
  assert.equal(zero!.getProtocol(), 'TLSv1.3');
  assert.equal(certificateOf(one!), 'kvlab test server 1');
  assert.match(server.output(), /"threads":2/);
});

test('openssl s_client verifies the server and runs commands on each loop', T, async () => {
  const seen = new Set<number>();
  for (let run = 0; run < MAX_CONNECTIONS && seen.size < 2; run++) {
    const before = openedPerLoop(server);
    const result = await sClient(server.port, ['-CAfile', certs.caCert, '-verify_return_error', '-verify_hostname', 'localhost'], `set threads-tls:s${run} 0 0 2\r\nok\r\nget threads-tls:s${run}\r\nquit\r\n`);
    assert.equal(result.stdout, `STORED\r\nVALUE threads-tls:s${run} 0 2\r\nok\r\nEND\r\n`, result.stderr);
    // Its loop: the one whose count of opened connections grew (s_client's port is not printed).
    await logged(server, () => openedPerLoop(server).some((count, loop) => count > before[loop]!), 's_client\'s connection');
    openedPerLoop(server).forEach((count, loop) => {
      if (count > before[loop]!) seen.add(loop);
    });
  }
  assert.deepEqual([...seen].sort(), [0, 1], 'loops that served s_client');
});

test('a plaintext client on the TLS port is refused by either loop, nothing runs, and every refusal is counted', T, async () => {
  const [zero] = await onEachLoop();
  const before = Number(stat(await askUntil(zero!, 'stats\r\n', 'END\r\n'), 'ssl_handshake_errors'));
  const refusedBy = new Set<number>();
  let attempts = 0;
  while (refusedBy.size < 2 && attempts < MAX_CONNECTIONS) {
    attempts++;
    const plain = await openSocket(server.port);
    const port = plain.localPort!;
    assert.equal(await untilClosed(plain, 'set threads-tls:sneaked 0 0 1\r\nx\r\n'), '');
    const loop = await loopThatLogged(server, 'TLS handshake failed: not TLS', port, REFUSAL_LINE_MS);
    if (loop !== null) refusedBy.add(loop);
  }
  assert.deepEqual([...refusedBy].sort(), [0, 1], `loops that refused a plaintext client, over ${attempts}`);
  assert.equal(await askUntil(zero!, 'get threads-tls:sneaked\r\n', 'END\r\n'), 'END\r\n');
  const stats = await askUntil(zero!, 'stats\r\n', 'END\r\n');
  assert.equal(Number(stat(stats, 'ssl_handshake_errors')), before + attempts, 'ssl_handshake_errors over both loops');
});

test('refresh_certs through one loop, and SIGHUP, reach both loops: the next handshake on each shows the new certificate', T, async () => {
  const [zero, one] = await onEachLoop();
  certs.install(2);
  assert.equal(await askUntil(one!, 'refresh_certs\r\n', '\r\n'), 'OK\r\n');
  // No wait: a handshake begun after the OK uses the new files on whichever loop takes it.
  for (const socket of await onEachLoop()) assert.equal(certificateOf(socket), 'kvlab test server 2');

  certs.install(3);
  process.kill(server.pid, 'SIGHUP');
  await logged(server, (entry) => entry.msg === 'TLS certificates reloaded' && entry.loop === undefined && JSON.stringify(entry).includes('"by":"SIGHUP"'), 'the SIGHUP reload');
  for (const socket of await onEachLoop()) assert.equal(certificateOf(socket), 'kvlab test server 3');
  for (const loop of [0, 1]) {
    await logged(server, (entry) => entry.msg === 'TLS certificates reloaded in this loop' && entry.loop === loop, `loop ${loop} reloading`);
  }
  // Connections opened before the reloads keep their sessions.
  assert.equal(await askUntil(zero!, 'get threads-tls:k\r\n', 'END\r\n'), 'VALUE threads-tls:k 3 2\r\nhi\r\nEND\r\n');
  assert.ok(Number(stat(await askUntil(one!, 'stats\r\n', 'END\r\n'), 'time_since_server_cert_refresh')) <= 5);
});

test('SIGTERM drains both loops, exits 0, and no child process is left', T, async () => {
  assert.deepEqual(childrenOf(server.pid), [], 'children of the server');
  // Clients are still open on both loops: each loop drains its own.
  assert.deepEqual([...new Set(clients.map((client) => client.loop))].sort(), [0, 1]);
  assert.equal(await server.stop(20_000), 0);
  assert.match(server.output(), /shut down: [1-9]\d* connections drained, 0 forced/);
});
