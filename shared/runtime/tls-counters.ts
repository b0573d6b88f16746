/**
 * memcached's TLS counters in a SharedArrayBuffer: failed handshakes and new sessions, counted on
 * the loop thread that owns the listener and read by whichever thread answers `stats`; and when
 * the certificates were last loaded (`time_since_server_cert_refresh`). `stats reset` zeroes the
 * two counters, as memcached's zeroes its whole stats struct; the load time describes the present.
 * @module
 */

/** BigInt64 slots: counted with Atomics, so a reader on another thread never sees a torn value. */
const HANDSHAKE_ERRORS = 0;
const NEW_SESSIONS = 1;
/** Unix ms of the last certificate load; one writer, the loop thread. */
const LOADED_AT = 2;
const SLOTS = 3;

/** The counters, attached to one buffer from any thread. */
export class TlsCounters {
  private readonly words: BigInt64Array;

  /** New counters, or attached to `buffer` made by another thread. */
  constructor(readonly buffer = new SharedArrayBuffer(SLOTS * 8)) {
    this.words = new BigInt64Array(buffer, 0, SLOTS);
  }

  /** A handshake that failed or timed out, or a plaintext client on the TLS port (`ssl_handshake_errors`). */
  handshakeFailed(): void {
    Atomics.add(this.words, HANDSHAKE_ERRORS, 1n);
  }

  /** A session negotiated in full, not resumed (`ssl_new_sessions`). */
  sessionCreated(): void {
    Atomics.add(this.words, NEW_SESSIONS, 1n);
  }

  /** The certificates were loaded now (at start, by refresh_certs or SIGHUP). */
  certificatesLoaded(atMs = Date.now()): void {
    Atomics.store(this.words, LOADED_AT, BigInt(atMs));
  }

  get handshakeErrors(): number {
    return Number(Atomics.load(this.words, HANDSHAKE_ERRORS));
  }

  get newSessions(): number {
    return Number(Atomics.load(this.words, NEW_SESSIONS));
  }

  /** Unix ms of the last certificate load (0: never). */
  get loadedAtMs(): number {
    return Number(Atomics.load(this.words, LOADED_AT));
  }

  /** `stats reset`. */
  reset(): void {
    Atomics.store(this.words, HANDSHAKE_ERRORS, 0n);
    Atomics.store(this.words, NEW_SESSIONS, 0n);
  }
}
