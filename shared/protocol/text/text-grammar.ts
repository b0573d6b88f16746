/**
 * The grammar of each text command: which words it takes, which numbers, and the exact error
 * memcached 1.6 gives when they are wrong. Input is one tokenized line; output is a validated
 * {@link TextCommand}. Numbers out of range are rejected here, before anything is allocated.
 *
 * Word counts follow memcached: a wrong count is `ERROR` (unknown command), a wrong value is a
 * CLIENT_ERROR. Once the count is right, a last word `noreply` silences the command's reply, errors
 * included — even when that word stands where a number belongs (`set k 0 0 noreply`).
 * @module
 */
import type { LineTokens } from './text-tokens.ts';
import { ERRORS, type ErrorCode } from '../errors.ts';
import type { StoreMode } from '../../store/store.ts';
import { MAX_DATA_LENGTH, MAX_KEY_LENGTH } from '../limits.ts';
import type { TextCommand, StorageCommand } from './text-command.ts';
import { parseMetaLine } from './meta-grammar.ts';
import { parseRefreshCerts } from './refresh-certs.ts';
import { parseMemoryAdminLine } from './memory-admin.ts';

const U32_MAX = 0xffff_ffff;
/** memcached's MAX_VERBOSITY_LEVEL: a higher `verbosity` level is kept as this. */
const MAX_VERBOSITY = 2n;
const EMPTY = Buffer.alloc(0);

/** Error replies are shared objects: an error line allocates nothing. */
function errorCommand(code: ErrorCode, noreply: boolean): TextCommand {
  return noreply ? SILENT_ERRORS[code] : LOUD_ERRORS[code];
}
const LOUD_ERRORS = {} as Record<ErrorCode, TextCommand>;
const SILENT_ERRORS = {} as Record<ErrorCode, TextCommand>;
for (const code of Object.keys(ERRORS) as ErrorCode[]) {
  LOUD_ERRORS[code] = Object.freeze({ kind: 'error', code, noreply: false });
  SILENT_ERRORS[code] = Object.freeze({ kind: 'error', code, noreply: true });
}

/** The shared "unknown command" error, also used by the parser for empty lines. */
export const UNKNOWN_COMMAND = LOUD_ERRORS.UNKNOWN_COMMAND;
/** The hang-up for an over-long line without a newline. */
export const LINE_TOO_LONG = LOUD_ERRORS.LINE_TOO_LONG;
/** The "bad data chunk" error, silent or not. */
export function badDataChunk(noreply: boolean): TextCommand {
  return errorCommand('BAD_DATA_CHUNK', noreply);
}

/**
 * True when the last word is `noreply`. memcached looks only there, whatever the word was meant
 * to be, and ignores any other word in the optional noreply place.
 */
function lastIsNoreply(t: LineTokens): boolean {
  return t.is(t.count - 1, 'noreply');
}

function retrieval(t: LineTokens, name: 'get' | 'gets' | 'gat' | 'gats'): TextCommand {
  const withTime = name === 'gat' || name === 'gats';
  const first = withTime ? 2 : 1;
  if (t.count < 2) return UNKNOWN_COMMAND;
  let exptime = 0;
  if (withTime) {
    exptime = t.signed(1);
    if (Number.isNaN(exptime)) return errorCommand('BAD_EXPTIME', false);
  }
  // Sized up front: a list grown by push() from empty makes room for 17 keys at its first push,
  // which was most of what a one-key get allocated (bench:request-cost).
  const keys = new Array<string>(t.count - first);
  for (let i = first; i < t.count; i++) {
    if (!t.isKey(i, MAX_KEY_LENGTH)) return errorCommand('BAD_FORMAT', false);
    keys[i - first] = t.text(i);
  }
  return { kind: 'retrieval', name, keys, exptime };
}

function storage(t: LineTokens, name: StoreMode): TextCommand {
  const isCas = name === 'cas';
  const words = isCas ? 6 : 5;
  if (t.count !== words && t.count !== words + 1) return UNKNOWN_COMMAND;
  const noreply = lastIsNoreply(t);
  if (!t.isKey(1, MAX_KEY_LENGTH)) return errorCommand('BAD_FORMAT', noreply);
  const flags = t.unsigned(2, U32_MAX);
  const exptime = t.signed(3);
  const length = t.unsigned(4, MAX_DATA_LENGTH);
  let casUnique = 0n;
  if (isCas) {
    const unique = t.unsigned64(5);
    if (unique === undefined) return errorCommand('BAD_FORMAT', noreply);
    // All 64 bits, exactly: a client may give an item any CAS (meta's E flag).
    casUnique = unique;
  }
  if (flags < 0 || Number.isNaN(exptime) || length < 0) return errorCommand('BAD_FORMAT', noreply);
  const command: StorageCommand = {
    kind: 'storage', name, key: t.text(1), flags, exptime, casUnique, noreply, length, data: EMPTY, tooLarge: false,
  };
  return command;
}

function del(t: LineTokens): TextCommand {
  if (t.count < 2 || t.count > 4) return UNKNOWN_COMMAND;
  // `delete <key> 0` is a relic of a removed "hold time" and still accepted; nothing else is.
  let noreply = false;
  if (t.count > 2) {
    const holdIsZero = t.is(2, '0');
    noreply = lastIsNoreply(t);
    const valid = (t.count === 3 && (holdIsZero || noreply)) || (t.count === 4 && holdIsZero && noreply);
    if (!valid) return errorCommand('BAD_DELETE', noreply);
  }
  if (!t.isKey(1, MAX_KEY_LENGTH)) return errorCommand('BAD_FORMAT', noreply);
  return { kind: 'delete', key: t.text(1), noreply };
}

function arith(t: LineTokens, name: 'incr' | 'decr'): TextCommand {
  if (t.count !== 3 && t.count !== 4) return UNKNOWN_COMMAND;
  const noreply = lastIsNoreply(t);
  if (!t.isKey(1, MAX_KEY_LENGTH)) return errorCommand('BAD_FORMAT', noreply);
  const delta = t.unsigned64(2);
  if (delta === undefined) return errorCommand('BAD_DELTA', noreply);
  return { kind: 'arith', name, key: t.text(1), delta, noreply };
}

function touch(t: LineTokens): TextCommand {
  if (t.count !== 3 && t.count !== 4) return UNKNOWN_COMMAND;
  const noreply = lastIsNoreply(t);
  if (!t.isKey(1, MAX_KEY_LENGTH)) return errorCommand('BAD_FORMAT', noreply);
  const exptime = t.signed(2);
  if (Number.isNaN(exptime)) return errorCommand('BAD_EXPTIME', noreply);
  return { kind: 'touch', key: t.text(1), exptime, noreply };
}

function flushAll(t: LineTokens): TextCommand {
  if (t.count > 3) return UNKNOWN_COMMAND;
  const noreply = lastIsNoreply(t);
  let delay = 0;
  if (t.count === 3 || (t.count === 2 && !noreply)) {
    delay = t.signed(1);
    if (Number.isNaN(delay)) return errorCommand('BAD_EXPTIME', noreply);
  }
  return { kind: 'flush_all', delay, noreply };
}

function verbosity(t: LineTokens): TextCommand {
  if (t.count !== 2 && t.count !== 3) return UNKNOWN_COMMAND;
  const noreply = lastIsNoreply(t);
  // memcached takes any unsigned 64-bit level and keeps at most its highest, 2.
  const level = t.unsigned64(1);
  if (level === undefined) return errorCommand('BAD_FORMAT', noreply);
  return { kind: 'verbosity', level: level > MAX_VERBOSITY ? Number(MAX_VERBOSITY) : Number(level), noreply };
}

/**
 * `stats [group [word …]]`: memcached takes any number of words and lets the group decide, so
 * `stats settings x` is settings and `stats detail on x` switches detail on; only `detail` (and
 * cachedump, which is not offered) reads the word after the group.
 */
function stats(t: LineTokens): TextCommand {
  if (t.count === 1) return STATS;
  return t.count === 2 ? { kind: 'stats', group: t.text(1) } : { kind: 'stats', group: t.text(1), arg: t.text(2) };
}

function shutdown(t: LineTokens): TextCommand {
  if (t.count === 1) return SHUTDOWN_NOW;
  return t.count === 2 && t.text(1) === 'graceful' ? SHUTDOWN_GRACEFUL : SHUTDOWN_INVALID;
}

const SHUTDOWN_NOW: TextCommand = Object.freeze({ kind: 'shutdown', mode: 'now' });
const SHUTDOWN_GRACEFUL: TextCommand = Object.freeze({ kind: 'shutdown', mode: 'graceful' });
const SHUTDOWN_INVALID: TextCommand = Object.freeze({ kind: 'shutdown', mode: 'invalid' });
const VERSION: TextCommand = Object.freeze({ kind: 'version' });
const STATS: TextCommand = Object.freeze({ kind: 'stats', group: '' });
const QUIT: TextCommand = Object.freeze({ kind: 'quit' });

/**
 * Turns one tokenized command line into a command. Command names are lower-case and
 * case-sensitive, as in memcached (`GET k` is `ERROR`).
 */
export function parseCommandLine(t: LineTokens): TextCommand {
  if (t.count === 0) return UNKNOWN_COMMAND;
  // The two commands of most requests are matched on their bytes, sparing them the string of
  // their name (docs/phase4-memory.md, "The get fast path").
  if (t.is(0, 'get')) return retrieval(t, 'get');
  if (t.is(0, 'set')) return storage(t, 'set');
  switch (t.text(0)) {
    case 'get': return retrieval(t, 'get');
    case 'gets': return retrieval(t, 'gets');
    case 'gat': return retrieval(t, 'gat');
    case 'gats': return retrieval(t, 'gats');
    case 'set': return storage(t, 'set');
    case 'add': return storage(t, 'add');
    case 'replace': return storage(t, 'replace');
    case 'append': return storage(t, 'append');
    case 'prepend': return storage(t, 'prepend');
    case 'cas': return storage(t, 'cas');
    case 'delete': return del(t);
    case 'incr': return arith(t, 'incr');
    case 'decr': return arith(t, 'decr');
    case 'touch': return touch(t);
    case 'flush_all': return flushAll(t);
    case 'version': return VERSION;
    case 'verbosity': return verbosity(t);
    case 'stats': return stats(t);
    case 'quit': return QUIT;
    case 'shutdown': return shutdown(t);
    case 'refresh_certs': return parseRefreshCerts(t);
    default: {
      // mg, ms, md, ma, mn and me: meta-grammar.ts reads them.
      const meta = parseMetaLine(t);
      if (meta !== undefined) return meta;
      // cache_memlimit, slabs and lru_crawler: memory-admin.ts reads them.
      const admin = parseMemoryAdminLine(t);
      if (admin !== undefined) return admin;
      // memcached hangs up on what looks like an HTTP request: an unknown command whose last
      // word starts with "HTTP/" (`GET / HTTP/1.1`). Answering would only confuse the browser.
      if (t.startsWith(t.count - 1, 'HTTP/')) return LOUD_ERRORS.HTTP_REQUEST;
      return UNKNOWN_COMMAND;
    }
  }
}
