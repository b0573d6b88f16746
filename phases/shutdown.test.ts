/**
 * The graceful shutdown, in every phase and threading mode: clients pipelining sets at full speed
 * when SIGTERM arrives get a whole reply for every request the server read, then a clean close (a
 * FIN, never a reset), and the server exits 0 well within its deadline.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { startPhase } from '../shared/testing/server-process.ts';
import { THREADING_MODES } from '../shared/testing/line-client.ts';

const CLIENTS = 4;
/** Sets per write: enough to keep a server busy between two reads of the socket. */
const BATCH = 200;
/** Replies every client must have had before the signal, so the signal lands mid-stream. */
const BEFORE_SIGNAL = 500;
/** A bound on the whole shutdown; the servers' drain deadline is 10 s. */
const WITHIN_MS = 20_000;

/** A client that pipelines sets until the server closes, and keeps count of what came back. */
class Pipeliner {
  acknowledged = 0;
  /** Reply bytes after the last complete line. */
  private tail = '';
  unexpected = '';
  error: string | null = null;
  ended = false;
  private sent = 0;
  private readonly socket: Socket;
  private wake: (() => void) | null = null;

  constructor(port: number, private readonly id: number) {
    this.socket = connect({ host: '127.0.0.1', port });
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk.toString('latin1')));
    this.socket.on('error', (error: NodeJS.ErrnoException) => {
      this.error ??= error.code ?? error.message;
    });
    this.socket.on('end', () => {
      this.ended = true;
      this.wake?.();
    });
    this.socket.on('close', () => {
      this.ended = true;
      this.wake?.();
    });
  }

  private onData(text: string): void {
    const lines = (this.tail + text).split('\r\n');
    this.tail = lines.pop()!;
    for (const line of lines) {
      if (line === 'STORED') this.acknowledged++;
      else this.unexpected ||= line;
    }
    this.wake?.();
  }

  /** Writes batches of sets until the server ends the connection. */
  async pump(): Promise<void> {
    await once(this.socket, 'connect');
    while (!this.ended) {
      let batch = '';
      for (let i = 0; i < BATCH; i++, this.sent++) batch += `set c${this.id}-${this.sent} 0 0 5\r\nvalue\r\n`;
      if (!this.socket.write(batch)) await this.until(() => this.socket.writableLength === 0 || this.ended);
      else await new Promise(setImmediate);
    }
  }

  until(done: () => boolean): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!done()) return;
        this.wake = null;
        this.socket.off('drain', check);
        resolve();
      };
      this.wake = check;
      this.socket.on('drain', check);
    });
  }

  /** What went wrong, if anything, once the connection has closed. */
  problems(): string[] {
    const found: string[] = [];
    if (this.error !== null) found.push(`client ${this.id}: connection error ${this.error} (a reset, not a clean close)`);
    if (this.unexpected) found.push(`client ${this.id}: unexpected reply line ${JSON.stringify(this.unexpected)}`);
    if (this.tail) found.push(`client ${this.id}: a partial reply ${JSON.stringify(this.tail)} before the close`);
    return found;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

for (const { phase, args } of THREADING_MODES) {
  test(`${[phase, ...args].join(' ')}: SIGTERM while clients pipeline: whole replies, a clean close, exit 0`, { timeout: 60_000 }, async () => {
    const server = await startPhase(phase, args);
    const clients = Array.from({ length: CLIENTS }, (_, id) => new Pipeliner(server.port, id));
    try {
      const pumps = clients.map((client) => client.pump());
      await Promise.all(clients.map((client) => client.until(() => client.acknowledged >= BEFORE_SIGNAL || client.ended)));
      const atSignal = clients.map((client) => client.acknowledged);
      const started = Date.now();
      const code = await server.stop(WITHIN_MS);
      const took = Date.now() - started;
      await Promise.all(pumps);
      assert.equal(code, 0, `exit status after SIGTERM (-1: killed after ${took} ms)`);
      assert.deepEqual(clients.flatMap((client) => client.problems()), []);
      for (const [i, client] of clients.entries()) {
        assert.ok(client.acknowledged >= atSignal[i]!, `client ${i} lost replies it had`);
      }
      const summary = /shut down: [^"]+/.exec(server.output());
      assert.ok(summary, 'the summary line is logged');
      console.log(`# ${[phase, ...args].join(' ')}: SIGTERM to exit ${took} ms; ${summary[0]}; ${clients.map((c) => c.acknowledged).join('/')} sets acknowledged`);
    } finally {
      for (const client of clients) client.destroy();
      await server.stop(500);
    }
  });
}
