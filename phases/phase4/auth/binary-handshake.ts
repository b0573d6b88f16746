/**
 * The binary requests of a client that has not authenticated yet, read as memcached's
 * dispatch_bin_command reads them with SASL on: only the SASL commands and Version are served;
 * anything else is answered "Auth failure." and the connection closed. Headers are checked in
 * memcached's order (magic, lengths, authentication, key length, shape) before any body byte is
 * kept, and a SASL message longer than a PLAIN message can be is skipped, not buffered.
 *
 *   HEADER (24 bytes) ─▶ BODY (key + value, ≤ 250 + 1 KiB) ─▶ HEADER …   SKIP · CLOSED
 * @module
 */
import { Header, HEADER_LENGTH, MAGIC_REQUEST, Opcode, Status } from '../../../shared/protocol/binary/constants.ts';
import { MAX_KEY_LENGTH } from '../../../shared/protocol/limits.ts';
import { MAX_MECHANISM_LENGTH, SaslOpcode } from './sasl-opcodes.ts';

const State = { Header: 0, Body: 1, Skip: 2, Closed: 3 } as const;
type State = (typeof State)[keyof typeof State];

const EMPTY = Buffer.alloc(0);

/**
 * The longest SASL message read: a PLAIN message is at most three 255-byte fields and two NULs
 * (767 bytes). A longer one is skipped as it arrives and answered as a failed attempt.
 */
export const MAX_SASL_MESSAGE = 1024;

/** What the reader found, with the request's opcode and opaque to answer it. */
export type BinaryHandshakeEvent =
  /** Answer with `status` (its words as the body) and read on, or close after it. */
  | { readonly kind: 'refuse'; readonly opcode: number; readonly opaque: number; readonly status: Status; readonly close: boolean }
  /** Hang up without a word (the magic byte is wrong). */
  | { readonly kind: 'close' }
  | { readonly kind: 'list'; readonly opcode: number; readonly opaque: number }
  | { readonly kind: 'version'; readonly opcode: number; readonly opaque: number }
  /** SASL Auth (`step` false) or Step, with the mechanism and the client's message. */
  | { readonly kind: 'sasl'; readonly opcode: number; readonly opaque: number; readonly step: boolean; readonly mechanism: string; readonly message: Buffer }
  /** A SASL message too long for any credentials: a failed attempt. */
  | { readonly kind: 'oversized'; readonly opcode: number; readonly opaque: number };

/** Reads the pre-authentication bytes of one binary connection. */
export class BinaryHandshake {
  private pending: Buffer = EMPTY;
  private state: State = State.Header;
  private opcode = 0;
  private opaque = 0;
  private keyLength = 0;
  private bodyLength = 0;
  /** SKIP: bytes still to discard, and the answer owed once they are gone. */
  private remaining = 0;
  private afterSkip: BinaryHandshakeEvent | null = null;

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
  next(): BinaryHandshakeEvent | undefined {
    for (;;) {
      switch (this.state) {
        case State.Header: {
          if (this.pending.length < HEADER_LENGTH) return undefined;
          const event = this.readHeader(this.pending.subarray(0, HEADER_LENGTH));
          this.consume(HEADER_LENGTH);
          if (event !== undefined) return event;
          break;
        }
        case State.Body: {
          if (this.pending.length < this.bodyLength) return undefined;
          // Copied: the message must not pin the chunk it arrived in.
          const body = Buffer.from(this.pending.subarray(0, this.bodyLength));
          this.consume(this.bodyLength);
          this.state = State.Header;
          return this.bodyEvent(body);
        }
        case State.Skip: {
          const piece = Math.min(this.remaining, this.pending.length);
          this.consume(piece);
          this.remaining -= piece;
          if (this.remaining > 0) return undefined;
          this.state = State.Header;
          const owed = this.afterSkip!;
          this.afterSkip = null;
          return owed;
        }
        case State.Closed:
          return undefined;
      }
    }
  }

  /** The bytes received and not consumed: after a successful handshake, the client's first requests. */
  rest(): Buffer {
    const rest = this.pending;
    this.pending = EMPTY;
    return rest;
  }

  /** Decides from the header alone what happens next; undefined when the body is to be read. */
  private readHeader(header: Buffer): BinaryHandshakeEvent | undefined {
    const opcode = header[Header.OPCODE]!;
    const opaque = header.readUInt32BE(Header.OPAQUE);
    if (header[Header.MAGIC] !== MAGIC_REQUEST) return this.close();
    const keyLength = header.readUInt16BE(Header.KEY_LENGTH);
    const extrasLength = header[Header.EXTRAS_LENGTH]!;
    const bodyLength = header.readUInt32BE(Header.BODY_LENGTH);
    if (keyLength + extrasLength > bodyLength) return this.refuseAndClose(opcode, opaque, Status.UnknownCommand);
    const sasl = opcode === SaslOpcode.ListMechanisms || opcode === SaslOpcode.Authenticate || opcode === SaslOpcode.Step;
    if (!sasl && opcode !== Opcode.Version) return this.refuseAndClose(opcode, opaque, Status.AuthError);
    if (keyLength > MAX_KEY_LENGTH) return this.refuseAndClose(opcode, opaque, Status.InvalidArguments);
    if (opcode === Opcode.Version || opcode === SaslOpcode.ListMechanisms) {
      if (bodyLength !== 0) return this.refuseAndClose(opcode, opaque, Status.InvalidArguments);
      return opcode === Opcode.Version ? { kind: 'version', opcode, opaque } : { kind: 'list', opcode, opaque };
    }
    if (extrasLength !== 0 || keyLength === 0) return this.refuseAndClose(opcode, opaque, Status.InvalidArguments);
    const messageLength = bodyLength - keyLength;
    if (keyLength > MAX_MECHANISM_LENGTH || messageLength > MAX_SASL_MESSAGE) {
      // memcached answers a long mechanism name with Invalid arguments and swallows the body; a
      // message too long to be credentials is read past the same way, then counted as a failure.
      this.state = State.Skip;
      this.remaining = bodyLength;
      this.afterSkip = keyLength > MAX_MECHANISM_LENGTH
        ? { kind: 'refuse', opcode, opaque, status: Status.InvalidArguments, close: false }
        : { kind: 'oversized', opcode, opaque };
      return undefined;
    }
    this.opcode = opcode;
    this.opaque = opaque;
    this.keyLength = keyLength;
    this.bodyLength = bodyLength;
    this.state = State.Body;
    return undefined;
  }

  private bodyEvent(body: Buffer): BinaryHandshakeEvent {
    return {
      kind: 'sasl',
      opcode: this.opcode,
      opaque: this.opaque,
      step: this.opcode === SaslOpcode.Step,
      mechanism: body.toString('latin1', 0, this.keyLength),
      message: body.subarray(this.keyLength),
    };
  }

  private refuseAndClose(opcode: number, opaque: number, status: Status): BinaryHandshakeEvent {
    this.close();
    return { kind: 'refuse', opcode, opaque, status, close: true };
  }

  private close(): BinaryHandshakeEvent {
    this.state = State.Closed;
    this.pending = EMPTY;
    return { kind: 'close' };
  }

  private consume(count: number): void {
    this.pending = count >= this.pending.length ? EMPTY : this.pending.subarray(count);
  }
}
