/**
 * An incremental decoder for memcached binary-protocol replies. Two states: collecting the 24-byte
 * header, then collecting `bodyLength` body bytes; a packet frames itself, so no request shape is
 * needed. Each header's opaque must equal the tag of the oldest request in flight. A header or
 * body that spans chunks is copied once; otherwise it is a view of the chunk.
 * @module
 */
import { COUNTER_LENGTH, Extras, Header, HEADER_LENGTH, MAGIC_RESPONSE, Opcode, Status as BinaryStatus, STATUS_TEXT } from '../protocol/binary/constants.ts';
import { ERRORS, type ErrorCode } from '../protocol/errors.ts';
import { DEFAULT_MAX_ITEM_SIZE, MAX_KEY_LENGTH } from '../protocol/limits.ts';
import { ClientError } from './client-errors.ts';
import type { DecoderLimits, DecoderSink, ReplyDecoder } from './codec.ts';
import { Status, type ErrorKind, type Item, type Reply } from './reply.ts';

/**
 * A body may hold a value plus its extras and key: at most 20 bytes of extras (the largest any
 * packet carries) and a 250-byte key on top of the value limit.
 */
const BODY_OVERHEAD = Extras.ARITHMETIC + MAX_KEY_LENGTH;
/** The CAS field as two u32 halves, read without a BigInt unless an item needs it. */
const CAS_LOW = Header.CAS + 4;
const EMPTY = Buffer.alloc(0);
/**
 * memcached greets a connection over its limit with this text line whatever the protocol, then
 * hangs up. Its first 24 bytes arrive where a header should be; recognising them lets a caller
 * tell that limit from a garbled stream, as the text decoder does.
 */
const TOO_MANY_LINE = ERRORS.TOO_MANY_CONNECTIONS.text;
const TOO_MANY_PREFIX = TOO_MANY_LINE.slice(0, HEADER_LENGTH);
const TOO_MANY_REPLY: Reply = Object.freeze({
  kind: 'error', type: 'ERROR', message: TOO_MANY_LINE.slice('ERROR '.length), code: 'TOO_MANY_CONNECTIONS',
} as const);

const State = {
  /** Collecting the 24 header bytes. */
  Header: 0,
  /** Collecting the body. */
  Body: 1,
  /** The stream failed to decode; all further input is ignored. */
  Dead: 2,
} as const;
type State = (typeof State)[keyof typeof State];

/** Status replies carry no data, so one frozen object per status serves every reply. */
const STATUS_REPLIES = Object.fromEntries(
  Object.values(Status).map((status) => [status, Object.freeze({ kind: 'status', status } as const)]),
) as { readonly [S in Status]: Reply };

/** The binary error statuses, as the text protocol's error kinds and the shared catalogue's codes. */
const ERROR_KINDS: ReadonlyMap<number, { readonly type: ErrorKind; readonly code: ErrorCode | undefined }> = new Map([
  [BinaryStatus.TooLarge, { type: 'SERVER_ERROR', code: 'TOO_LARGE' }],
  [BinaryStatus.InvalidArguments, { type: 'CLIENT_ERROR', code: undefined }],
  [BinaryStatus.NonNumeric, { type: 'CLIENT_ERROR', code: 'NON_NUMERIC' }],
  [BinaryStatus.UnknownCommand, { type: 'ERROR', code: 'UNKNOWN_COMMAND' }],
  [BinaryStatus.OutOfMemory, { type: 'SERVER_ERROR', code: 'NO_MEMORY' }],
]);

/**
 * An error status as an error reply. The message is the server's own words from the body (for
 * memcached, {@link STATUS_TEXT}); a status this client does not know is a `SERVER_ERROR`.
 */
function errorReply(status: number, body: Buffer): Reply {
  const known = ERROR_KINDS.get(status);
  const words = body.length > 0 ? body.toString('latin1') : (STATUS_TEXT as Readonly<Record<number, string>>)[status] ?? '';
  if (known) return { kind: 'error', type: known.type, message: words, code: known.code };
  return { kind: 'error', type: 'SERVER_ERROR', message: `binary status 0x${status.toString(16).padStart(4, '0')}${words ? ` ${words}` : ''}`, code: undefined };
}

/**
 * What a storage command's refusal means, in the text protocol's words, so callers see the same
 * result in both protocols: `add` of an existing key and `replace`/`append`/`prepend` of a missing
 * one are NOT_STORED; a Set carrying a CAS (the `cas` command) says EXISTS or NOT_FOUND.
 */
function storeRefusal(opcode: number, status: number): Reply | undefined {
  if (opcode === Opcode.Set) {
    if (status === BinaryStatus.KeyExists) return STATUS_REPLIES[Status.Exists];
    if (status === BinaryStatus.KeyNotFound) return STATUS_REPLIES[Status.NotFound];
  }
  const refused = status === BinaryStatus.KeyExists || status === BinaryStatus.KeyNotFound || status === BinaryStatus.NotStored;
  return refused ? STATUS_REPLIES[Status.NotStored] : undefined;
}

/** Decodes binary-protocol replies for one connection. */
export class BinaryReplyDecoder implements ReplyDecoder {
  private readonly sink: DecoderSink;
  private readonly maxBodyBytes: number;
  private state: State = State.Header;
  /** A header that began in an earlier chunk, and how many of its bytes have arrived. */
  private readonly headerBytes = Buffer.alloc(HEADER_LENGTH);
  private headerFilled = 0;
  /** The current packet's header fields. */
  private opcode = 0;
  private status = 0;
  private keyLength = 0;
  private extrasLength = 0;
  private bodyLength = 0;
  private casHigh = 0;
  private casLow = 0;
  /** Pieces of a body that began in an earlier chunk, and the bytes still to come. */
  private bodyParts: Buffer[] = [];
  private bodyRemaining = 0;
  /** A multi-key get's hits so far, and an error one of its quiet gets reported (sent at its Noop). */
  private items: Item[] = [];
  private deferredError: Reply | undefined;
  private stats = new Map<string, string>();

  /**
   * @param sink - receives replies and failures, and tells the tag each reply must carry
   * @param limits - the largest value accepted
   */
  constructor(sink: DecoderSink, limits: DecoderLimits = {}) {
    this.sink = sink;
    this.maxBodyBytes = (limits.maxValueBytes ?? DEFAULT_MAX_ITEM_SIZE) + BODY_OVERHEAD;
  }

  /** Consumes `chunk`; every complete reply goes to the sink before this returns. */
  feed(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.state === State.Header) pos = this.readHeader(chunk, pos);
      else if (this.state === State.Body) pos = this.readBody(chunk, pos);
      else return;
    }
  }

  /** Reads header bytes; returns the position after what it consumed. */
  private readHeader(chunk: Buffer, pos: number): number {
    if (this.headerFilled === 0 && chunk.length - pos >= HEADER_LENGTH) {
      this.onHeader(chunk, pos);
      return pos + HEADER_LENGTH;
    }
    const take = Math.min(HEADER_LENGTH - this.headerFilled, chunk.length - pos);
    chunk.copy(this.headerBytes, this.headerFilled, pos, pos + take);
    this.headerFilled += take;
    if (this.headerFilled === HEADER_LENGTH) {
      this.headerFilled = 0;
      this.onHeader(this.headerBytes, 0);
    }
    return pos + take;
  }

  /** Checks a complete header (limits first), then waits for its body. */
  private onHeader(bytes: Buffer, at: number): void {
    const magic = bytes[at + Header.MAGIC]!;
    if (magic !== MAGIC_RESPONSE) {
      const text = bytes.toString('latin1', at, at + HEADER_LENGTH);
      if (text === TOO_MANY_PREFIX) return this.fail(`the server refused the connection: ${TOO_MANY_LINE}`, 'SERVER_REPLY', TOO_MANY_REPLY);
      return this.fail(`a reply starts with 0x${magic.toString(16)}, not the response magic 0x${MAGIC_RESPONSE.toString(16)}: ${JSON.stringify(text)}`);
    }
    this.opcode = bytes[at + Header.OPCODE]!;
    this.keyLength = bytes.readUInt16BE(at + Header.KEY_LENGTH);
    this.extrasLength = bytes[at + Header.EXTRAS_LENGTH]!;
    this.status = bytes.readUInt16BE(at + Header.STATUS);
    this.bodyLength = bytes.readUInt32BE(at + Header.BODY_LENGTH);
    this.casHigh = bytes.readUInt32BE(at + Header.CAS);
    this.casLow = bytes.readUInt32BE(at + CAS_LOW);
    const opaque = bytes.readUInt32BE(at + Header.OPAQUE);
    const expected = this.sink.expectedTag();
    if (expected === undefined) return this.fail(`a reply (opcode 0x${this.opcode.toString(16)}) arrived with no request waiting`);
    if (opaque !== expected) return this.fail(`a reply carries opaque ${opaque}, but the oldest request in flight sent ${expected}`);
    if (this.bodyLength > this.maxBodyBytes) return this.fail(`a reply body of ${this.bodyLength} bytes exceeds the limit of ${this.maxBodyBytes}`);
    if (this.keyLength > MAX_KEY_LENGTH) return this.fail(`a reply key of ${this.keyLength} bytes is longer than ${MAX_KEY_LENGTH}`);
    if (this.extrasLength + this.keyLength > this.bodyLength) {
      return this.fail(`a reply's extras (${this.extrasLength}) and key (${this.keyLength}) exceed its body (${this.bodyLength})`);
    }
    if (this.bodyLength === 0) return this.onPacket(EMPTY);
    this.bodyRemaining = this.bodyLength;
    this.state = State.Body;
  }

  /** Reads body bytes; returns the position after what it consumed. */
  private readBody(chunk: Buffer, pos: number): number {
    const take = Math.min(this.bodyRemaining, chunk.length - pos);
    const piece = chunk.subarray(pos, pos + take);
    this.bodyRemaining -= take;
    if (this.bodyRemaining > 0) {
      this.bodyParts.push(piece);
      return pos + take;
    }
    let body = piece;
    if (this.bodyParts.length > 0) {
      this.bodyParts.push(piece);
      body = Buffer.concat(this.bodyParts, this.bodyLength);
      this.bodyParts = [];
    }
    this.state = State.Header;
    this.onPacket(body);
    return pos + take;
  }

  /** One complete packet: turns it into a reply, or adds it to the reply being assembled. */
  private onPacket(body: Buffer): void {
    const { opcode, status } = this;
    const value = body.subarray(this.extrasLength + this.keyLength);
    switch (opcode) {
      case Opcode.Get:
      case Opcode.GetK:
      case Opcode.GetQ:
      case Opcode.GetKQ:
        return this.onGet(opcode === Opcode.GetQ || opcode === Opcode.GetKQ, body, value);
      case Opcode.Noop:
        return this.endValues();
      case Opcode.Stat:
        return this.onStat(body, value);
      case Opcode.Version:
        return this.sink.reply(status === BinaryStatus.Success ? { kind: 'version', version: value.toString('latin1') } : errorReply(status, value));
      case Opcode.Increment:
      case Opcode.Decrement:
        return this.onCounter(value);
      case Opcode.Set:
      case Opcode.Add:
      case Opcode.Replace:
      case Opcode.Append:
      case Opcode.Prepend:
        if (status === BinaryStatus.Success) return this.sink.reply(STATUS_REPLIES[Status.Stored]);
        return this.sink.reply(storeRefusal(opcode, status) ?? errorReply(status, value));
      case Opcode.Delete:
        return this.sink.reply(this.keyed(status, Status.Deleted) ?? errorReply(status, value));
      case Opcode.Touch:
        return this.sink.reply(this.keyed(status, Status.Touched) ?? errorReply(status, value));
      case Opcode.Flush:
        return this.sink.reply(status === BinaryStatus.Success ? STATUS_REPLIES[Status.Ok] : errorReply(status, value));
      default:
        return this.fail(`a reply with opcode 0x${opcode.toString(16)}, which answers no request this client sends`);
    }
  }

  /** Success as `done`, Not found as NOT_FOUND, anything else undefined (an error). */
  private keyed(status: number, done: Status): Reply | undefined {
    if (status === BinaryStatus.Success) return STATUS_REPLIES[done];
    return status === BinaryStatus.KeyNotFound ? STATUS_REPLIES[Status.NotFound] : undefined;
  }

  /**
   * A get's packet. A hit carries 4 bytes of flags and the key; the loud GetK ends the reply
   * (hit or miss), while quiet GetKQ hits accumulate until the Noop.
   */
  private onGet(quiet: boolean, body: Buffer, value: Buffer): void {
    if (this.status === BinaryStatus.Success) {
      if (this.extrasLength !== Extras.FLAGS) return this.fail(`a get hit carries ${this.extrasLength} bytes of extras, not ${Extras.FLAGS}`);
      this.items.push({
        key: body.toString('latin1', Extras.FLAGS, Extras.FLAGS + this.keyLength),
        flags: body.readUInt32BE(0),
        value,
        cas: (BigInt(this.casHigh) << 32n) | BigInt(this.casLow),
      });
    } else if (this.status !== BinaryStatus.KeyNotFound) {
      // Not a miss: the first such error stands for the whole get, as an error line does in text.
      this.deferredError ??= errorReply(this.status, value);
    }
    if (!quiet) this.endValues();
  }

  /** The end of a get: its items, or the error one of its packets reported. */
  private endValues(): void {
    const error = this.deferredError;
    const items = this.items;
    this.deferredError = undefined;
    this.items = [];
    this.sink.reply(error ?? { kind: 'values', items });
  }

  /** One statistic, or (an empty key) the end of the list. */
  private onStat(body: Buffer, value: Buffer): void {
    if (this.status !== BinaryStatus.Success) {
      this.stats = new Map();
      return this.sink.reply(errorReply(this.status, value));
    }
    if (this.keyLength > 0) {
      this.stats.set(body.toString('latin1', this.extrasLength, this.extrasLength + this.keyLength), value.toString('latin1'));
      return;
    }
    const stats = this.stats;
    this.stats = new Map();
    this.sink.reply({ kind: 'stats', stats });
  }

  /** incr/decr: the new value as a u64, or Not found. */
  private onCounter(value: Buffer): void {
    if (this.status === BinaryStatus.Success) {
      if (value.length !== COUNTER_LENGTH) return this.fail(`an incr/decr reply carries ${value.length} bytes, not a u64`);
      return this.sink.reply({ kind: 'number', value: value.readBigUInt64BE(0) });
    }
    this.sink.reply(this.status === BinaryStatus.KeyNotFound ? STATUS_REPLIES[Status.NotFound] : errorReply(this.status, value));
  }

  private fail(detail: string, code: 'BAD_REPLY' | 'SERVER_REPLY' = 'BAD_REPLY', reply?: Reply): void {
    this.state = State.Dead;
    this.bodyParts = [];
    this.items = [];
    this.sink.fail(new ClientError(code, detail, { reply }));
  }
}
