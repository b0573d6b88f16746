// Unit tests of the profiler's parts: its command line, the dist/ fix-up of worker URLs, and the
// mapping of compiled frames back to TypeScript through a real tsc source map.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { OptionError } from '../runtime/cli.ts';
import { pointModuleUrlsAtJs } from './build-dist.ts';
import { remapFile, remapFrameName, remapFunctionKey, SourceMaps } from './flame-source-map.ts';
import { parseProfileArgs } from './profile-options.ts';

describe('parseProfileArgs', { timeout: 5000 }, () => {
  test('reads the tool, the options and the server options after --', () => {
    const request = parseProfileArgs(['flame', '--phase', '1', '--protocol', 'binary', '--duration', '3', '--', '--workers', '0']);
    assert.deepEqual(request, {
      tool: 'flame', phase: 1, protocol: 'binary', durationS: 3, connections: 50, pipeline: 1, dest: '.clinic', serverArgs: ['--workers', '0'],
    });
  });

  test('defaults to phase 2, text, 10 s', () => {
    const request = parseProfileArgs(['doctor']);
    assert.equal(request.phase, 2);
    assert.equal(request.protocol, 'text');
    assert.equal(request.durationS, 10);
  });

  test('rejects an unknown tool, protocol or phase', () => {
    assert.throws(() => parseProfileArgs([]), OptionError);
    assert.throws(() => parseProfileArgs(['perf']), /first argument must be a tool/);
    assert.throws(() => parseProfileArgs(['flame', '--protocol', 'udp']), /--protocol must be text or binary/);
    assert.throws(() => parseProfileArgs(['flame', '--phase', '9']), /--phase must be between 1 and 4/);
  });
});

describe('pointModuleUrlsAtJs', { timeout: 5000 }, () => {
  test('renames .ts worker URLs and keeps every column', () => {
    const source = "const A = new URL('./worker.ts', import.meta.url);\nconst B = new URL(\"../x/y.ts\", import.meta.url);";
    const fixed = pointModuleUrlsAtJs(source);
    assert.equal(fixed, "const A = new URL('./worker.js', import.meta.url);\nconst B = new URL(\"../x/y.js\", import.meta.url);");
    assert.equal(fixed.length, source.length);
  });

  test('leaves other URLs alone', () => {
    const source = "new URL('https://example.test/a.ts'); new URL('./data.json', import.meta.url);";
    assert.equal(pointModuleUrlsAtJs(source), source);
  });
});

describe('source-mapped frames', { timeout: 10_000 }, () => {
  let root = '';
  let compiled = '';
  let maps: SourceMaps;

  before(() => {
    // A TypeScript file whose types shift the compiled lines: the interface and the annotations vanish.
    root = mkdtempSync(join(tmpdir(), 'kvlab-frames-'));
    const source = [
      'interface Point {',
      '  x: number;',
      '  y: number;',
      '}',
      '',
      'export function norm(point: Point): number {',
      '  return Math.hypot(point.x, point.y);',
      '}',
      '',
    ].join('\n');
    mkdirSync(join(root, 'src'));
    mkdirSync(join(root, 'dist', 'src'), { recursive: true });
    writeFileSync(join(root, 'src', 'point.ts'), source);
    const output = ts.transpileModule(source, {
      fileName: 'point.ts',
      compilerOptions: { sourceMap: true, module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    compiled = join(root, 'dist', 'src', 'point.js');
    writeFileSync(compiled, output.outputText);
    // tsc names the source relative to the map, as tsconfig.build.json's build does.
    const map = JSON.parse(output.sourceMapText!) as { sources: string[] };
    map.sources = ['../../src/point.ts'];
    writeFileSync(`${compiled}.map`, JSON.stringify(map));
    maps = new SourceMaps(join(root, 'dist'));
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  test('a compiled frame names its TypeScript file, line and column', () => {
    // `export function norm(` is on line 1 of the output; V8 points at the parameter list.
    const column = 'export function norm('.length;
    const frame = `norm ${pathToFileURL(compiled).href}:1:${column}`;
    assert.equal(remapFrameName(frame, maps), `norm ${join(root, 'src', 'point.ts')}:6:${column}`);
  });

  test('frames outside dist/ and frames of Node itself stay as they are', () => {
    assert.equal(remapFrameName('writeOrBuffer node:internal/streams/writable:548:23', maps), 'writeOrBuffer node:internal/streams/writable:548:23');
    const elsewhere = `f ${pathToFileURL(join(root, 'src', 'other.js')).href}:3:4`;
    assert.equal(remapFrameName(elsewhere, maps), elsewhere);
  });

  test('inlining keys and files map to the TypeScript file', () => {
    const url = pathToFileURL(compiled).href;
    assert.equal(remapFile(url, maps), join(root, 'src', 'point.ts'));
    assert.equal(remapFunctionKey(`norm ${url}`, maps), `norm ${join(root, 'src', 'point.ts')}`);
    assert.equal(remapFunctionKey('isPosixPathSeparator node:path', maps), 'isPosixPathSeparator node:path');
  });
});
