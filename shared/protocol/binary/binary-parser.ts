/**
 * An incremental parser for memcached binary-protocol requests: a state machine fed whatever
 * chunks the socket delivers, from which the connection pulls one complete request at a time.
 *
 * States: HEADER (the fixed 24 bytes), PREFIX (extras + key, at most 255 + 250 bytes), VALUE (the
 * rest of the body), SKIP (discarding the body of an unknown opcode or of a value too large to
 * keep) and CLOSED (the input was hopeless; memcached hangs up). Limits come first: the header
 * alone decides whether the body is read, skipped or refused, so no declared length is ever
 * allocated before its bytes arrive. A field is a view into the chunk that holds it; it is copied
 * only when it spans two chunks, and then exactly once.
 * @module
 */
import { itemTotalSize, MAX_KEY_LENGTH } from '../limits.ts';
import { Extras, Header, HEADER_LENGTH, MAGIC_REQUEST } from './constants.ts';
import { fitsShape, opcodeSpec } from './opcode-table.ts';
import type { BinaryFrame, BinaryFrameError, BinaryRequest, FrameErrorCode } from './binary-request.ts';

const State = { Header: 0, Prefix: 1, Value: 2, Skip: 3, Closed: 4 } as const;
type State = (typeof State)[keyof typeof State];

const EMPTY = Buffer.alloc(0);

/** Options for {@link BinaryParser}. */
export interface BinaryParserOptions {
  /** The item size limit; a value that cannot fit under it is skipped as it arrives, not buffered. */
  maxItemSize: number;
  /**
   * Return the same request object every time, its fields rewritten by each call to `next()`:
   * for a caller that is done with a request before it asks for the next one (a session), this
   * spares one object per request. Framing errors are always new objects. Default false.
   */
  reuseRequests?: boolean;
}

/** A request whose fields the parser may rewrite (see {@link BinaryParserOptions.reuseRequests}). */
type ReusableRequest = { -readonly [K in keyof BinaryRequest]: BinaryRequest[K] };

/**
 * Pull-based incremental parser: `feed(chunk)` as bytes arrive, then call `next()` until it
 * returns undefined (it needs more bytes). Requests and framing errors come out in input order.
 */
export class BinaryParser {
  /** The chunk being read and the position of its first unread byte. */
  private chunk: Buffer = EMPTY;
  private pos = 0;
  /** Chunks fed while `chunk` still had unread bytes (the caller paused between requests). */
  private readonly queue: Buffer[] = [];
  private queuedBytes = 0;
  /** Pieces of a field that spans chunks, joined once when the field is complete. */
  private parts: Buffer[] = [];
  private partsLength = 0;
  private state: State = State.Header;
  /** SKIP: bytes still to discard. */
  private skipRemaining = 0;

  // The request in progress, from its header.
  private opcode = 0;
  private opaque = 0;
  private cas = 0n;
  private extrasLength = 0;
  private keyLength = 0;
  private valueLength = 0;
  /** The value cannot fit the item size limit: read the key (to answer), then skip the value. */
  private tooLarge = false;
  /** Extras + key, once read: `prefixAt` bytes into `prefix` (a chunk, or the copy of a prefix that spanned chunks). */
  private prefix: Buffer = EMPTY;
  private prefixAt = 0;
  /** Where {@link BinaryParser.locate} found the last field: `length` bytes at `fieldAt` in `field`. */
  private field: Buffer = EMPTY;
  private fieldAt = 0;

  private readonly maxItemSize: number;
  /** The one request handed out again and again, when the caller asked for that. */
  private readonly reused: ReusableRequest | null;

  constructor(options: BinaryParserOptions) {
    this.maxItemSize = options.maxItemSize;
    this.reused = options.reuseRequests === true
      ? { kind: 'request', opcode: 0, opaque: 0, cas: 0n, key: '', value: EMPTY, flags: 0, exptime: 0, delta: 0n, initial: 0n }
      : null;
  }

  /** Bytes held by the parser and not yet returned as requests (for the connection's memory limit). */
  get bufferedBytes(): number {
    return this.chunk.length - this.pos + this.queuedBytes + this.partsLength;
  }

  /**
   * True while the parser holds part of a request, or is still skipping one (a value too large to
   * keep, an unknown opcode's body): a deadline on partial requests must see both.
   */
  get midRequest(): boolean {
    return this.skipRemaining > 0 || this.bufferedBytes > 0;
  }

  /** True once the input was hopeless and the connection should be closed. */
  get closed(): boolean {
    return this.state === State.Closed;
  }

  /**
   * At rest — between requests, nothing held or being skipped — drops its references to the last
   * chunk and request prefix, so an idle parser pins none of its client's bytes (it can then be
   * pooled), and returns true. Otherwise it changes nothing and returns false.
   */
  release(): boolean {
    if (this.state !== State.Header || this.bufferedBytes !== 0) return false;
    this.chunk = EMPTY;
    this.pos = 0;
    this.prefix = EMPTY;
    this.field = EMPTY;
    if (this.reused !== null) this.reused.value = EMPTY;
    return true;
  }

  /** Adds bytes from the socket. Nothing is copied here. */
  feed(chunk: Buffer): void {
    if (this.state === State.Closed || chunk.length === 0) return;
    if (this.pos === this.chunk.length && this.queue.length === 0) {
      this.chunk = chunk;
      this.pos = 0;
    } else {
      this.queue.push(chunk);
      this.queuedBytes += chunk.length;
    }
  }

  /** The next complete request or framing error, or undefined until more bytes arrive. */
  next(): BinaryFrame | undefined {
    for (;;) {
      switch (this.state) {
        case State.Header: {
          // Read where it lies: a view of it would be one more object per request.
          if (!this.locate(HEADER_LENGTH)) return undefined;
          const error = this.readHeader(this.field, this.fieldAt);
          if (error !== undefined) return error;
          break;
        }
        case State.Prefix: {
          if (!this.locate(this.extrasLength + this.keyLength)) return undefined;
          this.prefix = this.field;
          this.prefixAt = this.fieldAt;
          if (!this.tooLarge) {
            this.state = State.Value;
            break;
          }
          const key = this.key();
          this.prefix = EMPTY;
          this.startSkip(this.valueLength);
          return this.error('TOO_LARGE', key);
        }
        case State.Value: {
          const value = this.take(this.valueLength);
          if (value === undefined) return undefined;
          this.state = State.Header;
          return this.request(value);
        }
        case State.Skip:
          if (!this.skip()) return undefined;
          this.state = State.Header;
          break;
        case State.Closed:
          return undefined;
      }
    }
  }

  /**
   * Decodes a header and decides, from it alone, what happens to the body. The checks run in
   * memcached's order, so a header with several faults gets the answer memcached gives.
   * Returns a framing error, or undefined when the body is to be read (state PREFIX).
   */
  private readHeader(header: Buffer, at: number): BinaryFrameError | undefined {
    this.opcode = header[at + Header.OPCODE]!;
    this.opaque = header.readUInt32BE(at + Header.OPAQUE);
    if (header[at + Header.MAGIC] !== MAGIC_REQUEST) return this.fail('BAD_MAGIC');
    this.keyLength = header.readUInt16BE(at + Header.KEY_LENGTH);
    this.extrasLength = header[at + Header.EXTRAS_LENGTH]!;
    const bodyLength = header.readUInt32BE(at + Header.BODY_LENGTH);
    // All 64 bits, exactly. Most requests carry CAS 0: answering those with the 0n constant spares
    // them the BigInt that readBigUInt64BE allocates.
    const casHigh = header.readUInt32BE(at + Header.CAS);
    const casLow = header.readUInt32BE(at + Header.CAS + 4);
    this.cas = casHigh === 0 && casLow === 0 ? 0n : header.readBigUInt64BE(at + Header.CAS);
    if (this.keyLength + this.extrasLength > bodyLength) return this.fail('BODY_TOO_SHORT');
    if (this.keyLength > MAX_KEY_LENGTH) return this.fail('KEY_TOO_LONG');
    this.valueLength = bodyLength - this.keyLength - this.extrasLength;
    const spec = opcodeSpec(this.opcode);
    if (spec === undefined) {
      // Skip exactly the declared body. (memcached 1.6.18 also skips extras + key a second
      // time, which desynchronises the stream; that is not worth copying.)
      this.startSkip(bodyLength);
      return this.error('UNKNOWN_OPCODE', '');
    }
    if (!fitsShape(spec, this.extrasLength, this.keyLength, this.valueLength)) return this.fail('BAD_SHAPE');
    this.tooLarge = spec.value && itemTotalSize(this.keyLength, this.valueLength) > this.maxItemSize;
    this.state = State.Prefix;
    return undefined;
  }

  /** Builds the request from its prefix and value, decoding the extras by their (checked) length. */
  private request(value: Buffer): BinaryRequest {
    const prefix = this.prefix;
    const at = this.prefixAt;
    let flags = 0;
    let exptime = 0;
    let delta = 0n;
    let initial = 0n;
    switch (this.extrasLength) {
      case Extras.STORE:
        flags = prefix.readUInt32BE(at);
        exptime = prefix.readUInt32BE(at + 4);
        break;
      case Extras.ARITHMETIC:
        delta = prefix.readBigUInt64BE(at);
        initial = prefix.readBigUInt64BE(at + 8);
        exptime = prefix.readUInt32BE(at + 16);
        break;
      case Extras.EXPTIME:
        exptime = prefix.readUInt32BE(at);
        break;
    }
    const key = this.key();
    this.prefix = EMPTY;
    const request = this.reused;
    if (request === null) return { kind: 'request', opcode: this.opcode, opaque: this.opaque, cas: this.cas, key, value, flags, exptime, delta, initial };
    request.opcode = this.opcode;
    request.opaque = this.opaque;
    request.cas = this.cas;
    request.key = key;
    request.value = value;
    request.flags = flags;
    request.exptime = exptime;
    request.delta = delta;
    request.initial = initial;
    return request;
  }

  private key(): string {
    const start = this.prefixAt + this.extrasLength;
    return this.prefix.toString('latin1', start, start + this.keyLength);
  }

  private error(code: FrameErrorCode, key: string): BinaryFrameError {
    return { kind: 'error', code, opcode: this.opcode, opaque: this.opaque, key };
  }

  /** A framing error after which nothing more is read: the connection is to be closed. */
  private fail(code: FrameErrorCode): BinaryFrameError {
    this.state = State.Closed;
    this.chunk = EMPTY;
    this.pos = 0;
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.parts = [];
    this.partsLength = 0;
    return this.error(code, '');
  }

  private startSkip(length: number): void {
    this.skipRemaining = length;
    this.state = State.Skip;
  }

  /**
   * Takes the next `length` bytes as one Buffer if they have all arrived: a view when they lie in
   * one chunk, one copy when they span several. Partial fields wait in `parts` as views.
   */
  private take(length: number): Buffer | undefined {
    if (length === 0) return EMPTY;
    if (this.partsLength === 0 && this.chunk.length - this.pos >= length) {
      const view = this.chunk.subarray(this.pos, this.pos + length);
      this.pos += length;
      return view;
    }
    while (this.partsLength < length) {
      if (this.pos === this.chunk.length && !this.nextChunk()) return undefined;
      const piece = Math.min(length - this.partsLength, this.chunk.length - this.pos);
      this.parts.push(this.chunk.subarray(this.pos, this.pos + piece));
      this.pos += piece;
      this.partsLength += piece;
    }
    const joined = Buffer.concat(this.parts, length);
    this.parts = [];
    this.partsLength = 0;
    return joined;
  }

  /**
   * Finds the next `length` bytes if they have all arrived, and consumes them: true, with them at
   * `fieldAt` in `field` — in place in the current chunk when they lie in it (no copy, no view),
   * else in one copy, as {@link BinaryParser.take} makes it. `field` is valid until the next call.
   */
  private locate(length: number): boolean {
    if (this.partsLength === 0 && this.chunk.length - this.pos >= length) {
      this.field = this.chunk;
      this.fieldAt = this.pos;
      this.pos += length;
      return true;
    }
    const joined = this.take(length);
    if (joined === undefined) return false;
    this.field = joined;
    this.fieldAt = 0;
    return true;
  }

  /** Discards up to `skipRemaining` bytes; true when all of them are gone. */
  private skip(): boolean {
    while (this.skipRemaining > 0) {
      if (this.pos === this.chunk.length && !this.nextChunk()) return false;
      const piece = Math.min(this.skipRemaining, this.chunk.length - this.pos);
      this.pos += piece;
      this.skipRemaining -= piece;
    }
    return true;
  }

  /** Moves on to the next queued chunk; false when there is none. */
  private nextChunk(): boolean {
    const next = this.queue.shift();
    if (next === undefined) return false;
    this.queuedBytes -= next.length;
    this.chunk = next;
    this.pos = 0;
    return true;
  }
}
