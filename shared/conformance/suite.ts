/**
 * The common conformance suite, written once over a target. `conformanceSuite()` registers
 * node:test suites that start the target once in before(), play every case in every framing,
 * run the checks, and stop the target in after(). An entry file is one line:
 * `await conformanceSuite({ target: 'phase2' });`
 * @module
 */
import { after, before, describe, test } from 'node:test';
import { Capability } from './capabilities.ts';
import type { ConformanceCase, Requirements } from './conformance-case.ts';
import { ADMINISTRATION_CASES } from './cases/administration.ts';
import { ARITHMETIC_CASES } from './cases/arithmetic.ts';
import { BAD_INPUT_CASES } from './cases/bad-input.ts';
import { BINARY_CASES } from './cases/binary.ts';
import { EXPIRY_CASES } from './cases/expiry.ts';
import { FLUSH_CASES } from './cases/flush.ts';
import { LIMIT_CASES } from './cases/limits.ts';
import { META_CASES } from './cases/meta.ts';
import { PIPELINING_CASES } from './cases/pipelining.ts';
import { RETRIEVAL_CASES } from './cases/retrieval.ts';
import { STORAGE_CASES } from './cases/storage.ts';
import { checkDelayedFlush, EXPIRY_CHECKS } from './checks/expiry-waits.ts';
import { checkManyConnections, CONNECTIONS } from './checks/many-connections.ts';
import { checkReleasedConnections, CLOSE_TRIGGERS } from './checks/released-connections.ts';
import { checkGeneralStats } from './checks/stats.ts';
import { checkBinaryStatsGroups, checkStatsConns, checkStatsGroups } from './checks/stats-groups.ts';
import { checkMemoryAdmin } from './checks/memory-admin.ts';
import { ALL_FRAMINGS } from './framing.ts';
import { checkMemccpMemccat, checkMemcstat, checkMemjs, checkNpmClient, libmemcachedUnavailable } from './real-clients.ts';
import { SuiteRun } from './suite-run.ts';
import { describeTarget, type TargetOptions } from './target.ts';
import { DoorRun } from './door-run.ts';
import { DOORS, type Door } from './doors.ts';
import { WireConnection } from './wire-connection.ts';

/** A bound for any one test, all its framings included; the slowest (1 MiB payloads bytewise) takes a few seconds. */
const TEST_TIMEOUT_MS = 30_000;

/** Starting a tsx-run phase takes a second or two; memcached far less. */
const START_TIMEOUT_MS = 30_000;

/**
 * Cases in flight at once within a group. Four keeps both cores of a small machine busy without
 * piling hundreds of connections onto a server that is itself under test.
 */
const CONCURRENCY = 4;

/** Where a run's base seed comes from when not given: this variable, else a fresh random one. */
export const SEED_VARIABLE = 'KVLAB_CONFORMANCE_SEED';

/** Options of {@link conformanceSuite}. */
export interface SuiteOptions extends TargetOptions {
  /** The base seed of the random framings (default: $KVLAB_CONFORMANCE_SEED, else random). */
  readonly seed?: number;
}

function seedFromEnvironment(): number {
  const given = process.env[SEED_VARIABLE];
  // 2^32: the generator's state is 32 bits.
  return given ? Number(given) >>> 0 : Math.floor(Math.random() * 2 ** 32);
}

/** Registers the whole suite against one target. */
export async function conformanceSuite(options: SuiteOptions): Promise<void> {
  const description = await describeTarget(options);
  const run = new SuiteRun(description, options.seed ?? seedFromEnvironment());
  const capabilities = [...description.capabilities].join(', ');
  void describe(`conformance: ${description.name} [${capabilities}] (seed ${run.seed})`, { skip: description.unavailable ?? false }, () => {
    before(() => run.start(), { timeout: START_TIMEOUT_MS });
    after(() => run.stop());

    // First and alone: its counters must see no other test's traffic.
    check(run, 'stats: the general statistics exist and move as memcached\'s do', { needs: [Capability.Stats] },
      () => checkGeneralStats(run.target, `${run.runId}-stats`));
    // Still alone: stats reset zeroes every counter, and stats detail records every key while on.
    check(run, 'stats groups: memcached\'s keys minus the documented omissions, reset and detail', { needs: [Capability.Text, Capability.Stats] },
      () => checkStatsGroups(run.target, `${run.runId}-groups`));
    check(run, 'stats groups over the binary protocol: the text group\'s keys; conns is text-only', { needs: [Capability.Text, Capability.Binary, Capability.Stats] },
      () => checkBinaryStatsGroups(run.target));
    check(run, 'stats conns: every socket, its address, state and idle seconds', { needs: [Capability.Text, Capability.StatsConns] },
      () => checkStatsConns(run.target));
    check(run, 'memory admin: cache_memlimit, slabs reassign and automove, lru_crawler, in memcached\'s words', { needs: [Capability.Text, Capability.SlabMemory] },
      () => checkMemoryAdmin(run.target));

    cases(run, 'storage commands', STORAGE_CASES);
    cases(run, 'retrieval and delete', RETRIEVAL_CASES);
    cases(run, 'incr and decr', ARITHMETIC_CASES);
    cases(run, 'expiry and touch', EXPIRY_CASES);
    cases(run, 'limits: key length and item size', LIMIT_CASES);
    cases(run, 'version, verbosity and quit', ADMINISTRATION_CASES);
    cases(run, 'pipelining', PIPELINING_CASES);
    cases(run, 'binary protocol', BINARY_CASES);
    cases(run, 'meta commands', META_CASES);
    cases(run, 'bad input: exact reply, then the server serves on with data intact', BAD_INPUT_CASES, true);
    for (const door of DOORS) doorCases(run, door);

    check(run, `${CONNECTIONS} connections at once, each with its own keys`, { needs: [Capability.Text] },
      () => checkManyConnections(run.target, `${run.runId}-many`));
    for (const trigger of CLOSE_TRIGGERS) {
      const needs = [trigger.binary ? Capability.Binary : Capability.Text, Capability.Text, Capability.Stats];
      check(run, `a connection the server closes is released, even if its client lingers: ${trigger.name}`, { needs },
        () => checkReleasedConnections(run.target, trigger));
    }

    void describe('expiry over time (real waiting, run concurrently)', { concurrency: true }, () => {
      for (const expiry of EXPIRY_CHECKS) {
        const keys = run.keys(run.nextCaseNumber(), 'e');
        check(run, expiry.name, { needs: [Capability.Text, ...expiry.needs] }, async () => {
          const connection = await WireConnection.open(run.target.host, run.target.port);
          try {
            await expiry.run(connection, keys);
          } finally {
            connection.destroy();
          }
        });
      }
    });

    void describe('real clients', () => {
      check(run, 'the memcached npm package: set, get, incr, del', { needs: [Capability.Text] },
        () => checkNpmClient(run.target, `${run.runId}-real`));
      check(run, 'memjs (binary protocol): set, get, increment, delete', { needs: [Capability.Binary] },
        () => checkMemjs(run.target, `${run.runId}-real`));
      const tools = libmemcachedUnavailable();
      check(run, 'libmemcached memccp then memccat', { needs: [Capability.Text] },
        () => checkMemccpMemccat(run.target, `${run.runId}-real`), tools);
      check(run, 'libmemcached memcstat', { needs: [Capability.Text, Capability.Stats] }, () => checkMemcstat(run.target), tools);
    });

    // Last: flush_all empties the whole server.
    cases(run, 'flush_all (last: it empties the server)', FLUSH_CASES, false, 1);
    const flushKeys = run.keys(run.nextCaseNumber(), 'f');
    check(run, 'flush_all with a delay empties the server only after the delay', { needs: [Capability.Text, Capability.FlushDelay] },
      () => checkDelayedFlush(run.target, flushKeys));
  });
}

/** Registers one check (a test that is not a transcript), skipped when the target lacks what it needs. */
function check(run: SuiteRun, name: string, requirements: Requirements, body: () => Promise<void>, unavailable: string | false = false): void {
  void test(name, { skip: unavailable || run.skip(requirements), timeout: TEST_TIMEOUT_MS }, body);
}

/**
 * Registers one door's bad-input cases, played against a second server that the door guards
 * (started for them, stopped after them): a client that has not passed the door is turned away.
 */
function doorCases(run: SuiteRun, door: Door): void {
  const doorRun = new DoorRun(run, door);
  const title = `bad input at a guarded door, ${door.name}: turned away, nothing executed, data intact`;
  void describe(title, { skip: doorRun.skip(), concurrency: CONCURRENCY }, () => {
    before(() => doorRun.start(), { timeout: START_TIMEOUT_MS });
    after(() => doorRun.stop());
    for (const testCase of door.cases) {
      const caseNumber = run.nextCaseNumber();
      void test(testCase.name, { timeout: TEST_TIMEOUT_MS }, async (t) => {
        for (const framing of testCase.framings ?? ALL_FRAMINGS) {
          await t.test(framing, { timeout: TEST_TIMEOUT_MS }, () => doorRun.playGuarded(testCase, caseNumber, framing));
        }
      });
    }
  });
}

/** Registers a group of transcript cases; each case is a test with one subtest per framing. */
function cases(run: SuiteRun, title: string, table: readonly ConformanceCase[], guarded = false, concurrency = CONCURRENCY): void {
  void describe(title, { concurrency }, () => {
    for (const testCase of table) {
      const caseNumber = run.nextCaseNumber();
      const name = testCase.difference ? `${testCase.name} [deliberate difference from memcached]` : testCase.name;
      void test(name, { skip: run.skip(run.requirementsOf(testCase)), timeout: TEST_TIMEOUT_MS }, async (t) => {
        for (const framing of testCase.framings ?? ALL_FRAMINGS) {
          await t.test(framing, { timeout: TEST_TIMEOUT_MS }, () =>
            guarded ? run.playGuarded(testCase, caseNumber, framing) : run.playCase(testCase, caseNumber, framing));
        }
      });
    }
  });
}
