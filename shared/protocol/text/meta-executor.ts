/**
 * Executes the meta commands against a {@link Store} and writes memcached 1.6.18's replies: a
 * two-letter code (HD, VA, EN, NS, EX, NF, MN, ME), then the flags the request asked to see, in
 * the request's order, then memcached's own Z, X and W markers. Reply lines are built as text and
 * encoded once; meta commands are not the classic hot path, and a line holds at most a key, an
 * opaque and a few numbers.
 * @module
 */
import { itemTotalSize } from '../limits.ts';
import { After } from '../after.ts';
import { ArithResult, DeleteResult, StoreMode, StoreResult, type Store } from '../../store/store.ts';
import { encodeBase64Key } from './meta-base64.ts';
import type {
  MetaArithCommand, MetaCommand, MetaDebugCommand, MetaDeleteCommand, MetaGetCommand, MetaSetCommand,
} from './meta-command.ts';
import type { TextReply } from './text-reply.ts';
import type { ServerInfo } from '../server-info.ts';
import { countRefusal } from '../stats/count-refusal.ts';

const MN = Buffer.from('MN\r\n', 'latin1');
const EN = Buffer.from('EN\r\n', 'latin1');
const HD = Buffer.from('HD\r\n', 'latin1');
const CRLF = Buffer.from('\r\n', 'latin1');
/** memcached charges 4 more bytes for an item with non-zero client flags (its "suffix"). */
const FLAGS_SUFFIX_BYTES = 4;

/** Runs one meta command and appends its reply (nothing for a quiet nominal answer). */
export function executeMeta(command: MetaCommand, store: Store, out: TextReply, server: ServerInfo): After {
  switch (command.name) {
    case 'mn': out.status(MN); break;
    case 'me': debug(command, store, out); break;
    case 'mg': get(command, store, out); break;
    case 'ms': set(command, store, out, server); break;
    case 'md': del(command, store, out); break;
    case 'ma': arith(command, store, out); break;
  }
  return After.Continue;
}

function line(text: string): Buffer {
  return Buffer.from(`${text}\r\n`, 'latin1');
}

/** ` k<key>`: the key as sent, or base64 followed by ` b` for a binary key. */
function keyFlag(key: string, binary: boolean): string {
  return binary ? ` k${encodeBase64Key(key)} b` : ` k${key}`;
}

/** The O and k flags, which every code echoes, in request order. */
function echoFlags(command: { order: string; opaque: string; key: string }, binaryKey: boolean): string {
  let flags = '';
  for (const letter of command.order) {
    if (letter === 'O') flags += ` ${command.opaque}`;
    else if (letter === 'k') flags += keyFlag(command.key, binaryKey);
  }
  return flags;
}

/**
 * Which TTL `t` reports: memcached applies T (and N on a created item) at their place in the
 * line, so a `t` before them sees the TTL as it was, and one after sees the new one.
 */
function ttlAfterChange(order: string, created: boolean): boolean {
  const t = order.indexOf('t');
  const touch = order.indexOf('T');
  const vivify = created ? order.indexOf('N') : -1;
  return (touch >= 0 && touch < t) || (vivify >= 0 && vivify < t);
}

function get(command: MetaGetCommand, store: Store, out: TextReply): void {
  const result = store.metaGet(command.key, {
    withValue: command.value, noBump: command.noBump, touch: command.touch, vivify: command.vivify,
    recache: command.recache, explicitCas: command.explicitCas,
  });
  if (result === undefined) {
    if (command.quiet) return;
    const echo = echoFlags(command, command.binaryKey);
    out.status(echo === '' ? EN : line(`EN${echo}`));
    return;
  }
  const { item } = result;
  let text = command.value ? `VA ${result.valueLength}` : 'HD';
  for (const letter of command.order) {
    switch (letter) {
      case 's': text += ` s${result.valueLength}`; break;
      case 't': text += ` t${ttlAfterChange(command.order, result.created) ? result.ttl : result.ttlBefore}`; break;
      case 'c': text += ` c${item.cas}`; break;
      case 'f': text += ` f${item.flags}`; break;
      case 'l': text += ` l${result.idleSeconds}`; break;
      case 'h': text += result.fetchedBefore ? ' h1' : ' h0'; break;
      case 'O': text += ` ${command.opaque}`; break;
      // A hit echoes the key as it was stored: base64 when an ms stored it with b.
      case 'k': text += keyFlag(item.key, result.binaryKey); break;
    }
  }
  if (result.tokenSent) text += ' Z';
  if (result.stale) text += ' X';
  if (result.won) text += ' W';
  out.status(line(text));
  if (command.value) {
    out.raw(item.value);
    out.status(CRLF);
  }
}

function set(command: MetaSetCommand, store: Store, out: TextReply, server: ServerInfo): void {
  if (command.refused !== undefined) {
    out.error(command.refused);
    return;
  }
  if (command.tooLarge) {
    // memcached drops the old value of a too-large ms in every mode, not only in set mode.
    store.refuseTooLarge(StoreMode.Set, command.key);
    server.count('store_too_large');
    out.error('TOO_LARGE');
    return;
  }
  const { result, cas } = store.store(command.mode, command.key, command.flags, command.exptime, command.data, command.compareCas, {
    invalidate: command.invalidate, explicitCas: command.explicitCas, binaryKey: command.binaryKey,
  });
  countRefusal(result, server);
  let code: string;
  switch (result) {
    case StoreResult.Stored:
      if (command.quiet) return;
      code = 'HD';
      break;
    case StoreResult.NotStored: code = 'NS'; break;
    case StoreResult.Exists: code = 'EX'; break;
    case StoreResult.NotFound: code = 'NF'; break;
    case StoreResult.TooLarge: out.error('TOO_LARGE'); return;
    case StoreResult.NoMemory: out.error('NO_MEMORY'); return;
  }
  let text = code;
  for (const letter of command.order) {
    if (letter === 'O') text += ` ${command.opaque}`;
    else if (letter === 'k') text += keyFlag(command.key, command.binaryKey);
    // memcached answers c0 when nothing was stored.
    else if (letter === 'c') text += ` c${cas}`;
  }
  out.status(text === 'HD' ? HD : line(text));
}

function del(command: MetaDeleteCommand, store: Store, out: TextReply): void {
  const result = store.metaDelete(command.key, {
    compareCas: command.compareCas, invalidate: command.invalidate, touch: command.touch, explicitCas: command.explicitCas,
  });
  if (result === DeleteResult.Deleted && command.quiet) return;
  const code = result === DeleteResult.Deleted ? 'HD' : result === DeleteResult.NotFound ? 'NF' : 'EX';
  out.status(line(`${code}${echoFlags(command, command.binaryKey)}`));
}

function arith(command: MetaArithCommand, store: Store, out: TextReply): void {
  const outcome = store.metaArith(command.key, {
    incr: command.incr, delta: command.delta, compareCas: command.compareCas, touch: command.touch,
    explicitCas: command.explicitCas,
    create: command.vivify === undefined ? undefined : { initial: command.initial, exptime: command.vivify },
  });
  if (command.afterError !== undefined) {
    out.error(command.afterError);
    return;
  }
  switch (outcome.result) {
    case ArithResult.NonNumeric: out.error('NON_NUMERIC'); return;
    case ArithResult.NoMemory: out.error('META_NO_MEMORY'); return;
    case ArithResult.NotFound: out.status(line(`NF${echoFlags(command, command.binaryKey)}`)); return;
    case ArithResult.Exists: out.status(line(`EX${echoFlags(command, command.binaryKey)}`)); return;
    case ArithResult.Ok: break;
  }
  // q silences a hit only: memcached still answers an ma that created its item (N).
  if (command.quiet && !outcome.created) return;
  const digits = outcome.value.toString();
  let text = command.value ? `VA ${digits.length}` : 'HD';
  for (const letter of command.order) {
    switch (letter) {
      case 'c': text += ` c${outcome.cas}`; break;
      case 't': text += ` t${ttlAfterChange(command.order, outcome.created) ? outcome.ttl : outcome.ttlBefore}`; break;
      case 'O': text += ` ${command.opaque}`; break;
      case 'k': text += keyFlag(command.key, command.binaryKey); break;
    }
  }
  out.status(line(command.value ? `${text}\r\n${digits}` : text));
}

function debug(command: MetaDebugCommand, store: Store, out: TextReply): void {
  const item = store.inspect(command.key);
  if (item === undefined) {
    out.status(EN);
    return;
  }
  const key = item.binaryKey ? encodeBase64Key(command.key) : command.key;
  // memcached prints exp as now − exptime: the remaining TTL with a minus sign, or -1 for never.
  const exp = item.ttl === -1 ? -1 : -item.ttl;
  const size = itemTotalSize(command.key.length, item.valueLength) + (item.flags === 0 ? 0 : FLAGS_SUFFIX_BYTES);
  out.status(line(`ME ${key} exp=${exp} la=${item.idleSeconds} cas=${item.cas} fetch=${item.fetched ? 'yes' : 'no'} cls=${item.sizeClass} size=${size}`));
}
