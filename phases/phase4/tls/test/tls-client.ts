/**
 * The client side of the TLS tests, with Node's `tls.connect` (a client library, memcache-client,
 * is in tls-client-library.test.ts): connect with or without a client certificate and learn
 * whether the server let the client in — a refused client sees its
 * connection end without a reply, as soon as the server has judged its certificate.
 */
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { REPLY_TIMEOUT_MS } from '../../../../shared/testing/line-client.ts';
import type { RunningServer } from '../../../../shared/testing/server-process.ts';

/** Who the client is and whom it trusts. */
export interface ClientIdentity {
  /** The CA the server's certificate must chain to. */
  readonly ca: string;
  readonly cert?: string;
  readonly key?: string;
  /** The newest protocol the client offers (default: Node's, TLS 1.3). */
  readonly maxVersion?: 'TLSv1.2' | 'TLSv1.3';
}

/** Opens a verified TLS connection to 127.0.0.1:`port` (the server's name checked as localhost). */
export async function openTls(port: number, identity: ClientIdentity): Promise<TLSSocket> {
  const socket = connectTls({
    host: '127.0.0.1',
    port,
    servername: 'localhost',
    ca: readFileSync(identity.ca),
    ...(identity.cert ? { cert: readFileSync(identity.cert) } : {}),
    ...(identity.key ? { key: readFileSync(identity.key) } : {}),
    ...(identity.maxVersion ? { maxVersion: identity.maxVersion } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no TLS handshake within the timeout')), REPLY_TIMEOUT_MS);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('error', (error: Error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  socket.on('error', () => undefined);
  return socket;
}

/**
 * Sends `request` and collects everything until the server closes the connection; rejects if it
 * stays open past the timeout. What a refused or hung-up client got is then in the result.
 */
export function untilClosed(socket: Socket, request: string | null, timeoutMs = REPLY_TIMEOUT_MS): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    const timer = setTimeout(() => reject(new Error(`still open after ${timeoutMs} ms; got ${JSON.stringify(received)}`)), timeoutMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
    socket.on('error', () => undefined);
    if (request !== null) socket.write(request);
  });
}

/**
 * Whether the server turned the client away: a failed handshake, or — TLS 1.3 finishes the
 * client's side before the server has judged its certificate — a close with no reply to a
 * request. A reply means the client was let in.
 */
export async function refused(port: number, identity: ClientIdentity): Promise<boolean> {
  let socket: TLSSocket;
  try {
    socket = await openTls(port, identity);
  } catch {
    return true;
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('neither a reply nor a close within the timeout')), REPLY_TIMEOUT_MS);
    const settle = (wasRefused: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(wasRefused);
    };
    socket.once('data', () => settle(false));
    socket.once('close', () => settle(true));
    socket.write('version\r\n');
  });
}

/** One statistic from a `stats` (or `stats settings`) reply. */
export function stat(reply: string, name: string): string | undefined {
  return new RegExp(`^STAT ${name} (.*)\r$`, 'm').exec(reply)?.[1];
}

/** Waits, bounded, until the server's output matches: the only signal another process gives. */
export async function outputMatches(server: RunningServer, pattern: RegExp, withinMs = REPLY_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!pattern.test(server.output())) {
    if (Date.now() >= deadline) throw new Error(`the server never printed ${pattern}; its output ends: ${server.output().slice(-500)}`);
    // The output of another process: polled, there is no event to wait for.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
