/**
 * One run of the suite against one target: it starts and stops the target, hands out keys unique
 * to a case, framing and run, and plays cases — bad-input cases with a guard that proves the
 * server survived: another connection, opened before the bad input, still reads back its value.
 * @module
 */
import { Capability } from './capabilities.ts';
import { skipReason, type ConformanceCase, type Requirements } from './conformance-case.ts';
import { valueBlock } from './cases/replies.ts';
import { Framing } from './framing.ts';
import { deriveSeed } from './seeded-random.ts';
import { startTarget, type Target, type TargetDescription } from './target.ts';
import { playTranscript, type PlayContext } from './transcript-player.ts';
import { say, type KeyMaker } from './transcript.ts';
import { WireConnection } from './wire-connection.ts';

/** The witness value of the bad-input guard: awkward bytes, so corruption of any kind shows. */
const WITNESS_VALUE = 'witness\r\n\x00\xff value';
const WITNESS_FLAGS = 9;

/** The state shared by every test of one suite run. */
export class SuiteRun {
  readonly description: TargetDescription;
  /** The base seed of the random framings; a failure names it so the same cuts can be replayed. */
  readonly seed: number;
  /** A prefix that keeps keys from different runs apart on a long-lived server (HOST:PORT targets). */
  readonly runId = Math.random().toString(36).slice(2, 6);
  #target: Target | null = null;
  #cases = 0;

  constructor(description: TargetDescription, seed: number) {
    this.description = description;
    this.seed = seed;
  }

  /** The started target; only valid inside tests, after `before()` has run. */
  get target(): Target {
    if (!this.#target) throw new Error(`${this.description.name} was not started`);
    return this.#target;
  }

  /** Starts (or connects to) the target; called from `before()`. */
  async start(): Promise<void> {
    this.#target = await startTarget(this.description);
  }

  /** Stops the target if this run started it; called from `after()`. */
  async stop(): Promise<void> {
    await this.#target?.stop();
  }

  /** Numbers cases in registration order: the number picks the case's keys and random cuts. */
  nextCaseNumber(): number {
    return ++this.#cases;
  }

  /** Why this target skips a test with `requirements`, or false. */
  skip(requirements: Requirements): string | false {
    return skipReason(this.description, requirements);
  }

  /** A text case needs the text protocol besides whatever it declares. */
  requirementsOf(testCase: ConformanceCase): Requirements {
    const protocol = testCase.protocol === 'binary' ? [] : [Capability.Text];
    return { needs: [...protocol, ...(testCase.needs ?? [])], difference: testCase.difference };
  }

  /** Keys for one case in one framing: `<run>-<case><w|b|r>-<name>`. */
  keys(caseNumber: number, tag: string): KeyMaker {
    return (name) => `${this.runId}-${caseNumber}${tag}-${name}`;
  }

  /** Plays `testCase` in `framing` on a fresh connection. */
  async playCase(testCase: ConformanceCase, caseNumber: number, framing: Framing): Promise<void> {
    const key = this.keys(caseNumber, framing[0]!);
    const connection = await WireConnection.open(this.target.host, this.target.port);
    try {
      await playTranscript(connection, testCase.transcript(key), this.#context(testCase, caseNumber, framing, key));
    } finally {
      connection.destroy();
    }
  }

  /**
   * Plays a bad-input case between two checks on a second connection opened before it: a witness
   * value is stored first and must read back intact afterwards, proving that the server survived,
   * kept serving other connections, and lost or corrupted nothing.
   */
  async playGuarded(testCase: ConformanceCase, caseNumber: number, framing: Framing): Promise<void> {
    const key = this.keys(caseNumber, framing[0]!);
    const witness = await WireConnection.open(this.target.host, this.target.port);
    try {
      const stored = key('witness');
      const context = this.#context(testCase, caseNumber, Framing.Whole, key);
      await playTranscript(
        witness,
        [say(`set ${stored} ${WITNESS_FLAGS} 0 ${WITNESS_VALUE.length}\r\n${WITNESS_VALUE}\r\n`, 'STORED\r\n')],
        { ...context, caseName: `${testCase.name}: storing the witness value beforehand` },
      );
      await this.playCase(testCase, caseNumber, framing);
      await playTranscript(
        witness,
        [say(`get ${stored}\r\n`, `${valueBlock(stored, WITNESS_FLAGS, WITNESS_VALUE)}END\r\n`)],
        { ...context, caseName: `${testCase.name}: afterwards, another connection reads back its value` },
      );
    } finally {
      witness.destroy();
    }
  }

  #context(testCase: ConformanceCase, caseNumber: number, framing: Framing, key: KeyMaker): PlayContext {
    return {
      target: this.target.label,
      caseName: testCase.name,
      framing,
      seed: this.seed,
      cutSeed: deriveSeed(this.seed, caseNumber),
      sentinelKey: testCase.protocol === 'binary' ? null : key('never-stored'),
    };
  }
}
