/**
 * The phase 3 capstone: assembled from the reference answers — phase 3's and the phase 1 and 2
 * ones its server reuses — it passes the common conformance suite on the event loop and with
 * worker threads behind the rings, serves a metrics page with whole latency histograms, and on
 * SIGTERM drains and exits 0. The two run side by side, as `npm run verify` runs them. Assembled
 * from the untouched stubs, it stops at a TODO in exercises/: the capstone runs the learner's files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exercisesOfServer } from '../catalog/index.ts';
import { capabilitiesOf, checkConfiguration, configurationsOf } from '../capstone/capstone.ts';
import { implementationPath, Source } from '../paths.ts';
import { testStubsStopAtTodo } from './capstone-stubs.ts';

const PHASE = 3;
const T = { timeout: 120_000 };

test(`capstone, phase ${PHASE}: assembled from the reference answers, every configuration passes the suite, the metrics page and a graceful stop`, T, async () => {
  const capabilities = await capabilitiesOf(PHASE);
  const outcomes = await Promise.all(configurationsOf(PHASE).map((configuration) => checkConfiguration(PHASE, Source.Solutions, configuration, capabilities)));
  const expected = exercisesOfServer(PHASE).map((exercise) => implementationPath(exercise, Source.Solutions)).sort();
  assert.equal(outcomes.length, 2, 'phase 3 runs on the event loop and with worker threads');
  for (const outcome of outcomes) {
    const report = outcome.lines.join('\n');
    assert.ok(outcome.ok, report);
    assert.match(report, /metrics: \/metrics holds the latency histograms/, report);
    assert.match(report, /SIGTERM: drained and exited 0/, report);
    assert.deepEqual([...outcome.files].sort(), expected, `${outcome.configuration.label}: the files the server reported loading`);
  }
});

testStubsStopAtTodo(PHASE, T.timeout);
