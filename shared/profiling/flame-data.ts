/**
 * Rewrites a collected Clinic.js Flame data folder (`<id>.clinic-flame/`) so that every frame of
 * the compiled server names its TypeScript file and line: the samples, the table of inlined
 * functions (keyed by function and file), and the project folder the report shows paths from.
 * @module
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { remapFile, remapFrameName, remapFunctionKey, SourceMaps } from './flame-source-map.ts';

/** One frame of one sample, as 0x writes it (other fields are kept unread). */
interface SampleFrame {
  name: string;
  readonly type: string;
}

/** Where an inlined function was inlined into (0x's `meta.json`). */
interface InlinedCaller {
  file: string;
  key: string;
}

/** One inlining record. */
interface InlinedRecord {
  file: string;
  readonly caller: InlinedCaller;
}

async function fileEndingWith(folder: string, suffix: string): Promise<string> {
  const name = (await readdir(folder)).find((entry) => entry.endsWith(suffix));
  if (!name) throw new Error(`${folder} holds no *${suffix} file: is it a clinic flame data folder?`);
  return join(folder, name);
}

async function rewriteJson<T>(file: string, change: (data: T) => T): Promise<void> {
  const data = JSON.parse(await readFile(file, 'utf8')) as T;
  await writeFile(file, JSON.stringify(change(data)));
}

/**
 * Remaps the data folder `folder` in place.
 * @param folder - the `<id>.clinic-flame` folder clinic flame collected
 * @param projectRoot - the repository root; the report shows paths relative to it
 * @param distRoot - the compiled tree whose frames are remapped
 * @returns how many frames now point at TypeScript
 */
export async function remapFlameData(folder: string, projectRoot: string, distRoot: string): Promise<number> {
  const maps = new SourceMaps(distRoot);
  let remapped = 0;
  await rewriteJson<SampleFrame[][]>(await fileEndingWith(folder, '-samples'), (samples) => {
    for (const stack of samples) {
      for (const frame of stack) {
        if (frame.type !== 'JS') continue;
        const name = remapFrameName(frame.name, maps);
        if (name !== frame.name) remapped++;
        frame.name = name;
      }
    }
    return samples;
  });
  await rewriteJson<Record<string, InlinedRecord[]>>(await fileEndingWith(folder, '-inlinedfunctions'), (table) => {
    const renamed: Record<string, InlinedRecord[]> = {};
    for (const [key, records] of Object.entries(table)) {
      for (const record of records) {
        record.file = remapFile(record.file, maps);
        record.caller.file = remapFile(record.caller.file, maps);
        record.caller.key = remapFunctionKey(record.caller.key, maps);
      }
      renamed[remapFunctionKey(key, maps)] = records;
    }
    return renamed;
  });
  await rewriteJson<{ mainDirectory: string }>(await fileEndingWith(folder, '-systeminfo'), (info) => ({ ...info, mainDirectory: projectRoot }));
  return remapped;
}
