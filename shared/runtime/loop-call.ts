/**
 * A call from any thread to the loop thread that waits for its text answer, for the rare command
 * that must act on what only the loop thread holds — `refresh_certs`: the TLS listener and its
 * certificates live there, while with `--workers N` the command executes in a ring worker.
 *
 * One SharedArrayBuffer: a request sequence, an answer sequence, a lock word and the answer's
 * bytes. A caller takes the lock (one call at a time across every worker), bumps the request
 * sequence and sleeps on the answer sequence with Atomics.wait, for at most a deadline. The loop
 * thread never blocks: it sleeps on the request sequence with Atomics.waitAsync, runs its handler,
 * writes the answer, then publishes the answer sequence. On the loop thread itself the handler is
 * called directly (waiting there would stop the very loop that must answer).
 * @module
 */

/** Int32 slots. */
const REQUESTED = 0;
const ANSWERED = 1;
/** 0 free, 1 held by a caller between its request and reading the answer. */
const LOCK = 2;
const ANSWER_LENGTH = 3;
const HEADER_BYTES = 16;
/** Enough for a file path and an OpenSSL reason; a longer answer is cut (the caller sees its start). */
export const MAX_ANSWER_BYTES = 2048;
/** A caller gives up after this: the loop thread reads a few small files to answer, in milliseconds. */
const CALL_TIMEOUT_MS = 5000;

/** Atomics.waitAsync (Node 20 has it; the ES2022 library this project compiles against does not declare it). */
const waitAsync = (Atomics as unknown as {
  waitAsync(this: void, array: Int32Array, index: number, value: number): { async: false; value: string } | { async: true; value: Promise<string> };
}).waitAsync;

/** The handler each buffer's loop thread registered, so a call made on that thread runs it directly. */
const LOCAL_HANDLERS = new WeakMap<SharedArrayBuffer, () => string>();

/** The calling side, usable from any thread that holds the buffer. */
export class LoopCall {
  private readonly ints: Int32Array;
  private readonly bytes: Uint8Array;

  /** @param timeoutMs - how long a call waits for the loop thread before it gives up */
  constructor(readonly buffer: SharedArrayBuffer, private readonly timeoutMs = CALL_TIMEOUT_MS) {
    this.ints = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    this.bytes = new Uint8Array(buffer, HEADER_BYTES, MAX_ANSWER_BYTES);
  }

  /** A new channel's buffer. */
  static createBuffer(): SharedArrayBuffer {
    return new SharedArrayBuffer(HEADER_BYTES + MAX_ANSWER_BYTES);
  }

  /**
   * Asks the loop thread and returns its answer, or null when it did not answer in time (or no
   * loop thread serves the buffer). Blocks this thread while it waits: call it only from a worker
   * thread or from the loop thread itself.
   */
  call(): string | null {
    const local = LOCAL_HANDLERS.get(this.buffer);
    if (local !== undefined) return local();
    const deadline = Date.now() + this.timeoutMs;
    // The lock: another worker's call in flight is waited out (it ends within its own deadline).
    while (Atomics.compareExchange(this.ints, LOCK, 0, 1) !== 0) {
      if (Date.now() >= deadline) return null;
      Atomics.wait(this.ints, LOCK, 1, 50);
    }
    try {
      // Seq-cst add then notify: the loop thread, asleep on REQUESTED, sees the new value.
      const sequence = Atomics.add(this.ints, REQUESTED, 1) + 1;
      Atomics.notify(this.ints, REQUESTED);
      for (;;) {
        const answered = Atomics.load(this.ints, ANSWERED);
        // The answer's bytes were written before ANSWERED was stored (seq-cst), so they are there.
        if (answered === sequence) return Buffer.from(this.bytes.subarray(0, Atomics.load(this.ints, ANSWER_LENGTH))).toString('utf8');
        const left = deadline - Date.now();
        if (left <= 0) return null;
        Atomics.wait(this.ints, ANSWERED, answered, left);
      }
    } finally {
      Atomics.store(this.ints, LOCK, 0);
      Atomics.notify(this.ints, LOCK, 1);
    }
  }
}

/** The loop thread's side: answers every call with `handler` until stopped. */
export class LoopCallServer {
  private readonly ints: Int32Array;
  private readonly bytes: Uint8Array;
  private stopped = false;

  constructor(private readonly buffer: SharedArrayBuffer, private readonly handler: () => string) {
    this.ints = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    this.bytes = new Uint8Array(buffer, HEADER_BYTES, MAX_ANSWER_BYTES);
    LOCAL_HANDLERS.set(buffer, handler);
    void this.serve();
  }

  /** Stops answering (callers then time out); the pending wait is woken so nothing is left behind. */
  stop(): void {
    this.stopped = true;
    LOCAL_HANDLERS.delete(this.buffer);
    Atomics.notify(this.ints, REQUESTED);
  }

  private async serve(): Promise<void> {
    let answered = Atomics.load(this.ints, REQUESTED);
    while (!this.stopped) {
      const requested = Atomics.load(this.ints, REQUESTED);
      if (requested === answered) {
        const wait = waitAsync(this.ints, REQUESTED, requested);
        if (wait.async) await wait.value;
        continue;
      }
      this.answer(requested);
      answered = requested;
    }
  }

  private answer(sequence: number): void {
    let text: string;
    try {
      text = this.handler();
    } catch (error) {
      text = String(error);
    }
    const written = Buffer.from(this.bytes.buffer, this.bytes.byteOffset, MAX_ANSWER_BYTES).write(text, 'utf8');
    Atomics.store(this.ints, ANSWER_LENGTH, written);
    Atomics.store(this.ints, ANSWERED, sequence);
    Atomics.notify(this.ints, ANSWERED);
  }
}
