/**
 * The coordinator of the load generator's worker threads. The run's connections and open-loop rate
 * are split evenly over `threads` workers (generator-thread.ts), each with its own request
 * sequence (seed + thread number); the coordinator moves them all through the same steps and
 * collects each thread's window. It sends nothing itself, so its own thread stays free to sample
 * the server and draw progress.
 * @module
 */
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../runtime/spawn-worker.ts';
import type { GeneratorShare, GeneratorWindow } from './generator-load.ts';
import type { CoordinatorMessage, ThreadMessage } from './generator-messages.ts';

/** The whole run's load, before it is split. */
export interface PoolSettings extends GeneratorShare {
  /** Worker threads to spread the connections over (at most one per connection). */
  readonly threads: number;
}

type Step = ThreadMessage['step'];
type MessageOf<S extends Step> = Extract<ThreadMessage, { step: S }>;

/** One worker and the messages it sent that nobody has asked for yet. */
class ThreadHandle {
  readonly worker: Worker;
  readonly progress = new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT);
  private readonly received = new Map<Step, ThreadMessage>();
  private readonly waiting = new Map<Step, { resolve(message: ThreadMessage): void; reject(error: Error): void }>();
  private failure: Error | undefined;
  private drainedSeen = false;

  constructor(share: GeneratorShare) {
    this.worker = spawnWorker(new URL('./generator-thread.ts', import.meta.url), { workerData: { ...share, progress: this.progress } });
    this.worker.on('message', (message: ThreadMessage) => {
      if (message.step === 'drained') this.drainedSeen = true;
      const waiter = this.waiting.get(message.step);
      this.waiting.delete(message.step);
      if (waiter) waiter.resolve(message);
      else this.received.set(message.step, message);
    });
    const fail = (error: Error) => {
      this.failure = error;
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => {
      if (!this.drainedSeen) fail(new Error(`a generator thread exited (code ${code}) before it had drained`));
    });
  }

  /** The thread's `step` message, as soon as it has sent it. */
  next<S extends Step>(step: S): Promise<MessageOf<S>> {
    const message = this.received.get(step);
    if (message) {
      this.received.delete(step);
      return Promise.resolve(message as MessageOf<S>);
    }
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiting.set(step, { resolve: resolve as (m: ThreadMessage) => void, reject }));
  }

  send(step: CoordinatorMessage['step']): void {
    this.worker.postMessage({ step } satisfies CoordinatorMessage);
  }
}

/** The generator threads of one load pass. */
export class GeneratorPool {
  private readonly threads: readonly ThreadHandle[];
  private readonly progress: readonly Float64Array[];

  private constructor(threads: readonly ThreadHandle[]) {
    this.threads = threads;
    this.progress = threads.map((thread) => new Float64Array(thread.progress));
  }

  /** Starts the threads and waits until each has opened its connections; resolves with the pool and the connections opened. */
  static async open(settings: PoolSettings): Promise<{ pool: GeneratorPool; opened: number }> {
    const count = Math.max(1, Math.min(settings.threads, settings.connections));
    const shares = Array.from({ length: count }, (_, i): GeneratorShare => ({
      ...settings,
      // The first threads take one connection more when the split is uneven.
      connections: Math.floor(settings.connections / count) + (i < settings.connections % count ? 1 : 0),
      rate: settings.rate / count,
      seed: (settings.seed + i * 7919) >>> 0 || 1,
    }));
    const pool = new GeneratorPool(shares.map((share) => new ThreadHandle(share)));
    try {
      const opened = await Promise.all(pool.threads.map((thread) => thread.next('opened')));
      return { pool, opened: opened.reduce((sum, message) => sum + message.opened, 0) };
    } catch (error) {
      await pool.terminate();
      throw error;
    }
  }

  /** How many threads the pool runs. */
  get size(): number {
    return this.threads.length;
  }

  /** Replies counted in the window so far, over every thread (a few hundred ms behind). */
  get completed(): number {
    let total = 0;
    for (const counter of this.progress) total += counter[0]!;
    return total;
  }

  /** Every thread starts sending. */
  go(): void {
    for (const thread of this.threads) thread.send('go');
  }

  /** Every thread starts its window. */
  measure(): void {
    for (const thread of this.threads) thread.send('measure');
  }

  /** Every thread ends its window (and then drains); resolves with each thread's window. */
  async stop(): Promise<GeneratorWindow[]> {
    for (const thread of this.threads) thread.send('stop');
    const messages = await Promise.all(this.threads.map((thread) => thread.next('window')));
    return messages.map((message) => message.window);
  }

  /** Waits for every thread to drain and exit; resolves with the requests each lost, by cause. */
  async drained(): Promise<Record<string, number>[]> {
    const messages = await Promise.all(this.threads.map((thread) => thread.next('drained')));
    return messages.map((message) => message.failures);
  }

  /** Stops every thread at once (after a failure). */
  async terminate(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.worker.terminate()));
  }
}
