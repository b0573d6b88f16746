/**
 * Compiles phases/ and shared/ with tsc into dist/ (tsconfig.build.json), with source maps, so a
 * profiler runs plain JavaScript whose every position maps back to a TypeScript line.
 *
 * One fix-up follows: tsc rewrites `./x.ts` in import specifiers but not inside
 * `new URL('./x.ts', import.meta.url)`, the way worker entry points are named. Those become
 * `./x.js`; `.ts` and `.js` have the same length, so no column moves and the maps stay exact.
 * @module
 */
import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The folder tsc writes to, relative to the repository root (set in tsconfig.build.json). */
export const DIST = 'dist';

/** A relative module URL built next to `import.meta.url`, naming a `.ts` file. */
const TS_MODULE_URL = /new URL\((['"])(\.{1,2}\/[^'"]+)\.ts\1, import\.meta\.url\)/g;

/** Rewrites `new URL('./x.ts', import.meta.url)` to `./x.js` in one emitted file's text. */
export function pointModuleUrlsAtJs(source: string): string {
  return source.replace(TS_MODULE_URL, (_match, quote: string, path: string) => `new URL(${quote}${path}.js${quote}, import.meta.url)`);
}

function runTsc(root: string): Promise<void> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const child = spawn(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tsc -p tsconfig.build.json exited with ${code}`))));
  });
}

async function fixModuleUrls(folder: string): Promise<void> {
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const file = join(entry.parentPath, entry.name);
    const source = await readFile(file, 'utf8');
    const fixed = pointModuleUrlsAtJs(source);
    if (fixed !== source) await writeFile(file, fixed);
  }
}

/** Builds `<root>/dist`. Rejects when tsc fails; tsc's own messages go to stderr. */
export async function buildDist(root: string): Promise<void> {
  await runTsc(root);
  await fixModuleUrls(join(root, DIST));
}
