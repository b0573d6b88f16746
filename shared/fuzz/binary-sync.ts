/**
 * How a binary fuzz session proves the server still answers it. Binary framing depends on the
 * header alone: every server reads (or skips) exactly `bodyLength` bytes after a header whose
 * magic and lengths pass, and hangs up on a bad magic, `keyLength + extrasLength > bodyLength` or a
 * key over 250 bytes — memcached only after it has read `extrasLength + keyLength` bytes past the
 * header, whatever the body length says, so that many bytes are padded before its close. Walking
 * the stream the same way tells where the server stands at its end;
 * zeros then complete the frame in progress (a header of zeros has a bad magic, so the server can
 * only close or read zeros as body), and a Noop with the session's own opaque must come back.
 * The walk also rewrites any Flush a mutation created, so no frame can erase the canary. After an
 * unknown opcode with extras or a key, or a value on an opcode that takes none, servers disagree
 * on where the next header starts (memcached 1.6.18 skips an unknown opcode's extras and key twice,
 * and reads the next header right after a Get's or GAT's key), so no sync can serve both: the
 * session ends there.
 * @module
 */
import { FORBIDDEN_OPCODES } from './binary-frames.ts';
import { MAX_SYNC_PADDING, type SealedStream } from './session-seal.ts';
import { Header, HEADER_LENGTH, MAGIC_REQUEST, MAGIC_RESPONSE, Opcode } from '../protocol/binary/constants.ts';
import { opcodeSpec } from '../protocol/binary/opcode-table.ts';
import { encodeRequest } from '../protocol/binary/request-encoder.ts';
import { MAX_KEY_LENGTH } from '../protocol/limits.ts';

/** True when a header makes the server close the connection rather than read its body. */
function closingHeader(header: Buffer): boolean {
  const keyLength = header.readUInt16BE(Header.KEY_LENGTH);
  const bodyLength = header.readUInt32BE(Header.BODY_LENGTH);
  return header[Header.MAGIC] !== MAGIC_REQUEST || keyLength + header[Header.EXTRAS_LENGTH]! > bodyLength || keyLength > MAX_KEY_LENGTH;
}

/**
 * Follows a binary stream chunk by chunk as a server frames it, rewriting Flush opcodes to Noop
 * in the chunks as they pass (in place: the chunks are the fuzzer's own fresh buffers).
 */
export class BinaryWalker {
  /** Bytes the server still reads before the next header (or, once it closes, before closing). */
  #skip = 0;
  readonly #header = Buffer.alloc(HEADER_LENGTH);
  #headerBytes = 0;
  #closes = false;
  #ambiguous = false;

  /** True once a header made every server hang up. */
  get closes(): boolean {
    return this.#closes;
  }

  /** True once servers may disagree on where the next header starts. */
  get ambiguous(): boolean {
    return this.#ambiguous;
  }

  /** Bytes the server reads before it next stands at a header (or closes), if zeros complete a partial one. */
  get pending(): number {
    if (this.#headerBytes === 0) return this.#skip;
    const header = Buffer.alloc(HEADER_LENGTH);
    this.#header.copy(header, 0, 0, this.#headerBytes);
    return HEADER_LENGTH - this.#headerBytes + bodyToRead(header);
  }

  /** Walks `chunk`, the next bytes of the stream. */
  feed(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.#skip > 0) {
        const taken = Math.min(this.#skip, chunk.length - at);
        this.#skip -= taken;
        at += taken;
        continue;
      }
      if (this.#closes || this.#ambiguous) return;
      if (this.#headerBytes === Header.OPCODE && FORBIDDEN_OPCODES.has(chunk[at]!)) chunk[at] = Opcode.Noop;
      this.#header[this.#headerBytes++] = chunk[at++]!;
      if (this.#headerBytes < HEADER_LENGTH) continue;
      this.#headerBytes = 0;
      this.#skip = bodyToRead(this.#header);
      this.#closes = closingHeader(this.#header);
      this.#ambiguous = !this.#closes && framingDisputed(this.#header);
    }
  }
}

/** True when servers may frame past `header` differently (see the module comment). */
function framingDisputed(header: Buffer): boolean {
  const spec = opcodeSpec(header[Header.OPCODE]!);
  const prefix = prefixLength(header);
  return spec === undefined ? prefix > 0 : !spec.value && header.readUInt32BE(Header.BODY_LENGTH) > prefix;
}

function prefixLength(header: Buffer): number {
  return header.readUInt16BE(Header.KEY_LENGTH) + header[Header.EXTRAS_LENGTH]!;
}

/** What a server reads after `header`: its body, or for a closing header the extras and key. */
function bodyToRead(header: Buffer): number {
  return closingHeader(header) ? prefixLength(header) : header.readUInt32BE(Header.BODY_LENGTH);
}

/** The bytes a Noop reply with `opaque` starts with: magic, opcode, lengths, status and body 0. */
export function noopReplyMarker(opaque: number): Buffer {
  const marker = Buffer.alloc(Header.OPAQUE + 4);
  marker[Header.MAGIC] = MAGIC_RESPONSE;
  marker[Header.OPCODE] = Opcode.Noop;
  marker.writeUInt32BE(opaque, Header.OPAQUE);
  return marker;
}

/**
 * The sync of a binary session's (walked) stream: zeros up to the next header, then a Noop with
 * `opaque`; none when the zeros would be more than {@link MAX_SYNC_PADDING}.
 */
export function sealBinaryStream(stream: Buffer, opaque: number): SealedStream {
  const walker = new BinaryWalker();
  walker.feed(stream);
  const marker = noopReplyMarker(opaque);
  if (walker.ambiguous || walker.pending > MAX_SYNC_PADDING) return { stream, sync: null, marker };
  const probe = encodeRequest({ opcode: Opcode.Noop, opaque });
  return { stream, sync: Buffer.concat([Buffer.alloc(walker.pending), probe]), marker };
}

/** The first byte of a binary session: always the request magic, or a server would read text. */
export function forceBinaryFirstByte(frame: Buffer): void {
  if (frame.length > 0) frame[0] = MAGIC_REQUEST;
}
