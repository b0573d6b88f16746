/**
 * The capstone test every phase shares: assembled from the untouched stubs, a phase's server stops
 * at a TODO in exercises/ — the capstone runs the learner's files, not the reference answers.
 * Skipped, with the files named, while a stub has been edited.
 * @module
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exercisesOfServer } from '../catalog/index.ts';
import { capabilitiesOf, checkConfiguration, configurationsOf } from '../capstone/capstone.ts';
import { implementationPath, Source } from '../paths.ts';
import { isAsShipped } from '../pristine.ts';

/** Registers the test for `phase`, bounded by `timeoutMs`. */
export function testStubsStopAtTodo(phase: number, timeoutMs: number): void {
  const stubs = exercisesOfServer(phase).map((exercise) => implementationPath(exercise, Source.Exercises));
  const edited = stubs.filter((stub) => isAsShipped(stub) === false);
  const skip = edited.length > 0 ? `edited: ${edited.join(', ')}` : false;
  void test(`capstone, phase ${phase}: assembled from the untouched stubs, it stops at a TODO in exercises/`, { timeout: timeoutMs, skip }, async () => {
    const [configuration] = configurationsOf(phase);
    const outcome = await checkConfiguration(phase, Source.Exercises, configuration!, await capabilitiesOf(phase));
    const report = outcome.lines.join('\n');
    assert.equal(outcome.ok, false, report);
    assert.match(report, /TODO: \S+ is not written yet[\s\S]*at exercises\/phase\d\//, report);
  });
}
