/**
 * Runs one planned session on its own TCP connection and says how it went. Progress is what
 * separates a hang from a server that is merely slow: every received byte, every drained write
 * and the connection's close count as progress, and a session hangs only when none came for the
 * whole bound. A server that closes the connection has answered (hanging up on garbage is
 * legitimate); a server that keeps it open and says nothing has not.
 * @module
 */
import { connect, type Socket } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { SessionPlan } from './session-plan.ts';

/** Where a session was when it stopped making progress. */
export type HangStage = 'connect' | 'write' | 'sync' | 'close';

/** How a session ended. */
export type SessionOutcome =
  /** The probe's reply came back: the server still answered after everything the session sent. */
  | { readonly kind: 'synced' }
  /** The server closed the connection (FIN or reset) before the probe's reply. */
  | { readonly kind: 'server-closed' }
  /** The client disconnected as planned (mid-frame, or after a frame no sync could cover). */
  | { readonly kind: 'client-closed' }
  /** The connection was refused: nothing listens on the port any more. */
  | { readonly kind: 'refused'; readonly detail: string }
  | { readonly kind: 'hang'; readonly stage: HangStage; readonly detail: string };

/** A finished session. */
export interface SessionResult {
  readonly plan: SessionPlan;
  readonly outcome: SessionOutcome;
  readonly bytesSent: number;
  readonly bytesReceived: number;
}

/** One session's socket and what it has seen. */
class SessionSocket {
  readonly socket: Socket;
  received = 0;
  markerSeen = false;
  serverClosed = false;
  closed = false;
  drained = true;
  #lastProgress = performance.now();
  #marker: Buffer | null = null;
  #tail = Buffer.alloc(0);
  #wake: (() => void) | null = null;

  constructor(socket: Socket) {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.received += chunk.length;
      this.#scan(chunk);
      this.#progress();
    });
    socket.on('drain', () => {
      this.drained = true;
      this.#progress();
    });
    socket.on('end', () => {
      this.serverClosed = true;
      this.#progress();
    });
    // ECONNRESET and EPIPE: the server hung up while the client was still writing.
    socket.on('error', () => {
      this.serverClosed = true;
      this.#progress();
    });
    socket.on('close', () => {
      this.closed = true;
      this.#progress();
    });
  }

  /** From now on, look for `marker` in what arrives. */
  expect(marker: Buffer): void {
    this.#marker = marker;
    this.#tail = Buffer.alloc(0);
  }

  #scan(chunk: Buffer): void {
    const marker = this.#marker;
    if (marker === null || this.markerSeen) return;
    // Search the chunk with the end of the previous one before it: a marker may span two reads.
    const window = this.#tail.length === 0 ? chunk : Buffer.concat([this.#tail, chunk]);
    if (window.includes(marker)) this.markerSeen = true;
    else this.#tail = Buffer.from(window.subarray(Math.max(0, window.length - marker.length + 1)));
  }

  #progress(): void {
    this.#lastProgress = performance.now();
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  /** Waits until `done()` holds (true) or nothing happened for `boundMs` (false). */
  async until(done: () => boolean, boundMs: number): Promise<boolean> {
    this.#lastProgress = performance.now();
    for (;;) {
      if (done()) return true;
      const idle = performance.now() - this.#lastProgress;
      if (idle >= boundMs) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, boundMs - idle);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}

function open(host: string, port: number, boundMs: number): Promise<SessionSocket | SessionOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ kind: 'hang', stage: 'connect', detail: `no connection within ${boundMs} ms` });
    }, boundMs);
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ kind: 'refused', detail: `connect failed: ${error.code ?? error.message}` });
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(new SessionSocket(socket));
    });
  });
}

/** Writes `bytes`, waiting for the kernel to take them; false if the server closed or stalled. */
async function write(session: SessionSocket, bytes: Buffer, boundMs: number): Promise<'ok' | 'closed' | 'stalled'> {
  if (session.serverClosed || session.closed) return 'closed';
  session.drained = session.socket.write(bytes);
  if (session.drained) return 'ok';
  const moved = await session.until(() => session.drained || session.serverClosed || session.closed, boundMs);
  if (!moved) return 'stalled';
  return session.serverClosed || session.closed ? 'closed' : 'ok';
}

async function close(session: SessionSocket, plan: SessionPlan, boundMs: number): Promise<SessionOutcome | null> {
  const { socket } = session;
  if (plan.close === 'end' && !session.serverClosed) {
    socket.end();
    if (await session.until(() => session.closed, boundMs)) return null;
    socket.destroy();
    return { kind: 'hang', stage: 'close', detail: `the server kept the connection open ${boundMs} ms after the client's FIN` };
  }
  // A reset only while the connection is fully open: on one the server has half-closed, Node's
  // reset may never report the close.
  if (plan.close === 'reset' && !session.serverClosed) socket.resetAndDestroy();
  else socket.destroy();
  await session.until(() => session.closed, boundMs);
  return null;
}

/** Runs `plan` against host:port; `boundMs` is how long a session may go without progress. */
export async function runSession(host: string, port: number, plan: SessionPlan, boundMs: number): Promise<SessionResult> {
  const opened = await open(host, port, boundMs);
  if (!(opened instanceof SessionSocket)) return { plan, outcome: opened, bytesSent: 0, bytesReceived: 0 };
  const session = opened;
  let sent = 0;
  const finish = async (outcome: SessionOutcome): Promise<SessionResult> => {
    const closing = await close(session, plan, boundMs);
    return { plan, outcome: outcome.kind === 'hang' ? outcome : (closing ?? outcome), bytesSent: sent, bytesReceived: session.received };
  };
  const stalled = (stage: HangStage, what: string): SessionOutcome => ({
    kind: 'hang', stage, detail: `${what}: no byte, drain or close for ${boundMs} ms (sent ${sent} bytes, received ${session.received})`,
  });

  let from = 0;
  for (const to of [...plan.cuts, plan.stream.length]) {
    const result = await write(session, plan.stream.subarray(from, to), boundMs);
    if (result === 'closed') return finish({ kind: 'server-closed' });
    if (result === 'stalled') return finish(stalled('write', 'the server stopped reading'));
    sent += to - from;
    from = to;
    // A turn of the event loop between writes, so each piece leaves as its own segment.
    if (to < plan.stream.length) await nextTurn();
  }
  if (plan.ending !== 'sync' || plan.sync === null) return finish({ kind: 'client-closed' });

  session.expect(plan.marker);
  const result = await write(session, plan.sync, boundMs);
  if (result === 'closed') return finish({ kind: 'server-closed' });
  if (result === 'stalled') return finish(stalled('sync', 'the server stopped reading the sync'));
  sent += plan.sync.length;
  const before = session.received;
  const answered = await session.until(() => session.markerSeen || session.serverClosed || session.closed, boundMs);
  if (session.markerSeen) return finish({ kind: 'synced' });
  if (answered) return finish({ kind: 'server-closed' });
  // Bytes that came after the probe may be late replies to earlier frames: said, not excused.
  const after = session.received - before;
  return finish(stalled('sync', `the server stopped answering: no reply to the probe (${after} bytes came after it, none holding its answer)`));
}
