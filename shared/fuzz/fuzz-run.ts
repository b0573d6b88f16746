/**
 * One fuzz run: start (or name) the target, store the canary, read the connection baseline, then
 * let C workers run sessions from the planner until the frame budget, the time limit, a crash or
 * too many hangs stops them; every N frames the canary is read back and the connection count and
 * RSS sampled. At the end: a last canary check, the connection count given time to settle, and
 * the report.
 * @module
 */
import { Canary, type CanaryCheck } from './canary.ts';
import { CleanConnection } from './clean-connection.ts';
import { ConnectionWatcher } from './connection-watcher.ts';
import { fuzzProtocol, type FuzzProtocolName } from './fuzz-protocol.ts';
import { runSession, type SessionOutcome, type SessionResult } from './fuzz-session.ts';
import { startFuzzTarget, type FuzzTarget } from './fuzz-target.ts';
import { MemoryWatch } from './memory-watch.ts';
import type { Finding, FindingList, FuzzReport, StopReason } from './report.ts';
import { SessionPlanner, type SessionPlan } from './session-plan.ts';
import { escapeBytes } from '../conformance/escape-bytes.ts';

/** What a run does. */
export interface FuzzOptions {
  /** `phase1`, `phase2`, `memcached` or a loopback `HOST:PORT`. */
  readonly target: string;
  /** Extra options for a phase's server (`['--workers', '2']`). */
  readonly serverArgs: readonly string[];
  readonly protocol: FuzzProtocolName;
  /** Frames to send in all. */
  readonly frames: number;
  /** The run stops after this many seconds even with frames left. */
  readonly seconds: number;
  readonly seed: number;
  /** Concurrent fuzz connections. */
  readonly connections: number;
  /** Frames between canary checks. */
  readonly canaryEvery: number;
  /** How long a connection may go without progress before it counts as hung. */
  readonly hangMs: number;
  /** Replay only this session (its number from a report), or null for the whole run. */
  readonly session: number | null;
  /** The command that reruns this run, for the report. */
  readonly replay: string;
  /** Called every few seconds with the frames sent so far. */
  readonly onProgress?: (framesSent: number, elapsedMs: number) => void;
}

/** Findings kept in full per kind; the rest are counted. */
const FINDINGS_KEPT = 10;
/** After this many hung sessions the server is plainly stuck: more would only take time. */
const MAX_HANGS = 20;
/** How often the progress callback runs. */
const PROGRESS_EVERY_MS = 5000;
/** Bytes of a session shown with a finding. */
const EXCERPT_BYTES = 300;

class Findings {
  count = 0;
  readonly first: Finding[] = [];
  add(finding: Finding): void {
    this.count++;
    if (this.first.length < FINDINGS_KEPT) this.first.push(finding);
  }
  list(): FindingList {
    return { count: this.count, first: [...this.first] };
  }
}

function sessionFinding(plan: SessionPlan, detail: string): Finding {
  return { session: plan.index, detail: `${detail} (${plan.frames} frames, ending ${plan.ending})`, sent: escapeBytes(plan.stream, EXCERPT_BYTES) };
}

/** Starts the target, fuzzes it, stops it, and reports. */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const target = await startFuzzTarget(options.target, options.serverArgs);
  try {
    return await fuzzTarget(target, options);
  } finally {
    await target.stop();
  }
}

/** Fuzzes a target that is already running. */
export async function fuzzTarget(target: FuzzTarget, options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const clean = new CleanConnection(target.host, target.port, options.hangMs);
  const crashes = new Findings();
  const hangs = new Findings();
  const canaryLosses = new Findings();
  const sessions: Record<SessionOutcome['kind'], number> = { synced: 0, 'server-closed': 0, 'client-closed': 0, refused: 0, hang: 0 };
  let framesSent = 0;
  let bytesSent = 0;
  let bytesReceived = 0;
  let canaryChecks = 0;
  let stoppedBy: StopReason | null = null;
  let lastProgress = started;

  try {
    const canary = await Canary.store(clean, options.seed);
    const watcher = new ConnectionWatcher(clean);
    await watcher.start();
    const memory = MemoryWatch.start(target.pid);
    const planner = new SessionPlanner(options.seed, options.frames, fuzzProtocol(options.protocol, canary.syncValue));
    let replay = options.session === null ? undefined : planner.seek(options.session);
    const nextPlan = (): SessionPlan | null => {
      if (replay === undefined) return planner.next();
      const plan = replay;
      replay = null;
      return plan;
    };

    const checkAlive = (): void => {
      const code = target.exitCode();
      if (code === undefined || stoppedBy === 'crash') return;
      crashes.add({ session: null, detail: `the server process exited (code ${code})` });
      stoppedBy = 'crash';
    };
    const recordCanary = (check: CanaryCheck, when: string): void => {
      canaryChecks++;
      if (check.kind === 'ok') return;
      checkAlive();
      if (stoppedBy === 'crash') return;
      const detail = `${when}: ${check.detail}`;
      if (check.kind === 'unanswered') hangs.add({ session: null, detail: `the canary connection got no reply ${detail}` });
      else if (check.kind === 'closed') canaryLosses.add({ session: null, detail: `the server closed the canary connection ${detail}` });
      else canaryLosses.add({ session: null, detail });
    };
    let nextCanaryAt = options.canaryEvery;
    // In an object: TypeScript does not follow a plain variable assigned inside the workers.
    const canaryInFlight: { current: Promise<void> | null } = { current: null };
    const runCanary = async (): Promise<void> => {
      recordCanary(await canary.check(), `after ${framesSent} frames`);
      await watcher.sample();
      memory?.sample();
    };

    const record = (result: SessionResult): void => {
      const { plan, outcome } = result;
      framesSent += plan.frames;
      bytesSent += result.bytesSent;
      bytesReceived += result.bytesReceived;
      sessions[outcome.kind]++;
      if (outcome.kind === 'refused') {
        checkAlive();
        crashes.add(sessionFinding(plan, `connection refused: ${outcome.detail}`));
        stoppedBy = 'crash';
      } else if (outcome.kind === 'hang') {
        hangs.add(sessionFinding(plan, `hang while ${outcome.stage === 'close' ? 'closing' : outcome.stage === 'connect' ? 'connecting' : outcome.stage === 'write' ? 'writing' : 'syncing'}: ${outcome.detail}`));
        if (hangs.count >= MAX_HANGS) stoppedBy ??= 'hangs';
      }
    };

    const worker = async (): Promise<void> => {
      for (;;) {
        if (stoppedBy !== null) return;
        if (performance.now() >= deadline) {
          stoppedBy = 'seconds';
          return;
        }
        const plan = nextPlan();
        if (plan === null) return;
        record(await runSession(target.host, target.port, plan, options.hangMs));
        checkAlive();
        if (framesSent >= nextCanaryAt && canaryInFlight.current === null && stoppedBy === null) {
          nextCanaryAt = framesSent + options.canaryEvery;
          canaryInFlight.current = runCanary().finally(() => {
            canaryInFlight.current = null;
          });
        }
        const now = performance.now();
        if (options.onProgress && now - lastProgress >= PROGRESS_EVERY_MS) {
          lastProgress = now;
          options.onProgress(framesSent, now - started);
        }
      }
    };
    await Promise.all(Array.from({ length: options.connections }, worker));
    stoppedBy ??= 'frames';
    await canaryInFlight.current;

    const crashed = (): boolean => crashes.count > 0;
    if (!crashed()) recordCanary(await canary.check(), 'at the end');
    const connectionCounts = crashed()
      ? { baseline: null, peak: null, end: null, leaked: 0 }
      : await watcher.settle(options.hangMs);
    memory?.sample();
    checkAlive();
    const serverOutput = crashes.count > 0 || hangs.count > 0 ? target.output().slice(-4000) : '';
    return {
      target: target.name, protocol: options.protocol, seed: options.seed, connections: options.connections,
      framesPlanned: options.frames, framesSent, bytesSent, bytesReceived, sessions, canaryChecks,
      elapsedMs: performance.now() - started, stoppedBy,
      crashes: crashes.list(), hangs: hangs.list(), canaryLosses: canaryLosses.list(),
      connectionCounts, rss: memory?.figures() ?? null, replay: options.replay, serverOutput,
    };
  } finally {
    await clean.close();
  }
}
