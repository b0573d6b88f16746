/**
 * Turns a conformance mismatch into a message a learner can act on: the target, the case, the
 * framing (with its seed, to reproduce the cuts), what was sent, what was expected and what came
 * back, all as escaped bytes, plus the steps that led there.
 * @module
 */
import { escapeBytes, firstDifference } from './escape-bytes.ts';
import type { Framing } from './framing.ts';

/** Where a failure happened. */
export interface FailureContext {
  /** The target's name and address, e.g. `phase1 (127.0.0.1:40123)`. */
  readonly target: string;
  readonly caseName: string;
  readonly framing: Framing;
  /** The suite run's seed: with KVLAB_CONFORMANCE_SEED set to it, a rerun cuts the bytes at the same places. */
  readonly seed: number;
}

/** One step as it was played. */
export interface PlayedStep {
  readonly sent: Buffer;
  /** What the step expected, in words or escaped bytes. */
  readonly expected: string;
}

/** The details of one mismatch. */
export interface Mismatch {
  readonly step: PlayedStep;
  /** 1-based number of the failing step, and how many steps the transcript has. */
  readonly stepNumber: number;
  readonly stepCount: number;
  readonly received: Buffer;
  /** What happened to the connection, e.g. `still open after 2000 ms` or `the server closed the connection`. */
  readonly connection: string;
  /** The exact bytes expected, when the step expected exact bytes: used to point at the first difference. */
  readonly expectedBytes?: Buffer;
  readonly earlier: readonly PlayedStep[];
}

/** A conformance test failure; its message is the full report. */
export class ConformanceFailure extends Error {
  constructor(context: FailureContext, mismatch: Mismatch) {
    super(formatMismatch(context, mismatch));
    this.name = 'ConformanceFailure';
  }
}

/** Formats the report (exported for the tests of the report itself). */
export function formatMismatch(context: FailureContext, mismatch: Mismatch): string {
  const framing = context.framing === 'random' ? `random (rerun with KVLAB_CONFORMANCE_SEED=${context.seed})` : context.framing;
  const lines = [
    `${context.target} did not answer as expected`,
    `  case:       ${context.caseName}`,
    `  framing:    ${framing}`,
    `  step:       ${mismatch.stepNumber} of ${mismatch.stepCount}`,
    `  sent:       ${escapeBytes(mismatch.step.sent)}`,
    `  expected:   ${mismatch.step.expected}`,
    `  received:   ${mismatch.received.length > 0 ? escapeBytes(mismatch.received) : '(nothing)'}`,
    `  connection: ${mismatch.connection}`,
  ];
  if (mismatch.expectedBytes && mismatch.received.length > 0) {
    const at = firstDifference(mismatch.expectedBytes, mismatch.received);
    const offset = at >= 0 ? at : Math.min(mismatch.expectedBytes.length, mismatch.received.length);
    lines.push(`  first difference at byte ${offset}`);
  }
  if (mismatch.earlier.length > 0) {
    lines.push('  steps before it (all as expected):');
    mismatch.earlier.forEach((step, i) => lines.push(`    ${i + 1}. sent ${escapeBytes(step.sent, 120)} → ${step.expected}`));
  }
  return lines.join('\n');
}
