/**
 * The test runner behind `npm test`: lists every `*.test.ts` file explicitly (node:test on Node 20
 * expands no globs, and `--test dir/` silently finds no `.ts` file), runs them with node:test,
 * prints one closing line `N passed, N failed, N skipped`, and fails when no test ran at all.
 *
 * Usage: `node --import tsx shared/testing/run-tests.ts [path-prefix…]` — prefixes narrow the run,
 * e.g. `npm run test:unit -- shared/protocol`.
 * @module
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from './server-process.ts';

/** Folders that hold tests; node_modules and generated folders are never searched. */
const ROOTS = ['phases', 'shared', 'solutions'];
const SKIP = new Set(['node_modules', 'coverage', 'site', 'dist', 'results', '.clinic']);

function findTests(dir: string, found: string[]): string[] {
  if (!existsSync(dir)) return found;
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, found);
    else if (name.endsWith('.test.ts')) found.push(relative(REPO_ROOT, path));
  }
  return found;
}

const prefixes = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const files = ROOTS.flatMap((root) => findTests(join(REPO_ROOT, root), []))
  .filter((file) => prefixes.length === 0 || prefixes.some((p) => file.startsWith(p)))
  .sort();

if (files.length === 0) {
  console.error(`no test files found${prefixes.length ? ` under ${prefixes.join(', ')}` : ''}`);
  process.exit(1);
}

const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${process.env.KVLAB_TEST_CONCURRENCY ?? 2}`, ...files],
  { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
);

// The spec reporter ends with "ℹ tests N", "ℹ pass N", "ℹ fail N", "ℹ skipped N": read them back.
let tail = '';
child.stdout.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString('utf8')).slice(-4096);
});

// 'close', not 'exit': only then has all of the child's output been read.
child.on('close', (code) => {
  const count = (label: string) => Number(new RegExp(`ℹ ${label} (\\d+)`).exec(tail)?.[1] ?? 0);
  const [tests, passed, failed, skipped] = [count('tests'), count('pass'), count('fail'), count('skipped')];
  console.log(`\n${files.length} test files`);
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  if (tests === 0) {
    console.error('no test ran: treating this as a failure');
    process.exit(1);
  }
  process.exit(code === 0 && failed === 0 ? 0 : 1);
});
