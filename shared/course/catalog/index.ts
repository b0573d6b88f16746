/**
 * The whole course, in order, and the ways a learner may name an exercise on the command line:
 * its id (`atomics-lock`), its number (`1.4`), or `phaseN/id`.
 * @module
 */
import type { Exercise } from './exercise.ts';
import { PHASE1_EXERCISES } from './phase1.ts';
import { PHASE2_EXERCISES } from './phase2.ts';
import { PHASE3_EXERCISES } from './phase3.ts';
import { PHASE4_EXERCISES } from './phase4.ts';

export type { Exercise } from './exercise.ts';

/** Every exercise, in the order the course takes them. */
export const EXERCISES: readonly Exercise[] = [
  ...PHASE1_EXERCISES, ...PHASE2_EXERCISES, ...PHASE3_EXERCISES, ...PHASE4_EXERCISES,
];

/** What each phase builds, for headings. */
export const PHASE_TITLES: Readonly<Record<number, string>> = {
  1: 'the blocking server: worker threads, a shared store, an Atomics lock',
  2: 'the event-driven server: one event loop, the binary protocol, lock-free rings',
  3: 'the production server: latency histograms, Prometheus metrics, health over HTTP, configuration',
  4: 'the advanced server: slab memory with eviction, TLS, authentication, rate limits, persistence',
};

/** The phases that have exercises (and so a capstone). */
export const PHASES: readonly number[] = [...new Set(EXERCISES.map((exercise) => exercise.phase))];

/** The exercise a learner named, or undefined. */
export function findExercise(name: string): Exercise | undefined {
  const wanted = name.trim().replace(/\.test\.ts$|\.ts$/, '');
  return EXERCISES.find((exercise) =>
    exercise.id === wanted || exercise.number === wanted || `phase${exercise.phase}/${exercise.id}` === wanted ||
    `exercises/phase${exercise.phase}/${exercise.id}` === wanted);
}

/** The exercises a phase's server runs — its own and the earlier phases' it reuses: its capstone's parts. */
export function exercisesOfServer(phase: number): readonly Exercise[] {
  return EXERCISES.filter((exercise) => exercise.servers.includes(phase));
}
