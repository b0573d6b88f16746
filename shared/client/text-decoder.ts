/**
 * An incremental decoder for memcached text-protocol replies. Two states: reading a line (scan for
 * LF) and reading a data block (count bytes). The text protocol does not say how long a reply is,
 * so the decoder asks its sink for the shape of the oldest request in flight ({@link ReplyShape}).
 * A line or block that spans chunks is copied once when it completes; otherwise it is a view.
 * @module
 */
import { DEFAULT_MAX_ITEM_SIZE, MAX_KEY_LENGTH } from '../protocol/limits.ts';
import { ERRORS, type ErrorCode } from '../protocol/errors.ts';
import { ClientError } from './client-errors.ts';
import type { DecoderLimits, DecoderSink, ReplyDecoder } from './codec.ts';
import { ReplyShape, Status, type ErrorKind, type Item, type Reply } from './reply.ts';

const CR = 0x0d;
const LF = 0x0a;
/** The data block's closing CRLF. */
const BLOCK_END_LENGTH = 2;
/**
 * The longest reply line accepted. The longest legitimate one is a VALUE line: 6 + 250 (key) +
 * 11 (flags) + 11 (bytes) + 21 (cas) ≈ 300 bytes; STAT and error lines are shorter still. Past
 * this, the peer is not speaking the protocol and buffering more would only waste memory.
 */
const MAX_REPLY_LINE = 4096;
/** Flags are an unsigned 32-bit field. */
const MAX_FLAGS = 2 ** 32 - 1;
const DECIMAL = /^\d+$/;

const State = {
  /** Scanning for the LF that ends a reply line. */
  Line: 0,
  /** Counting the bytes of a VALUE data block and its CRLF. */
  Data: 1,
  /** The stream failed to decode; all further input is ignored. */
  Dead: 2,
} as const;
type State = (typeof State)[keyof typeof State];

/** Status replies carry no data, so one frozen object per status serves every reply. */
const STATUS_REPLIES: ReadonlyMap<string, Reply> = new Map(
  Object.values(Status).map((status) => [status, Object.freeze({ kind: 'status', status } as const)]),
);

/** The catalogue's error lines, so a reply can be matched to its stable code. */
const ERROR_CODES: ReadonlyMap<string, ErrorCode> = new Map(
  (Object.entries(ERRORS) as [ErrorCode, { text: string }][])
    .filter(([, spec]) => spec.text !== '')
    .map(([code, spec]) => [spec.text, code]),
);

/** An error line (`ERROR`, `CLIENT_ERROR …`, `SERVER_ERROR …`) as a reply, or undefined. */
function parseErrorLine(line: string): Reply | undefined {
  const space = line.indexOf(' ');
  const word = space === -1 ? line : line.slice(0, space);
  if (word !== 'ERROR' && word !== 'CLIENT_ERROR' && word !== 'SERVER_ERROR') return undefined;
  const message = space === -1 ? '' : line.slice(space + 1);
  return { kind: 'error', type: word satisfies ErrorKind, message, code: ERROR_CODES.get(line) };
}

/** A one-line reply: a status, a number or a version; undefined when the line is none of them. */
function parseSingleLine(line: string): Reply | undefined {
  const status = STATUS_REPLIES.get(line);
  if (status) return status;
  if (line.startsWith('VERSION ')) return { kind: 'version', version: line.slice('VERSION '.length) };
  // memcached may pad an incr/decr result with spaces; the number is what matters.
  const number = line.trimEnd();
  if (DECIMAL.test(number)) return { kind: 'number', value: BigInt(number) };
  return undefined;
}

/** The header of one VALUE block, kept while its data arrives. */
interface ValueHeader {
  key: string;
  flags: number;
  bytes: number;
  cas: bigint | undefined;
}

/** Decodes text-protocol replies for one connection. */
export class TextReplyDecoder implements ReplyDecoder {
  private readonly sink: DecoderSink;
  private readonly maxValueBytes: number;
  private state: State = State.Line;
  /** Pieces of a line that began in an earlier chunk. */
  private lineParts: Buffer[] = [];
  private linePartsLength = 0;
  /** The VALUE block being read, the bytes (value + CRLF) still to come, and pieces so far. */
  private header: ValueHeader | undefined;
  private blockRemaining = 0;
  private blockParts: Buffer[] = [];
  /** The multi-line reply being assembled (get/gets, stats). */
  private items: Item[] = [];
  private stats = new Map<string, string>();

  /**
   * @param sink - receives replies and failures, and tells the shape of the next reply
   * @param limits - the largest value accepted
   */
  constructor(sink: DecoderSink, limits: DecoderLimits = {}) {
    this.sink = sink;
    this.maxValueBytes = limits.maxValueBytes ?? DEFAULT_MAX_ITEM_SIZE;
  }

  /** Consumes `chunk`; every complete reply goes to the sink before this returns. */
  feed(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.state === State.Line) pos = this.readLine(chunk, pos);
      else if (this.state === State.Data) pos = this.readBlock(chunk, pos);
      else return;
    }
  }

  /** Reads up to and including the next LF; returns the position after what it consumed. */
  private readLine(chunk: Buffer, pos: number): number {
    const lf = chunk.indexOf(LF, pos);
    if (lf === -1) {
      this.linePartsLength += chunk.length - pos;
      if (this.linePartsLength > MAX_REPLY_LINE) this.fail(`a reply line is longer than ${MAX_REPLY_LINE} bytes`);
      else this.lineParts.push(chunk.subarray(pos));
      return chunk.length;
    }
    let line = chunk.subarray(pos, lf + 1);
    if (this.lineParts.length > 0) {
      this.lineParts.push(line);
      line = Buffer.concat(this.lineParts, this.linePartsLength + line.length);
      this.lineParts = [];
      this.linePartsLength = 0;
    }
    if (line.length > MAX_REPLY_LINE) this.fail(`a reply line is longer than ${MAX_REPLY_LINE} bytes`);
    else if (line.length < BLOCK_END_LENGTH || line[line.length - 2] !== CR) this.fail('a reply line does not end in CRLF');
    else this.onLine(line.toString('latin1', 0, line.length - BLOCK_END_LENGTH));
    return lf + 1;
  }

  /** Reads data-block bytes; returns the position after what it consumed. */
  private readBlock(chunk: Buffer, pos: number): number {
    const take = Math.min(this.blockRemaining, chunk.length - pos);
    const piece = chunk.subarray(pos, pos + take);
    this.blockRemaining -= take;
    if (this.blockRemaining > 0) {
      this.blockParts.push(piece);
      return pos + take;
    }
    let block = piece;
    if (this.blockParts.length > 0) {
      this.blockParts.push(piece);
      block = Buffer.concat(this.blockParts);
      this.blockParts = [];
    }
    this.onBlock(block);
    return pos + take;
  }

  private onLine(line: string): void {
    const shape = this.sink.expectedShape();
    const error = parseErrorLine(line);
    if (shape === undefined) {
      // memcached greets a connection over its limit with "ERROR Too many open connections" and
      // hangs up: keep the reply, so callers can tell that limit from a garbled stream.
      const detail = `unexpected reply with no request waiting: ${JSON.stringify(line)}`;
      if (error) return this.fail(detail, 'SERVER_REPLY', error);
      return this.fail(detail);
    }
    if (error) {
      // An error ends the reply even midway through a get: drop the partial result.
      this.items = [];
      this.stats = new Map();
      return this.sink.reply(error);
    }
    if (shape === ReplyShape.Line) {
      const reply = parseSingleLine(line);
      if (reply) return this.sink.reply(reply);
    } else if (line === 'END') {
      return this.endMultiLine(shape);
    } else if (shape === ReplyShape.Values && line.startsWith('VALUE ')) {
      return this.startBlock(line);
    } else if (shape === ReplyShape.Stats && line.startsWith('STAT ')) {
      const space = line.indexOf(' ', 'STAT '.length);
      if (space !== -1) {
        this.stats.set(line.slice('STAT '.length, space), line.slice(space + 1));
        return;
      }
    }
    this.fail(`unexpected reply line ${JSON.stringify(line)}`);
  }

  private endMultiLine(shape: ReplyShape): void {
    if (shape === ReplyShape.Values) {
      const items = this.items;
      this.items = [];
      this.sink.reply({ kind: 'values', items });
    } else {
      const stats = this.stats;
      this.stats = new Map();
      this.sink.reply({ kind: 'stats', stats });
    }
  }

  /** `VALUE <key> <flags> <bytes> [<cas>]`: checks every field, then waits for the data block. */
  private startBlock(line: string): void {
    const fields = line.split(' ');
    const [, key = '', flagsText = '', bytesText = '', casText] = fields;
    const valid =
      (fields.length === 4 || fields.length === 5) &&
      key.length > 0 && key.length <= MAX_KEY_LENGTH &&
      DECIMAL.test(flagsText) && Number(flagsText) <= MAX_FLAGS &&
      DECIMAL.test(bytesText) &&
      (casText === undefined || DECIMAL.test(casText));
    if (!valid) return this.fail(`malformed VALUE line ${JSON.stringify(line)}`);
    const bytes = Number(bytesText);
    if (bytes > this.maxValueBytes) return this.fail(`a value of ${bytes} bytes exceeds the limit of ${this.maxValueBytes}`);
    this.header = { key, flags: Number(flagsText), bytes, cas: casText === undefined ? undefined : BigInt(casText) };
    this.blockRemaining = bytes + BLOCK_END_LENGTH;
    this.state = State.Data;
  }

  private onBlock(block: Buffer): void {
    const header = this.header!;
    this.header = undefined;
    this.state = State.Line;
    if (block[header.bytes] !== CR || block[header.bytes + 1] !== LF) return this.fail('a data block does not end in CRLF');
    const value = block.subarray(0, header.bytes);
    this.items.push(header.cas === undefined
      ? { key: header.key, flags: header.flags, value }
      : { key: header.key, flags: header.flags, value, cas: header.cas });
  }

  private fail(detail: string, code: 'BAD_REPLY' | 'SERVER_REPLY' = 'BAD_REPLY', reply?: Reply): void {
    this.state = State.Dead;
    this.lineParts = [];
    this.blockParts = [];
    this.sink.fail(new ClientError(code, detail, { reply }));
  }
}
