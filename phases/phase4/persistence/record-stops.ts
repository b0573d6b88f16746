/**
 * What reading checksummed records reports: where the valid records end and why reading stopped.
 * Shared by the reader (record-reader.ts) and its exercise stub, so both speak the same words.
 * @module
 */

/** Why reading stopped. */
export const ReadStop = {
  /** Every byte belongs to a valid record. */
  End: 'end',
  /** The bytes after the valid records are an unfinished last record (or zeros): a crash's leftovers. */
  Torn: 'torn',
  /** A record is damaged and non-zero bytes follow it. */
  Corrupt: 'corrupt',
} as const;
export type ReadStop = (typeof ReadStop)[keyof typeof ReadStop];

/** Where the valid records end, and why reading stopped there. */
export interface ReadResult {
  /** Bytes from the start that hold whole, valid records. */
  readonly validBytes: number;
  readonly stop: ReadStop;
}

/** Told of each valid record: its payload (a view into the bytes) and the record's offset. */
export type RecordSink = (payload: Buffer, offset: number) => void;
