/**
 * Points a flame profile of the compiled server (dist/…/x.js:line:col) back at the TypeScript
 * (phases/…/x.ts:line:col). V8 names a JavaScript frame `<function> <file URL>:<line>:<column>`,
 * both 1-based, at the function's parameter list; tsc's source map gives the TypeScript position
 * of that same token. Frames outside dist/ (Node's own, node_modules) are left as they are.
 * @module
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A frame of the compiled code: function name (may be empty), file URL, line, column. */
const COMPILED_FRAME = /^(.*) (file:\/\/\S+?\.js):(\d+):(\d+)$/;

/** Source maps of compiled files, loaded once each. */
export class SourceMaps {
  private readonly maps = new Map<string, SourceMap | null>();

  /** @param distRoot - absolute path of the compiled tree; only files under it are mapped */
  constructor(private readonly distRoot: string) {}

  /**
   * The TypeScript position of a 1-based `line`:`column` in compiled `file`, or null when the file
   * is not compiled code or has no mapping there.
   */
  lookup(file: string, line: number, column: number): { file: string; line: number; column: number } | null {
    const map = this.mapFor(file);
    if (!map) return null;
    const entry = map.findEntry(line - 1, column - 1);
    // findEntry answers {} where no mapping covers the position.
    if (!('originalSource' in entry)) return null;
    return { file: resolve(dirname(file), entry.originalSource), line: entry.originalLine + 1, column: entry.originalColumn + 1 };
  }

  /** The TypeScript file compiled into `file` (tsc maps each output to one source), or null. */
  sourceFile(file: string): string | null {
    const source = this.mapFor(file)?.payload.sources[0];
    return source === undefined ? null : resolve(dirname(file), source);
  }

  private mapFor(file: string): SourceMap | null {
    let map = this.maps.get(file);
    if (map === undefined) {
      map = file.startsWith(this.distRoot + sep) ? readMap(`${file}.map`) : null;
      this.maps.set(file, map);
    }
    return map;
  }
}

function readMap(path: string): SourceMap | null {
  try {
    return new SourceMap(JSON.parse(readFileSync(path, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
  } catch {
    return null; // no map (a file tsc did not emit): the frame keeps its compiled name
  }
}

/**
 * Renames one frame: `serve file:///r/dist/p/x.js:46:10` becomes `serve /r/p/x.ts:75:16`. A plain
 * path rather than a URL, like a CommonJS frame, so the report shows it relative to the project.
 */
export function remapFrameName(name: string, maps: SourceMaps): string {
  const match = COMPILED_FRAME.exec(name);
  if (!match) return name;
  const [, fn, url, line, column] = match;
  const original = maps.lookup(fileURLToPath(url!), Number(line), Number(column));
  return original ? `${fn} ${original.file}:${original.line}:${original.column}` : name;
}

/** Renames a compiled file URL to its TypeScript path; anything else is returned as it is. */
export function remapFile(file: string, maps: SourceMaps): string {
  if (!file.startsWith('file://') || !file.endsWith('.js')) return file;
  return maps.sourceFile(fileURLToPath(file)) ?? file;
}

/** Renames the file part of a `<function> <file URL>` key of the inlining table (it has no line). */
export function remapFunctionKey(key: string, maps: SourceMaps): string {
  const space = key.lastIndexOf(' ');
  if (space === -1) return key;
  return `${key.slice(0, space)} ${remapFile(key.slice(space + 1), maps)}`;
}
