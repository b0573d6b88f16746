/**
 * An incremental parser for memcached's text protocol: a state machine fed with whatever chunks
 * the socket delivers, from which the connection pulls one complete command at a time.
 *
 * States: LINE (looking for the LF that ends a command line), DATA (collecting a storage command's
 * data block plus its CRLF), SWALLOW (discarding the data block of an item too large to keep) and
 * CLOSED (the input was hopeless; memcached hangs up). The cursor and any partial field live on the
 * instance. Bytes are copied only when a line spans two chunks, or once when a data block does.
 * Limits come first: a line is judged by its length before it is scanned further, and a declared
 * length is checked against the item size limit before a single byte of it is kept.
 * @module
 */
import { itemTotalSize, MAX_GET_LINE_LENGTH, MAX_LINE_LENGTH } from '../limits.ts';
import { ErrorAction, ERRORS } from '../errors.ts';
import { CR, LF, LineTokens, SPACE } from './text-tokens.ts';
import { badDataChunk, LINE_TOO_LONG, parseCommandLine } from './text-grammar.ts';
import type { DataBlockCommand, TextCommand } from './text-command.ts';

const State = { Line: 0, Data: 1, Swallow: 2, Closed: 3 } as const;
type State = (typeof State)[keyof typeof State];

const EMPTY = Buffer.alloc(0);

/** memcached lets a long line live only if it is a get/gets after at most this many spaces. */
const MAX_LEADING_SPACES = 100;

/** Options for {@link TextParser}. */
export interface TextParserOptions {
  /** The item size limit; a storage command over it has its data discarded, not buffered. */
  maxItemSize: number;
}

/**
 * Pull-based incremental parser: `feed(chunk)` as bytes arrive, then call `next()` until it
 * returns undefined (it needs more bytes). Commands come out in input order.
 */
export class TextParser {
  private buf: Buffer = EMPTY;
  /** Start of the unread bytes in `buf`. */
  private pos = 0;
  /** How far `buf` has been searched for LF without finding one, so no byte is scanned twice. */
  private scanned = 0;
  private state: State = State.Line;
  /** The storage (or ms) command whose data block is being collected. */
  private storage: (DataBlockCommand & TextCommand) | null = null;
  /** DATA/SWALLOW: bytes of the block (data + CRLF) still to come. */
  private remaining = 0;
  /** DATA: pieces of a block that spans chunks, joined once when complete. */
  private parts: Buffer[] = [];
  private partsLength = 0;
  private readonly tokens = new LineTokens();
  private readonly maxItemSize: number;

  constructor(options: TextParserOptions) {
    this.maxItemSize = options.maxItemSize;
  }

  /** Bytes held by the parser and not yet returned as commands. */
  get bufferedBytes(): number {
    return this.buf.length - this.pos + this.partsLength;
  }

  /**
   * True while the parser holds part of a request, or is still discarding one (the data block of
   * an item too large to keep): a deadline on partial requests must see both.
   */
  get midRequest(): boolean {
    return this.state === State.Swallow || this.bufferedBytes > 0;
  }

  /** True once the input was hopeless and the connection should be closed. */
  get closed(): boolean {
    return this.state === State.Closed;
  }

  /**
   * At rest — between commands, nothing held — drops its references to the last chunk and line, so
   * an idle parser pins none of its client's bytes (it can then be pooled), and returns true.
   * Otherwise it changes nothing and returns false.
   */
  release(): boolean {
    if (this.state !== State.Line || this.bufferedBytes !== 0) return false;
    this.buf = EMPTY;
    this.pos = 0;
    this.scanned = 0;
    this.tokens.buf = EMPTY;
    return true;
  }

  /** Adds bytes from the socket. Cheap when everything before was consumed: no copy at all. */
  feed(chunk: Buffer): void {
    if (this.state === State.Closed) return;
    if (this.pos >= this.buf.length) {
      this.buf = chunk;
      this.scanned = 0;
    } else {
      // Only the unread tail (usually part of one line) is copied.
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
      this.scanned -= this.pos;
    }
    this.pos = 0;
  }

  /** The next complete command, or undefined when more bytes are needed. */
  next(): TextCommand | undefined {
    for (;;) {
      switch (this.state) {
        case State.Line:
          return this.readLine();
        case State.Data:
          return this.readData();
        case State.Swallow:
          if (!this.swallow()) return undefined;
          break;
        case State.Closed:
          return undefined;
      }
    }
  }

  private readLine(): TextCommand | undefined {
    const buf = this.buf;
    const lf = buf.indexOf(LF, Math.max(this.pos, this.scanned));
    if (lf < 0) {
      this.scanned = buf.length;
      const length = buf.length - this.pos;
      if (length > MAX_LINE_LENGTH && (length > MAX_GET_LINE_LENGTH || !this.startsWithGet())) {
        this.state = State.Closed;
        return LINE_TOO_LONG;
      }
      return undefined;
    }
    // A bare LF ends a line as well as CRLF does, as in memcached.
    const end = lf > this.pos && buf[lf - 1] === CR ? lf - 1 : lf;
    this.tokens.split(buf, this.pos, end);
    this.pos = lf + 1;
    this.scanned = this.pos;
    const command = parseCommandLine(this.tokens);
    if (command.kind === 'storage' || (command.kind === 'meta' && command.name === 'ms')) return this.startData(command);
    if (command.kind === 'error' && ERRORS[command.code].action === ErrorAction.Close) this.state = State.Closed;
    return command;
  }

  /** A storage line was read: collect its data block, or discard it if refused or too large. */
  private startData(command: DataBlockCommand & TextCommand): TextCommand | undefined {
    this.remaining = command.length + 2;
    if (command.discard === true || itemTotalSize(command.key.length, command.length) > this.maxItemSize) {
      // memcached answers at once and then discards the declared bytes as they arrive.
      if (command.discard !== true) command.tooLarge = true;
      this.state = State.Swallow;
      return command;
    }
    this.state = State.Data;
    this.storage = command;
    return this.readData();
  }

  private readData(): TextCommand | undefined {
    const available = this.buf.length - this.pos;
    const take = Math.min(available, this.remaining - this.partsLength);
    let block: Buffer;
    if (this.partsLength === 0 && take === this.remaining) {
      // The whole block is in this chunk: a view, no copy.
      block = this.buf.subarray(this.pos, this.pos + take);
    } else {
      this.parts.push(this.buf.subarray(this.pos, this.pos + take));
      this.partsLength += take;
      if (this.partsLength < this.remaining) {
        this.pos += take;
        return undefined;
      }
      block = Buffer.concat(this.parts, this.remaining);
      this.parts = [];
      this.partsLength = 0;
    }
    this.pos += take;
    this.state = State.Line;
    const command = this.storage!;
    this.storage = null;
    const length = command.length;
    if (block[length] !== CR || block[length + 1] !== LF) return badDataChunk(command.noreply);
    command.data = block.subarray(0, length);
    return command;
  }

  /** Discards bytes of a too-large block; true once it is all gone. */
  private swallow(): boolean {
    const take = Math.min(this.buf.length - this.pos, this.remaining);
    this.pos += take;
    this.remaining -= take;
    if (this.remaining > 0) return false;
    this.state = State.Line;
    return true;
  }

  /** True when the pending line is a `get `/`gets ` after at most 100 spaces. */
  private startsWithGet(): boolean {
    const buf = this.buf;
    let i = this.pos;
    while (buf[i] === SPACE && i - this.pos <= MAX_LEADING_SPACES) i++;
    if (i - this.pos > MAX_LEADING_SPACES) return false;
    const word = buf.toString('latin1', i, i + 5);
    return word.startsWith('get ') || word === 'gets ';
  }
}
