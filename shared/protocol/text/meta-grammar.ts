/**
 * The grammar of memcached's meta commands (mg, ms, md, ma, mn, me): names are two letters, the
 * key comes second, then single-letter flags (ms: the data length first). Errors and their
 * precedence are memcached 1.6.18's, checked command by command against it; limits come first:
 * key length and token count before any flag is read, the data length before anything is kept.
 * @module
 */
import type { ErrorCode } from '../errors.ts';
import { MAX_DATA_LENGTH, MAX_KEY_LENGTH } from '../limits.ts';
import { StoreMode } from '../../store/store.ts';
import type { LineTokens } from './text-tokens.ts';
import type { TextCommand } from './text-command.ts';
import type { MetaArithCommand, MetaDeleteCommand, MetaGetCommand, MetaSetCommand } from './meta-command.ts';
import { MetaFlags, readSigned32 } from './meta-flags.ts';

/**
 * memcached reads at most 20 tokens per meta line, counting the end of the line as one: so a
 * command, its key and 17 flags (ms: its length and 16 flags).
 */
const MAX_TOKENS = 19;
/** memcached's MFLAG_MAX_OPAQUE_LENGTH: an O token longer than 32 bytes (the O included) is refused. */
const MAX_OPAQUE_LENGTH = 32;
const EMPTY = Buffer.alloc(0);

/** One reused flag reader: grammar runs on one thread, one line at a time. */
const flags = new MetaFlags();

function error(code: ErrorCode): TextCommand {
  return { kind: 'error', code, noreply: false };
}

const NOOP: TextCommand = Object.freeze({ kind: 'meta', name: 'mn' });
const UNKNOWN: TextCommand = error('UNKNOWN_COMMAND');
const BAD_FORMAT: TextCommand = error('BAD_FORMAT');

/** The fields every keyed meta command copies from its flags. */
function keyed(): { kind: 'meta'; key: string; binaryKey: boolean; quiet: boolean; order: string; opaque: string } {
  return { kind: 'meta', key: flags.key, binaryKey: flags.base64, quiet: flags.quiet, order: flags.order, opaque: flags.opaque };
}

/** A created item's exptime: the later in the line of N and T when both are given, as memcached applies them in order. */
function createExptime(): number | undefined {
  if (flags.vivify === undefined) return undefined;
  return flags.touch !== undefined && flags.before('N', 'T') ? flags.touch : flags.vivify;
}

const opaqueTooLong = (): boolean => flags.opaque.length > MAX_OPAQUE_LENGTH;

function metaGet(t: LineTokens): TextCommand {
  if (t.count < 2) return UNKNOWN;
  if (!t.isKey(1, MAX_KEY_LENGTH)) return BAD_FORMAT;
  if (t.count > MAX_TOKENS) return error('META_GET_TOO_MANY_FLAGS');
  const failure = flags.read(t, 1, 2);
  if (failure !== undefined) return error(failure);
  if (opaqueTooLong()) return error('META_OPAQUE_TOO_LONG');
  const command: MetaGetCommand = {
    ...keyed(), name: 'mg', value: flags.value, noBump: flags.noBump, touch: flags.touch, vivify: createExptime(),
    recache: flags.recache, explicitCas: flags.explicitCas,
  };
  return command;
}

/** ms's M token: S set, E add, A append, P prepend, R replace; none is set. */
function setMode(mode: number): StoreMode | undefined {
  switch (String.fromCharCode(mode)) {
    case '\0': case 'S': return StoreMode.Set;
    case 'E': return StoreMode.Add;
    case 'A': return StoreMode.Append;
    case 'P': return StoreMode.Prepend;
    case 'R': return StoreMode.Replace;
    default: return undefined;
  }
}

function metaSet(t: LineTokens): TextCommand {
  if (t.count < 2) return UNKNOWN;
  // Refused before the length is known: nothing is swallowed, the data block is read as commands.
  if (!t.isKey(1, MAX_KEY_LENGTH) || t.count === 2) return BAD_FORMAT;
  if (t.count > MAX_TOKENS) return error('META_TOO_MANY_FLAGS');
  const length = readSigned32(t.buf, t.starts[2]!, t.ends[2]!);
  if (length === undefined || length < 0 || length > MAX_DATA_LENGTH) return BAD_FORMAT;
  // From here on memcached swallows the data block of a refused line.
  let refused = flags.read(t, 1, 3);
  let mode: StoreMode = StoreMode.Set;
  if (refused === undefined) {
    const chosen = setMode(flags.mode);
    if (chosen === undefined) refused = 'META_BAD_SET_MODE';
    else if (opaqueTooLong()) refused = 'META_OPAQUE_TOO_LONG';
    // A C makes set and replace a compare-and-swap; add ignores it; append and prepend check it.
    else mode = flags.compareCas !== undefined && (chosen === StoreMode.Set || chosen === StoreMode.Replace) ? StoreMode.Cas : chosen;
  }
  const command: MetaSetCommand = {
    ...keyed(), name: 'ms', mode, flags: flags.clientFlags, exptime: flags.touch ?? 0, compareCas: flags.compareCas ?? 0n,
    invalidate: flags.invalidate, explicitCas: flags.explicitCas, refused,
    length, noreply: false, data: EMPTY, tooLarge: false, discard: refused !== undefined,
  };
  return command;
}

function metaDelete(t: LineTokens): TextCommand {
  if (t.count < 2) return UNKNOWN;
  if (!t.isKey(1, MAX_KEY_LENGTH)) return BAD_FORMAT;
  if (t.count > MAX_TOKENS) return error('META_TOO_MANY_FLAGS');
  // memcached words every flag error of md the same way.
  if (flags.read(t, 1, 2) !== undefined) return error('META_BAD_FLAGS');
  if (opaqueTooLong()) return error('META_OPAQUE_TOO_LONG');
  const command: MetaDeleteCommand = {
    ...keyed(), name: 'md', compareCas: flags.compareCas, invalidate: flags.invalidate, touch: flags.touch,
    explicitCas: flags.explicitCas,
  };
  return command;
}

function metaArith(t: LineTokens): TextCommand {
  if (t.count < 2) return UNKNOWN;
  if (!t.isKey(1, MAX_KEY_LENGTH)) return BAD_FORMAT;
  if (t.count > MAX_TOKENS) return error('META_TOO_MANY_FLAGS');
  if (flags.read(t, 1, 2) !== undefined) return error('META_BAD_FLAGS');
  let incr = true;
  switch (String.fromCharCode(flags.mode)) {
    case '\0': case 'I': case '+': break;
    case 'D': case '-': incr = false; break;
    default: return error('META_BAD_ARITH_MODE');
  }
  const command: MetaArithCommand = {
    ...keyed(), name: 'ma', incr, delta: flags.delta, initial: flags.initial, vivify: createExptime(), touch: flags.touch,
    compareCas: flags.compareCas ?? 0n, explicitCas: flags.explicitCas, value: flags.value,
    afterError: opaqueTooLong() ? 'META_OPAQUE_TOO_LONG' : undefined,
  };
  return command;
}

/** me takes only `b`, and only right after the key; other words are ignored, as memcached does. */
function metaDebug(t: LineTokens): TextCommand {
  if (t.count < 2 || !t.isKey(1, MAX_KEY_LENGTH)) return BAD_FORMAT;
  let key = t.text(1);
  if (t.count > 2 && t.is(2, 'b')) {
    const failure = flags.read(t, 1, 2);
    if (failure !== undefined) return BAD_FORMAT;
    key = flags.key;
  }
  return { kind: 'meta', name: 'me', key };
}

/**
 * The command for a meta line, or undefined when token 0 is not a meta command name. A name of
 * two letters starting with `m` that is not one of the six is ERROR, as in memcached.
 */
export function parseMetaLine(t: LineTokens): TextCommand | undefined {
  if (t.length(0) !== 2 || !t.startsWith(0, 'm')) return undefined;
  switch (t.text(0)) {
    case 'mg': return metaGet(t);
    case 'ms': return metaSet(t);
    case 'md': return metaDelete(t);
    case 'ma': return metaArith(t);
    case 'mn': return NOOP;
    case 'me': return metaDebug(t);
    default: return UNKNOWN;
  }
}
