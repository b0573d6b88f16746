/**
 * Certificates made at test time with the openssl command, in a temporary folder removed by
 * `remove()`: a test CA, server certificates for localhost signed by it, a client certificate
 * signed by it, and a self-signed "rogue" client certificate no server here trusts. EC P-256
 * keys, because they are made in milliseconds. No private key is ever committed.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where openssl is on Debian. */
export const OPENSSL = '/usr/bin/openssl';

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A folder of test certificates. */
export interface TestCertificates {
  readonly dir: string;
  readonly caCert: string;
  /** The files the server is started with; {@link TestCertificates.install} replaces their contents. */
  readonly serverCert: string;
  readonly serverKey: string;
  /** A client certificate and key signed by the CA. */
  readonly clientCert: string;
  readonly clientKey: string;
  /** A self-signed client certificate and key. */
  readonly rogueCert: string;
  readonly rogueKey: string;
  /** Makes server certificate number `n` (n ≥ 1, each with its own key) and copies it over the server's files. */
  install(n: number): void;
  /** Writes `text` over the server's key file (to test a reload that fails). */
  breakKey(text: string): void;
  /** Lets every user read the folder and its files: memcached reads them as `nobody`. */
  shareWithAll(): void;
  /** Deletes the folder and everything in it. */
  remove(): void;
}

function openssl(dir: string, args: string[]): void {
  execFileSync(OPENSSL, args, { cwd: dir, stdio: 'pipe', timeout: 10_000 });
}

/** Makes the CA, the first server certificate and both client certificates. */
export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'kvlab-tls-'));
  const at = (name: string) => join(dir, name);
  writeFileSync(at('server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl(dir, ['req', '-x509', ...EC_KEY, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=kvlab test CA']);
  const signed = (name: string, subject: string, extensions: string[]) => {
    openssl(dir, ['req', ...EC_KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject]);
    openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', ...extensions]);
  };
  signed('client', '/CN=kvlab test client', []);
  openssl(dir, ['req', '-x509', ...EC_KEY, '-keyout', 'rogue.key', '-out', 'rogue.pem', '-days', '2', '-subj', '/CN=rogue client']);
  const certificates: TestCertificates = {
    dir,
    caCert: at('ca.pem'),
    serverCert: at('server.pem'),
    serverKey: at('server.key'),
    clientCert: at('client.pem'),
    clientKey: at('client.key'),
    rogueCert: at('rogue.pem'),
    rogueKey: at('rogue.key'),
    install(n) {
      signed(`server-${n}`, `/CN=localhost/O=kvlab test server ${n}`, ['-extfile', 'server.ext']);
      copyFileSync(at(`server-${n}.pem`), at('server.pem'));
      copyFileSync(at(`server-${n}.key`), at('server.key'));
    },
    breakKey(text) {
      writeFileSync(at('server.key'), text);
    },
    shareWithAll() {
      chmodSync(dir, 0o755);
      for (const name of readdirSync(dir)) chmodSync(at(name), 0o644);
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  certificates.install(1);
  return certificates;
}
