/**
 * The phase 4 capstone: assembled from the reference answers — phase 4's and the phase 1, 2 and 3
 * ones its server reuses — it passes the common conformance suite on the event loop persisting to
 * a folder (then crashes, restarts and serves what was stored: the log's records read back) and
 * with worker threads behind the rings under a rate limit (then holds one client to it), serves
 * its metrics page, logs SASL
 * clients in by PLAIN's rules, and on SIGTERM drains and exits 0 in every mode. The three run side
 * by side, as `npm run verify` runs them. Assembled from the untouched stubs, it stops at a TODO
 * in exercises/: the capstone runs the learner's files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exercisesOfServer } from '../catalog/index.ts';
import { capabilitiesOf, checkConfiguration, configurationsOf } from '../capstone/capstone.ts';
import { implementationPath, Source } from '../paths.ts';
import { testStubsStopAtTodo } from './capstone-stubs.ts';

const PHASE = 4;
/** Two suites and a restart side by side on a small machine: about a minute and a half. */
const T = { timeout: 240_000 };

test(`capstone, phase ${PHASE}: assembled from the reference answers, every configuration passes its checks and a graceful stop`, T, async () => {
  const capabilities = await capabilitiesOf(PHASE);
  const outcomes = await Promise.all(configurationsOf(PHASE).map((configuration) => checkConfiguration(PHASE, Source.Solutions, configuration, capabilities)));
  const expected = exercisesOfServer(PHASE).map((exercise) => implementationPath(exercise, Source.Solutions)).sort();
  // Every phase 4 exercise is among the files each mode loads, and each is put to work in one.
  for (const id of ['sasl-plain', 'slab-classes', 'record-reader', 'token-bucket']) {
    assert.ok(expected.includes(`solutions/phase4/${id}.ts`), `${id} is one of the server's exercises`);
  }
  const reports = outcomes.map((outcome) => outcome.lines.join('\n'));
  assert.equal(outcomes.length, 3, 'persisting on the event loop, rings under a rate limit, SASL');
  for (const [i, outcome] of outcomes.entries()) {
    assert.ok(outcome.ok, reports[i]);
    assert.match(reports[i]!, /SIGTERM: drained and exited 0/, reports[i]);
    assert.deepEqual([...outcome.files].sort(), expected, `${outcome.configuration.label}: the files the server reported loading`);
  }
  const [persisting, rings, sasl] = reports as [string, string, string];
  assert.match(persisting, /conformance: \d+ passed/, persisting);
  assert.match(persisting, /restart: after a crash \(SIGKILL\) the log replayed/, persisting);
  assert.match(rings, /conformance: \d+ passed/, rings);
  assert.match(rings, /metrics: \/metrics holds the latency histograms/, rings);
  assert.match(rings, /rate limit: \d+ requests at once, .*: held to the rate/, rings);
  assert.match(sasl, /SASL PLAIN: \d+ bad messages refused/, sasl);
});

testStubsStopAtTodo(PHASE, T.timeout);
