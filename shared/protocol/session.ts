/**
 * A protocol session: one connection's parser, executor and reply buffer, with no socket. The
 * first byte a client sends picks the protocol, as memcached does: 0x80 (the binary request magic)
 * means binary, anything else text. The event-driven phases drive a session with `feed` and
 * `step`, and write out whatever replies it has gathered. A request that throws while executing
 * is answered with the protocol's internal error and costs nothing else: not the connection, not
 * the thread, not the requests after it.
 * @module
 */
import type { Store } from '../store/store.ts';
import type { ServerInfo } from './server-info.ts';
import { TextParser } from './text/text-parser.ts';
import { TextReply } from './text/text-reply.ts';
import { executeText } from './text/text-executor.ts';
import { TextHits } from './text/text-hit.ts';
import { Step } from './after.ts';
import { BinaryParser } from './binary/binary-parser.ts';
import { BinaryReply } from './binary/binary-reply.ts';
import { executeBinary } from './binary/binary-executor.ts';
import { BinaryHits } from './binary/binary-hit.ts';
import { MAGIC_REQUEST, Opcode, Status } from './binary/constants.ts';
import { ProtocolError } from './errors.ts';
import { binaryFamily, Outcome, Protocol, textFamily, type RequestObserver } from './request-observer.ts';

// A step's answers are the executors' (After) plus NeedMore: one vocabulary, defined in after.ts.
export { Step } from './after.ts';

/** Replies gathered by a session: pieces ready for one write. */
export interface ReplyBuffer {
  readonly chunks: Buffer[];
  readonly bytes: number;
  /** Hands over the gathered chunks and empties the buffer. */
  take(): Buffer[];
  /** Drops every chunk after the first `count`: the partial reply of a request that failed. */
  truncate(count: number): void;
}

/** One connection's protocol state. */
export interface Session {
  readonly protocol: 'text' | 'binary';
  /** Buffers bytes read from the socket; nothing executes until `step`. */
  feed(chunk: Buffer): void;
  /** Executes at most one buffered request. */
  step(): Step;
  readonly out: ReplyBuffer;
  /** Request bytes held but not yet executed. */
  readonly bufferedBytes: number;
  /** Part of a request is held, or the rest of one is being discarded (for a partial-request deadline). */
  readonly midRequest: boolean;
  /**
   * While true, each request is parsed whole but not executed: it is answered with the rate-limit
   * refusal (text `SERVER_ERROR slow down`, binary status 0x86), silently when it asked for no
   * reply. Set by the connection for its guard (phase 4's reject mode); false otherwise.
   */
  refusing: boolean;
  /**
   * At rest — no request held, no reply waiting — lets go of everything of its last client (the
   * parser's last chunk, the clock, the refusal) so that it can serve another connection, and
   * returns true; otherwise changes nothing and returns false. See session-pool.ts.
   */
  release(): boolean;
}

/** Everything a session needs from the server. */
export interface SessionContext {
  readonly store: Store;
  readonly server: ServerInfo;
  readonly maxItemSize: number;
  /**
   * Told of a request that threw while executing (a bug, or a store failure). The session has
   * already answered it with the protocol's internal error and carries on with the next request.
   */
  readonly onFault?: (error: unknown) => void;
  /** Told of every executed request, with its duration; absent, no clock is read at all. */
  readonly observer?: RequestObserver;
  /** Told of each request refused while the session is {@link Session.refusing} (phase 4's rate limit). */
  readonly onRefused?: () => void;
}

/** Nanoseconds per millisecond, for the observer's durations (performance.now() counts in ms). */
const NS_PER_MS = 1e6;

/**
 * The observer's clock, read once per request instead of twice: a request's end is the next
 * one's start, as long as they run in the same turn. A turn starts when the reply buffer is empty
 * (the connection has just taken the last turn's replies), and then the clock is read afresh —
 * time spent between turns (other sockets, the network) never counts. Each read costs ~100 ns,
 * the price of a small request's whole parse; the next request's parsing now counts in its time.
 */
class RequestClock {
  private last = 0;
  /** The start of a request: a fresh read at the start of a turn, else the previous request's end. */
  start(turnStart: boolean): number {
    return turnStart || this.last === 0 ? performance.now() : this.last;
  }
  /** Forgets the last request's end: the next request starts a turn of its own. */
  reset(): void {
    this.last = 0;
  }
  /** Ends the request that started at `started`; returns its duration in nanoseconds. */
  stop(started: number): number {
    this.last = performance.now();
    return (this.last - started) * NS_PER_MS;
  }
}

class TextSession implements Session {
  readonly protocol = 'text';
  readonly out = new TextReply();
  refusing = false;
  private readonly clock = new RequestClock();
  private readonly parser: TextParser;
  /** Writes get hits from the store's memory, where the store offers that (text-hit.ts). */
  private readonly hits = new TextHits(this.out);
  constructor(private readonly context: SessionContext) {
    this.parser = new TextParser({ maxItemSize: context.maxItemSize });
  }
  feed(chunk: Buffer): void {
    this.parser.feed(chunk);
  }
  step(): Step {
    const command = this.parser.next();
    if (command === undefined) return this.parser.closed ? Step.Close : Step.NeedMore;
    // A malformed line keeps its own error, and quit still quits: only real work is refused.
    if (this.refusing && command.kind !== 'error' && command.kind !== 'quit') {
      if (!('noreply' in command && command.noreply)) this.out.error('SLOW_DOWN');
      this.context.onRefused?.();
      return Step.Continue;
    }
    const observer = this.context.observer;
    const started = observer === undefined ? 0 : this.clock.start(this.out.bytes === 0);
    const mark = this.out.chunks.length;
    let step: Step;
    let outcome: Outcome = command.kind === 'error' || (command.kind === 'storage' && command.tooLarge) ? Outcome.Error : Outcome.Ok;
    try {
      step = executeText(command, this.context.store, this.context.server, this.out, this.hits);
    } catch (error) {
      // One failing request costs one error reply: drop what it half wrote, answer, carry on.
      this.out.truncate(mark);
      step = Step.Continue;
      if (error instanceof ProtocolError) {
        // A layer below refused the request in the catalogue's words (phase 4's failed log): no fault.
        this.out.error(error.code);
        outcome = Outcome.Error;
      } else {
        this.out.error('INTERNAL');
        this.context.onFault?.(error);
        outcome = Outcome.Fault;
      }
    }
    observer?.observe(textFamily(command), Protocol.Text, outcome, this.clock.stop(started));
    return step;
  }
  get bufferedBytes(): number {
    return this.parser.bufferedBytes;
  }
  get midRequest(): boolean {
    return this.parser.midRequest;
  }
  release(): boolean {
    if (this.out.bytes !== 0 || !this.parser.release()) return false;
    this.refusing = false;
    this.clock.reset();
    return true;
  }
}

class BinarySession implements Session {
  readonly protocol = 'binary';
  readonly out = new BinaryReply();
  refusing = false;
  private readonly clock = new RequestClock();
  private readonly parser: BinaryParser;
  /** Writes Get hits from the store's memory, where the store offers that (binary-hit.ts). */
  private readonly hits = new BinaryHits(this.out);
  constructor(private readonly context: SessionContext) {
    // step() is done with each request before it parses the next, so one request object serves them all.
    this.parser = new BinaryParser({ maxItemSize: context.maxItemSize, reuseRequests: true });
  }
  feed(chunk: Buffer): void {
    this.parser.feed(chunk);
  }
  step(): Step {
    const frame = this.parser.next();
    if (frame === undefined) return this.parser.closed ? Step.Close : Step.NeedMore;
    // Quiet opcodes too get the refusal: an error response is never silent in the binary protocol.
    // Quit still quits, as in text.
    if (this.refusing && frame.kind === 'request' && frame.opcode !== Opcode.Quit && frame.opcode !== Opcode.QuitQ) {
      this.out.error(frame.opcode, frame.opaque, Status.TemporaryFailure);
      this.context.onRefused?.();
      return Step.Continue;
    }
    const observer = this.context.observer;
    const started = observer === undefined ? 0 : this.clock.start(this.out.bytes === 0);
    const mark = this.out.chunks.length;
    let step: Step;
    let outcome: Outcome = frame.kind === 'error' ? Outcome.Error : Outcome.Ok;
    try {
      step = executeBinary(frame, this.context.store, this.context.server, this.out, this.hits);
    } catch (error) {
      // As in text: the request gets an error response (never silent, even for a quiet opcode).
      this.out.truncate(mark);
      this.out.error(frame.opcode, frame.opaque, Status.InternalError);
      this.context.onFault?.(error);
      step = Step.Continue;
      outcome = Outcome.Fault;
    }
    observer?.observe(binaryFamily(frame), Protocol.Binary, outcome, this.clock.stop(started));
    return step;
  }
  get bufferedBytes(): number {
    return this.parser.bufferedBytes;
  }
  get midRequest(): boolean {
    return this.parser.midRequest;
  }
  release(): boolean {
    if (this.out.bytes !== 0 || !this.parser.release()) return false;
    this.refusing = false;
    this.clock.reset();
    return true;
  }
}

/** Creates the session for a connection whose first byte is `firstByte`. */
export function createSession(firstByte: number, context: SessionContext): Session {
  return firstByte === MAGIC_REQUEST ? new BinarySession(context) : new TextSession(context);
}
