/**
 * The smallest client a server test needs: open a loopback connection, send a request and wait
 * for a reply that ends as expected — one listener for the whole reply, so no chunk is missed, and
 * a deadline, so no test hangs. For full transcripts use the conformance suite's WireConnection.
 * @module
 */
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';

/** How long a reply may take before the test fails (a busy machine included). */
export const REPLY_TIMEOUT_MS = 15_000;

/** Opens a connection to 127.0.0.1:`port`; errors after the connect are ignored (tests close sockets). */
export async function openSocket(port: number): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => undefined);
  await once(socket, 'connect', { signal: AbortSignal.timeout(REPLY_TIMEOUT_MS) });
  return socket;
}

/** Sends `request` and resolves with the reply once it ends with `until` (rejects after the timeout). */
export function askUntil(socket: Socket, request: string | Buffer, until: string, timeoutMs = REPLY_TIMEOUT_MS): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    const onData = (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (!received.endsWith(until)) return;
      socket.off('data', onData);
      clearTimeout(timer);
      resolve(received);
    };
    const timer = setTimeout(() => {
      socket.off('data', onData);
      reject(new Error(`no reply ending ${JSON.stringify(until)} within ${timeoutMs} ms; got ${JSON.stringify(received.slice(0, 200))}`));
    }, timeoutMs);
    socket.on('data', onData);
    socket.write(request);
  });
}

/** Every server in each of its threading modes: what the cross-phase tests run against. */
export const THREADING_MODES: readonly { readonly phase: string; readonly args: string[] }[] = [
  { phase: 'phase1', args: ['--workers', '2'] },
  { phase: 'phase1', args: ['--workers', '0'] },
  { phase: 'phase2', args: ['--workers', '0'] },
  { phase: 'phase2', args: ['--workers', '2'] },
  { phase: 'phase3', args: ['--workers', '0'] },
  { phase: 'phase3', args: ['--workers', '2'] },
  { phase: 'phase4', args: ['--workers', '0'] },
  { phase: 'phase4', args: ['--workers', '2'] },
  // One event loop by design (an async loop per connection): it takes no --workers.
  { phase: 'coroutine', args: [] },
];
