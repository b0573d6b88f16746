/**
 * Runs the common conformance suite — the same file `npm run conformance` runs — against a
 * server at an address, and gathers the outcome: counts, the failures in the suite's own words
 * (sent, expected, received), and the seed that replays its random cuts. A server that fails
 * again and again is not worth waiting for: the run stops after a few dozen failures.
 * @module
 */
import { ENVIRONMENT } from '../../conformance/cli-entry.ts';
import type { Capability } from '../../conformance/capabilities.ts';
import { absolutePath } from '../paths.ts';
import { runTestFile, type ReportedTest } from '../runner/run-test-file.ts';

/** The suite takes about 15 s against a healthy server; a slow one gets far more, not forever. */
const SUITE_DEADLINE_MS = 5 * 60_000;

/** After this many failures the rest would only repeat the lesson. */
const MAX_FAILURES = 25;

/** One failed test, as the suite reported it. */
export interface SuiteFailure {
  readonly name: string;
  readonly message: string;
}

/** What one run of the suite found. */
export interface SuiteOutcome {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly failures: SuiteFailure[];
  /** The run was cut short: too many failures, or the deadline. */
  readonly stopped: 'too many failures' | 'deadline' | null;
  /** The base seed of the random framings (KVLAB_CONFORMANCE_SEED replays it). */
  readonly seed: string | undefined;
  readonly durationMs: number;
}

/** Runs the suite against `host:port` with the given capabilities; `onTest` sees each test as it ends. */
export async function runConformance(host: string, port: number, capabilities: readonly Capability[], onTest?: (test: ReportedTest) => void): Promise<SuiteOutcome> {
  const controller = new AbortController();
  const failures: SuiteFailure[] = [];
  let [passed, failed, skipped] = [0, 0, 0];
  let seed: string | undefined;
  let stopped: SuiteOutcome['stopped'] = null;
  const run = await runTestFile(absolutePath('shared/conformance/cli-entry.ts'), {
    env: { [ENVIRONMENT.target]: `${host}:${port}`, [ENVIRONMENT.capabilities]: capabilities.join(',') },
    deadlineMs: SUITE_DEADLINE_MS,
    signal: controller.signal,
    onTest: (test) => {
      seed ??= /\(seed (\d+)\)/.exec(test.name)?.[1];
      onTest?.(test);
      if (test.suite) return;
      if (test.status === 'pass') passed++;
      else if (test.status === 'skip') skipped++;
      else if (test.error?.failureType !== 'subtestsFailed') {
        failed++;
        failures.push({ name: test.name, message: test.error?.cause?.message ?? test.error?.message ?? 'failed' });
        if (failed >= MAX_FAILURES && stopped === null) {
          stopped = 'too many failures';
          controller.abort();
        }
      }
    },
  });
  if (run.timedOut) stopped = 'deadline';
  if (passed + failed === 0 && stopped === null) {
    failures.push({ name: 'the suite', message: `the conformance suite did not run:\n${run.output.slice(-2000)}` });
    failed++;
  }
  return { passed, failed, skipped, failures, stopped, seed, durationMs: run.durationMs };
}
