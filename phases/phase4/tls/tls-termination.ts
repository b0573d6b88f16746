/**
 * TLS termination, the part phase 4 composes onto phase 3: it loads the certificates, makes the
 * TLS listener (and the optional plaintext listener beside it, which hands its sockets to the same
 * connection layer), answers `refresh_certs` from every thread through a loop call, reloads the
 * certificates on SIGHUP, and tells `stats settings` what memcached tells about its TLS.
 *
 * A reload swaps the listener's secure context: handshakes from then on use the new certificate,
 * while connections already open keep the session they negotiated — nothing is dropped.
 *
 * With `--threads N` the listeners live in the loop threads (loop-tls.ts): this thread still
 * checks the files at start and on each reload, keeps the shared counters and answers
 * refresh_certs, and a reload that loads here is passed on to every loop (a shared reload counter,
 * and a message to each loop).
 * @module
 */
import { createServer as createPlainServer, type Server as NetServer, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { ERRORS } from '../../../shared/protocol/errors.ts';
import type { CertRefreshFailure, Stat } from '../../../shared/protocol/server-info.ts';
import { LoopCall, LoopCallServer } from '../../../shared/runtime/loop-call.ts';
import type { ServerFactory } from '../../../shared/runtime/tcp-listener.ts';
import { formatAddress, type Closable } from '../../../shared/runtime/run-server.ts';
import { TlsCounters } from '../../../shared/runtime/tls-counters.ts';
import { encodeCertRefresh, type TlsFacts } from '../../../shared/runtime/tls-facts.ts';
import type { Phase4Options } from '../config/phase4-config.ts';
import { loadCertificates, type CertificatePaths } from './certificate-files.ts';
import { CertificateGeneration } from './certificate-generation.ts';
import type { LoopTlsSetup } from './loop-tls.ts';
import { tlsServerFactory, type TlsListenerHandle } from './tls-listener.ts';

/**
 * memcached's `ssl_verify_mode` stat is the OpenSSL flag word its mode sets: PEER (1),
 * | FAIL_IF_NO_PEER_CERT (2), | CLIENT_ONCE (4).
 */
const VERIFY_FLAGS = [0, 1, 3, 7] as const;
/** memcached's `ssl_wbuf_size` (16 KB, its default): Node's TLS records are at most 16 KB too. */
const WRITE_BUFFER_BYTES = 16 * 1024;
/** memcached's `ssl_keyformat` for PEM (OpenSSL's SSL_FILETYPE_PEM), the only format read here. */
const KEY_FORMAT_PEM = 1;

/** Why the server does not start: the certificates as configured do not load. */
export class TlsStartError extends Error {
  readonly code = 'TLS_START';
}

/** Phase 4's TLS part. */
export class TlsTermination {
  readonly counters = new TlsCounters();
  /** What every thread that answers commands knows (stats lines, refresh_certs). */
  readonly facts: TlsFacts;
  /** The TLS listener's factory; undefined when the listener is plaintext. */
  readonly createServer: ServerFactory | undefined;
  private readonly paths: CertificatePaths | null;
  /** Answers refresh_certs from the ring workers; none when the listener is plaintext (they refuse it themselves). */
  private readonly loop: LoopCallServer | null;
  private listener: TlsListenerHandle | null = null;
  private onConnection: ((socket: Socket) => void) | null = null;
  private plain: NetServer | null = null;
  private plainBound: { host: string; port: number } | null = null;
  /** With `--threads N`: what each loop thread builds its TLS listener from; null otherwise. */
  readonly inLoops: LoopTlsSetup | null = null;
  /** With `--threads N`: bumped by each reload, so every loop applies it before its next handshake. */
  private readonly generation: CertificateGeneration | null = null;
  /** With `--threads N`: tells every loop to apply a reload now (set once the loops run). */
  private tellLoops: (() => void) | null = null;

  private constructor(private readonly options: Phase4Options, private readonly log: Logger) {
    const refresh = LoopCall.createBuffer();
    this.facts = { enabled: options.tls, sessionCache: options['tls-session-cache'], refresh, counters: this.counters.buffer };
    const chainCert = options['tls-chain-cert'];
    this.paths = options.tls && chainCert !== null ? { chainCert, key: options['tls-key'], caCert: options['tls-ca-cert'] } : null;
    if (this.paths === null) {
      this.createServer = undefined;
      this.loop = null;
      return;
    }
    const loaded = loadCertificates(this.paths);
    if (!loaded.ok) {
      this.loop = null;
      throw new TlsStartError(`${ERRORS[loaded.failure.code].text} ${loaded.failure.detail}`);
    }
    this.counters.certificatesLoaded();
    this.loop = new LoopCallServer(refresh, () => encodeCertRefresh(this.refresh('refresh_certs')));
    const negotiation = {
      verifyMode: options['tls-verify-mode'],
      minVersion: options['tls-min-version'],
      sessionCache: options['tls-session-cache'],
      handshakeTimeoutMs: options['tls-handshake-timeout'] * 1000,
      // Each loop bounds its own handshakes by -c, as one listener does alone.
      maxHandshakes: options['max-connections'],
    };
    if (options.threads > 1) {
      // No listener here: each loop thread makes its own from these, and this thread's reloads reach them.
      this.generation = new CertificateGeneration();
      this.inLoops = { ...negotiation, paths: this.paths, counters: this.counters.buffer, generation: this.generation.buffer };
      this.createServer = undefined;
      return;
    }
    const factory = tlsServerFactory({ ...negotiation, context: loaded.context, counters: this.counters, log }, (server) => {
      this.listener = server;
    });
    this.createServer = (onConnection) => {
      this.onConnection = onConnection;
      return factory(onConnection);
    };
  }

  /** Loads the certificates for a server that serves TLS; throws {@link TlsStartError} if they do not load. */
  static create(options: Phase4Options, log: Logger): TlsTermination {
    return new TlsTermination(options, log);
  }

  /** `stats settings`' TLS lines, with memcached's names and words. */
  settings(): Stat[] {
    const { options } = this;
    return [
      ['ssl_enabled', options.tls ? 'yes' : 'no'],
      // memcached prints a missing path with C's "(null)" here and "NULL" for the CA.
      ['ssl_chain_cert', options['tls-chain-cert'] ?? '(null)'],
      ['ssl_key', options['tls-key'] ?? '(null)'],
      ['ssl_verify_mode', VERIFY_FLAGS[options['tls-verify-mode']] ?? 0],
      ['ssl_keyformat', KEY_FORMAT_PEM],
      ['ssl_ciphers', 'NULL'],
      ['ssl_ca_cert', options['tls-ca-cert'] ?? 'NULL'],
      ['ssl_wbuf_size', WRITE_BUFFER_BYTES],
      ['ssl_session_cache', options['tls-session-cache'] ? 'yes' : 'no'],
      ['ssl_kernel_tls', 'no'],
      ['ssl_min_version', options['tls-min-version']],
    ];
  }

  /**
   * Loads the certificate files again and, when they load, gives the listener the new context
   * (refresh_certs, SIGHUP). Returns null on success, else why — the old certificates stay.
   */
  refresh(why: 'refresh_certs' | 'SIGHUP'): CertRefreshFailure {
    if (this.paths === null || (this.listener === null && this.generation === null)) return { code: 'TLS_NOT_ENABLED', detail: '' };
    const loaded = loadCertificates(this.paths);
    if (!loaded.ok) {
      this.log.error({ by: why }, `TLS certificates not reloaded, the loaded ones stay: ${ERRORS[loaded.failure.code].text} ${loaded.failure.detail}`);
      return loaded.failure;
    }
    if (this.generation !== null) {
      // Bumped before the answer goes back: no loop starts a handshake with the old files after it.
      this.generation.bump();
      this.tellLoops?.();
    } else {
      this.listener?.setSecureContext(loaded.context);
    }
    this.counters.certificatesLoaded();
    this.log.info({ by: why }, 'TLS certificates reloaded');
    return null;
  }

  /** Whether the server serves TLS (on this thread's listener or in the loop threads). */
  get serves(): boolean {
    return this.paths !== null;
  }

  /** With `--threads N`, once the loops run: how to tell every loop to apply a reload now. */
  reachLoops(tell: () => void): void {
    this.tellLoops = tell;
  }

  /** What the ready line says of TLS: `TLS`, and where plaintext is served beside it. */
  readyDetails(): string[] {
    if (!this.serves) return [];
    return this.plainBound === null ? ['TLS'] : ['TLS', `plaintext on ${formatAddress(this.plainBound)}`];
  }

  /** Where the plaintext listener beside the TLS one listens; null without one. */
  get plainAddress(): { host: string; port: number } | null {
    return this.plainBound;
  }

  /**
   * Once `server` listens: starts the plaintext listener beside it when `--plain-port` asks for
   * one; if that cannot listen, `server` is closed and the error thrown, so nothing half-starts.
   */
  async listenBeside(server: Closable, options: Phase4Options, log: Pick<Logger, 'info'>): Promise<void> {
    const port = options['plain-port'];
    if (port === null || !options.tls) return;
    try {
      this.plainBound = await this.listenPlain(options.host, port);
    } catch (error) {
      await server.close();
      this.close();
      throw error;
    }
    log.info({ plaintext: this.plainBound }, 'plaintext listener beside the TLS one');
  }

  /** Serves plaintext on `port` beside the TLS listener (call once the TLS listener listens). */
  private async listenPlain(host: string, port: number): Promise<{ host: string; port: number }> {
    const onConnection = this.onConnection;
    if (onConnection === null) throw new Error('listenPlain: the TLS listener is not made yet');
    const plain = createPlainServer(onConnection);
    plain.on('error', (error) => this.log.error({ err: error }, 'plaintext listener error'));
    await new Promise<void>((resolve, reject) => {
      plain.once('error', reject);
      plain.listen({ host, port }, () => {
        plain.off('error', reject);
        resolve();
      });
    });
    this.plain = plain;
    // It stops accepting with the TLS listener, so a shutdown stops both at once.
    if (this.listener !== null) this.listener.companion = plain;
    const bound = plain.address();
    return typeof bound === 'object' && bound !== null ? { host: bound.address, port: bound.port } : { host, port };
  }

  /** Stops answering refresh_certs and closes the plaintext listener (the TLS one closes with the server). */
  close(): void {
    this.loop?.stop();
    this.plain?.close();
  }
}
