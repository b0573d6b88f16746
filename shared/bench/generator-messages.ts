/**
 * The messages between the coordinator (generator-pool.ts) and its generator threads
 * (generator-thread.ts): the coordinator names the next step, a thread answers with what it has.
 * @module
 */
import type { GeneratorWindow } from './generator-load.ts';

/** Coordinator → thread: start sending, start the window, end the window (and then drain). */
export interface CoordinatorMessage {
  readonly step: 'go' | 'measure' | 'stop';
}

/** Thread → coordinator. */
export type ThreadMessage =
  /** Its connections are open (`opened` of those asked for). */
  | { readonly step: 'opened'; readonly opened: number }
  /** What it measured over the window. */
  | { readonly step: 'window'; readonly window: GeneratorWindow }
  /** Its connections are closed; the requests lost over the whole run, by cause. */
  | { readonly step: 'drained'; readonly failures: Record<string, number> };
