/**
 * Writes a run's files into the results folder (git-ignored): the JSON report and, for a load
 * run, the SVG chart. Names carry the mode and the start time so runs never overwrite each other.
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { REPO_ROOT } from '../testing/server-process.ts';

/** The paths written, relative to the repository root when inside it. */
export interface WrittenResults {
  readonly json: string;
  readonly svg: string | undefined;
}

/** Writes `report` (and `svg` when given) under `outDir`; a relative folder is taken from the repository root. */
export function writeResults(outDir: string, mode: string, startedAt: string, report: unknown, svg?: string): WrittenResults {
  const folder = isAbsolute(outDir) ? outDir : join(REPO_ROOT, outDir);
  mkdirSync(folder, { recursive: true });
  const stem = join(folder, `bench-${mode}-${startedAt.replace(/[:.]/g, '-')}`);
  writeFileSync(`${stem}.json`, `${JSON.stringify(report, null, 2)}\n`);
  if (svg !== undefined) writeFileSync(`${stem}.svg`, svg);
  const shown = (path: string) => (path.startsWith(REPO_ROOT) ? relative(REPO_ROOT, path) : path);
  return { json: shown(`${stem}.json`), svg: svg === undefined ? undefined : shown(`${stem}.svg`) };
}
