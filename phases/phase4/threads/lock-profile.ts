/**
 * The store lock's share of a server's time, from V8 CPU profiles (`node --cpu-prof`, one file
 * per thread): a sample counts as the lock's when a frame of its stack is AtomicsLock's lock() or
 * unlock() — the compare-exchange, the spin and the sleep in Atomics.wait all fall under lock().
 * Sampling adds no code to the lock itself, which phase 1's exercise mirrors line for line.
 * @module
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The part of a .cpuprofile (V8's CPU profile, as `node --cpu-prof` writes it) this reads. */
export interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: { readonly functionName: string; readonly url: string }; readonly children?: readonly number[] }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  /** µs, on the profile's own clock; samples are timed from startTime by their deltas. */
  readonly startTime: number;
  readonly endTime: number;
}

/** What one thread's profile says. */
export interface ThreadLockShare {
  readonly file: string;
  /** Sampled time not idle (ms). */
  readonly busyMs: number;
  /** Of that, time with lock() or unlock() on the stack (ms). */
  readonly lockMs: number;
}

/** The lock's functions, as V8 names them in a profile of tsx-run sources. */
const LOCK_FRAMES = new Set(['lock', 'unlock', 'tryLock', 'withLock']);
const LOCK_FILE = '/shared/store/atomics-lock.ts';
/** V8's names for samples where the thread did no JavaScript work of its own. */
const IDLE_FRAMES = new Set(['(idle)', '(program)', '(garbage collector)']);

/**
 * Busy and lock time of one profile, over its last `windowMs` (the load ran just before the
 * thread stopped, so this leaves out the start — tsx compiling the sources — and counts the load).
 */
export function lockShareOf(profile: CpuProfile, file: string, windowMs: number): ThreadLockShare {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const underLock = new Map<number, boolean>();
  const isUnderLock = (id: number): boolean => {
    const known = underLock.get(id);
    if (known !== undefined) return known;
    const frame = byId.get(id)!.callFrame;
    const up = parent.get(id);
    const answer = (LOCK_FRAMES.has(frame.functionName) && frame.url.endsWith(LOCK_FILE)) || (up !== undefined && isUnderLock(up));
    underLock.set(id, answer);
    return answer;
  };
  let busyMs = 0;
  let lockMs = 0;
  const from = profile.endTime - windowMs * 1000;
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    // A sample's delta is the time since the previous sample: it is charged to this sample's stack.
    const delta = profile.timeDeltas[index] ?? 0;
    at += delta;
    if (at < from) return;
    const ms = delta / 1000;
    if (IDLE_FRAMES.has(byId.get(id)!.callFrame.functionName)) return;
    busyMs += ms;
    if (isUnderLock(id)) lockMs += ms;
  });
  return { file, busyMs, lockMs };
}

/** Every thread's share from the profiles in `folder`, over each one's last `windowMs`. */
export function lockSharesIn(folder: string, windowMs: number): ThreadLockShare[] {
  return readdirSync(folder).filter((name) => name.endsWith('.cpuprofile')).sort().map((name) => {
    const profile = JSON.parse(readFileSync(join(folder, name), 'utf8')) as CpuProfile;
    return lockShareOf(profile, name, windowMs);
  });
}
