// CI keeps the profiler working: one short, bounded `npm run profile -- flame` of phase 2, headless,
// must write an HTML report whose frames name the TypeScript sources. It opens nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../testing/server-process.ts';

/** tsc, a 3 s load and Flame's analysis take about 30 s here; the rest is slack for a busy machine. */
const LIMIT_MS = 150_000;

test('npm run profile -- flame --phase 2 writes a report with TypeScript frames', { timeout: LIMIT_MS + 10_000 }, async () => {
  const dest = mkdtempSync(join(tmpdir(), 'kvlab-profile-'));
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', 'shared/profiling/cli.ts', 'flame', '--phase', '2', '--duration', '3', '--dest', dest], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    // The profiler bounds itself; this guard only keeps a broken one from hanging CI.
    const guard = setTimeout(() => child.kill('SIGINT'), LIMIT_MS);
    const code = await new Promise<number | null>((done) => child.once('close', done));
    clearTimeout(guard);

    assert.equal(code, 0, `the profiler failed:\n${output}`);
    assert.match(output, /load: [\d,]+ requests in .*, 0 errors/, output);
    const report = /^report: (.+)$/m.exec(output)?.[1];
    assert.ok(report, `no report line in:\n${output}`);
    const html = resolve(REPO_ROOT, report);
    assert.ok(html.startsWith(dest) && existsSync(html), `${html} was not written under ${dest}`);
    const text = readFileSync(html, 'utf8');
    assert.match(text, /phases\/phase2\/event-connection\.ts:\d+:\d+/, 'the flame graph names the TypeScript source of the connection');
    assert.doesNotMatch(text, /dist\/phases\/phase2\/event-connection\.js/, 'no frame is left pointing at the compiled file');
  } finally {
    rmSync(dest, { recursive: true, force: true });
  }
});
