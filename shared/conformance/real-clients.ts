/**
 * Real memcached clients against the target: the `memcached` npm package (text protocol), memjs
 * (binary protocol), both with real round trips, and libmemcached's command-line tools memccp,
 * memccat and memcstat.
 * A target that passes the transcripts but confuses a real client has a gap the transcripts miss.
 * @module
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { inspect } from 'node:util';
import Memcached from 'memcached';
import memjs from 'memjs';
import type { Target } from './target.ts';

/** Every real-client call gets this long; the npm client's own default (5 s) is no shorter. */
const CLIENT_TIMEOUT_MS = 5000;

/** The libmemcached tools used here (Debian's libmemcached-tools names them with a `memc` prefix). */
export const LIBMEMCACHED_TOOLS = ['memccp', 'memccat', 'memcstat'] as const;

/** The full path of `program` found on PATH, or null. */
function findProgram(program: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const path = join(dir, program);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // Not in this directory: keep looking.
    }
  }
  return null;
}

/** Why the libmemcached tools cannot run here, or false when they can. */
export function libmemcachedUnavailable(): string | false {
  const missing = LIBMEMCACHED_TOOLS.filter((tool) => findProgram(tool) === null);
  return missing.length > 0 ? `${missing.join(', ')} not installed (apt-get install libmemcached-tools)` : false;
}

/** Runs a tool with `--servers=HOST:PORT` and resolves with its exit code and output. */
function runTool(tool: string, target: Target, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const server = target.host.includes(':') ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
  return new Promise((resolve) => {
    execFile(tool, [`--servers=${server}`, ...args], { timeout: CLIENT_TIMEOUT_MS }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** memccp stores a file under its base name; memccat prints it back byte for byte. */
export async function checkMemccpMemccat(target: Target, prefix: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kvlab-memccp-'));
  try {
    const name = `${prefix}-file.txt`;
    const content = `copied by memccp for ${prefix}\nsecond line\n`;
    writeFileSync(join(dir, name), content);
    const copy = await runTool('memccp', target, [join(dir, name)]);
    assert.equal(copy.code, 0, `memccp against ${target.label} failed: ${copy.stderr}${copy.stdout}`);
    const cat = await runTool('memccat', target, [name]);
    assert.equal(cat.code, 0, `memccat against ${target.label} failed: ${cat.stderr}`);
    // memccat ends what it prints with a newline of its own.
    assert.equal(cat.stdout, `${content}\n`, `memccat against ${target.label} printed another value`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** memcstat prints a `Server: HOST (PORT)` heading and the server's statistics, pid among them. */
export async function checkMemcstat(target: Target): Promise<void> {
  const stat = await runTool('memcstat', target, []);
  assert.equal(stat.code, 0, `memcstat against ${target.label} failed: ${stat.stderr}`);
  assert.ok(stat.stdout.includes(`Server: ${target.host} (${target.port})`), `memcstat printed no heading for the server:\n${stat.stdout}`);
  assert.match(stat.stdout, /^\s+pid: \d+$/m, `memcstat printed no pid:\n${stat.stdout}`);
  assert.match(stat.stdout, /^\s+curr_items: \d+$/m, `memcstat printed no curr_items:\n${stat.stdout}`);
}

/** Wraps one npm-client call in a promise. */
function call<T>(start: (done: (error: unknown, result: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    start((error, result) => (error ? reject(error instanceof Error ? error : new Error(inspect(error))) : resolve(result)));
  });
}

/** The `memcached` npm package: set, get, incr, del and a miss, each a real round trip. */
export async function checkNpmClient(target: Target, prefix: string): Promise<void> {
  const client = new Memcached(`${target.host}:${target.port}`, { retries: 0, timeout: CLIENT_TIMEOUT_MS, idle: CLIENT_TIMEOUT_MS });
  try {
    const key = `${prefix}-npm`;
    assert.equal(await call<boolean>((done) => client.set(key, 'hello from npm', 0, done)), true, 'set');
    assert.equal(await call<unknown>((done) => client.get(key, done)), 'hello from npm', 'get');
    assert.equal(await call<boolean>((done) => client.set(`${key}-n`, '41', 0, done)), true, 'set of a number');
    assert.equal(await call<boolean | number>((done) => client.incr(`${key}-n`, 1, done)), 42, 'incr');
    assert.equal(await call<boolean>((done) => client.del(key, done)), true, 'del');
    assert.equal(await call<unknown>((done) => client.get(key, done)), undefined, 'get after del');
  } finally {
    client.end();
  }
}

/** memjs, a binary-protocol client: set with flags and expiry, get, increment, delete, a miss. */
export async function checkMemjs(target: Target, prefix: string): Promise<void> {
  const server = target.host.includes(':') ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
  const client = memjs.Client.create(server, { retries: 0, timeout: CLIENT_TIMEOUT_MS / 1000, conntimeout: CLIENT_TIMEOUT_MS / 1000 });
  try {
    const key = `${prefix}-memjs`;
    assert.equal(await client.set(key, 'hello from memjs', { expires: 300 }), true, 'set');
    const got = await client.get(key);
    assert.equal(got.value?.toString(), 'hello from memjs', 'get');
    assert.equal(await client.set(`${key}-n`, '41', {}), true, 'set of a number');
    const incremented = await client.increment(`${key}-n`, 1, {});
    assert.equal(incremented.value, 42, 'increment');
    assert.equal(await client.delete(key), true, 'delete');
    assert.equal((await client.get(key)).value, null, 'get after delete');
  } finally {
    client.close();
  }
}
