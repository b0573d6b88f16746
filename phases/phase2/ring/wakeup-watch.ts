/**
 * Catches a lost wakeup in the act, for tests of a ring's two sides in two threads. Each side logs
 * when it finished each step (a push or a pop, its notify included); each side also watches every
 * Atomics.wait of its thread. In a correct ring every step of one side wakes the other if it
 * sleeps, so a wait that ran out its timeout although the other side finished a step after the
 * wait began and before it was due to end has slept through a wakeup. That is decided by
 * Atomics.wait's own result, not by how long anything took: V8 answers "ok" to a waiter that was
 * notified, however late its thread gets to run, so a slow machine cannot make a correct ring fail.
 * @module
 */

/** Steps each side keeps in the log: more than either side can make while the other sleeps once. */
const LOG_STEPS = 4096;
/** Per side: one Int32 count of steps, then a Float64 finishing time per step (in a ring of LOG_STEPS). */
const SIDE_BYTES = 8 + LOG_STEPS * Float64Array.BYTES_PER_ELEMENT;

/** The two sides of a ring. */
export type Side = 'write' | 'read';

/** The shared log both sides of one ring write their steps to. Hand it to both threads. */
export function createWakeupLog(): SharedArrayBuffer {
  return new SharedArrayBuffer(2 * SIDE_BYTES);
}

/**
 * Microseconds on the system's monotonic clock: the same clock in every thread of the process
 * (performance.now() counts from each thread's own start).
 */
function nowUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** One side's part of the log. */
class StepLog {
  /** [0]: how many steps this side has finished. Written by its side only. */
  private readonly count: Int32Array;
  /** When step n finished, at [n % LOG_STEPS]; written before the count that publishes it. */
  private readonly finishedUs: Float64Array;

  constructor(log: SharedArrayBuffer, side: Side) {
    const offset = side === 'write' ? 0 : SIDE_BYTES;
    this.count = new Int32Array(log, offset, 1);
    this.finishedUs = new Float64Array(log, offset + 8, LOG_STEPS);
  }

  record(): void {
    const n = this.count[0]!;
    this.finishedUs[n % LOG_STEPS] = nowUs();
    // Publishes the time written above (Atomics are sequentially consistent).
    Atomics.store(this.count, 0, n + 1);
  }

  /** When the first step finished after `sinceUs`, or undefined if none has. */
  firstAfter(sinceUs: number): number | undefined {
    const count = Atomics.load(this.count, 0);
    // Only the older half may be overwritten while we look; steps since the wait began are newer.
    for (let n = Math.max(0, count - LOG_STEPS / 2); n < count; n++) {
      const at = this.finishedUs[n % LOG_STEPS]!;
      if (at > sinceUs) return at;
    }
    return undefined;
  }
}

/** A start word for {@link meetOtherSide}: one Int32, shared by both sides. */
export function createStartWord(): SharedArrayBuffer {
  return new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
}

/**
 * Returns once both sides have called it on the same start word. A test's sides meet here after
 * loading, so that neither counts the other's loading time (tsx transpiles in every worker,
 * seconds on a busy machine) as time spent waiting on the ring. Not bounded: the test bounds how
 * long its workers may take, and terminating a worker ends its Atomics.wait.
 */
export function meetOtherSide(startWord: SharedArrayBuffer): void {
  const start = new Int32Array(startWord);
  Atomics.add(start, 0, 1);
  Atomics.notify(start, 0);
  for (let seen = Atomics.load(start, 0); seen < 2; seen = Atomics.load(start, 0)) Atomics.wait(start, 0, seen);
}

/** What a watch found. */
export interface WakeupReport {
  /** Atomics.wait calls this thread made. */
  readonly waits: number;
  /** Of those, the ones that ran out their timeout. */
  readonly timedOut: number;
  /** The lost wakeups, described (the first few). */
  readonly lost: string[];
  /** How many lost wakeups there were in all. */
  readonly lostCount: number;
}

/** Lost wakeups described in full; the count goes on past them. */
const MAX_DESCRIBED = 5;

/**
 * One side's watch. Create it in the side's thread, call {@link stepDone} after each successful
 * push (writer) or pop (reader), and read {@link report} at the end. It replaces this thread's
 * Atomics.wait with a watching one until {@link stop}.
 */
export class WakeupWatch {
  private readonly mine: StepLog;
  private readonly theirs: StepLog;
  private readonly original = Atomics.wait;
  private waits = 0;
  private timedOut = 0;
  private lostCount = 0;
  private readonly lost: string[] = [];

  constructor(log: SharedArrayBuffer, private readonly side: Side) {
    this.mine = new StepLog(log, side);
    this.theirs = new StepLog(log, side === 'write' ? 'read' : 'write');
    const original = this.original;
    // The ring calls Atomics.wait by name, so replacing the property watches every wait it makes.
    Atomics.wait = (array, index, value, timeout) => {
      const beganUs = nowUs();
      const result = original(array as Int32Array, index, value as number, timeout);
      this.waits++;
      if (result === 'timed-out' && timeout !== undefined && Number.isFinite(timeout)) this.checkTimeout(beganUs, timeout);
      return result;
    };
  }

  /** This side finished a step: its counter is stored and the other side notified if it sleeps. */
  stepDone(): void {
    this.mine.record();
  }

  /** Puts the thread's own Atomics.wait back. */
  stop(): void {
    Atomics.wait = this.original;
  }

  report(): WakeupReport {
    return { waits: this.waits, timedOut: this.timedOut, lost: [...this.lost], lostCount: this.lostCount };
  }

  private checkTimeout(beganUs: number, timeoutMs: number): void {
    this.timedOut++;
    const dueUs = beganUs + timeoutMs * 1000;
    const stepUs = this.theirs.firstAfter(beganUs);
    // A step finished after the wait was due may have raced the timeout: that is no lost wakeup.
    if (stepUs === undefined || stepUs >= dueUs) return;
    this.lostCount++;
    if (this.lost.length >= MAX_DESCRIBED) return;
    const other = this.side === 'write' ? 'the reader popped a record' : 'the writer pushed a record';
    const waiting = this.side === 'write' ? 'the writer slept' : 'the reader slept';
    this.lost.push(`${waiting} its full ${timeoutMs} ms although ${other} ${((stepUs - beganUs) / 1000).toFixed(1)} ms into that wait: its wakeup was lost`);
  }
}
