/**
 * The fuzzer's checks can fail: against a tiny server with one deliberate defect each, the report
 * names that defect (a leaked connection, a lost canary, a connection that stops answering), and
 * against the same server without a defect it is clean. Runs in-process, a few hundred frames each.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runFuzz, type FuzzOptions } from './fuzz-run.ts';
import { formatReport, isClean, type FuzzReport } from './report.ts';
import { startTinyServer, type Defect, type TinyServer } from './test/tiny-server.ts';

async function fuzzTiny(defect: Defect, overrides: Partial<FuzzOptions> = {}): Promise<FuzzReport> {
  const server: TinyServer = await startTinyServer(defect);
  try {
    return await runFuzz({
      target: `${server.host}:${server.port}`, serverArgs: [], protocol: 'text', frames: 600, seconds: 20, seed: 7,
      connections: 4, canaryEvery: 100, hangMs: 1000, session: null, replay: `tiny server (${defect})`, ...overrides,
    });
  } finally {
    await server.close();
  }
}

describe('the fuzzer against a tiny server', { timeout: 60_000 }, () => {
  test('without a defect, the report is clean', async () => {
    const report = await fuzzTiny('none');
    assert.ok(isClean(report), formatReport(report));
    assert.equal(report.framesSent, 600);
    assert.ok(report.sessions.synced > 0, 'some sessions proved the server still answered');
    assert.ok(report.canaryChecks >= 2);
  });

  test('a server that forgets connections it did not see a FIN on: leaked connections', async () => {
    const report = await fuzzTiny('leak');
    assert.ok(report.connectionCounts.leaked > 0, formatReport(report));
    assert.equal(isClean(report), false);
  });

  test('a server that drops its items on a long line: canary lost', async () => {
    const report = await fuzzTiny('drop');
    assert.ok(report.canaryLosses.count > 0, formatReport(report));
    assert.match(report.canaryLosses.first[0]!.detail, /missing/);
  });

  test('a server that stops answering after a NUL byte: a hang, told apart from a close', async () => {
    const report = await fuzzTiny('stall', { frames: 3000 });
    assert.ok(report.hangs.count > 0, formatReport(report));
    const hang = report.hangs.first[0]!;
    assert.match(hang.detail, /stopped answering|stopped reading/);
    assert.ok(hang.session !== null && formatReport(report).includes(`--session ${hang.session}`), 'the finding says how to replay it');
    assert.ok(report.sessions['server-closed'] > 0, 'closes were seen too, and not counted as hangs');
  });

  test('a server that goes away: refused connections count as a crash and stop the run', async () => {
    const report = await fuzzTiny('crash', { frames: 1_000_000 });
    assert.ok(report.crashes.count > 0, formatReport(report));
    assert.equal(report.stoppedBy, 'crash');
    assert.ok(report.framesSent < 1_000_000);
  });
});

