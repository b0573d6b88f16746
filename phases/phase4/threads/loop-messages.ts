/**
 * What the main thread and a loop thread say to each other (postMessage, structured clone): the
 * main thread asks for a graceful shutdown or an immediate close, and tells of a reload (the TLS
 * certificates, the users files) that every loop must apply; the loop says it listens, and how
 * its stop went.
 * @module
 */
import type { ShutdownSummary } from '../../../shared/runtime/shutdown-parts.ts';

/** From the main thread to a loop. */
export type LoopRequest =
  /** Stop accepting, drain this loop's connections, force what is left after `timeoutMs`. */
  | { readonly kind: 'shutdown'; readonly timeoutMs: number }
  /** Stop accepting and destroy every connection now (a second signal, a test's cleanup). */
  | { readonly kind: 'close' }
  /** A notice, answered by no report: the files named by kind were loaded again on the main thread; load them here too. */
  | LoopNotice;

/** What every loop is told of a reload (see {@link LoopRequest}). */
export type LoopNotice = { readonly kind: 'tls-reload' } | { readonly kind: 'auth-reload' };

/** From a loop to the main thread. */
export type LoopReport =
  /** The loop accepts; `descriptor` is its listening socket's, for the next loop to copy. */
  | { readonly kind: 'listening'; readonly address: { host: string; port: number }; readonly descriptor: number | null }
  /** The graceful shutdown ended: what this loop drained and forced. */
  | { readonly kind: 'stopped'; readonly summary: ShutdownSummary }
  /** The close ended. */
  | { readonly kind: 'closed' }
  /** The shutdown or close threw. */
  | { readonly kind: 'failed'; readonly error: string };
