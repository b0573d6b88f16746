/**
 * Builds text-protocol replies as a list of buffers, ready for one `writev`. Fixed replies are
 * precomputed; a value is never copied into a bigger buffer — its header line, the value itself
 * and the CRLF go out as three pieces, which is what lets a later phase write stored bytes
 * without copying them.
 * @module
 */
import { errorReply, type ErrorCode } from '../errors.ts';
import { valueLengthOf, type Item } from '../../store/store.ts';
import { CR, LF, SPACE } from './text-tokens.ts';

function line(text: string): Buffer {
  return Buffer.from(`${text}\r\n`, 'latin1');
}

/** memcached's fixed one-word replies, built once. */
export const Status = {
  STORED: line('STORED'),
  NOT_STORED: line('NOT_STORED'),
  EXISTS: line('EXISTS'),
  NOT_FOUND: line('NOT_FOUND'),
  DELETED: line('DELETED'),
  TOUCHED: line('TOUCHED'),
  OK: line('OK'),
  END: line('END'),
  RESET: line('RESET'),
} as const;

const CRLF = Buffer.from('\r\n', 'latin1');
const VALUE_PREFIX = Buffer.from('VALUE ', 'latin1');
const DIGIT_0 = 0x30;

/** CAS values up to here print through the number path below; larger ones (rare) via BigInt's toString. */
const MAX_SAFE_CAS = BigInt(Number.MAX_SAFE_INTEGER);

/** How many decimal digits `n` (a non-negative integer below 2^53) has. */
function decimalLength(n: number): number {
  let digits = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    digits++;
  }
  return digits;
}

/** Writes `n` in decimal into `buf` at `at`, which has room for its `digits`; returns the end. */
function writeDecimal(buf: Buffer, at: number, n: number, digits: number): number {
  const end = at + digits;
  for (let i = end - 1; i >= at; i--) {
    buf[i] = DIGIT_0 + (n % 10);
    n = Math.floor(n / 10);
  }
  return end;
}

/** A CAS's high 32-bit half is below this exactly when the CAS is below 2^53 (= 2^21 · 2^32). */
const SAFE_CAS_HIGH = 2 ** 21;

/** The length of a VALUE line for these fields; `cas` or `casText` as {@link writeHeader} takes them. */
function headerSize(key: string, flags: number, length: number, withCas: boolean, cas: number, casText: string): number {
  const casDigits = !withCas ? 0 : casText === '' ? decimalLength(cas) : casText.length;
  // "VALUE " key " " flags " " bytes [" " cas] CRLF
  return VALUE_PREFIX.length + key.length + 1 + decimalLength(flags) + 1 + decimalLength(length) + (withCas ? 1 + casDigits : 0) + 2;
}

/**
 * Writes `VALUE <key> <flags> <bytes>[ <cas>]\r\n` at the start of `target`; returns its end. The
 * CAS is `cas` (a number below 2^53), or `casText` when that is not empty (a larger one).
 */
function writeHeader(target: Buffer, key: string, flags: number, length: number, withCas: boolean, cas: number, casText: string): number {
  let at = VALUE_PREFIX.copy(target, 0);
  // Keys are latin1 strings: each character is the byte it stands for.
  for (let i = 0; i < key.length; i++) target[at++] = key.charCodeAt(i);
  target[at++] = SPACE;
  at = writeDecimal(target, at, flags, decimalLength(flags));
  target[at++] = SPACE;
  at = writeDecimal(target, at, length, decimalLength(length));
  if (withCas) {
    target[at++] = SPACE;
    at = casText === '' ? writeDecimal(target, at, cas, decimalLength(cas)) : at + target.write(casText, at, 'latin1');
  }
  target[at++] = CR;
  target[at++] = LF;
  return at;
}

/** Accumulates the reply to one or more commands. */
export class TextReply {
  /** The pieces to write, in order. */
  chunks: Buffer[] = [];
  /** Their total length. */
  bytes = 0;

  private push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
  }

  /** A fixed reply such as `STORED`. */
  status(reply: Buffer): void {
    this.push(reply);
  }

  /**
   * `VALUE <key> <flags> <bytes>[ <cas>]`, the value and CRLF. The header is written byte by byte
   * into a buffer of its exact size: a template string encoded with Buffer.from made every get
   * hit 30% dearer, the largest share of a hit's cost in the phase 2 flame graph (the measurement
   * is in docs/profiling.md).
   */
  value(item: Item, withCas: boolean): void {
    // The CAS is a u64 bigint; every CAS below 2^53 (all of those the store issues itself) is
    // written by the number code, so only a client-chosen huge CAS pays for a string.
    const small = withCas && item.cas <= MAX_SAFE_CAS;
    const cas = small ? Number(item.cas) : 0;
    const casText = withCas && !small ? item.cas.toString() : '';
    const length = valueLengthOf(item);
    const header = Buffer.allocUnsafe(headerSize(item.key, item.flags, length, withCas, cas, casText));
    writeHeader(header, item.key, item.flags, length, withCas, cas, casText);
    this.push(header);
    if (item.pieces === undefined) this.push(item.value);
    else for (const piece of item.pieces) this.push(piece);
    this.push(CRLF);
  }

  /**
   * The same reply written from a store's memory (the get fast path, text-hit.ts): the header,
   * the value copied from `source[start, start + length)` and the CRLF in one buffer — and, with
   * `end`, the get's closing `END` line too — so a small hit is one allocation and leaves as one
   * piece. The CAS comes as its two 32-bit halves.
   */
  valueFrom(
    key: string, flags: number, withCas: boolean, casHigh: number, casLow: number, source: Buffer, start: number, length: number, end: boolean,
  ): void {
    // A CAS below 2^53 — a high half below 2^21 — is exact as a number, as in value() above.
    const small = withCas && casHigh < SAFE_CAS_HIGH;
    const cas = small ? casHigh * 2 ** 32 + casLow : 0;
    const casText = withCas && !small ? ((BigInt(casHigh) << 32n) | BigInt(casLow)).toString() : '';
    const size = headerSize(key, flags, length, withCas, cas, casText);
    const reply = Buffer.allocUnsafe(size + length + CRLF.length + (end ? Status.END.length : 0));
    writeHeader(reply, key, flags, length, withCas, cas, casText);
    source.copy(reply, size, start, start + length);
    reply[size + length] = CR;
    reply[size + length + 1] = LF;
    if (end) Status.END.copy(reply, size + length + CRLF.length);
    this.push(reply);
  }

  /** Bytes built by another encoder (a meta reply line), or a stored value: pushed as they are. */
  raw(chunk: Buffer): void {
    this.push(chunk);
  }

  /** A decimal number on its own line (incr/decr). */
  number(value: bigint): void {
    this.push(line(value.toString()));
  }

  /** One `STAT <name> <value>` line. */
  stat(name: string, value: string | number): void {
    this.push(line(`STAT ${name} ${value}`));
  }

  /** `VERSION <version>`. */
  version(version: string): void {
    this.push(line(`VERSION ${version}`));
  }

  /** An error from the catalogue, in memcached's words. */
  error(code: ErrorCode): void {
    const reply = errorReply(code);
    if (reply.length > 0) this.push(reply);
  }

  /** Drops every piece after the first `count`: the partial reply of a request that failed. */
  truncate(count: number): void {
    while (this.chunks.length > count) this.bytes -= this.chunks.pop()!.length;
  }

  /** Hands over the pieces and starts afresh. */
  take(): Buffer[] {
    const chunks = this.chunks;
    this.chunks = [];
    this.bytes = 0;
    return chunks;
  }
}
