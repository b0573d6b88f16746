/**
 * A worker thread for connection-table-writers.test.ts: adds `count` sockets (fakes with the
 * addresses the table reads) to the table over `buffer`, as a loop thread adds the sockets it
 * accepts, waiting on a shared start word so that every writer claims slots at the same moment.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { ConnectionTable } from '../../../../shared/runtime/connection-table.ts';
import { signalReady } from '../../../../shared/runtime/spawn-worker.ts';

/** What the test hands each writer. */
export interface TableWriterData {
  readonly buffer: SharedArrayBuffer;
  /** Int32 word 0: 0 until the test lets every writer go. */
  readonly start: SharedArrayBuffer;
  readonly firstPort: number;
  readonly count: number;
  /** Close every other socket after adding them all, so freed slots are reused below the mark. */
  readonly closeHalf: boolean;
}

const data = workerData as TableWriterData;
const table = ConnectionTable.attach(data.buffer);
signalReady();
Atomics.wait(new Int32Array(data.start), 0, 0);
const sockets: EventEmitter[] = [];
for (let i = 0; i < data.count; i++) {
  const socket = Object.assign(new EventEmitter(), {
    remoteAddress: '127.0.0.1', remotePort: data.firstPort + i, localAddress: '127.0.0.1', localPort: 11211,
  });
  table.add(socket as unknown as Socket);
  sockets.push(socket);
}
if (data.closeHalf) for (let i = 0; i < sockets.length; i += 2) table.remove(sockets[i] as unknown as Socket);
parentPort!.postMessage('done');
