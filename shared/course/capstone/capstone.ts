/**
 * `npm run verify -- --server phaseN [--bench]`: the capstone. The phase's server is assembled
 * from the learner's exercise files (phases 1 … N) and put through the same conformance suite as
 * the reference — from phase 2 on twice, on the event loop and with worker threads behind the
 * rings, because each runs different exercises; from phase 3 on also its metrics page and a
 * SIGTERM that must drain; for phase 4 in the modes that put its exercises to work (a rate limit,
 * persistence with a crash and a restart, SASL logins, which the suite cannot speak, checked on
 * their own) — and, on request, through the benchmark beside the reference server and real
 * memcached.
 * @module
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Capability } from '../../conformance/capabilities.ts';
import { phaseCapabilities } from '../../../phases/registry.ts';
import { memcachedInstalled, type RunningServer } from '../../testing/server-process.ts';
import { exercisesOfServer } from '../catalog/index.ts';
import { absolutePath, implementationPath, Source } from '../paths.ts';
import { loadProgress } from '../progress.ts';
import { Mark, paint } from '../cli/paint.ts';
import { startAssembled } from './assemble.ts';
import { runConformance, type SuiteOutcome } from './conformance-run.ts';
import { filesInUse, USING_PREFIX } from './redirects.ts';
import { loggedErrors } from './server-log.ts';
import { checkGracefulStop, checkMetricsPage, type OperationsOutcome } from './operations.ts';
import { checkRestored, crash, storeMarkers } from './restart-check.ts';
import { checkSaslLogins, SASL_USERS_FILE } from './sasl-check.ts';
import { checkRateLimit, rateLimitArgs, type RateLimit } from './rate-check.ts';
import { loadProblem, whereInExercise } from '../runner/stack-lines.ts';
import { smokeCheck } from './smoke.ts';

/** One way of running a phase's server, and which exercises it puts to work. */
export interface Configuration {
  readonly label: string;
  readonly args: readonly string[];
  /** After the suite, scrape the metrics page (the args must include `--metrics-port 0`). */
  readonly metrics?: boolean;
  /** Stop with SIGTERM and expect a drain and exit 0 within this many ms (the server is killed after). */
  readonly gracefulStopMs?: number;
  /** What the phase declares but this mode does not offer: the suite skips those tests here. */
  readonly without?: readonly Capability[];
  /** Writes what the server needs into a fresh folder (removed after) and returns the arguments naming it. */
  readonly folder?: (dir: string) => readonly string[];
  /** A mode the suite cannot speak to (logins on): this focused check instead of it and of the smoke check. */
  readonly instead?: (server: RunningServer) => Promise<OperationsOutcome>;
  /** After the suite and the metrics page, a focused check of what the suite cannot see. */
  readonly after?: (server: RunningServer) => Promise<OperationsOutcome>;
  /** After the suite, store items, kill the server (SIGKILL) and start it again: they must be back. */
  readonly crashAndRestart?: boolean;
}

/** Phase 3's servers drain in milliseconds once the suite is done: 2 s bounds a shutdown that forces. */
const PHASE3_ARGS = ['--metrics-port', '0', '--shutdown-timeout', '2'];
/** The drain's deadline, plus time to close the workers and exit. */
const PHASE3_STOP_MS = 6000;

/**
 * Phase 4's rate limit, per client address (the whole suite is one client): above the suite's
 * pace, its pipelined bursts included, so the suite is not held back; the check after it holds
 * one client to it for a fifth of a second (4,000 requests past the burst).
 */
const PHASE4_RATE: RateLimit = { rate: 20_000, burst: 1000 };
/** A refused login is answered at once: the SASL check fails on purpose, from one address. */
const SASL_ARGS = ['-S', '--auth-delay-ms', '0'];

/** Phase 1 always with several workers, so the pool and the lock are really shared. */
const CONFIGURATIONS: Readonly<Record<number, readonly Configuration[]>> = {
  1: [{ label: 'with 2 worker threads', args: ['--workers', '2'] }],
  2: [
    { label: 'on the event loop', args: [] },
    { label: 'with 2 worker threads behind the rings', args: ['--workers', '2'] },
  ],
  // As phase 2 (each mode runs different exercises), plus the metrics page and a SIGTERM, which
  // put the histogram exposition and the shutdown sequence to work.
  3: [
    { label: 'on the event loop', args: PHASE3_ARGS, metrics: true, gracefulStopMs: PHASE3_STOP_MS },
    { label: 'with 2 worker threads behind the rings', args: ['--workers', '2', ...PHASE3_ARGS], metrics: true, gracefulStopMs: PHASE3_STOP_MS },
  ],
  // As phase 3, on the slab store (the size classes), each mode with one of phase 4's parts:
  // persistence, whose record reader runs when a restart replays the log (it refuses ring
  // workers; --fsync always, so every reply waits for its record to be on disk and a crash may
  // lose nothing a client was told was stored), the token buckets under the rate limit, and
  // SASL's PLAIN message, checked alone.
  4: [
    {
      label: 'on the event loop, persisting to a folder', args: PHASE3_ARGS, metrics: true, crashAndRestart: true, gracefulStopMs: PHASE3_STOP_MS,
      folder: (dir) => ['--persist', dir, '--fsync', 'always'],
    },
    {
      label: 'with 2 worker threads behind the rings and a rate limit', args: ['--workers', '2', ...rateLimitArgs(PHASE4_RATE), ...PHASE3_ARGS],
      metrics: true, gracefulStopMs: PHASE3_STOP_MS, after: (server) => checkRateLimit(server, PHASE4_RATE),
    },
    {
      label: 'with SASL logins (-S)', args: [...SASL_ARGS, ...PHASE3_ARGS], gracefulStopMs: PHASE3_STOP_MS, instead: checkSaslLogins,
      folder: (dir) => {
        writeFileSync(join(dir, 'users'), SASL_USERS_FILE);
        return ['--sasl-file', join(dir, 'users')];
      },
    },
  ],
};

/** Failures printed in full; the rest are counted. */
const SHOWN_FAILURES = 5;

/** The configurations a phase's capstone runs. */
export function configurationsOf(phase: number): readonly Configuration[] {
  return CONFIGURATIONS[phase] ?? [{ label: 'with its defaults', args: [] }];
}

/** The capabilities a phase declares, found through the registry of phases. */
export function capabilitiesOf(phase: number): Promise<readonly Capability[]> {
  return phaseCapabilities(`phase${phase}`);
}

/** What one configuration's run found. */
export interface ConfigurationOutcome {
  readonly configuration: Configuration;
  readonly ok: boolean;
  readonly lines: string[];
  /** The stand-in files the server reported loading. */
  readonly files: string[];
}

/** The report of a server that did not start: its own crash output, without Node's and tsx's frames. */
function startFailure(phase: number, label: string, error: unknown): string[] {
  const lines = [`  ${Mark.fail()} your phase${phase} ${label} did not start:`];
  const [reason = '', ...output] = (error as Error).message.split('\n');
  const crashed = loadProblem(output.filter((line) => !line.startsWith(USING_PREFIX)).join('\n'));
  lines.push(`      ${reason}`, ...(crashed ?? '').split('\n').filter(Boolean).map((line) => `      ${line}`));
  // The crash's stack is dropped as noise, but for the one frame that is the learner's.
  const where = whereInExercise(output.join('\n'));
  if (where !== undefined) lines.push(`      at ${where}`);
  return lines;
}

/** The errors the server logged, each with the line of the learner's file it came from. */
function loggedLines(server: RunningServer): string[] {
  return loggedErrors(server.output()).map((error) =>
    `    ${paint('yellow', 'your server logged:')} ${error.message}${error.where ? paint('dim', ` (at ${error.where})`) : ''}`);
}

/** Starts one configuration, checks it, and reports in lines (printed by the caller, in order). */
export async function checkConfiguration(
  phase: number, source: Source, configuration: Configuration, capabilities: readonly Capability[],
): Promise<ConfigurationOutcome> {
  const dir = configuration.folder === undefined ? null : mkdtempSync(join(tmpdir(), 'kvlab-capstone-'));
  try {
    const args = [...configuration.args, ...(dir === null ? [] : configuration.folder!(dir))];
    return await checkWith(phase, source, configuration, capabilities, args);
  } finally {
    if (dir !== null) rmSync(dir, { recursive: true, force: true });
  }
}

async function checkWith(
  phase: number, source: Source, configuration: Configuration, capabilities: readonly Capability[], args: readonly string[],
): Promise<ConfigurationOutcome> {
  let server: RunningServer;
  try {
    server = await startAssembled(phase, source, args);
  } catch (error) {
    return { configuration, ok: false, lines: startFailure(phase, configuration.label, error), files: [] };
  }
  const lines = [`  your phase${phase} ${configuration.label}: listening on ${server.host}:${server.port}`];
  const expected = exercisesOfServer(phase).map((exercise) => implementationPath(exercise, source));
  const files = filesInUse(server.output());
  const missing = expected.filter((file) => !files.includes(file));
  if (missing.length > 0) lines.push(`    ${paint('yellow', `not loaded by this server: ${missing.join(', ')}`)}`);
  let exited = exitWatch(server);
  let ok = false;
  // Whether it answered at all: only then is its graceful stop worth checking.
  let answers = true;
  if (configuration.instead !== undefined) {
    const focused = await configuration.instead(server);
    lines.push(...focused.lines);
    ok = focused.ok;
  } else {
    const smoke = await smokeCheck(server.host, server.port, () => exited() || loggedErrors(server.output()).length > 0);
    answers = smoke === null;
    if (smoke !== null) {
      lines.push(`    ${Mark.fail()} it does not answer the basics yet — the suite would only time out:`);
      lines.push(`        sent:     ${smoke.sent}`, `        expected: ${smoke.expected}`, `        received: ${smoke.received}`);
    } else {
      lines.push(`    ${Mark.pass()} answers version, set and get`);
      const offered = capabilities.filter((capability) => !(configuration.without ?? []).includes(capability));
      const outcome = await runConformance(server.host, server.port, offered);
      ok = outcome.failed === 0 && outcome.stopped === null;
      lines.push(...describeOutcome(outcome));
      if (configuration.metrics === true) {
        const metrics = await checkMetricsPage(server);
        lines.push(...metrics.lines);
        ok &&= metrics.ok;
      }
      if (ok && configuration.after !== undefined) {
        const focused = await configuration.after(server);
        lines.push(...focused.lines);
        ok = focused.ok;
      }
    }
  }
  if (exited()) lines.push(`    ${Mark.fail()} your server exited during the run`);
  lines.push(...loggedLines(server));
  if (ok && !exited() && configuration.crashAndRestart === true) {
    const restart = await crashAndRestart(phase, source, server, args);
    lines.push(...restart.lines);
    ok = restart.ok;
    if (restart.server === null) return { configuration, ok, lines, files };
    server = restart.server;
    exited = exitWatch(server);
  }
  if (configuration.gracefulStopMs !== undefined && answers && !exited()) {
    const stop = await checkGracefulStop(server, configuration.gracefulStopMs);
    lines.push(...stop.lines);
    ok &&= stop.ok;
  } else {
    await server.stop();
  }
  return { configuration, ok, lines, files };
}

/** Asks, without waiting, whether the server's process has exited. */
function exitWatch(server: RunningServer): () => boolean {
  let exited = false;
  void server.exited.then(() => {
    exited = true;
  });
  return () => exited;
}

/**
 * Stores items, kills the server as a crash would, starts it again on the same arguments (the same
 * folder) and reads them back; the restarted server is handed back running, or null.
 */
async function crashAndRestart(
  phase: number, source: Source, server: RunningServer, args: readonly string[],
): Promise<OperationsOutcome & { readonly server: RunningServer | null }> {
  const prefix = `kvlab-capstone-${process.pid}`;
  const stored = await storeMarkers(server, prefix);
  if (stored !== null) {
    await server.stop();
    return { ...stored, server: null };
  }
  await crash(server);
  let again: RunningServer;
  try {
    again = await startAssembled(phase, source, args);
  } catch (error) {
    return { ok: false, lines: startFailure(phase, 'restarted after the crash', error), server: null };
  }
  const restored = await checkRestored(again, prefix);
  return { ok: restored.ok, lines: [...restored.lines, ...loggedLines(again)], server: again };
}

function describeOutcome(outcome: SuiteOutcome): string[] {
  const seconds = (outcome.durationMs / 1000).toFixed(1);
  const skipped = outcome.skipped > 0 ? `, ${outcome.skipped} skipped (features this phase does not declare)` : '';
  if (outcome.failed === 0 && outcome.stopped === null) {
    return [`    ${Mark.pass()} conformance: ${outcome.passed} passed${skipped} in ${seconds} s`];
  }
  const lines = [`    ${Mark.fail()} conformance: ${outcome.failed} failed, ${outcome.passed} passed${skipped} in ${seconds} s`];
  if (outcome.stopped === 'too many failures') lines.push(`      (stopped after ${outcome.failed} failures: the first ones are the ones to fix)`);
  if (outcome.stopped === 'deadline') lines.push('      (stopped at the deadline: does the server stop answering at some point?)');
  // One report per case: the same case usually fails the same way in each of its framings.
  const byCase = new Map<string, { message: string; framings: string[] }>();
  for (const failure of outcome.failures) {
    const name = /^\s*case:\s*(.*)$/m.exec(failure.message)?.[1] ?? failure.name;
    const entry = byCase.get(name);
    if (entry) entry.framings.push(failure.name);
    else byCase.set(name, { message: failure.message, framings: [] });
  }
  const cases = [...byCase.values()];
  for (const { message, framings } of cases.slice(0, SHOWN_FAILURES)) {
    lines.push('', ...message.split('\n').map((line) => `      ${line}`));
    if (framings.length > 0) lines.push(`      (the same case failed in ${framings.length} more framing${framings.length === 1 ? '' : 's'}: ${framings.join(', ')})`);
  }
  if (cases.length > SHOWN_FAILURES) lines.push('', `      … and ${cases.length - SHOWN_FAILURES} more failing cases.`);
  if (outcome.seed !== undefined) lines.push(paint('dim', `      (the random framings replay with KVLAB_CONFORMANCE_SEED=${outcome.seed})`));
  return lines;
}

/** Runs `npm run bench` against the learner's server, the reference phase and memcached. */
function bench(phase: number, server: RunningServer): Promise<void> {
  const targets = [`${server.host}:${server.port}`, `phase${phase}`, ...(memcachedInstalled() ? ['memcached'] : [])];
  // 5 s per target after a 1 s warm-up: enough for a stable throughput figure on a small machine.
  const args = ['--import', 'tsx', absolutePath('shared/bench/cli.ts'), '--targets', targets.join(','), '--duration', '5', '--warmup', '1'];
  console.log(`\nThe benchmark: your server (${targets[0]}) beside the reference phase${phase}${targets.length > 2 ? ' and memcached' : ''}`);
  console.log(paint('dim', `  node ${args.join(' ')}`));
  return new Promise((resolve) => {
    spawn(process.execPath, args, { stdio: 'inherit' }).once('close', () => resolve());
  });
}

/** The whole capstone for `phase`; resolves with whether every configuration passed. */
export async function runCapstone(phase: number, source: Source, withBench: boolean): Promise<boolean> {
  const exercises = exercisesOfServer(phase);
  console.log(paint('bold', `Capstone, phase ${phase}: your own server through the common conformance suite`));
  console.log(`  built from ${exercises.map((exercise) => implementationPath(exercise, source)).join(', ')}`);
  console.log(paint('dim', '  and the reference code for everything else.'));
  if (source === Source.Exercises) {
    const progress = loadProgress();
    const pending = exercises.filter((exercise) => progress.exercises[exercise.id]?.done !== true);
    if (pending.length > 0) {
      console.log(paint('yellow', `  Not passing their own checks yet: ${pending.map((exercise) => exercise.id).join(', ')} — expect failures (npm run verify first).`));
    }
  }
  const capabilities = await capabilitiesOf(phase);
  const configurations = configurationsOf(phase);
  console.log(paint('dim', `  Running ${configurations.length === 1 ? 'it' : `${configurations.length} configurations at once`} (about half a minute)…`));
  // Side by side: most of the suite's time is spent waiting (expiry checks sleep for real).
  const outcomes = await Promise.all(configurations.map((configuration) => checkConfiguration(phase, source, configuration, capabilities)));
  for (const outcome of outcomes) console.log(['', ...outcome.lines].join('\n'));
  const ok = outcomes.every((outcome) => outcome.ok);
  console.log('');
  if (ok) {
    console.log(paint('green', `Capstone passed: your phase ${phase} server passes the same suite as the reference.`));
    if (!withBench) console.log(`  Measure it beside the reference and memcached: npm run verify -- --server phase${phase} --bench`);
  } else {
    console.log(paint('red', `Not yet: fix the first failure above, then run npm run verify -- --server phase${phase} again.`));
  }
  if (ok && withBench) {
    // Started afresh with the phase's defaults, as the bench starts the reference beside it.
    let measured: RunningServer;
    try {
      measured = await startAssembled(phase, source);
    } catch (error) {
      console.log(startFailure(phase, 'for the benchmark', error).join('\n'));
      return ok;
    }
    await bench(phase, measured);
    await measured.stop();
  }
  return ok;
}
