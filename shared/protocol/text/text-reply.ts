/**
 * Builds text-protocol replies as a list of buffers, ready for one `writev`. Fixed replies are
 * precomputed; a value is never copied into a bigger buffer — its header line, the value itself
 * and the CRLF go out as three pieces, which is what lets a later phase write stored bytes
 * without copying them.
 * @module
 */
import { errorReply, type ErrorCode } from '../errors.ts';
import type { Item } from '../../store/store.ts';

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

  /** `VALUE <key> <flags> <bytes>[ <cas>]`, the value and CRLF. */
  value(item: Item, withCas: boolean): void {
    const header = withCas
      ? `VALUE ${item.key} ${item.flags} ${item.value.length} ${item.cas}\r\n`
      : `VALUE ${item.key} ${item.flags} ${item.value.length}\r\n`;
    this.push(Buffer.from(header, 'latin1'));
    this.push(item.value);
    this.push(CRLF);
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

  /** Hands over the pieces and starts afresh. */
  take(): Buffer[] {
    const chunks = this.chunks;
    this.chunks = [];
    this.bytes = 0;
    return chunks;
  }
}
