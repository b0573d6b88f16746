/**
 * Which load of the certificate files is current, as one counter in a SharedArrayBuffer: with
 * `--threads N` every loop thread has a TLS listener of its own, and a reload (refresh_certs,
 * SIGHUP) on the main thread bumps this counter once the files have loaded there. A loop compares
 * it with the load it applied before each handshake starts, so no handshake after a reload's
 * answer uses the certificates from before it, whichever loop accepted the socket.
 * @module
 */

/** Int32 slot 0: the number of successful reloads since start (one writer, the main thread). */
const GENERATION = 0;

/** The counter, attached to one buffer from any thread. */
export class CertificateGeneration {
  private readonly words: Int32Array;

  /** A new counter at 0, or attached to `buffer` made by another thread. */
  constructor(readonly buffer = new SharedArrayBuffer(4)) {
    this.words = new Int32Array(buffer, 0, 1);
  }

  /** The current load. Seq-cst: read after a reload's bump, it shows that bump. */
  get current(): number {
    return Atomics.load(this.words, GENERATION);
  }

  /** The files loaded again: every loop is to load them too before its next handshake. */
  bump(): void {
    Atomics.add(this.words, GENERATION, 1);
  }
}
