/**
 * The messages between phase 1's main thread and its workers. Commands and replies travel by
 * postMessage (structured clone); the items themselves never travel: they live in the
 * SharedArrayBuffer every worker attaches to.
 * @module
 */
import type { TextCommand } from '../../shared/protocol/text/text-command.ts';
import type { After } from '../../shared/protocol/after.ts';
import type { ServerFacts } from '../../shared/runtime/basic-server-info.ts';

/** Given to each worker when it starts. */
export interface WorkerSetup {
  readonly storeBuffer: SharedArrayBuffer;
  readonly countersBuffer: SharedArrayBuffer;
  readonly facts: ServerFacts;
}

/** Main → worker: run this command. */
export interface Job {
  readonly id: number;
  readonly command: TextCommand;
}

/** Worker → main: the reply to job `id`; `failure` describes an unexpected error, if any. */
export interface JobDone {
  readonly id: number;
  readonly chunks: Uint8Array[];
  readonly after: After;
  readonly failure?: string;
}
