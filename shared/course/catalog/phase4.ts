/**
 * Phase 4's exercises, in course order: the parts of the advanced server that are the lesson.
 * @module
 */
import type { Exercise } from './exercise.ts';

/** The exercises of phase 4, the advanced server. */
export const PHASE4_EXERCISES: readonly Exercise[] = [];
