/**
 * The TLS listener: a server factory (see tcp-listener.ts) whose sockets reach the connection
 * layer only once their handshake has finished — decrypted, so every layer above reads plain
 * memcached bytes and knows nothing of TLS. A socket that fails its handshake (a plaintext client,
 * a bad or missing client certificate, a handshake cut off) or does not finish it within the
 * timeout is destroyed, counted as memcached's `ssl_handshake_errors` and logged a few times a
 * second at most; it never took a connection slot, so silent clients cannot crowd honest ones out,
 * and no more than the connection limit of them wait in their handshake at once.
 *
 * Client certificates follow memcached's `ssl_verify_mode`: asked for from mode 1; in mode 1 one
 * that is sent must verify; from mode 2 a client without a valid one is refused. Node completes
 * the handshake before it judges a certificate, so the verdict is given here, right after it.
 * @module
 */
import type { Server as NetServer, Socket } from 'node:net';
import { constants } from 'node:crypto';
import { Server, type SecureContextOptions, type TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import type { ServerFactory } from '../../../shared/runtime/tcp-listener.ts';
import { LogThrottle } from '../../../shared/runtime/log-throttle.ts';
import type { TlsCounters } from '../../../shared/runtime/tls-counters.ts';
import { VERIFY_MODES, type TlsVersionName } from '../config/tls-options.ts';

/** A handful of lines a second show what is wrong; a flood of bad handshakes must not flood the log. */
export const MAX_HANDSHAKE_LOG_LINES_PER_SECOND = 5;

/** Node's names for memcached's ssl_min_version words. */
const NODE_VERSIONS = { 'tlsv1.0': 'TLSv1', 'tlsv1.1': 'TLSv1.1', 'tlsv1.2': 'TLSv1.2', 'tlsv1.3': 'TLSv1.3' } as const;

/** How the listener negotiates. */
export interface TlsListenerSettings {
  /** The certificates (see certificate-files.ts); replaced later through the {@link TlsListenerHandle}. */
  readonly context: SecureContextOptions;
  /** memcached's ssl_verify_mode, 0 … 3. */
  readonly verifyMode: number;
  readonly minVersion: TlsVersionName;
  /** Resumable sessions (tickets), each full handshake counted as a new session. */
  readonly sessionCache: boolean;
  readonly handshakeTimeoutMs: number;
  /**
   * At most this many sockets in their handshake at once (the connection limit): past it a new
   * socket is closed at once, so a flood of silent sockets cannot take every file descriptor
   * while it waits out the timeout.
   */
  readonly maxHandshakes: number;
  readonly counters: TlsCounters;
  readonly log: Pick<Logger, 'warn'>;
}

/** What the owner of a TLS listener may change on it while it runs. */
export interface TlsListenerHandle {
  /** New certificates for the handshakes from now on (see certificate-files.ts). */
  setSecureContext(context: SecureContextOptions): void;
  /** A plaintext listener beside this one: it stops accepting when this one does. */
  companion: NetServer | null;
}

/**
 * Node's TLS server, plus what a graceful shutdown needs: sockets still in their handshake are
 * not connections yet — nobody drains them — so closing the server destroys them at once
 * instead of letting the close wait out their timeout; and a plaintext listener beside it stops
 * accepting at the same moment.
 */
class TlsListenerServer extends Server implements TlsListenerHandle {
  /** Raw sockets whose handshake has not finished, by peer address (unique while open). */
  readonly handshaking = new Map<string, Socket>();
  /** The plaintext listener beside this one, if any. */
  companion: NetServer | null = null;

  override close(callback?: (error?: Error) => void): this {
    for (const socket of this.handshaking.values()) socket.destroy();
    this.handshaking.clear();
    this.companion?.close();
    return super.close(callback);
  }
}

/** The peer of a socket, as a key: the TLS socket reports its raw socket's address. */
function peerKey(socket: Socket): string {
  return `${socket.remoteAddress}|${socket.remotePort}`;
}

/** OpenSSL's plaintext-client errors: the first bytes were a memcached command (or HTTP), not a ClientHello. */
const PLAINTEXT_CODES = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_HTTP_REQUEST', 'ERR_SSL_UNKNOWN_PROTOCOL']);

/** A failed handshake in a few words: OpenSSL's reason without its file and line. */
function handshakeProblem(error: Error & { code?: string; reason?: string }): string {
  if (error.code === 'ERR_TLS_HANDSHAKE_TIMEOUT') return 'no handshake within the timeout';
  if (error.code !== undefined && PLAINTEXT_CODES.has(error.code)) return `not TLS, a plaintext client? (${error.reason ?? error.code})`;
  return error.reason ?? error.message.split('\n')[0]!;
}

/** Makes TLS listeners; `created` is told of each, so its certificates can be replaced. */
export function tlsServerFactory(settings: TlsListenerSettings, created: (listener: TlsListenerHandle) => void): ServerFactory {
  const { counters, log, verifyMode } = settings;
  const throttle = new LogThrottle(MAX_HANDSHAKE_LOG_LINES_PER_SECOND);
  const refuse = (socket: TLSSocket, why: string, code: string | undefined): void => {
    counters.handshakeFailed();
    const { write, suppressed } = throttle.allow();
    // The peer is read before the socket is destroyed: afterwards it has no address.
    const peer = write ? `${socket.remoteAddress}:${socket.remotePort}` : '';
    socket.destroy();
    if (!write) return;
    log.warn({ peer, code, suppressed }, suppressed > 0 ? `TLS handshake failed: ${why} (and ${suppressed} more not logged)` : `TLS handshake failed: ${why}`);
  };
  return (onConnection) => {
    const server = new TlsListenerServer({
      ...settings.context,
      minVersion: NODE_VERSIONS[settings.minVersion],
      // The verdict on a client certificate is given below, after the handshake, in every mode.
      requestCert: verifyMode >= VERIFY_MODES.request,
      rejectUnauthorized: false,
      handshakeTimeout: settings.handshakeTimeoutMs,
      // Without the session cache, as in memcached, every connection negotiates in full.
      ...(settings.sessionCache ? {} : { secureOptions: constants.SSL_OP_NO_TICKET }),
    });
    server.on('connection', (raw: Socket) => {
      if (server.handshaking.size >= settings.maxHandshakes) {
        counters.handshakeFailed();
        raw.destroy();
        return;
      }
      const key = peerKey(raw);
      server.handshaking.set(key, raw);
      raw.once('close', () => {
        if (server.handshaking.get(key) === raw) server.handshaking.delete(key);
      });
    });
    server.on('tlsClientError', (error: Error & { code?: string; reason?: string }, socket: TLSSocket) => {
      server.handshaking.delete(peerKey(socket));
      refuse(socket, handshakeProblem(error), error.code);
    });
    server.on('secureConnection', (socket: TLSSocket) => {
      server.handshaking.delete(peerKey(socket));
      if (verifyMode >= VERIFY_MODES.request && !socket.authorized) {
        // Mode 1 lets a client without a certificate in; a certificate sent must still verify.
        const sent = Object.keys(socket.getPeerCertificate()).length > 0;
        if (verifyMode >= VERIFY_MODES.require || sent) {
          refuse(socket, sent ? `client certificate not accepted (${String(socket.authorizationError)})` : 'no client certificate', String(socket.authorizationError));
          return;
        }
      }
      if (settings.sessionCache && !socket.isSessionReused()) counters.sessionCreated();
      onConnection(socket);
    });
    created(server);
    return server;
  };
}
