/**
 * A fixed-size pool of worker threads executing commands: the classic thread-pool design.
 * Each worker runs one command at a time; commands that arrive while every worker is busy wait in
 * a FIFO queue. A worker that dies is replaced, and the command it held is answered with
 * SERVER_ERROR instead of being lost.
 * @module
 */
import type { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { startWorker } from '../../shared/runtime/spawn-worker.ts';
import { errorReply } from '../../shared/protocol/errors.ts';
import { After } from '../../shared/protocol/after.ts';
import type { TextCommand } from '../../shared/protocol/text/text-command.ts';
import type { CommandExecutor, Reply } from './executor.ts';
import type { Job, JobDone, WorkerSetup } from './worker-protocol.ts';

const WORKER_ENTRY = new URL('./worker.ts', import.meta.url);

interface Pending {
  readonly job: Job;
  readonly resolve: (reply: Reply) => void;
}

/** A fixed pool of `size` workers sharing one store. */
export class WorkerPool implements CommandExecutor {
  readonly threads: number;
  private readonly idle: Worker[] = [];
  private readonly queue: Pending[] = [];
  /** The command each busy worker is running. */
  private readonly running = new Map<Worker, Pending>();
  private nextId = 0;
  private closing = false;

  private constructor(
    size: number,
    private readonly setup: WorkerSetup,
    private readonly log: Logger,
  ) {
    this.threads = size;
  }

  /** Starts `size` workers and resolves once every one is running. */
  static async start(size: number, setup: WorkerSetup, log: Logger): Promise<WorkerPool> {
    const pool = new WorkerPool(size, setup, log);
    await Promise.all(Array.from({ length: size }, () => pool.addWorker()));
    return pool;
  }

  /** Queues the command for the next idle worker; resolves when that worker posts the reply back. */
  execute(command: TextCommand): Promise<Reply> {
    return new Promise((resolve) => {
      const pending: Pending = { job: { id: ++this.nextId, command }, resolve };
      const worker = this.idle.pop();
      if (worker) this.dispatch(worker, pending);
      else this.queue.push(pending);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    const workers = [...this.idle, ...this.running.keys()];
    this.idle.length = 0;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private dispatch(worker: Worker, pending: Pending): void {
    this.running.set(worker, pending);
    worker.postMessage(pending.job);
  }

  /** Starts one worker and makes it idle once its module has loaded (not merely its thread). */
  private async addWorker(): Promise<void> {
    const worker = await startWorker(WORKER_ENTRY, { workerData: this.setup });
    worker.on('message', (done: JobDone) => this.finished(worker, done));
    worker.on('error', (error) => this.log.error({ err: error }, 'worker failed'));
    worker.on('exit', (code) => this.exited(worker, code));
    this.idle.push(worker);
  }

  private finished(worker: Worker, done: JobDone): void {
    const pending = this.running.get(worker);
    this.running.delete(worker);
    if (done.failure) this.log.error({ command: pending?.job.command.kind, failure: done.failure }, 'command failed');
    pending?.resolve({ chunks: done.chunks, after: done.after });
    const next = this.queue.shift();
    if (next) this.dispatch(worker, next);
    else this.idle.push(worker);
  }

  private exited(worker: Worker, code: number): void {
    if (this.closing) return;
    this.log.error({ code }, 'worker exited; starting a replacement');
    const pending = this.running.get(worker);
    this.running.delete(worker);
    pending?.resolve({ chunks: [errorReply('INTERNAL')], after: After.Continue });
    const index = this.idle.indexOf(worker);
    if (index >= 0) this.idle.splice(index, 1);
    this.addWorker().then(
      () => {
        const next = this.queue.shift();
        const fresh = next && this.idle.pop();
        if (next && fresh) this.dispatch(fresh, next);
        else if (next) this.queue.unshift(next);
      },
      (error: unknown) => this.log.error({ err: error }, 'could not replace a worker'),
    );
  }
}
