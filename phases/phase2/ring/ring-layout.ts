/**
 * The memory layout of the ring buffer's SharedArrayBuffer: a control block of Int32 slots, then
 * the data area. Every slot is written by exactly one thread, and the slots each thread writes
 * sit on their own 64-byte cache line, so the two threads never fight over a line they both
 * write (false sharing would cost a cache-line transfer on every push and pop).
 * @module
 */

/** The size of a CPU cache line on x86-64 and most ARM cores. */
export const CACHE_LINE_BYTES = 64;

/** Int32 slots per cache line. */
const LINE = CACHE_LINE_BYTES / Int32Array.BYTES_PER_ELEMENT;

/** Indexes into the control block, an Int32Array over the start of the buffer. */
export const Slot = {
  /**
   * Line 0, written by the READER only. HEAD: bytes consumed since creation, a free-running
   * 32-bit counter (it wraps; differences are taken modulo 2^32). Everything before it is free.
   */
  HEAD: 0,
  /** 1 while the reader sleeps (or is about to) in Atomics.wait/waitAsync on TAIL. */
  READER_SLEEPING: 1,
  /** Line 1, written by the WRITER only. TAIL: bytes published since creation, free-running too. */
  TAIL: LINE,
  /** 1 while the writer sleeps (or is about to) in Atomics.wait on HEAD, waiting for space. */
  WRITER_SLEEPING: LINE + 1,
  /** Line 2, written once by whoever creates the ring, then only read: the data area's size. */
  CAPACITY: 2 * LINE,
} as const;

/** The control block: three cache lines. */
export const CONTROL_BYTES = 3 * CACHE_LINE_BYTES;

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

/** The smallest data area accepted (a few records), and the largest (positions stay below 2^31). */
export const MIN_CAPACITY = 64;
export const MAX_CAPACITY = 2 ** 30;
