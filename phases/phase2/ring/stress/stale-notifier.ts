/**
 * Worker for the stale-notify test: plays the other side of a ring whose own side is asleep in a
 * wait. It calls Atomics.notify on the word that side sleeps on until a sleeper is woken — a
 * notify with nothing new behind it, like one from a step the sleeper had already seen — then
 * notifies on until the sleeper is woken a second time, which shows it went back to sleep (a
 * wait that returned instead never sleeps again: after REAL_STEP_AFTER_MS we stop trying). Only
 * then does it make a real step: a push (for a sleeping reader) or a pop (for a sleeping writer).
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Slot } from '../ring-layout.ts';
import { RingReader, RingWriter } from '../ring-buffer.ts';

/** What the test passes in. */
export interface StaleNotifierJob {
  readonly ring: SharedArrayBuffer;
  /** The side that sleeps: 'read' (we notify TAIL, then push) or 'write' (we notify HEAD, then pop). */
  readonly sleeper: 'read' | 'write';
  /** Give up waking anyone after this long. */
  readonly giveUpMs: number;
}

/** What the worker reports: whether its empty notifies woke the sleeper, once and again. */
export interface StaleNotifierReport {
  readonly wokeSleeper: boolean;
  readonly wokeAgain: boolean;
}

/**
 * How long to look for the sleeper asleep again before making the real step anyway. A wait that
 * went back to sleep is found within microseconds; this only bounds the look when it did not.
 */
const REAL_STEP_AFTER_MS = 2_000;

const job = workerData as StaleNotifierJob;
const control = new Int32Array(job.ring);
const slot = job.sleeper === 'read' ? Slot.TAIL : Slot.HEAD;
// Built before the ready message: loading and setting up take no time once the sleeper waits.
const writer = job.sleeper === 'read' ? new RingWriter(job.ring) : undefined;
const reader = job.sleeper === 'write' ? new RingReader(job.ring) : undefined;
parentPort!.postMessage('ready');

// Atomics.notify returns how many sleepers it woke: 1 is the signal that the other side was
// asleep and got a wakeup with nothing behind it.
/** Notifies until a sleeper is woken or `ms` pass; returns whether one was. */
function wakeWithin(ms: number): boolean {
  const giveUp = Date.now() + ms;
  while (Date.now() < giveUp) if (Atomics.notify(control, slot) === 1) return true;
  return false;
}

const wokeSleeper = wakeWithin(job.giveUpMs);
const wokeAgain = wokeSleeper && wakeWithin(REAL_STEP_AFTER_MS);
if (writer) writer.tryPush(new Uint8Array([1, 2, 3]));
if (reader) reader.tryPop();
parentPort!.postMessage({ wokeSleeper, wokeAgain } satisfies StaleNotifierReport);
