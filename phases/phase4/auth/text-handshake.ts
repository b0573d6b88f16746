/**
 * memcached's ASCII authentication, read from the bytes a text client sends before it has
 * authenticated (memcached's try_read_command_asciiauth). Every line is refused with
 * `CLIENT_ERROR unauthenticated` except `set <key> <flags> <exptime> <bytes>`, whose data block —
 * `user password` — carries the credentials; key, flags and exptime are ignored and nothing is
 * stored. An incremental state machine: LINE (up to a newline) → DATA (the block and its CRLF) →
 * LINE, with SKIP for a block too long to be credentials (counted, never buffered) and CLOSED
 * for a line that never ends. What follows a successful handshake is handed back untouched.
 * @module
 */
import type { ErrorCode } from '../../../shared/protocol/errors.ts';

const State = { Line: 0, Data: 1, Skip: 2, Closed: 3 } as const;
type State = (typeof State)[keyof typeof State];

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const EMPTY = Buffer.alloc(0);

/** memcached closes a connection whose line has no newline after 2048 bytes. */
export const MAX_HANDSHAKE_LINE = 2048;
/**
 * The longest credentials block read: a user and password from the auth file (256 bytes a line)
 * with room to spare. A longer block is skipped as it arrives and answered as a failure.
 */
export const MAX_CREDENTIALS_BLOCK = 1024;
/** memcached reads the block length as an unsigned 32-bit number. */
const MAX_DECLARED = 0xffff_ffff;

/** What the handshake reader found. */
export type HandshakeEvent =
  /** Answer with this error and read on. */
  | { readonly kind: 'refuse'; readonly code: ErrorCode }
  /** A block too long to hold credentials: a failed attempt. */
  | { readonly kind: 'oversized' }
  /** Credentials to check. */
  | { readonly kind: 'credentials'; readonly user: string; readonly password: Buffer }
  /** A line without end: hang up. */
  | { readonly kind: 'close' };

const REFUSALS = new Map<ErrorCode, HandshakeEvent>();
function refuse(code: ErrorCode): HandshakeEvent {
  let event = REFUSALS.get(code);
  if (event === undefined) REFUSALS.set(code, (event = Object.freeze({ kind: 'refuse', code })));
  return event;
}
const OVERSIZED: HandshakeEvent = Object.freeze({ kind: 'oversized' });
const CLOSE: HandshakeEvent = Object.freeze({ kind: 'close' });

/** Splits on spaces, as memcached's tokenizer does (runs of spaces make no empty words). */
function words(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === SPACE) {
      if (i > start) out.push(bytes.subarray(start, i));
      start = i + 1;
    }
  }
  return out;
}

/** The block length of a `set` line, or -1 when the line is not one memcached would take. */
function declaredLength(line: Buffer): number {
  const tokens = words(line);
  if (tokens.length < 5 || tokens[0]!.toString('latin1') !== 'set') return -1;
  const text = tokens[4]!.toString('latin1');
  if (!/^\+?\d{1,10}$/.test(text)) return -1;
  const length = Number(text);
  return length > MAX_DECLARED ? -1 : length;
}

/** Reads the pre-authentication bytes of one text connection. */
export class TextHandshake {
  /** Bytes received and not yet consumed. */
  private pending: Buffer = EMPTY;
  /** Where the search for the next newline resumes. */
  private scanned = 0;
  private state: State = State.Line;
  /** DATA: block bytes expected (without its CRLF); SKIP: bytes still to discard. */
  private remaining = 0;

  /** Bytes received and not yet consumed. */
  get pendingBytes(): number {
    return this.pending.length;
  }

  /** Adds bytes from the socket. */
  feed(chunk: Buffer): void {
    if (this.state === State.Closed || chunk.length === 0) return;
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
  }

  /** The next event, or undefined until more bytes arrive. */
  next(): HandshakeEvent | undefined {
    for (;;) {
      switch (this.state) {
        case State.Line: {
          const newline = this.pending.indexOf(LF, this.scanned);
          if (newline === -1) {
            this.scanned = this.pending.length;
            if (this.pending.length <= MAX_HANDSHAKE_LINE) return undefined;
            this.state = State.Closed;
            this.pending = EMPTY;
            return CLOSE;
          }
          const end = newline > 0 && this.pending[newline - 1] === CR ? newline - 1 : newline;
          const length = declaredLength(this.pending.subarray(0, end));
          this.consume(newline + 1);
          if (length === -1) return refuse('AUTH_REQUIRED');
          this.remaining = length;
          this.state = length > MAX_CREDENTIALS_BLOCK ? State.Skip : State.Data;
          // SKIP discards the block's CRLF too.
          if (this.state === State.Skip) this.remaining += 2;
          break;
        }
        case State.Data: {
          const length = this.remaining;
          if (this.pending.length < length + 2) return undefined;
          const block = this.pending.subarray(0, length);
          const ending = this.pending[length] === CR && this.pending[length + 1] === LF;
          // Copied: the block must not pin the (possibly large) chunk it arrived in.
          const tokens = ending ? words(Buffer.from(block)) : [];
          this.consume(length + 2);
          this.state = State.Line;
          if (!ending) return refuse('AUTH_BAD_TERMINATION');
          if (tokens.length < 2) return refuse('AUTH_BAD_TOKEN');
          return { kind: 'credentials', user: tokens[0]!.toString('latin1'), password: tokens[1]! };
        }
        case State.Skip: {
          const piece = Math.min(this.remaining, this.pending.length);
          this.consume(piece);
          this.remaining -= piece;
          if (this.remaining > 0) return undefined;
          this.state = State.Line;
          return OVERSIZED;
        }
        case State.Closed:
          return undefined;
      }
    }
  }

  /** The bytes received and not consumed: after a successful handshake, the client's first commands. */
  rest(): Buffer {
    const rest = this.pending;
    this.pending = EMPTY;
    this.scanned = 0;
    return rest;
  }

  private consume(count: number): void {
    this.pending = count >= this.pending.length ? EMPTY : this.pending.subarray(count);
    this.scanned = 0;
  }
}
