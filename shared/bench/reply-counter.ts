/**
 * Counts replies by scanning bytes, for the load generator: it never builds a reply object, a
 * string or a promise. The text counter is a state machine over the reply lines (a `VALUE` line's
 * byte count lets it skip the data block arithmetically); the binary counter reads each 24-byte
 * header and skips the body by its length. Both keep their cursor across chunks, so a reply may
 * be split at any byte, and report each complete reply to a sink as one small outcome number.
 * @module
 */
import { HEADER_LENGTH, Header, MAGIC_RESPONSE, Opcode, Status } from '../protocol/binary/constants.ts';

/** What one reply meant for the load: a get that found its key, one that did not, another success, an error. */
export const ReplyOutcome = {
  Hit: 0,
  Miss: 1,
  Ok: 2,
  Error: 3,
} as const;
export type ReplyOutcome = (typeof ReplyOutcome)[keyof typeof ReplyOutcome];

/** Where a counter reports: the connection's driver, called once per complete reply. */
export interface ReplySink {
  /** One complete reply arrived; `outcome` says what it meant. */
  onReply(outcome: ReplyOutcome): void;
}

/** A byte-scanning reply counter for one connection. */
export interface ReplyCounter {
  /** Scans `bytes[start, end)`, calling the sink for every reply it completes. */
  feed(bytes: Uint8Array, start: number, end: number): void;
  /** True once the bytes cannot be a reply stream of this protocol; nothing more is counted. */
  readonly broken: boolean;
}

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const LETTER_C = 0x43;
const LETTER_E = 0x45;
const LETTER_L = 0x4c;
const LETTER_N = 0x4e;
const LETTER_R = 0x52;
const LETTER_S = 0x53;
const LETTER_V = 0x56;

/** The text counter's states. */
const TextState = {
  /** Reading the first word of a line. */
  Word: 0,
  /** Reading a `VALUE` line's fields, looking for the byte count (its fourth field). */
  ValueFields: 1,
  /** Skipping the rest of a line up to its LF. */
  RestOfLine: 2,
  /** Skipping a data block and its CRLF. */
  Data: 3,
} as const;
type TextState = (typeof TextState)[keyof typeof TextState];

/** The first words the counter tells apart; everything else is a one-line success (STORED, DELETED…). */
const Word = { Other: 0, Value: 1, End: 2, Error: 3 } as const;
type Word = (typeof Word)[keyof typeof Word];

/** In `VALUE <key> <flags> <bytes> [<cas>]`, the byte count is the fourth field. */
const BYTES_FIELD = 3;
/**
 * A byte count above memcached's largest item size (1 GiB with `-I 1g`) means the stream is not
 * what the counter expects; it stops counting rather than skip a nonsense length.
 */
const MAX_DATA_BYTES = 1024 * 1024 * 1024;

/**
 * Text protocol: `VALUE … <bytes>` lines and their data blocks until `END` make one get reply
 * (a hit when at least one `VALUE` came); `ERROR`, `CLIENT_ERROR …` and `SERVER_ERROR …` are
 * errors; any other line is a one-line success. A bare LF ends a line as memcached allows.
 */
export class TextReplyCounter implements ReplyCounter {
  private readonly sink: ReplySink;
  private state: TextState = TextState.Word;
  /** Bytes of the current line's first word seen so far, and the first two of them. */
  private wordLength = 0;
  private first = 0;
  private second = 0;
  /** What the current line is, once its first word ended. */
  private word: Word = Word.Other;
  /** In a `VALUE` line: the field being read and the byte count parsed so far. */
  private field = 0;
  private dataBytes = 0;
  /** Data bytes (plus CRLF) still to skip. */
  private remaining = 0;
  /** `VALUE` lines seen in the get reply being read. */
  private values = 0;
  /** Set when the stream cannot be a reply stream; nothing more is counted. */
  broken = false;

  /** @param sink - told about every complete reply */
  constructor(sink: ReplySink) {
    this.sink = sink;
  }

  feed(bytes: Uint8Array, start: number, end: number): void {
    let i = start;
    while (i < end && !this.broken) {
      switch (this.state) {
        case TextState.Data: {
          const skip = Math.min(this.remaining, end - i);
          this.remaining -= skip;
          i += skip;
          if (this.remaining === 0) this.startLine();
          break;
        }
        case TextState.Word: {
          const byte = bytes[i++]!;
          if (byte === SPACE || byte === CR || byte === LF) {
            this.word = this.classify();
            if (byte === LF) this.endLine();
            else if (this.word === Word.Value) {
              this.state = TextState.ValueFields;
              this.field = 1;
              this.dataBytes = 0;
            } else this.state = TextState.RestOfLine;
          } else {
            if (this.wordLength === 0) this.first = byte;
            else if (this.wordLength === 1) this.second = byte;
            this.wordLength++;
          }
          break;
        }
        case TextState.ValueFields: {
          const byte = bytes[i++]!;
          if (byte === LF) this.endLine();
          else if (byte === SPACE) this.field++;
          else if (this.field === BYTES_FIELD && byte >= DIGIT_0 && byte <= DIGIT_9) {
            this.dataBytes = this.dataBytes * 10 + (byte - DIGIT_0);
            if (this.dataBytes > MAX_DATA_BYTES) this.broken = true;
          }
          break;
        }
        case TextState.RestOfLine: {
          // Lines after the first word are short: a native scan for LF is cheaper than a JS loop.
          const lf = indexOfLf(bytes, i, end);
          if (lf < 0) {
            i = end;
          } else {
            i = lf + 1;
            this.endLine();
          }
          break;
        }
      }
    }
  }

  /** The current line's first word, from its length and first two bytes (enough for the replies a load sees). */
  private classify(): Word {
    const length = this.wordLength;
    if (length === 5 && this.first === LETTER_V) return Word.Value;
    if (length === 3 && this.first === LETTER_E && this.second === LETTER_N) return Word.End;
    if (length === 5 && this.first === LETTER_E && this.second === LETTER_R) return Word.Error;
    if (length === 12 && (this.first === LETTER_C || this.first === LETTER_S) && (this.second === LETTER_L || this.second === LETTER_E)) return Word.Error;
    return Word.Other;
  }

  /** A line ended at its LF: finish a reply, or go on to a `VALUE` line's data block. */
  private endLine(): void {
    switch (this.word) {
      case Word.Value:
        this.values++;
        this.remaining = this.dataBytes + 2;
        this.state = TextState.Data;
        this.resetWord();
        return;
      case Word.End:
        this.sink.onReply(this.values > 0 ? ReplyOutcome.Hit : ReplyOutcome.Miss);
        this.values = 0;
        break;
      case Word.Error:
        this.values = 0;
        this.sink.onReply(ReplyOutcome.Error);
        break;
      default:
        // An empty line or stray text inside a get reply is not a reply of its own.
        if (this.wordLength > 0 && this.values === 0) this.sink.onReply(ReplyOutcome.Ok);
    }
    this.startLine();
  }

  private startLine(): void {
    this.state = TextState.Word;
    this.resetWord();
  }

  private resetWord(): void {
    this.wordLength = 0;
    this.first = 0;
    this.second = 0;
    this.word = Word.Other;
  }
}

/** The first LF in `bytes[from, to)`, or -1. */
function indexOfLf(bytes: Uint8Array, from: number, to: number): number {
  const at = bytes.indexOf(LF, from);
  return at < 0 || at >= to ? -1 : at;
}

/**
 * Binary protocol: every response is a 24-byte header and `bodyLength` more bytes. A get with
 * status Success is a hit and KeyNotFound a miss; any other non-success status is an error. The
 * load sends no quiet opcodes, so every request gets exactly one response.
 */
export class BinaryReplyCounter implements ReplyCounter {
  private readonly sink: ReplySink;
  /** The header being read, copied only while it spans chunks. */
  private readonly header = new Uint8Array(HEADER_LENGTH);
  private headerFill = 0;
  /** Body bytes still to skip. */
  private remaining = 0;
  /** The outcome of the response whose body is being skipped: a reply counts once it is complete. */
  private outcome: ReplyOutcome = ReplyOutcome.Ok;
  /** Set when a response does not start with the response magic; nothing more is counted. */
  broken = false;

  /** @param sink - told about every complete reply */
  constructor(sink: ReplySink) {
    this.sink = sink;
  }

  feed(bytes: Uint8Array, start: number, end: number): void {
    let i = start;
    while (i < end && !this.broken) {
      if (this.remaining > 0) {
        const skip = Math.min(this.remaining, end - i);
        this.remaining -= skip;
        i += skip;
        if (this.remaining === 0) this.sink.onReply(this.outcome);
        continue;
      }
      if (this.headerFill === 0 && end - i >= HEADER_LENGTH) {
        // The common case: the whole header is in this chunk, read it in place.
        this.onHeader(bytes, i);
        i += HEADER_LENGTH;
        continue;
      }
      const take = Math.min(HEADER_LENGTH - this.headerFill, end - i);
      this.header.set(bytes.subarray(i, i + take), this.headerFill);
      this.headerFill += take;
      i += take;
      if (this.headerFill === HEADER_LENGTH) {
        this.headerFill = 0;
        this.onHeader(this.header, 0);
      }
    }
  }

  private onHeader(bytes: Uint8Array, at: number): void {
    if (bytes[at + Header.MAGIC] !== MAGIC_RESPONSE) {
      this.broken = true;
      return;
    }
    const opcode = bytes[at + Header.OPCODE]!;
    const status = (bytes[at + Header.STATUS]! << 8) | bytes[at + Header.STATUS + 1]!;
    const o = at + Header.BODY_LENGTH;
    this.remaining = ((bytes[o]! << 24) >>> 0) + (bytes[o + 1]! << 16) + (bytes[o + 2]! << 8) + bytes[o + 3]!;
    const isGet = opcode === Opcode.Get || opcode === Opcode.GetK;
    if (status === Status.Success) this.outcome = isGet ? ReplyOutcome.Hit : ReplyOutcome.Ok;
    else if (status === Status.KeyNotFound && isGet) this.outcome = ReplyOutcome.Miss;
    else this.outcome = ReplyOutcome.Error;
    if (this.remaining === 0) this.sink.onReply(this.outcome);
  }
}

/** A counter for `protocol` (`text` or `binary`) reporting to `sink`. */
export function replyCounterFor(protocol: string, sink: ReplySink): ReplyCounter {
  return protocol === 'binary' ? new BinaryReplyCounter(sink) : new TextReplyCounter(sink);
}
