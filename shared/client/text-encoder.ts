/**
 * Turns a {@link Request} into memcached text-protocol bytes: one command line, plus the data
 * block for storage commands, in a single buffer so it leaves in one write. Everything a caller
 * supplies is checked first, so a key can never smuggle a second command onto the wire.
 * @module
 */
import { MAX_KEY_LENGTH } from '../protocol/limits.ts';
import { ClientError } from './client-errors.ts';
import type { Request, StoreOptions } from './request.ts';

const CRLF = '\r\n';
/** Flags are an unsigned 32-bit field. */
const MAX_FLAGS = 2 ** 32 - 1;
/** incr/decr deltas are unsigned 64-bit. */
const MAX_DELTA = 2n ** 64n - 1n;
/** A CAS token is unsigned 64-bit. */
const MAX_CAS = MAX_DELTA;
/** Characters 0x00–0x20 (controls and space) and 0x7f (DEL) cannot appear in a text-protocol key. */
const SPACE = 0x20;
const DEL = 0x7f;
/** Keys travel as latin1: one character per byte, so nothing above 0xff is representable. */
const LATIN1_MAX = 0xff;

/** Throws `BAD_REQUEST` unless `key` is a valid text-protocol key. */
export function checkKey(key: string): void {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new ClientError('BAD_REQUEST', `a key is 1 to ${MAX_KEY_LENGTH} bytes (got ${key.length})`);
  }
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c <= SPACE || c === DEL || c > LATIN1_MAX) {
      throw new ClientError('BAD_REQUEST', `a key cannot contain character code ${c}`);
    }
  }
}

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ClientError('BAD_REQUEST', `${name} must be an integer from ${min} to ${max} (got ${value})`);
  }
}

function checkUnsigned64(name: string, value: bigint, max: bigint): void {
  if (value < 0n || value > max) throw new ClientError('BAD_REQUEST', `${name} must be from 0 to ${max} (got ${value})`);
}

/** `<op> <key> <flags> <exptime> <bytes>[ <cas>]` after checking every field. */
function storageLine(op: string, key: string, value: Buffer, options: StoreOptions, cas?: bigint): string {
  checkKey(key);
  const flags = options.flags ?? 0;
  const exptime = options.exptime ?? 0;
  checkInteger('flags', flags, 0, MAX_FLAGS);
  checkInteger('exptime', exptime, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const casField = cas === undefined ? '' : ` ${cas}`;
  return `${op} ${key} ${flags} ${exptime} ${value.length}${casField}${CRLF}`;
}

/** A command line followed by a data block and its CRLF, in one buffer. */
function withDataBlock(line: string, value: Buffer): Buffer {
  const out = Buffer.allocUnsafe(line.length + value.length + CRLF.length);
  const headerEnd = out.write(line, 0, 'latin1');
  value.copy(out, headerEnd);
  out.write(CRLF, headerEnd + value.length, 'latin1');
  return out;
}

function lineBuffer(line: string): Buffer {
  return Buffer.from(line + CRLF, 'latin1');
}

/** Encodes `request` as text-protocol bytes; throws `BAD_REQUEST` for invalid input. */
export function encodeText(request: Request): Buffer {
  switch (request.op) {
    case 'get':
    case 'gets':
      if (request.keys.length === 0) throw new ClientError('BAD_REQUEST', `${request.op} needs at least one key`);
      request.keys.forEach(checkKey);
      return lineBuffer(`${request.op} ${request.keys.join(' ')}`);
    case 'set':
    case 'add':
    case 'replace':
    case 'append':
    case 'prepend':
      return withDataBlock(storageLine(request.op, request.key, request.value, request), request.value);
    case 'cas':
      checkUnsigned64('cas', request.cas, MAX_CAS);
      return withDataBlock(storageLine('cas', request.key, request.value, request, request.cas), request.value);
    case 'delete':
      checkKey(request.key);
      return lineBuffer(`delete ${request.key}`);
    case 'incr':
    case 'decr':
      checkKey(request.key);
      checkUnsigned64('delta', request.delta, MAX_DELTA);
      return lineBuffer(`${request.op} ${request.key} ${request.delta}`);
    case 'touch':
      checkKey(request.key);
      checkInteger('exptime', request.exptime, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      return lineBuffer(`touch ${request.key} ${request.exptime}`);
    case 'flush_all':
      if (request.delay === undefined) return lineBuffer('flush_all');
      checkInteger('delay', request.delay, 0, Number.MAX_SAFE_INTEGER);
      return lineBuffer(`flush_all ${request.delay}`);
    case 'version':
      return lineBuffer('version');
    case 'stats':
      if (request.group === undefined) return lineBuffer('stats');
      checkKey(request.group);
      return lineBuffer(`stats ${request.group}`);
  }
}
