/** A worker thread that reads a connection table it did not write, for connection-table.test.ts. */
import { parentPort, workerData } from 'node:worker_threads';
import { ConnectionTable } from '../connection-table.ts';
import { signalReady } from '../spawn-worker.ts';

const table = ConnectionTable.attach(workerData as SharedArrayBuffer);
parentPort!.on('message', () => parentPort!.postMessage(table.describe()));
signalReady();
