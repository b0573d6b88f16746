/**
 * Loads the TLS listener's certificate chain, private key and CA certificates from their files,
 * in memcached's order and with its error words: each file is read and parsed on its own, so an
 * error names the file that is wrong (`Error loading the key: /etc/kvlab/key.pem : …`), and a key
 * that does not belong to the certificate is an error of the key, as memcached words it. The
 * result is what a TLS context is built from; nothing is kept open, so loading again
 * (refresh_certs, SIGHUP) picks up files replaced in place.
 * @module
 */
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import type { CertRefreshFailure } from '../../../shared/protocol/server-info.ts';
import type { ErrorCode } from '../../../shared/protocol/errors.ts';

/** Where the certificates are (memcached's ssl_chain_cert, ssl_key, ssl_ca_cert). */
export interface CertificatePaths {
  readonly chainCert: string;
  /** The private key; null when it is in the chain file, as memcached allows. */
  readonly key: string | null;
  /** The CAs client certificates are verified against; null for none. */
  readonly caCert: string | null;
}

/** The files' contents, ready for a TLS context; or why they are not. */
export type LoadedCertificates =
  | { readonly ok: true; readonly context: SecureContextOptions }
  | { readonly ok: false; readonly failure: NonNullable<CertRefreshFailure> };

/** A PEM certificate block; a CA file with none of them holds no CA. */
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Error text on one line: it ends a protocol reply. */
function reason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/[\r\n]+/g, ' ');
}

function failed(code: ErrorCode, detail: string): LoadedCertificates {
  return { ok: false, failure: { code, detail } };
}

/** Reads a file; the error names it the way memcached does (`<path> : <reason>`). */
function read(path: string): { text: string } | { error: string } {
  try {
    return { text: readFileSync(path, 'utf8') };
  } catch (error) {
    return { error: `${path} : ${reason(error)}` };
  }
}

/** Parses one part alone, so a fault is put on the file it is in. */
function parses(options: SecureContextOptions): string | null {
  try {
    createSecureContext(options);
    return null;
  } catch (error) {
    return reason(error);
  }
}

/** Every certificate in a CA file must parse, and there must be one. */
function caProblem(text: string): string | null {
  const blocks = text.match(PEM_CERTIFICATE);
  if (blocks === null) return 'no certificate in the file';
  try {
    for (const block of blocks) new X509Certificate(block);
    return null;
  } catch (error) {
    return reason(error);
  }
}

/** Loads and checks every file; reads them again on each call. */
export function loadCertificates(paths: CertificatePaths): LoadedCertificates {
  const chain = read(paths.chainCert);
  if ('error' in chain) return failed('TLS_CHAIN_CERT', chain.error);
  const chainProblem = parses({ cert: chain.text });
  if (chainProblem !== null) return failed('TLS_CHAIN_CERT', `${paths.chainCert} : ${chainProblem}`);

  const keyPath = paths.key ?? paths.chainCert;
  const key = paths.key === null ? chain : read(paths.key);
  if ('error' in key) return failed('TLS_KEY', key.error);
  const keyProblem = parses({ key: key.text });
  if (keyProblem !== null) return failed('TLS_KEY', `${keyPath} : ${keyProblem}`);

  // memcached loads the key against the certificate, so a key of another certificate is a key error.
  const pairProblem = parses({ cert: chain.text, key: key.text });
  if (pairProblem !== null) return failed('TLS_KEY', `${keyPath} : ${pairProblem}`);

  if (paths.caCert === null) return { ok: true, context: { cert: chain.text, key: key.text } };
  const ca = read(paths.caCert);
  if ('error' in ca) return failed('TLS_CA_CERT', ca.error);
  const problem = caProblem(ca.text);
  if (problem !== null) return failed('TLS_CA_CERT', `${paths.caCert} : ${problem}`);
  return { ok: true, context: { cert: chain.text, key: key.text, ca: ca.text } };
}
