/**
 * How a text fuzz session proves the server still answers it. After arbitrary bytes the server
 * may be in the middle of a line, or inside a data block whose declared length it accepted, or
 * swallowing the bytes of a value it refused as too large. The model below follows every reading
 * a server may have taken — each storage line either opened a data block of its declared length or
 * was rejected and left the next bytes to be read as commands — and finds the most bytes any of
 * them may still wait for. That many newlines end every reading at a line start (a newline is an
 * empty command where no data block is open), and `get <sync key>` then must return the sync value.
 * @module
 */
import { MAX_SYNC_PADDING, type SealedStream } from './session-seal.ts';
import { SYNC_KEY } from './fuzz-keys.ts';
import { MAGIC_REQUEST } from '../protocol/binary/constants.ts';

const LF = 0x0a;
const CR = 0x0d;
/** A byte the text grammar gives no meaning to at a line start, put where 0x80 would pick binary. */
const NEUTRAL_FIRST_BYTE = 0x78;
/** Newlines past the computed bound, so a sync never depends on the bound being exact. */
const SPARE_NEWLINES = 2;

/** Commands followed by a data block, and the token (counted from 0) that declares its length. */
const LENGTH_TOKEN: Readonly<Record<string, number>> = { set: 4, add: 4, replace: 4, append: 4, prepend: 4, cas: 4, ms: 2 };

/**
 * The data block length a command line declares, under each tokenisation a server might use
 * (memcached splits on spaces only; a server may also split on tabs). A sign or trailing junk
 * after the digits still counts: overestimating only costs padding.
 */
function declaredLengths(line: Buffer): number[] {
  let end = line.length;
  if (end > 0 && line[end - 1] === CR) end--;
  const words = line.toString('latin1', 0, end);
  const lengths: number[] = [];
  for (const tokens of [words.split(' '), words.split(/[ \t]/)]) {
    const present = tokens.filter((token) => token.length > 0);
    const index = LENGTH_TOKEN[present[0] ?? ''];
    const match = index === undefined ? null : /^\+?(\d+)/.exec(present[index] ?? '');
    if (match) lengths.push(Number(match[1]));
  }
  return lengths;
}

/**
 * The most bytes a server may still read before it is back at a line start after `stream`
 * (counting the newline that ends an unfinished line), or null when that is beyond `cap`.
 */
export function textPendingBytes(stream: Buffer, cap = MAX_SYNC_PADDING): number | null {
  const starts = [0];
  const seen = new Set<number>();
  let worst = 0;
  while (starts.length > 0) {
    const start = starts.pop()!;
    if (seen.has(start)) continue;
    seen.add(start);
    if (start > stream.length) {
      // Inside a data block that runs past what was sent.
      worst = Math.max(worst, start - stream.length);
      continue;
    }
    const newline = stream.indexOf(LF, start);
    const line = stream.subarray(start, newline < 0 ? stream.length : newline);
    const lengths = declaredLengths(line);
    if (lengths.some((length) => length > cap)) return null;
    if (newline < 0) {
      // An unfinished line: one newline ends it, and it may then open a data block.
      if (line.length > 0) worst = Math.max(worst, 1 + Math.max(0, ...lengths.map((length) => length + 2)));
      continue;
    }
    starts.push(newline + 1);
    // The data block and its CRLF, when the server accepted the line.
    for (const length of lengths) starts.push(newline + 1 + length + 2);
  }
  return worst > cap ? null : worst;
}

/** The probe's request and the bytes its reply must contain. */
export interface TextProbe {
  readonly request: Buffer;
  readonly marker: Buffer;
}

/** The sync request for the value stored under the sync key at the start of the run. */
export function textProbe(syncValue: string): TextProbe {
  return {
    request: Buffer.from(`get ${SYNC_KEY}\r\n`, 'latin1'),
    marker: Buffer.from(`\r\n${syncValue}\r\nEND\r\n`, 'latin1'),
  };
}

/**
 * The first byte of a text session is never 0x80: a server that picks the protocol from the first
 * byte would otherwise read the session as binary.
 */
export function forceTextFirstByte(frame: Buffer): void {
  if (frame.length > 0 && frame[0] === MAGIC_REQUEST) frame[0] = NEUTRAL_FIRST_BYTE;
}

/** The sync of a text session's stream: enough newlines to end every reading, then the probe. */
export function sealTextStream(stream: Buffer, probe: TextProbe): SealedStream {
  const pending = textPendingBytes(stream);
  const sync = pending === null ? null : Buffer.concat([Buffer.alloc(pending + SPARE_NEWLINES, LF), probe.request]);
  return { stream, sync, marker: probe.marker };
}
