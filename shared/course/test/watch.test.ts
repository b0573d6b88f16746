/**
 * Watching: the watcher notices a save with file events and with polling, and `verify --watch`
 * checks again after each save and stops cleanly on Ctrl-C. The save is a touch (a new
 * modification time, the same bytes), so no file changes under the other tests' feet.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { absolutePath } from '../paths.ts';
import { watchFolder } from '../watch.ts';
import { RunningCli, temporaryProgress } from './run-cli.ts';

const T = { timeout: 60_000 };

/** Touches `file`: a new modification time, the same content. */
function touch(file: string): void {
  const now = new Date();
  utimesSync(file, now, now);
}

describe('watching for saves', { concurrency: 2 }, () => {
  for (const poll of [false, true]) {
    test(`the watcher notices a saved .ts file in a subfolder (${poll ? 'polling' : 'file events'})`, T, async () => {
      const folder = mkdtempSync(join(tmpdir(), 'kvlab-watch-'));
      mkdirSync(join(folder, 'phase1'));
      const file = join(folder, 'phase1', 'x.ts');
      writeFileSync(file, 'export {};\n');
      const seen: string[] = [];
      let noticed: () => void = () => undefined;
      const watcher = watchFolder(folder, (path) => {
        seen.push(path);
        noticed();
      }, { poll, intervalMs: 50 });
      try {
        assert.equal(watcher.mode, poll ? 'polling' : 'events');
        // Give the watcher a moment to take its first look (polling compares with it).
        await new Promise((resolve) => setTimeout(resolve, 120));
        const saw = new Promise<void>((resolve) => (noticed = resolve));
        writeFileSync(file, 'export const x = 1;\n');
        await Promise.race([saw, new Promise((resolve) => setTimeout(resolve, 5000))]);
        assert.ok(seen.includes(file), `saw ${JSON.stringify(seen)}`);
      } finally {
        watcher.close();
      }
    });
  }

  for (const poll of [false, true]) {
    test(`verify --watch checks again after a save, and stops on Ctrl-C (${poll ? 'polling' : 'file events'})`, T, async () => {
      const args = ['--watch', '--source', 'solutions', 'exptime', ...(poll ? ['--poll'] : [])];
      const cli = RunningCli.start('verify', args, temporaryProgress());
      try {
        assert.ok(await cli.waitFor('All 5 checks pass', 1, 20_000), cli.stdout);
        assert.ok(await cli.waitFor(`Watching solutions/ (${poll ? 'polling' : 'file events'})`, 1, 5000), cli.stdout);
        touch(absolutePath('solutions/phase1/exptime.ts'));
        assert.ok(await cli.waitFor('All 5 checks pass', 2, 20_000), cli.stdout);
      } finally {
        assert.equal(await cli.stop('SIGINT'), 0, cli.stdout);
      }
    });
  }
});
