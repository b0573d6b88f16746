/**
 * Reading a meta command's flags: one token each, a letter and maybe an argument (`T30`, `Oabc`),
 * read straight from the line's bytes. The rules are memcached 1.6.18's flag pre-parse: every
 * command accepts every flag letter it knows and ignores those it has no use for; a letter given
 * twice or one it does not know stops the parse; a bad argument is remembered (the last one
 * names the error) and the parse goes on. Numbers out of range are refused here, where memcached
 * would truncate them.
 * @module
 */
import type { ErrorCode } from '../errors.ts';
import type { LineTokens } from './text-tokens.ts';
import { decodeBase64Key } from './meta-base64.ts';

const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const PLUS = 0x2b;
const MINUS = 0x2d;
/** memcached treats a flag byte of 127 or above as a duplicate, whatever it is. */
const FIRST_NON_ASCII = 127;
const I32_MIN = -(2 ** 31);
const I32_MAX = 2 ** 31 - 1;
const U32_MAX = 2 ** 32 - 1;
const U64_MAX = 2n ** 64n - 1n;
/** 2^64 − 1 has 20 digits; a token with more (leading zeros aside) cannot fit. */
const U64_DIGITS = 20;

/** Every flag letter memcached 1.6.18 knows, plus E (explicit CAS, from later memcached). */
const KNOWN_FLAGS = 'bNTRlOPLkstcfvhuqFCMJDIE';

/** The flags of one meta command line, reset and reused per line. */
export class MetaFlags {
  /** The letters of every flag, in request order (no letter repeats). */
  order = '';
  /** The whole O token, or ''. */
  opaque = '';
  /** The (decoded, for `b`) key. */
  key = '';
  base64 = false;
  quiet = false;
  value = false;
  noBump = false;
  invalidate = false;
  touch: number | undefined = undefined;
  vivify: number | undefined = undefined;
  recache: number | undefined = undefined;
  clientFlags = 0;
  compareCas: bigint | undefined = undefined;
  explicitCas: bigint | undefined = undefined;
  /** The M token's character code, or 0 without one. */
  mode = 0;
  delta = 1n;
  initial = 0n;

  private reset(): void {
    this.order = '';
    this.opaque = '';
    this.key = '';
    this.base64 = this.quiet = this.value = this.noBump = this.invalidate = false;
    this.touch = this.vivify = this.recache = undefined;
    this.clientFlags = 0;
    this.compareCas = this.explicitCas = undefined;
    this.mode = 0;
    this.delta = 1n;
    this.initial = 0n;
  }

  /**
   * Reads tokens `first…` as flags of the command whose key is token `keyIndex`. Returns the error
   * memcached would name, or undefined: of several bad arguments the last one names it, and a bad
   * F names none of its own (BAD_FORMAT, unless another token named one), as in memcached.
   */
  read(t: LineTokens, keyIndex: number, first: number): ErrorCode | undefined {
    this.reset();
    this.key = t.text(keyIndex);
    let error: ErrorCode | undefined;
    let failed = false;
    for (let i = first; i < t.count; i++) {
      const letter = t.buf[t.starts[i]!]!;
      const char = String.fromCharCode(letter);
      if (letter >= FIRST_NON_ASCII || this.order.includes(char)) return 'META_DUPLICATE_FLAG';
      if (!KNOWN_FLAGS.includes(char)) return 'META_INVALID_FLAG';
      this.order += char;
      const start = t.starts[i]! + 1;
      const end = t.ends[i]!;
      switch (char) {
        case 'b': {
          const decoded = decodeBase64Key(t.buf, t.starts[keyIndex]!, t.ends[keyIndex]!);
          if (decoded === undefined) {
            error = 'META_BAD_KEY_ENCODING';
            failed = true;
          } else {
            this.key = decoded;
          }
          this.base64 = true;
          break;
        }
        case 'N': case 'T': case 'R': {
          const value = readSigned32(t.buf, start, end);
          if (value === undefined) {
            error = 'META_BAD_TOKEN';
            failed = true;
          } else if (char === 'N') this.vivify = value;
          else if (char === 'T') this.touch = value;
          else this.recache = value;
          break;
        }
        case 'C': case 'E': {
          const value = readUnsigned64(t.buf, start, end);
          if (value === undefined) {
            error = 'META_BAD_TOKEN';
            failed = true;
          } else if (char === 'C') this.compareCas = value;
          else this.explicitCas = value;
          break;
        }
        case 'F': {
          const value = readUnsigned64(t.buf, start, end);
          // memcached marks the line bad but leaves the error words as they were.
          if (value === undefined || value > BigInt(U32_MAX)) failed = true;
          else this.clientFlags = Number(value);
          break;
        }
        case 'J': case 'D': {
          const value = readUnsigned64(t.buf, start, end);
          if (value === undefined) {
            error = char === 'J' ? 'META_BAD_INITIAL' : 'META_BAD_DELTA';
            failed = true;
          } else if (char === 'J') this.initial = value;
          else this.delta = value;
          break;
        }
        case 'M':
          if (end - start !== 1) {
            error = 'META_BAD_MODE_LENGTH';
            failed = true;
          } else {
            this.mode = t.buf[start]!;
          }
          break;
        case 'O':
          this.opaque = t.text(i);
          break;
        case 'q': this.quiet = true; break;
        case 'v': this.value = true; break;
        case 'u': this.noBump = true; break;
        case 'I': this.invalidate = true; break;
        default:
          // k s t c f h l P L: they only shape the reply, or are ignored (P and L are proxy hints).
          break;
      }
    }
    return failed ? error ?? 'BAD_FORMAT' : undefined;
  }

  /** Whether letter `a` comes before letter `b` in the request (both given). */
  before(a: string, b: string): boolean {
    return this.order.indexOf(a) < this.order.indexOf(b);
  }
}

/** Whether `buf[start, end)` is one or more decimal digits. */
function digitsAt(buf: Buffer, start: number, end: number): boolean {
  if (start >= end) return false;
  for (let i = start; i < end; i++) {
    const byte = buf[i]!;
    if (byte < DIGIT_0 || byte > DIGIT_9) return false;
  }
  return true;
}

/** A signed 32-bit decimal (optional + or −), as memcached's strtol reads T, N and R; or undefined. */
export function readSigned32(buf: Buffer, start: number, end: number): number | undefined {
  const sign = buf[start];
  const negative = sign === MINUS;
  if (negative || sign === PLUS) start++;
  // 11 digits already exceed 2^31; checking the length first keeps the arithmetic exact.
  if (!digitsAt(buf, start, end) || end - start > 11) return undefined;
  let value = 0;
  for (let i = start; i < end; i++) value = value * 10 + (buf[i]! - DIGIT_0);
  if (negative) value = -value;
  return value < I32_MIN || value > I32_MAX ? undefined : value;
}

/** An unsigned 64-bit decimal (optional +), as memcached's strtoull reads C, D, J and F; or undefined. */
export function readUnsigned64(buf: Buffer, start: number, end: number): bigint | undefined {
  if (buf[start] === PLUS) start++;
  if (!digitsAt(buf, start, end)) return undefined;
  while (end - start > 1 && buf[start] === DIGIT_0) start++;
  if (end - start > U64_DIGITS) return undefined;
  const value = BigInt(buf.toString('latin1', start, end));
  return value > U64_MAX ? undefined : value;
}
