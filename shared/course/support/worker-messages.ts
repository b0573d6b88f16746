/**
 * Waiting on a worker thread in a check, with a deadline: resolve when it posts a message of a
 * given kind, throw its error if it posts one, fail with a plain sentence if it stays silent.
 * Used by the checks whose exercise code runs in several threads.
 * @module
 */
import type { Worker } from 'node:worker_threads';
import { fail } from '../checks.ts';
import { revive, type ErrorInfo } from './worker-errors.ts';

/** What every such worker may post. */
export interface KindedMessage {
  readonly kind: string;
  readonly error?: ErrorInfo;
}

/** Collects a worker's messages so that a check can wait for one. */
export class WorkerMessages<M extends KindedMessage> {
  private readonly received: M[] = [];
  private wake: (() => void) | null = null;

  constructor(readonly worker: Worker) {
    worker.on('message', (message: M) => {
      this.received.push(message);
      this.wake?.();
    });
    worker.on('error', (error: Error) => {
      this.received.push({ kind: 'error', error: { name: error.name, message: error.message, stack: error.stack } } as unknown as M);
      this.wake?.();
    });
  }

  /** Whether a message of `kind` has arrived. */
  has(kind: M['kind']): boolean {
    return this.received.some((message) => message.kind === kind);
  }

  /**
   * Resolves with the first message of `kind`. Throws the worker's error if it posted one, and
   * fails with `given` / `expected` if nothing came within `timeoutMs`.
   */
  async waitFor(kind: M['kind'], timeoutMs: number, given: string, expected: string): Promise<M> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const error = this.received.find((message) => message.kind === 'error');
      if (error?.error) throw revive(error.error);
      const found = this.received.find((message) => message.kind === kind);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) fail(given, expected, `nothing within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          this.wake = null;
          resolve();
        };
      });
    }
  }
}
