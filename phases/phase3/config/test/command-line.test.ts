/**
 * configOrExit: help and --print-config exit 0, a bad configuration exits 2 with its one line, and
 * a real child process reads flags, environment and a file as phase 3's main will.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configOrExit, type ProcessIo } from '../command-line.ts';

const T = { timeout: 10_000 };

/** What a fake process saw; `exit` throws so that configOrExit stops there, as the real one would. */
class Exited extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function fakeProcess(argv: string[], env: Record<string, string> = {}) {
  const seen = { stdout: '', stderr: '' };
  const io: ProcessIo = {
    argv, env, isRoot: false,
    stdout: (text) => { seen.stdout += text; },
    stderr: (text) => { seen.stderr += text; },
    exit: (code) => { throw new Exited(code); },
  };
  return { io, seen };
}

/** configOrExit's exit code, or undefined when it returned a configuration. */
function exitCode(io: ProcessIo): number | undefined {
  try {
    configOrExit('kvlab', io);
    return undefined;
  } catch (error) {
    if (error instanceof Exited) return error.code;
    throw error;
  }
}

describe('configOrExit', () => {
  test('returns the configuration when there is nothing to print', T, () => {
    const { io, seen } = fakeProcess(['-p', '1'], { KVLAB_SLOW_MS: '3' });
    const config = configOrExit('kvlab', io);
    assert.equal(config.options.port, 1);
    assert.equal(config.options['slow-ms'], 3);
    assert.equal(seen.stdout + seen.stderr, '');
  });

  test('--help and -h print the usage and exit 0, even beside a bad flag', T, () => {
    for (const argv of [['--help'], ['-h'], ['--nonsense', '-h'], ['-Ah']]) {
      const { io, seen } = fakeProcess(argv);
      assert.equal(exitCode(io), 0);
      assert.match(seen.stdout, /^usage: kvlab \[options\]/);
      assert.match(seen.stdout, /--metrics-port <port>/);
      assert.match(seen.stdout, /env KVLAB_SLOW_MS; reloads on SIGHUP/);
      assert.match(seen.stdout, /-t <value> +--workers/);
      assert.match(seen.stdout, /-d +refused: KV Lab does not daemonize/);
    }
  });

  test('a bad configuration: one line on stderr, exit 2', T, () => {
    const { io, seen } = fakeProcess([], { KVLAB_PORT: '99999' });
    assert.equal(exitCode(io), 2);
    assert.equal(seen.stderr, 'kvlab: invalid port from env KVLAB_PORT: "99999" (allowed: an integer from 0 to 65535) (see --help)\n');
    assert.equal(seen.stdout, '');
  });

  test('--print-config prints and exits 0', T, () => {
    const { io, seen } = fakeProcess(['--print-config', '-A']);
    assert.equal(exitCode(io), 0);
    assert.match(seen.stdout, /^enable-shutdown = true +# flag -A$/m);
  });
});

describe('a child process, as phase 3 runs', () => {
  const entry = fileURLToPath(new URL('./config-entry.ts', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'kvlab-config-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'kvlab.toml');
  writeFileSync(file, 'port = 11500\nmax-item-size = "4m"\nlog-level = "warn"\n');

  /**
   * Runs the entry with `args`; the environment holds only PATH, coverage's folder (so c8 sees the
   * child) and `env`. Killed after 30 s at most.
   */
  const coverage = process.env.NODE_V8_COVERAGE === undefined ? {} : { NODE_V8_COVERAGE: process.env.NODE_V8_COVERAGE };
  function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', entry, ...args], {
        env: { PATH: process.env.PATH ?? '', ...coverage, ...env }, timeout: 30_000, killSignal: 'SIGKILL',
      }, (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
      });
    });
  }

  test('--print-config shows the flag, the environment and the file, each with its origin', { timeout: 40_000 }, async () => {
    const { code, stdout, stderr } = await run(['--config', file, '-p', '11600', '--print-config'], { KVLAB_MEMORY_MB: '256', KVLAB_LOG_LEVEL: 'debug' });
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^port = 11600 +# flag -p$/m);
    assert.match(stdout, /^memory-mb = 256 +# env KVLAB_MEMORY_MB$/m);
    assert.match(stdout, /^log-level = "debug" +# env KVLAB_LOG_LEVEL$/m);
    assert.ok(stdout.includes(`max-item-size = "4m"`) && stdout.includes(`# file ${file}:max-item-size`), stdout);
    assert.doesNotMatch(stdout, /would serve/);
  });

  test('a bad value in the file exits 2 with one line naming it', { timeout: 40_000 }, async () => {
    const bad = join(dir, 'bad.toml');
    writeFileSync(bad, 'requests-per-turn = 0\n');
    const { code, stdout, stderr } = await run([], { KVLAB_CONFIG: bad });
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.equal(stderr, `config-entry: invalid requests-per-turn from file ${bad}:requests-per-turn: 0 (allowed: an integer from 1 to 1000000) (see --help)\n`);
  });
});
