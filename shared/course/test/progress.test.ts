/**
 * The progress file: a fresh start when it is missing, a faithful round trip, and a file that is
 * not progress set aside rather than lost or trusted.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { entryFor, loadProgress, saveProgress } from '../progress.ts';
import { temporaryProgress } from './run-cli.ts';

const T = { timeout: 5000 };

describe('progress file', () => {
  test('a missing file is a fresh start', T, () => {
    assert.deepEqual(loadProgress(temporaryProgress()), { version: 1, exercises: {} });
  });

  test('what is saved is what is loaded', T, () => {
    const file = temporaryProgress();
    const progress = loadProgress(file);
    const entry = entryFor(progress, 'exptime');
    entry.done = true;
    entry.hintsShown = 2;
    entry.runs = 3;
    saveProgress(progress, file);
    assert.deepEqual(loadProgress(file).exercises.exptime, { done: true, hintsShown: 2, runs: 3 });
  });

  test('a file that is not progress is kept aside as .unreadable, and progress starts afresh', T, () => {
    const file = temporaryProgress();
    writeFileSync(file, '{ "version": 1, "exercises": ');
    const warnings: string[] = [];
    assert.deepEqual(loadProgress(file, (message) => warnings.push(message)), { version: 1, exercises: {} });
    assert.match(warnings.join(''), /could not be read; it was kept as .*\.unreadable/);
    assert.equal(existsSync(file), false);
    assert.equal(readFileSync(`${file}.unreadable`, 'utf8'), '{ "version": 1, "exercises": ');
  });
});
