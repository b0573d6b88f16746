/**
 * The suite's run of one door: a second server of the target's kind, started behind the door,
 * and the door's bad-input cases played against it. Each case is
 * guarded as the main table's are, but through the door: a witness connection that passed it
 * stores a value first and must read it back intact afterwards, and the key the bad client tried
 * to store (`sneaked`) must be absent — the server executed nothing for a client it turned away.
 * @module
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConformanceCase, Requirements } from './conformance-case.ts';
import type { Door, DoorKeeper, DoorSetup } from './doors.ts';
import { Framing } from './framing.ts';
import { deriveSeed } from './seeded-random.ts';
import type { SuiteRun } from './suite-run.ts';
import { playTranscript, type PlayContext } from './transcript-player.ts';
import { WireConnection } from './wire-connection.ts';
import { startMemcached, startPhase, type RunningServer } from '../testing/server-process.ts';

/** The witness value: awkward bytes, so corruption of any kind shows. */
const WITNESS_VALUE = 'witness\r\n\x00\xff value';
const WITNESS_FLAGS = 11;

/** One door's server and cases, within one suite run. */
export class DoorRun {
  readonly #run: SuiteRun;
  readonly #door: Door;
  #dir: string | null = null;
  #setup: DoorSetup | null = null;
  #server: RunningServer | null = null;

  constructor(run: SuiteRun, door: Door) {
    this.#run = run;
    this.#door = door;
  }

  /** Why this door's tests cannot run against the suite's target, or false. */
  skip(): string | false {
    const { description } = this.#run;
    if (description.kind === 'address') return 'the suite puts a server behind a door by starting it; a HOST:PORT target is already running';
    // Once per server, in its default configuration: options such as a persistence folder belong to one process.
    if (description.serverArgs.length > 0) return `run against ${description.name.split(' ')[0]} without options; not repeated for ${description.name}`;
    const requirements: Requirements = { needs: [this.#door.needs] };
    return this.#run.skip(requirements) || this.#door.unavailable(this.#keeper());
  }

  /** Starts the server behind the door; called from `before()`. */
  async start(): Promise<void> {
    const { description } = this.#run;
    this.#dir = mkdtempSync(join(tmpdir(), 'kvlab-door-'));
    // memcached, started as root, reads its files as `nobody`.
    chmodSync(this.#dir, 0o755);
    this.#setup = this.#door.prepare(this.#dir, this.#keeper());
    const env = { ...process.env, ...this.#setup.env };
    const args = [...this.#setup.args];
    this.#server = description.kind === 'memcached' ? await startMemcached(args, { env }) : await startPhase(description.name, args, { env });
  }

  /** Stops the server and removes its files; called from `after()`. */
  async stop(): Promise<void> {
    await this.#server?.stop();
    this.#setup?.remove();
    if (this.#dir) rmSync(this.#dir, { recursive: true, force: true });
  }

  /**
   * Plays `testCase` on a fresh connection that has not passed the door, between the witness's
   * store and its checks: the witness value reads back intact, and `sneaked` was never stored.
   */
  async playGuarded(testCase: ConformanceCase, caseNumber: number, framing: Framing): Promise<void> {
    const server = this.#started();
    const key = this.#run.keys(caseNumber, `${framing[0]!}d`);
    const context = (caseName: string, cuts: Framing): PlayContext => ({
      target: `${this.#run.description.name} behind ${this.#door.name} (${server.host}:${server.port})`,
      caseName,
      framing: cuts,
      seed: this.#run.seed,
      cutSeed: deriveSeed(this.#run.seed, caseNumber),
      sentinelKey: null,
    });
    const { witness } = this.#door;
    const witnessKey = key('witness');
    const guard = await this.#setup!.enter(server.host, server.port);
    try {
      await playTranscript(guard, [...witness.login, ...witness.store(witnessKey, WITNESS_FLAGS, WITNESS_VALUE)],
        context(`${testCase.name}: passing the door and storing the witness value beforehand`, Framing.Whole));
      const bad = await WireConnection.open(server.host, server.port);
      try {
        await playTranscript(bad, testCase.transcript(key), context(testCase.name, framing));
      } finally {
        bad.destroy();
      }
      await playTranscript(guard, [...witness.readBack(witnessKey, WITNESS_FLAGS, WITNESS_VALUE), ...witness.absent(key('sneaked'))],
        context(`${testCase.name}: afterwards, through the door, the witness value is intact and nothing was stored`, Framing.Whole));
    } finally {
      guard.destroy();
    }
  }

  #keeper(): DoorKeeper {
    return this.#run.description.kind === 'memcached' ? 'memcached' : 'phase';
  }

  #started(): RunningServer {
    if (!this.#server) throw new Error(`${this.#run.description.name} behind ${this.#door.name} was not started`);
    return this.#server;
  }
}
