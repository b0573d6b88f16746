/**
 * A phase 1 worker thread: attaches to the shared store, then executes each command it is sent
 * and posts the reply back. One command at a time; the store's lock makes it safe for every
 * worker to do this at once.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SharedStore } from '../../shared/store/shared-store.ts';
import { ServerCounters } from '../../shared/runtime/server-counters.ts';
import { basicServerInfo } from '../../shared/runtime/basic-server-info.ts';
import { executeText } from '../../shared/protocol/text/text-executor.ts';
import { After } from '../../shared/protocol/after.ts';
import { TextReply } from '../../shared/protocol/text/text-reply.ts';
import { signalReady } from '../../shared/runtime/spawn-worker.ts';
import type { Job, JobDone, WorkerSetup } from './worker-protocol.ts';

const setup = workerData as WorkerSetup;
const store = SharedStore.attach(setup.storeBuffer);
const server = basicServerInfo(setup.facts, new ServerCounters(setup.countersBuffer));
const out = new TextReply();
const port = parentPort!;

port.on('message', (job: Job) => {
  let done: JobDone;
  try {
    const after = executeText(job.command, store, server, out);
    done = { id: job.id, chunks: out.take(), after };
  } catch (error) {
    // A bug must cost one reply, not the worker: the client hears SERVER_ERROR, the log hears why.
    out.take();
    out.error('INTERNAL');
    done = { id: job.id, chunks: out.take(), after: After.Continue, failure: String((error as Error)?.stack ?? error) };
  }
  port.postMessage(done);
});

signalReady();
