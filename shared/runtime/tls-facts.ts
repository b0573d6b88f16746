/**
 * What every thread that answers commands knows about the server's TLS: whether the listener
 * serves it, whether sessions are cached (which decides memcached's `stats` lines), its shared
 * counters, and the channel through which `refresh_certs` asks the loop thread — the owner of the
 * listener and its certificates — to load the certificate files again. Plain data and shared
 * buffers, so it travels to ring workers.
 * @module
 */
import { ERRORS, type ErrorCode } from '../protocol/errors.ts';
import type { CertRefreshFailure } from '../protocol/server-info.ts';
import { LoopCall } from './loop-call.ts';

/** TLS as the executors see it. */
export interface TlsFacts {
  /** The listener serves TLS (memcached's `-Z`). */
  readonly enabled: boolean;
  /** TLS sessions may be resumed, and new ones are counted (`ssl_session_cache`). */
  readonly sessionCache: boolean;
  /** A {@link LoopCall} buffer the loop thread answers `refresh_certs` on. */
  readonly refresh: SharedArrayBuffer;
  /** The buffer of the TLS counters (tls-counters.ts). */
  readonly counters: SharedArrayBuffer;
}

/** How a refresh's outcome crosses threads: empty for success, else `CODE detail`. */
export function encodeCertRefresh(failure: CertRefreshFailure): string {
  return failure === null ? '' : `${failure.code} ${failure.detail}`;
}

/** The reverse of {@link encodeCertRefresh}; a missing answer (a call that timed out) is an internal error. */
export function decodeCertRefresh(answer: string | null): CertRefreshFailure {
  if (answer === null) return { code: 'INTERNAL', detail: '' };
  if (answer === '') return null;
  const space = answer.indexOf(' ');
  const code = space === -1 ? answer : answer.slice(0, space);
  // Only a code of the catalogue goes on the wire; anything else is the server's own fault.
  if (!Object.hasOwn(ERRORS, code)) return { code: 'INTERNAL', detail: '' };
  return { code: code as ErrorCode, detail: space === -1 ? '' : answer.slice(space + 1) };
}

const NOT_ENABLED: CertRefreshFailure = Object.freeze({ code: 'TLS_NOT_ENABLED', detail: '' });

/** `refresh_certs` for a thread that answers commands: asks the loop thread, or refuses without TLS. */
export function certRefreshFromLoop(tls: TlsFacts): () => CertRefreshFailure {
  if (!tls.enabled) return () => NOT_ENABLED;
  const call = new LoopCall(tls.refresh);
  return () => decodeCertRefresh(call.call());
}
