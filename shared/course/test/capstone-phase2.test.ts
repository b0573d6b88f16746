/**
 * The phase 2 capstone: assembled from the reference answers — phase 2's and the phase 1 ones
 * its server reuses — it passes the common conformance suite both on the event loop and with
 * worker threads behind the rings. The two run side by side, as `npm run verify` runs them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exercisesOfServer } from '../catalog/index.ts';
import { capabilitiesOf, checkConfiguration, configurationsOf } from '../capstone/capstone.ts';
import { implementationPath, Source } from '../paths.ts';

const PHASE = 2;

test(`capstone, phase ${PHASE}: assembled from the reference answers, every configuration passes the conformance suite`, { timeout: 120_000 }, async () => {
  const capabilities = await capabilitiesOf(PHASE);
  const outcomes = await Promise.all(configurationsOf(PHASE).map((configuration) => checkConfiguration(PHASE, Source.Solutions, configuration, capabilities)));
  const expected = exercisesOfServer(PHASE).map((exercise) => implementationPath(exercise, Source.Solutions)).sort();
  for (const outcome of outcomes) {
    assert.ok(outcome.ok, outcome.lines.join('\n'));
    assert.deepEqual([...outcome.files].sort(), expected, `${outcome.configuration.label}: the files the server reported loading`);
  }
});
