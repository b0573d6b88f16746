/**
 * Catches a lost wakeup in the act, for tests of a ring's two sides in two threads. Each side logs
 * its steps (a push or a pop, its notify included): the value its counter had before, and when the
 * step began and finished. Each side also watches every Atomics.wait of its thread. A wait that
 * ran out its timeout slept through a wakeup if, before it was due, the other side finished
 * - the step that moved the counter away from the value the wait expected (that store came after
 *   the wait began — else the wait returns "not-equal" — so its notify was owed to the sleeper), or
 * - any step begun after the wait began (a correct ring wakes a sleeper on every step; this one
 *   also catches a wait on the wrong word).
 * Atomics.wait's own result decides, not how long anything took: V8 answers "ok" to a waiter that
 * was notified, however late its thread then runs, so a slow machine cannot make a correct ring fail.
 * @module
 */
import { Slot } from './ring-layout.ts';

/** Steps each side keeps in the log: more than either side can make while the other sleeps once. */
const LOG_STEPS = 4096;
/** Per side: the Int32 count of steps (padded to 8), two Float64 per step (began, finished), an Int32 per step (counter before). */
const SIDE_BYTES = 8 + 2 * LOG_STEPS * Float64Array.BYTES_PER_ELEMENT + LOG_STEPS * Int32Array.BYTES_PER_ELEMENT;

/** The two sides of a ring. */
export type Side = 'write' | 'read';

/** The shared log both sides of one ring write their steps to. Hand it to both threads. */
export function createWakeupLog(): SharedArrayBuffer {
  return new SharedArrayBuffer(2 * SIDE_BYTES);
}

/**
 * Microseconds on the system's monotonic clock: the same clock in every thread of the process
 * (performance.now() counts from each thread's own start), and the one V8 times waits with.
 */
function nowUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** One logged step. */
interface Step {
  readonly from: number;
  readonly beganUs: number;
  readonly finishedUs: number;
}

/** One side's part of the log. Written by that side only; each entry is published by the count. */
class StepLog {
  /** [0]: how many steps this side has finished. */
  private readonly count: Int32Array;
  /** Step n's times at [2 * (n % LOG_STEPS)] (began) and the next (finished). */
  private readonly times: Float64Array;
  /** Step n's counter value before it, at [n % LOG_STEPS]. */
  private readonly from: Int32Array;

  constructor(log: SharedArrayBuffer, side: Side) {
    const offset = side === 'write' ? 0 : SIDE_BYTES;
    this.count = new Int32Array(log, offset, 1);
    this.times = new Float64Array(log, offset + 8, 2 * LOG_STEPS);
    this.from = new Int32Array(log, offset + 8 + 2 * LOG_STEPS * Float64Array.BYTES_PER_ELEMENT, LOG_STEPS);
  }

  record(from: number, beganUs: number): void {
    const n = this.count[0]!;
    const at = n % LOG_STEPS;
    this.from[at] = from;
    this.times[2 * at] = beganUs;
    this.times[2 * at + 1] = nowUs();
    // Publishes the entry written above (Atomics are sequentially consistent).
    Atomics.store(this.count, 0, n + 1);
  }

  /** The most recent finished steps, oldest first. */
  *recent(): Generator<Step> {
    const count = Atomics.load(this.count, 0);
    // Only the older half may be overwritten while we look; the steps of one wait are newer.
    for (let n = Math.max(0, count - LOG_STEPS / 2); n < count; n++) {
      const at = n % LOG_STEPS;
      yield { from: this.from[at]!, beganUs: this.times[2 * at]!, finishedUs: this.times[2 * at + 1]! };
    }
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
 * One side's watch over one ring. Create it in the side's thread; call {@link stepBegins} before
 * each try to push (writer) or pop (reader) and {@link stepDone} after one succeeds; read
 * {@link report} at the end. It replaces this thread's Atomics.wait with a watching one until
 * {@link stop}.
 */
export class WakeupWatch {
  private readonly mine: StepLog;
  private readonly theirs: StepLog;
  private readonly control: Int32Array;
  /** The counter this side moves (TAIL for the writer), and the one it sleeps on (the other's). */
  private readonly ownSlot: number;
  private readonly theirSlot: number;
  private readonly original = Atomics.wait;
  private waits = 0;
  private timedOut = 0;
  private lostCount = 0;
  private readonly lost: string[] = [];
  private stepFrom = 0;
  private stepBeganUs = 0;

  constructor(ring: SharedArrayBuffer, log: SharedArrayBuffer, private readonly side: Side) {
    this.mine = new StepLog(log, side);
    this.theirs = new StepLog(log, side === 'write' ? 'read' : 'write');
    this.control = new Int32Array(ring, 0, Slot.CAPACITY + 1);
    this.ownSlot = side === 'write' ? Slot.TAIL : Slot.HEAD;
    this.theirSlot = side === 'write' ? Slot.HEAD : Slot.TAIL;
    const original = this.original;
    // The ring calls Atomics.wait by name, so replacing the property watches every wait it makes.
    Atomics.wait = (array, index, value, timeout) => {
      const beganUs = nowUs();
      const result = original(array as Int32Array, index, value as number, timeout);
      this.waits++;
      if (result === 'timed-out' && timeout !== undefined && Number.isFinite(timeout)) {
        const onTheirCounter = array.buffer === ring && array.byteOffset === 0 && index === this.theirSlot;
        this.checkTimeout(beganUs, timeout, onTheirCounter ? Number(value) : undefined);
      }
      return result;
    };
  }

  /** This side is about to try a step. */
  stepBegins(): void {
    this.stepFrom = Atomics.load(this.control, this.ownSlot);
    this.stepBeganUs = nowUs();
  }

  /** The step tried last succeeded: its counter is stored and the other side notified if it sleeps. */
  stepDone(): void {
    this.mine.record(this.stepFrom, this.stepBeganUs);
  }

  /** Puts the thread's own Atomics.wait back. */
  stop(): void {
    Atomics.wait = this.original;
  }

  /** What the watch saw: the waits, those that timed out, and the wakeups it found lost. */
  report(): WakeupReport {
    return { waits: this.waits, timedOut: this.timedOut, lost: [...this.lost], lostCount: this.lostCount };
  }

  /** `expected`: the value the wait expected in the other side's counter, if it waited on that. */
  private checkTimeout(beganUs: number, timeoutMs: number, expected: number | undefined): void {
    this.timedOut++;
    const dueUs = beganUs + timeoutMs * 1000;
    let owed: Step | undefined;
    for (const step of this.theirs.recent()) {
      // A step finished after the wait was due may have raced the timeout: no lost wakeup.
      if (step.finishedUs >= dueUs) continue;
      if (step.from === expected || step.beganUs > beganUs) {
        owed = step;
        break;
      }
    }
    if (owed === undefined) return;
    this.lostCount++;
    if (this.lost.length >= MAX_DESCRIBED) return;
    const other = this.side === 'write' ? 'the reader popped a record' : 'the writer pushed a record';
    const waiting = this.side === 'write' ? 'the writer slept' : 'the reader slept';
    const into = Math.max(0, (owed.finishedUs - beganUs) / 1000).toFixed(1);
    this.lost.push(`${waiting} its full ${timeoutMs} ms although ${other} ${into} ms into that wait: its wakeup was lost`);
  }
}
