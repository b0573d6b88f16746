/**
 * The common conformance suite against Phase 4 with `--persist` into a fresh temporary folder:
 * every write also goes through the append-only log and waits for its commit, and `stats` adds the
 * `persist_*` lines — the protocol promises must hold all the same. The folder is removed after.
 */
import { after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conformanceSuite } from './suite.ts';

const dir = mkdtempSync(join(tmpdir(), 'kvlab-persist-conformance-'));
// Runs after the suite's own after(), which stops the server and so closes the log first.
after(() => rmSync(dir, { recursive: true, force: true }));

await conformanceSuite({ target: 'phase4', serverArgs: ['--persist', dir] });
