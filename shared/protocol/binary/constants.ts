/**
 * The numbers of memcached's binary protocol in one place: magic bytes, the 24-byte header's field
 * offsets, opcodes, status codes (with memcached's own words for each error) and extras sizes.
 * Every packet is a fixed header, then `extras`, `key` and `value` back to back; `bodyLength`
 * counts all three. All integers are big-endian.
 * @module
 */

/** The first byte of every request; memcached also uses it to pick the binary protocol per connection. */
export const MAGIC_REQUEST = 0x80;
/** The first byte of every response. */
export const MAGIC_RESPONSE = 0x81;

/** The fixed header that starts every request and response. */
export const HEADER_LENGTH = 24;

/**
 * Byte offsets inside the 24-byte header. Requests and responses share the layout except at 6,
 * which is the vbucket id in a request (ignored by memcached) and the status in a response.
 */
export const Header = {
  /** u8: {@link MAGIC_REQUEST} or {@link MAGIC_RESPONSE}. */
  MAGIC: 0,
  /** u8: the command, echoed in the response. */
  OPCODE: 1,
  /** u16: bytes of key after the extras. */
  KEY_LENGTH: 2,
  /** u8: bytes of extras right after the header. */
  EXTRAS_LENGTH: 4,
  /** u8: always 0 (raw bytes); memcached ignores it in requests. */
  DATA_TYPE: 5,
  /** u16: the vbucket id in a request (unused by memcached). */
  VBUCKET: 6,
  /** u16: the status in a response. */
  STATUS: 6,
  /** u32: extras + key + value. */
  BODY_LENGTH: 8,
  /** u32: chosen by the client, copied into the response untouched, so it can match replies. */
  OPAQUE: 12,
  /** u64: the item's CAS value; in a request, 0 means "no check". Written as two u32 halves. */
  CAS: 16,
} as const;

/** Every opcode memcached serves over the binary protocol. The `Q` ("quiet") forms reply only on error. */
export const Opcode = {
  Get: 0x00,
  Set: 0x01,
  Add: 0x02,
  Replace: 0x03,
  Delete: 0x04,
  Increment: 0x05,
  Decrement: 0x06,
  Quit: 0x07,
  Flush: 0x08,
  GetQ: 0x09,
  Noop: 0x0a,
  Version: 0x0b,
  GetK: 0x0c,
  GetKQ: 0x0d,
  Append: 0x0e,
  Prepend: 0x0f,
  Stat: 0x10,
  SetQ: 0x11,
  AddQ: 0x12,
  ReplaceQ: 0x13,
  DeleteQ: 0x14,
  IncrementQ: 0x15,
  DecrementQ: 0x16,
  QuitQ: 0x17,
  FlushQ: 0x18,
  AppendQ: 0x19,
  PrependQ: 0x1a,
  Touch: 0x1c,
  GAT: 0x1d,
  GATQ: 0x1e,
  GATK: 0x23,
  GATKQ: 0x24,
} as const;
export type Opcode = (typeof Opcode)[keyof typeof Opcode];

// The statuses and their words live in the one error catalogue, beside the text protocol's.
export { Status, STATUS_TEXT } from '../errors.ts';

/** Extras sizes, fixed per opcode. */
export const Extras = {
  /** Set/Add/Replace: u32 flags, u32 exptime. */
  STORE: 8,
  /** Increment/Decrement: u64 delta, u64 initial value, u32 exptime. */
  ARITHMETIC: 20,
  /** Touch/GAT/GATK, and Flush when it carries a delay: u32 exptime. */
  EXPTIME: 4,
  /** A Get/GAT/Touch hit: u32 flags. */
  FLAGS: 4,
} as const;

/** The body of an Increment/Decrement response: the new value as a u64. */
export const COUNTER_LENGTH = 8;

/** An incr/decr exptime of 0xffffffff means "do not create a missing key; answer Not found". */
export const NO_CREATE_EXPTIME = 0xffffffff;

/** 2^32, to split a CAS value (a number below 2^53) into the two u32 halves of the header. */
export const TWO_POW_32 = 0x1_0000_0000;
