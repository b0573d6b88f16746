/**
 * Each protocol's handshake, as the door sees it: a sequence of turns, each either a reply to send
 * (then read on, or hang up) or an attempt to log in, with the reply for success and the reply for
 * failure ready. The door runs the turns the same way for both protocols — checks the attempt,
 * holds a failure's reply while the address is being slowed down, hands the connection over on
 * success — so neither protocol's words leak into the connection's life cycle.
 * @module
 */
import { errorReply } from '../../../shared/protocol/errors.ts';
import { BinaryReply } from '../../../shared/protocol/binary/binary-reply.ts';
import { Status } from '../../../shared/protocol/binary/constants.ts';
import { BinaryHandshake } from './binary-handshake.ts';
import { TextHandshake } from './text-handshake.ts';
import { parseSaslPlain } from './sasl-plain.ts';
import { PLAIN } from './sasl-opcodes.ts';

/** One step of a handshake. */
export type Turn =
  | { readonly kind: 'reply'; readonly bytes: Buffer; readonly close: boolean }
  /** Check `user`'s `password` (a null user: the attempt failed before it named anyone). */
  | { readonly kind: 'attempt'; readonly user: string | null; readonly password: Buffer; readonly success: Buffer; readonly failure: Buffer };

/** A handshake in progress on one connection. */
export interface Handshake {
  readonly protocol: 'text' | 'binary';
  /** Adds bytes from the socket. */
  feed(chunk: Buffer): void;
  /** The next turn, or undefined until more bytes arrive. */
  next(): Turn | undefined;
  /** Bytes received and not consumed yet. */
  readonly pendingBytes: number;
  /** Hands over the bytes after the successful attempt. */
  rest(): Buffer;
}

const STORED = Buffer.from('STORED\r\n', 'latin1');
const NO_PASSWORD = Buffer.alloc(0);
const HANG_UP: Turn = Object.freeze({ kind: 'reply', bytes: Buffer.alloc(0), close: true });

/** memcached's `-Y` handshake: `set <key> <flags> <exptime> <bytes>\r\nuser password\r\n`. */
export class TextTurns implements Handshake {
  readonly protocol = 'text';
  private readonly reader = new TextHandshake();

  /** Adds bytes from the socket. */
  feed(chunk: Buffer): void {
    this.reader.feed(chunk);
  }

  next(): Turn | undefined {
    const event = this.reader.next();
    if (event === undefined) return undefined;
    switch (event.kind) {
      case 'refuse':
        return { kind: 'reply', bytes: errorReply(event.code), close: false };
      case 'close':
        return HANG_UP;
      case 'oversized':
        return { kind: 'attempt', user: null, password: NO_PASSWORD, success: STORED, failure: errorReply('AUTH_FAILED') };
      case 'credentials':
        // memcached answers STORED even to `set … noreply`: the client must learn it is in.
        return { kind: 'attempt', user: event.user, password: event.password, success: STORED, failure: errorReply('AUTH_FAILED') };
    }
  }

  get pendingBytes(): number {
    return this.reader.pendingBytes;
  }

  rest(): Buffer {
    return this.reader.rest();
  }
}

/** One binary response, built with the shared binary reply writer. */
function response(build: (reply: BinaryReply) => void): Buffer {
  const reply = new BinaryReply();
  build(reply);
  return Buffer.concat(reply.take());
}

/**
 * Binary SASL PLAIN, as memcached serves it with `-S`: List Mechanisms → "PLAIN"; Auth with the
 * PLAIN message → "Authenticated" or Auth failure (the connection stays open, to try again);
 * Auth with no message → Auth Continue, and the message comes in a Step.
 */
export class BinaryTurns implements Handshake {
  readonly protocol = 'binary';
  private readonly reader = new BinaryHandshake();
  /** An Auth has started an exchange that a Step may finish (memcached's sasl_started). */
  private started = false;

  constructor(private readonly version: string) {}

  /** Adds bytes from the socket. */
  feed(chunk: Buffer): void {
    this.reader.feed(chunk);
  }

  next(): Turn | undefined {
    const event = this.reader.next();
    if (event === undefined) return undefined;
    switch (event.kind) {
      case 'close':
        return HANG_UP;
      case 'refuse':
        return { kind: 'reply', bytes: response((r) => r.error(event.opcode, event.opaque, event.status)), close: event.close };
      case 'version':
        return { kind: 'reply', bytes: response((r) => r.text(event.opcode, event.opaque, this.version)), close: false };
      case 'list':
        return { kind: 'reply', bytes: response((r) => r.text(event.opcode, event.opaque, PLAIN)), close: false };
      case 'oversized':
        this.started = false;
        return this.attempt(event.opcode, event.opaque, null, NO_PASSWORD);
      case 'sasl': {
        const { opcode, opaque } = event;
        // A Step with no Auth before it, or a mechanism not offered: Cyrus SASL fails both.
        if ((event.step && !this.started) || event.mechanism !== PLAIN) {
          this.started = false;
          return this.attempt(opcode, opaque, null, NO_PASSWORD);
        }
        if (!event.step && event.message.length === 0) {
          // PLAIN sends everything at once; a client that sends nothing yet is asked to go on.
          this.started = true;
          return { kind: 'reply', bytes: response((r) => r.error(opcode, opaque, Status.AuthContinue)), close: false };
        }
        this.started = false;
        const credentials = parseSaslPlain(event.message);
        return this.attempt(opcode, opaque, credentials?.user ?? null, credentials?.password ?? NO_PASSWORD);
      }
    }
  }

  get pendingBytes(): number {
    return this.reader.pendingBytes;
  }

  rest(): Buffer {
    return this.reader.rest();
  }

  private attempt(opcode: number, opaque: number, user: string | null, password: Buffer): Turn {
    return {
      kind: 'attempt',
      user,
      password,
      success: response((r) => r.text(opcode, opaque, 'Authenticated')),
      failure: response((r) => r.error(opcode, opaque, Status.AuthError)),
    };
  }
}
