/**
 * The course's shape: enough exercises per phase, each with its stub, its tests and its reference
 * answer in place; every reference answer *is* the module the servers run (a re-export, nothing
 * else); every stub exports the same names as that module; each lists as its servers the phases
 * whose entry point imports that module; every hint list climbs somewhere.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { EXERCISES, findExercise, PHASES } from '../catalog/index.ts';
import { absolutePath, fromRepo, implementationPath, repoUrl, Source, testPath } from '../paths.ts';
import { isAsShipped } from '../pristine.ts';

const T = { timeout: 20_000 };

/**
 * A module's relative imports that run: `import … from`, `export … from`, a literal `import('./…')`
 * and a worker's `new URL('./….ts', import.meta.url)`; not `import type`, which the build erases.
 */
const RUNTIME_IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?'(\.[^']+)'|import\('(\.[^']+)'\)|new URL\('(\.[^']+\.ts)', import\.meta\.url\)/g;

/** Every repository-relative module a phase's entry point reaches through runtime imports. */
function modulesRun(phase: number): Set<string> {
  const seen = new Set<string>();
  const pending = [absolutePath(`phases/phase${phase}/main.ts`)];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(RUNTIME_IMPORT)) {
      const target = resolve(dirname(file), (match[1] ?? match[2] ?? match[3])!);
      if (target.endsWith('.ts') && existsSync(target)) pending.push(target);
    }
  }
  return new Set([...seen].map(fromRepo));
}

/** Each export's kind: its typeof, and a function's or class's parameter count. */
function shape(module: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(module).map(([name, value]) =>
    [name, typeof value === 'function' ? `function/${value.length}` : typeof value]));
}

describe('course catalog', () => {
  test('every phase has at least four exercises, numbered in order, ids unique', T, () => {
    for (const phase of [1, 2, 3]) {
      const ofPhase = EXERCISES.filter((exercise) => exercise.phase === phase);
      assert.ok(ofPhase.length >= 4, `phase ${phase} has ${ofPhase.length} exercises`);
      assert.deepEqual(ofPhase.map((exercise) => exercise.number), ofPhase.map((_, i) => `${phase}.${i + 1}`));
    }
    assert.equal(new Set(EXERCISES.map((exercise) => exercise.id)).size, EXERCISES.length);
    assert.deepEqual(PHASES, [1, 2, 3, 4]);
  });

  test('every exercise names a real module, a server that runs it, a goal, and at least three hints', T, () => {
    for (const exercise of EXERCISES) {
      assert.ok(existsSync(absolutePath(exercise.module)), `${exercise.id}: ${exercise.module} is missing`);
      assert.ok(exercise.servers.includes(exercise.phase), `${exercise.id}: its own phase's server must run it`);
      assert.ok(exercise.goal.length > 20, `${exercise.id}: goal`);
      assert.ok(exercise.hints.length >= 3, `${exercise.id}: ${exercise.hints.length} hints`);
      assert.equal(new Set(exercise.hints).size, exercise.hints.length, `${exercise.id}: a hint is repeated`);
    }
  });

  test('every exercise lists as its servers exactly the phases, its own and later, whose server runs its module', T, () => {
    // A capstone swaps in the learner's files of its own phase and earlier ones, never a later
    // phase's: phase 1 also runs phase 3's shutdown sequence, as the reference, not the stub.
    const run = new Map(PHASES.map((phase) => [phase, modulesRun(phase)]));
    for (const exercise of EXERCISES) {
      const runners = PHASES.filter((phase) => phase >= exercise.phase && run.get(phase)!.has(exercise.module));
      assert.deepEqual([...exercise.servers], runners, `${exercise.id}: the phases whose server imports ${exercise.module}`);
    }
  });

  test('every exercise has its stub, its tests and its reference answer', T, () => {
    for (const exercise of EXERCISES) {
      for (const path of [implementationPath(exercise, Source.Exercises), testPath(exercise), implementationPath(exercise, Source.Solutions)]) {
        assert.ok(existsSync(absolutePath(path)), `${path} is missing`);
      }
    }
  });

  test('every reference answer is the module the servers run: one re-export, nothing else', T, () => {
    for (const exercise of EXERCISES) {
      const solution = implementationPath(exercise, Source.Solutions);
      const code = readFileSync(absolutePath(solution), 'utf8').replace(/\/\*\*[\s\S]*?\*\//g, '').trim();
      const target = relative(dirname(absolutePath(solution)), absolutePath(exercise.module));
      assert.equal(code, `export * from '${target}';`, `${solution} must only re-export ${exercise.module}`);
    }
  });

  test('every shipped stub still has its TODOs, and says what and why', T, (t) => {
    for (const exercise of EXERCISES) {
      const stub = implementationPath(exercise, Source.Exercises);
      if (isAsShipped(stub) === false) {
        t.diagnostic(`${stub} has been edited: not checked`);
        continue;
      }
      const text = readFileSync(absolutePath(stub), 'utf8');
      assert.match(text, /\btodo\('/, `${stub} calls todo()`);
      assert.match(text, /TODO: .*\n[\s\S]*Why/, `${stub} says what to do and why`);
      assert.ok(text.startsWith('/**'), `${stub} opens with its header comment`);
    }
  });

  test('every stub exports the same names, of the same kinds, as its module', T, async () => {
    for (const exercise of EXERCISES) {
      const stub = (await import(repoUrl(implementationPath(exercise, Source.Exercises)).href)) as Record<string, unknown>;
      const real = (await import(repoUrl(exercise.module).href)) as Record<string, unknown>;
      assert.deepEqual(shape(stub), shape(real), `exports of ${exercise.id}'s stub and of ${exercise.module}`);
    }
  });

  test('an exercise can be named by id, number or path', T, () => {
    assert.equal(findExercise('atomics-lock')?.number, '1.4');
    assert.equal(findExercise('1.4')?.id, 'atomics-lock');
    assert.equal(findExercise('phase2/ring-buffer')?.id, 'ring-buffer');
    assert.equal(findExercise('exercises/phase2/ring-buffer.ts')?.id, 'ring-buffer');
    assert.equal(findExercise('nothing'), undefined);
  });
});
