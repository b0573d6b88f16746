/**
 * The memory layout of the ring buffer's SharedArrayBuffer: a control block of Int32 slots, then
 * the data area. Every slot is written by exactly one thread, and every slot has a 64-byte cache
 * line to itself: a line written on every push or pop is pulled over to the writing core each
 * time, so a slot the other thread reads on every operation (a sleep flag) must not share it.
 * @module
 */

/** The size of a CPU cache line on x86-64 and most ARM cores. */
export const CACHE_LINE_BYTES = 64;

/** Int32 slots per cache line. */
const LINE = CACHE_LINE_BYTES / Int32Array.BYTES_PER_ELEMENT;

/** Indexes into the control block, an Int32Array over the start of the buffer. */
export const Slot = {
  /**
   * Written by the READER on every pop, read by the writer only when it believes the ring full.
   * HEAD counts bytes consumed since creation: a free-running 32-bit counter that wraps
   * (differences are taken modulo 2^32). Everything before it is free space.
   */
  HEAD: 0,
  /** Written by the WRITER on every push, read by the reader only when it believes the ring empty. */
  TAIL: LINE,
  /** Written by the READER (1 while it sleeps on TAIL, or is about to); read by the writer on every push. */
  READER_SLEEPING: 2 * LINE,
  /** Written by the WRITER (1 while it sleeps on HEAD, waiting for space); read by the reader on every pop. */
  WRITER_SLEEPING: 3 * LINE,
  /** Written once by whoever creates the ring, then only read: the data area's size in bytes. */
  CAPACITY: 4 * LINE,
} as const;

/** The control block: one cache line per slot. */
export const CONTROL_BYTES = 5 * CACHE_LINE_BYTES;

/** The data area starts right after the control block, itself cache-line aligned. */
export const DATA_START = CONTROL_BYTES;

/**
 * Every record starts with an Int32 length and is padded to a multiple of 4 bytes, so the next
 * length is aligned and can be read through an Int32Array.
 */
export const RECORD_HEADER_BYTES = 4;

/**
 * A length of -1 marks padding: the record that follows did not fit before the end of the data
 * area, so it starts again at offset 0 and the reader skips from the marker to the end.
 */
export const PADDING_MARKER = -1;

/** The smallest data area accepted: room for a few records. */
export const MIN_CAPACITY = 64;
/** The largest data area accepted: positions stay below 2^31. */
export const MAX_CAPACITY = 2 ** 30;
