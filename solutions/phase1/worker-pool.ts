/**
 * Reference answer to exercise 1.5 (worker-pool): the pool the phase 1 server runs,
 * phases/phase1/worker-pool.ts, re-exported so the two can never drift. Why it is written so:
 *
 * - `execute` returns a Promise and keeps its `resolve` in a Pending record. The connection awaits
 *   the promise; the worker's reply message calls `resolve`. No callback is passed to the worker:
 *   functions cannot cross a postMessage, and the `running` map is what ties a reply to its command.
 * - A worker runs one command at a time, so "which command is this reply for" is answered by
 *   *which worker* sent it (`running.get(worker)`); the job id is only for the logs.
 * - The queue is FIFO (`push` / `shift`): commands start in the order they arrived. A stack would
 *   starve the oldest command whenever the pool is busy.
 * - `finished` hands the worker the next queued command before marking it idle, so a busy pool
 *   never lets a worker sit idle with work waiting.
 * - A worker that dies costs its one command a SERVER_ERROR and is replaced; the pool keeps size.
 * @module
 */
export * from '../../phases/phase1/worker-pool.ts';
