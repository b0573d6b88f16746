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
    const { key, flags, value } = item;
    // The CAS is a u64 bigint; every CAS below 2^53 (all of those the store issues itself) is
    // written by the number code, so only a client-chosen huge CAS pays for a string.
    const small = withCas && item.cas <= MAX_SAFE_CAS;
    const cas = small ? Number(item.cas) : 0;
    const casText = withCas && !small ? item.cas.toString() : '';
    const flagsDigits = decimalLength(flags);
    const length = valueLengthOf(item);
    const lengthDigits = decimalLength(length);
    const casDigits = !withCas ? 0 : small ? decimalLength(cas) : casText.length;
    // "VALUE " key " " flags " " bytes [" " cas] CRLF
    const size = VALUE_PREFIX.length + key.length + 1 + flagsDigits + 1 + lengthDigits + (withCas ? 1 + casDigits : 0) + 2;
    const header = Buffer.allocUnsafe(size);
    let at = VALUE_PREFIX.copy(header, 0);
    // Keys are latin1 strings: each character is the byte it stands for.
    for (let i = 0; i < key.length; i++) header[at++] = key.charCodeAt(i);
    header[at++] = SPACE;
    at = writeDecimal(header, at, flags, flagsDigits);
    header[at++] = SPACE;
    at = writeDecimal(header, at, length, lengthDigits);
    if (withCas) {
      header[at++] = SPACE;
      at = small ? writeDecimal(header, at, cas, casDigits) : at + header.write(casText, at, 'latin1');
    }
    header[at++] = CR;
    header[at] = LF;
    this.push(header);
    if (item.pieces === undefined) this.push(value);
    else for (const piece of item.pieces) this.push(piece);
    this.push(CRLF);
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
