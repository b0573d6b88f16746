/**
 * The main thread's side of `--threads N`: starts the loop threads (loop-thread.ts) — the first
 * opens the listening socket, then the others each copy it — and stands for them as the running
 * server: its shutdown asks every loop to drain its own connections and sums what they report, then
 * closes the resources this thread owns (the metrics listener), then ends the threads. A reload on
 * this thread (TLS certificates, users files) is told to every loop, which loads the files itself.
 *
 *   main thread: store owner, signals, /metrics, config ─┐ postMessage (shutdown, close, reloads)
 *   loop 0: listen(host:port) ── descriptor ──▶ loop 1…N-1: copy, listen(copy)
 *   every loop: accept ─▶ EventConnection ─▶ session ─▶ SlabStore (one SharedArrayBuffer)
 * @module
 */
import type { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { LaneSetup } from '../../phase2/ring-dispatcher.ts';
import type { ComposedServer, ServerParts, ShutdownSummary } from '../../../shared/runtime/compose-server.ts';
import type { Connection } from '../../../shared/runtime/connection.ts';
import { startWorkerUntil } from '../../../shared/runtime/spawn-worker.ts';
import type { LoopNotice, LoopReport, LoopRequest } from './loop-messages.ts';
import type { LoopSetup } from './loop-thread.ts';

/** The parts every loop builds for itself, beyond phase 2's: TLS, authentication and the edge's timeouts (null: off). */
export type LoopParts = Pick<LoopSetup, 'tls' | 'auth' | 'edge'>;

const LOOP_ENTRY = new URL('./loop-thread.ts', import.meta.url);

/** One loop thread, and the answers it owes. */
class Loop {
  /** Who waits for a report of each kind (one request of a kind at a time). */
  private readonly waiting = new Map<LoopReport['kind'], (report: LoopReport) => void>();
  private exited = false;
  private retired = false;

  constructor(readonly index: number, readonly worker: Worker, log: Logger) {
    worker.on('message', (report: LoopReport) => {
      if (report.kind === 'failed') {
        log.error({ loop: index, error: report.error }, 'loop thread failed to stop');
        this.answerAll(report);
        return;
      }
      const waiter = this.waiting.get(report.kind);
      this.waiting.delete(report.kind);
      waiter?.(report);
    });
    worker.on('error', (error) => log.error({ err: error, loop: index }, 'loop thread failed'));
    worker.on('exit', (code) => {
      this.exited = true;
      // A loop that dies takes its connections with it; the other loops keep accepting.
      if (!this.retired) log.error({ loop: index, code }, 'loop thread exited; its connections are gone');
      this.answerAll({ kind: 'failed', error: `loop ${index} exited with ${code}` });
    });
  }

  /** Ends the thread, as the last step of a stop (its exit is then no failure). */
  retire(): Promise<number> {
    this.retired = true;
    return this.worker.terminate();
  }

  private answerAll(report: LoopReport): void {
    for (const waiter of this.waiting.values()) waiter(report);
    this.waiting.clear();
  }

  /** Tells the thread of a reload; a thread that is gone has nothing to reload. */
  tell(notice: LoopNotice): void {
    if (!this.exited) this.worker.postMessage(notice);
  }

  /** Sends `request` and resolves with the report that answers it (`failed` if the thread is gone). */
  ask(request: LoopRequest, answer: LoopReport['kind']): Promise<LoopReport> {
    if (this.exited) return Promise.resolve({ kind: 'failed', error: `loop ${this.index} is gone` });
    return new Promise((resolve) => {
      this.waiting.set(answer, resolve);
      this.worker.postMessage(request);
    });
  }
}

/** Starts loop `index` and resolves once it listens; rejects if it fails or exits first. */
async function startLoop(setup: LoopSetup): Promise<{ worker: Worker; listening: Extract<LoopReport, { kind: 'listening' }> }> {
  const isListening = (report: unknown): report is Extract<LoopReport, { kind: 'listening' }> => (report as LoopReport).kind === 'listening';
  const { worker, message } = await startWorkerUntil(LOOP_ENTRY, { workerData: setup }, isListening, `loop thread ${setup.index}`, 'it listened');
  return { worker, listening: message };
}

/** `--threads N` running: N loops, each serving the connections it accepted. */
export class LoopGroup implements ComposedServer {
  /** Connections live in the loops; this thread holds none. */
  readonly connections: ReadonlySet<Connection> = new Set();
  private stopping: Promise<ShutdownSummary> | null = null;
  private closing: Promise<void> | null = null;

  private constructor(
    readonly address: { host: string; port: number },
    private readonly loops: readonly Loop[],
    private readonly parts: ServerParts,
  ) {}

  /** Starts `count` loops serving `parts` with what `shared` holds; resolves once every one listens. */
  static async start(count: number, shared: LaneSetup, parts: ServerParts, loopParts: LoopParts): Promise<LoopGroup> {
    const setupOf = (index: number, copyOf: number | null): LoopSetup => ({
      ...shared, ...loopParts, index, host: parts.host, port: parts.port, path: parts.path ?? null, pathMode: parts.pathMode ?? null, maxConnections: parts.maxConnections, copyOf, logLevel: parts.log.level,
    });
    const first = await startLoop(setupOf(0, null));
    const { descriptor, address } = first.listening;
    const started: Worker[] = [first.worker];
    try {
      if (descriptor === null) throw new Error('the first loop\'s listening socket shows no descriptor to copy');
      // The copies start together: each waits only for its own copier child.
      const others = await Promise.allSettled(Array.from({ length: count - 1 }, (_, i) => startLoop(setupOf(i + 1, descriptor))));
      for (const other of others) if (other.status === 'fulfilled') started.push(other.value.worker);
      const failed = others.find((other) => other.status === 'rejected');
      if (failed) throw failed.reason;
    } catch (error) {
      await Promise.all(started.map((worker) => worker.terminate()));
      throw error;
    }
    const loops = started.map((worker, index) => new Loop(index, worker, parts.log));
    parts.log.info({ threads: count }, `${count} event loops accept from one listening socket`);
    return new LoopGroup(address, loops, parts);
  }

  /** Tells every loop of a reload made on this thread (it loads the same files itself). */
  tell(notice: LoopNotice): void {
    for (const loop of this.loops) loop.tell(notice);
  }

  /**
   * Every loop drains at once (stop accepting → drain → force at the deadline, each on its own
   * connections); then this thread's resources close, then the threads end. Once: a second call
   * gets the same summary.
   */
  shutdown(timeoutMs: number): Promise<ShutdownSummary> {
    this.stopping ??= (async () => {
      const started = Date.now();
      const reports = await Promise.all(this.loops.map((loop) => loop.ask({ kind: 'shutdown', timeoutMs }, 'stopped')));
      let drained = 0;
      let forced = 0;
      for (const report of reports) {
        if (report.kind !== 'stopped') continue;
        drained += report.summary.drained;
        forced += report.summary.forced;
      }
      await this.release();
      return { drained, forced, milliseconds: Date.now() - started };
    })();
    return this.stopping;
  }

  /** Stops at once: every loop destroys its connections (a shutdown under way ends now too). */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all(this.loops.map((loop) => loop.ask({ kind: 'close' }, 'closed')));
      if (this.stopping) await this.stopping;
      else await this.release();
    })();
    return this.closing;
  }

  /** After the loops have stopped: this thread's resources, in order, then the threads. */
  private async release(): Promise<void> {
    for (const resource of this.parts.resources ?? []) await resource.close();
    await Promise.all(this.loops.map((loop) => loop.retire()));
  }
}
