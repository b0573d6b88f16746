/**
 * TLS in one of `--threads N`'s loop threads: the loop builds its own TLS listener (a secure
 * context cannot cross threads) from the same certificate files the main thread checked at start,
 * counts into the one set of shared TLS counters, and catches up with a reload the main thread
 * made — when the main thread tells it, and in any case before the next handshake it starts
 * (see certificate-generation.ts), so a reload reaches every loop.
 * @module
 */
import type { Logger } from 'pino';
import type { ServerFactory } from '../../../shared/runtime/tcp-listener.ts';
import { TlsCounters } from '../../../shared/runtime/tls-counters.ts';
import { ERRORS } from '../../../shared/protocol/errors.ts';
import type { TlsVersionName } from '../config/tls-options.ts';
import { loadCertificates, type CertificatePaths } from './certificate-files.ts';
import { CertificateGeneration } from './certificate-generation.ts';
import { tlsServerFactory, type TlsListenerHandle } from './tls-listener.ts';

/** What a loop thread is given to serve TLS: plain data and shared buffers (it travels by structured clone). */
export interface LoopTlsSetup {
  readonly paths: CertificatePaths;
  readonly verifyMode: number;
  readonly minVersion: TlsVersionName;
  readonly sessionCache: boolean;
  readonly handshakeTimeoutMs: number;
  readonly maxHandshakes: number;
  /** The TLS counters' buffer (tls-counters.ts), the same in every loop and on the main thread. */
  readonly counters: SharedArrayBuffer;
  /** The reload counter's buffer (certificate-generation.ts). */
  readonly generation: SharedArrayBuffer;
}

/** One loop's TLS listener and the certificates it has applied. */
export class LoopTls {
  /** Makes this loop's TLS listener (give it to composeServer). */
  readonly createServer: ServerFactory;
  private readonly generation: CertificateGeneration;
  /** The reload this loop's listener serves. */
  private applied: number;
  private listener: TlsListenerHandle | null = null;

  /** Loads the certificates; throws if they do not load (the main thread loaded them a moment ago). */
  constructor(private readonly setup: LoopTlsSetup, private readonly log: Logger) {
    this.generation = new CertificateGeneration(setup.generation);
    // Read before the files: a reload that lands while they are read is applied at the next handshake.
    this.applied = this.generation.current;
    const loaded = loadCertificates(setup.paths);
    if (!loaded.ok) throw new Error(`${ERRORS[loaded.failure.code].text} ${loaded.failure.detail}`);
    const factory = tlsServerFactory({ ...setup, context: loaded.context, counters: new TlsCounters(setup.counters), log }, (server) => {
      this.listener = server;
    });
    this.createServer = (onConnection) => {
      const server = factory(onConnection);
      // Before Node's own 'connection' listener, which starts the handshake with the context it
      // holds at that moment: a reload not yet applied here is applied first.
      server.prependListener('connection', () => this.catchUp());
      return server;
    };
  }

  /** Applies a reload the main thread made, if this loop has not yet; a load that fails keeps the old certificates. */
  catchUp(): void {
    const current = this.generation.current;
    if (current === this.applied || this.listener === null) return;
    // Marked first: a load that fails is logged once, not at every handshake until the next reload.
    this.applied = current;
    const loaded = loadCertificates(this.setup.paths);
    if (!loaded.ok) {
      this.log.error(`TLS certificates not reloaded in this loop, its loaded ones stay: ${ERRORS[loaded.failure.code].text} ${loaded.failure.detail}`);
      return;
    }
    this.listener.setSecureContext(loaded.context);
    this.log.info({ reload: current }, 'TLS certificates reloaded in this loop');
  }
}
