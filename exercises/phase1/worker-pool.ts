/**
 * Exercise 1.5 — the worker pool: a fixed set of worker threads, each running one command at a
 * time, and a FIFO queue for the commands that arrive while every worker is busy. Stands in for
 * phases/phase1/worker-pool.ts; the workers themselves run phases/phase1/worker.ts.
 * @module
 */
import type { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { startWorker } from '../../shared/runtime/spawn-worker.ts';
import { errorReply } from '../../shared/protocol/errors.ts';
import { After } from '../../shared/protocol/after.ts';
import type { TextCommand } from '../../shared/protocol/text/text-command.ts';
import type { CommandExecutor, Reply } from '../../phases/phase1/executor.ts';
import type { Job, JobDone, WorkerSetup } from '../../phases/phase1/worker-protocol.ts';
import { todo } from '../../shared/course/todo.ts';

const WORKER_ENTRY = new URL('../../phases/phase1/worker.ts', import.meta.url);

/** A command waiting for its reply: the job sent to a worker, and how to hand the reply back. */
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

  private constructor(size: number, private readonly setup: WorkerSetup, private readonly log: Logger) {
    this.threads = size;
  }

  /** Starts `size` workers and resolves once every one is running. */
  static async start(size: number, setup: WorkerSetup, log: Logger): Promise<WorkerPool> {
    const pool = new WorkerPool(size, setup, log);
    await Promise.all(Array.from({ length: size }, () => pool.addWorker()));
    return pool;
  }

  /**
   * TODO: return a Promise of the command's reply. Make a Pending ({ job: { id: ++this.nextId,
   * command }, resolve }); dispatch it to an idle worker if there is one, else queue it. Why
   * queue rather than start a thread: the pool's size *is* the server's parallelism.
   */
  execute(command: TextCommand): Promise<Reply> {
    return todo('execute', command);
  }

  async close(): Promise<void> {
    this.closing = true;
    const workers = [...this.idle, ...this.running.keys()];
    this.idle.length = 0;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  /** Sends `pending` to `worker`, remembering which command that worker runs. */
  private dispatch(worker: Worker, pending: Pending): void {
    this.running.set(worker, pending);
    worker.postMessage(pending.job);
  }

  /**
   * TODO: `worker` finished its command: take its Pending out of `running`, resolve it with
   * `{ chunks: done.chunks, after: done.after }` (log `done.failure` if set), then hand the worker
   * the *oldest* queued command — or put it back among the idle. Why oldest: replies keep order.
   */
  private finished(worker: Worker, done: JobDone): void {
    todo('finished', done);
  }

  /** Starts one worker and makes it idle once its module has loaded (not merely its thread). */
  private async addWorker(): Promise<void> {
    const worker = await startWorker(WORKER_ENTRY, { workerData: this.setup });
    worker.on('message', (done: JobDone) => this.finished(worker, done));
    worker.on('error', (error) => this.log.error({ err: error }, 'worker failed'));
    worker.on('exit', (code) => this.exited(worker, code));
    this.idle.push(worker);
  }

  /** A worker died: answer its command with SERVER_ERROR, and start a replacement. */
  private exited(worker: Worker, code: number): void {
    if (this.closing) return;
    this.log.error({ code }, 'worker exited; starting a replacement');
    this.running.get(worker)?.resolve({ chunks: [errorReply('INTERNAL')], after: After.Continue });
    this.running.delete(worker);
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
