// CI builds the documentation site: TypeDoc with typedoc.json treats every warning and every broken
// link as an error, so a passing build means the guides and the API pages are whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../testing/server-process.ts';

/** The build takes about 20 s here; the rest is slack for a busy machine. */
const LIMIT_MS = 120_000;

/** Every guide the site must carry, by the file name TypeDoc gives its page. */
const GUIDES = [/overview/i, /phase_1/i, /phase_2/i, /protocol/i, /benchmark/i, /profiling/i];

test('npm run docs builds the site with no warning', { timeout: LIMIT_MS + 10_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'kvlab-site-'));
  try {
    // typedoc's package exports no bin path; find the package and take its bin from there.
    const typedoc = join(dirname(createRequire(import.meta.url).resolve('typedoc/package.json')), 'bin', 'typedoc');
    const child = spawn(process.execPath, [typedoc, '--out', out], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const guard = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS);
    const code = await new Promise<number | null>((done) => child.once('close', done));
    clearTimeout(guard);

    assert.equal(code, 0, `typedoc failed:\n${output}`);
    assert.doesNotMatch(output, /\[warning\]/, output);
    assert.ok(existsSync(join(out, 'index.html')));
    const documents = readdirSync(join(out, 'documents'));
    for (const guide of GUIDES) assert.ok(documents.some((page) => guide.test(page)), `no ${guide} page among ${documents.join(', ')}`);
    const guides = readdirSync(join(REPO_ROOT, 'docs')).filter((name) => name.endsWith('.md'));
    assert.equal(documents.length, guides.length, `docs/ holds ${guides.join(', ')}: list every guide in typedoc.json's projectDocuments`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
