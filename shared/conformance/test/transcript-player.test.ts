/**
 * Unit tests of the transcript player against a scripted in-process server: a right answer
 * passes; a wrong one, a missing hang-up or stray bytes fail with a report that shows the target,
 * the bytes sent, expected and received; and bytewise framing really writes byte by byte.
 * @module
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ConformanceFailure } from '../failure-report.ts';
import { Framing } from '../framing.ts';
import { playTranscript, type PlayContext } from '../transcript-player.ts';
import { hangsUp, matching, say, type Step } from '../transcript.ts';
import { WireConnection } from '../wire-connection.ts';

/** The scripted server's answers, by request line. `bye` hangs up. */
const SCRIPT: Readonly<Record<string, string>> = {
  'version': 'VERSION 1.2.3\r\n',
  'get never': 'END\r\n',
  'twice': 'OK\r\nOK\r\n',
  'get counted': 'END\r\n',
};

let server: Server;
let port = 0;
/** Data events seen per connection, by its first request line. */
const reads = new Map<string, number>();

function serve(socket: Socket): void {
  let pending = '';
  let events = 0;
  let first = '';
  socket.on('data', (chunk: Buffer) => {
    events++;
    pending += chunk.toString('latin1');
    for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
      const line = pending.slice(0, end).replace(/\r$/, '');
      pending = pending.slice(end + 1);
      first ||= line;
      reads.set(first, events);
      if (line === 'bye') socket.end();
      else socket.write(SCRIPT[line] ?? 'ERROR\r\n');
    }
  });
  socket.on('error', () => socket.destroy());
}

function context(framing: Framing = Framing.Whole): PlayContext {
  return { target: `scripted (127.0.0.1:${port})`, caseName: 'a scripted case', framing, seed: 7, cutSeed: 7, sentinelKey: 'never' };
}

async function play(steps: Step[], framing: Framing = Framing.Whole): Promise<void> {
  const connection = await WireConnection.open('127.0.0.1', port);
  try {
    await playTranscript(connection, steps, context(framing));
  } finally {
    connection.destroy();
  }
}

/** Plays `steps`, expects a ConformanceFailure, and returns its report. */
async function failure(steps: Step[]): Promise<string> {
  const error = await play(steps).then(() => null, (thrown: unknown) => thrown);
  assert.ok(error instanceof ConformanceFailure, `expected a ConformanceFailure, got ${String(error)}`);
  return error.message;
}

describe('playTranscript', { timeout: 20_000 }, () => {
  before(async () => {
    server = createServer(serve);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('a transcript the server follows passes, including the closing get', async () => {
    await play([say('version\r\n', 'VERSION 1.2.3\r\n')]);
    await play([say('version\r\n', matching(/^VERSION (?<v>\S+)\r\n$/)), say('bye\r\n', hangsUp())]);
  });

  test('a wrong reply fails with the target and the bytes sent, expected and received', async () => {
    const report = await failure([say('version\r\n', 'VERSION 9\r\n')]);
    assert.match(report, /scripted \(127\.0\.0\.1:\d+\) did not answer as expected/);
    assert.ok(report.includes('sent:       version\\r\\n'), report);
    assert.ok(report.includes('expected:   VERSION 9\\r\\n'), report);
    assert.ok(report.includes('received:   VERSION 1.2.3\\r\\n'), report);
    assert.ok(report.includes('first difference at byte 8'), report);
  });

  test('a server that stays open where a hang-up is expected fails', async () => {
    const report = await failure([say('version\r\n', hangsUp())]);
    assert.ok(report.includes('then the server closes the connection'), report);
    assert.ok(report.includes('received:   VERSION 1.2.3\\r\\n'), report);
  });

  test('stray bytes after the last step are caught by the closing get', async () => {
    const report = await failure([say('twice\r\n', 'OK\r\n')]);
    assert.ok(report.includes('step:       2 of 2'), report);
    assert.ok(report.includes('sent:       get never\\r\\n'), report);
    assert.ok(report.includes('received:   OK\\r\\nEND\\r\\n'), report);
  });

  test('a pattern that does not match fails, naming the pattern', async () => {
    const report = await failure([say('version\r\n', matching(/^VERSION 2\.\d+\r\n$/))]);
    assert.ok(report.includes('a reply matching /^VERSION 2\\.\\d+\\r\\n$/'), report);
  });

  test('bytewise framing makes the server read many times', async () => {
    await play([say('get counted\r\n', 'END\r\n')], Framing.Bytewise);
    assert.ok((reads.get('get counted') ?? 0) > 1, `the server read the 13 bytes in ${reads.get('get counted')} read(s)`);
  });
});
