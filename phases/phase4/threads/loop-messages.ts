/**
 * What the main thread and a loop thread say to each other (postMessage, structured clone): the
 * main thread asks for a graceful shutdown or an immediate close; the loop says it listens, and
 * how its stop went.
 * @module
 */
import type { ShutdownSummary } from '../../../shared/runtime/shutdown-parts.ts';

/** From the main thread to a loop. */
export type LoopRequest =
  /** Stop accepting, drain this loop's connections, force what is left after `timeoutMs`. */
  | { readonly kind: 'shutdown'; readonly timeoutMs: number }
  /** Stop accepting and destroy every connection now (a second signal, a test's cleanup). */
  | { readonly kind: 'close' };

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
