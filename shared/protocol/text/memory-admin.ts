/**
 * memcached's memory admin commands in the text protocol: `cache_memlimit <mb> [noreply]`,
 * `slabs reassign <src> <dst>`, `slabs automove <0|1|2>` and `lru_crawler <crawl <ids|all> |
 * sleep <n> | tocrawl <n> | enable | disable>`, with memcached 1.6.18's replies word for word.
 * A store without slab classes (phases 1–3) has nothing for them to do, and they are ERROR there.
 * @module
 */
import { After } from '../after.ts';
import type { MemoryAdminApi, MemoryLimitOutcome, ReassignOutcome, Store } from '../../store/store.ts';
import type { LineTokens } from './text-tokens.ts';
import { Status, type TextReply } from './text-reply.ts';

/** One memory admin command, validated. */
export type MemoryAdminCommand =
  | { readonly kind: 'memory-admin'; readonly name: 'cache_memlimit'; readonly mb: number; readonly noreply: boolean }
  | { readonly kind: 'memory-admin'; readonly name: 'slabs_reassign'; readonly source: number; readonly destination: number }
  | { readonly kind: 'memory-admin'; readonly name: 'slabs_automove'; readonly mode: 0 | 1 | 2 }
  | { readonly kind: 'memory-admin'; readonly name: 'lru_crawl'; readonly classes: readonly number[] | 'all' }
  /** lru_crawler sleep/tocrawl/enable/disable: tuning of a background crawler this server runs inline. */
  | { readonly kind: 'memory-admin'; readonly name: 'lru_tune' }
  /** A line memcached answers with an error: `ERROR`, `CLIENT_ERROR bad command line format`, or a dump refused. */
  | { readonly kind: 'memory-admin'; readonly name: 'refused'; readonly code: 'UNKNOWN_COMMAND' | 'BAD_FORMAT' | 'METADUMP_NOT_ALLOWED' };

const U32_MAX = 0xffff_ffff;
const UNKNOWN: MemoryAdminCommand = Object.freeze({ kind: 'memory-admin', name: 'refused', code: 'UNKNOWN_COMMAND' });
const BAD_FORMAT: MemoryAdminCommand = Object.freeze({ kind: 'memory-admin', name: 'refused', code: 'BAD_FORMAT' });
const NO_DUMP: MemoryAdminCommand = Object.freeze({ kind: 'memory-admin', name: 'refused', code: 'METADUMP_NOT_ALLOWED' });
const TUNE: MemoryAdminCommand = Object.freeze({ kind: 'memory-admin', name: 'lru_tune' });
/** A crawl that names no class: memcached answers BADCLASS for an id it cannot read, too. */
const NO_CLASS: MemoryAdminCommand = Object.freeze({ kind: 'memory-admin', name: 'lru_crawl', classes: [0] });
/** A class id list: `1,2,3`. */
const ID_LIST = /^\d+(,\d+)*$/;

/** Reads a memory admin line, or undefined when the line is not one. */
export function parseMemoryAdminLine(t: LineTokens): MemoryAdminCommand | undefined {
  switch (t.text(0)) {
    case 'cache_memlimit': {
      if (t.count !== 2 && t.count !== 3) return UNKNOWN;
      // memcached reads the number with strtoul: anything else is ERROR; a third word is ignored.
      const mb = t.unsigned(1, Number.MAX_SAFE_INTEGER);
      if (mb < 0) return UNKNOWN;
      return { kind: 'memory-admin', name: 'cache_memlimit', mb, noreply: t.is(t.count - 1, 'noreply') };
    }
    case 'slabs': {
      if (t.count === 4 && t.is(1, 'reassign')) {
        const source = t.signed(2);
        const destination = t.signed(3);
        if (Number.isNaN(source) || Number.isNaN(destination)) return BAD_FORMAT;
        return { kind: 'memory-admin', name: 'slabs_reassign', source, destination };
      }
      if (t.count === 3 && t.is(1, 'automove')) {
        // A number other than 0, 1 or 2 is ERROR; what is not a number, a format error.
        const mode = t.unsigned(2, Number.MAX_SAFE_INTEGER);
        if (mode < 0) return BAD_FORMAT;
        return mode > 2 ? UNKNOWN : { kind: 'memory-admin', name: 'slabs_automove', mode: mode as 0 | 1 | 2 };
      }
      return UNKNOWN;
    }
    case 'lru_crawler': {
      if (t.count === 3 && t.is(1, 'crawl')) {
        if (t.is(2, 'all')) return { kind: 'memory-admin', name: 'lru_crawl', classes: 'all' };
        const list = t.text(2);
        return ID_LIST.test(list) ? { kind: 'memory-admin', name: 'lru_crawl', classes: list.split(',').map(Number) } : NO_CLASS;
      }
      // The item dumps need dump_enabled, which is no here (as memcached's -X).
      if (t.count === 3 && t.is(1, 'metadump')) return NO_DUMP;
      if (t.count === 3 && (t.is(1, 'sleep') || t.is(1, 'tocrawl'))) return t.unsigned(2, U32_MAX) < 0 ? BAD_FORMAT : TUNE;
      if (t.count === 2 && (t.is(1, 'enable') || t.is(1, 'disable'))) return TUNE;
      return UNKNOWN;
    }
    default:
      return undefined;
  }
}

const LIMIT_REPLIES: Record<MemoryLimitOutcome, Buffer> = {
  OK: Status.OK,
  TOO_SMALL: Buffer.from('MEMLIMIT_TOO_SMALL cannot set maxbytes to less than 8m\r\n'),
  NOT_BYTES: Buffer.from('MEMLIMIT_ADJUST_FAILED input value is megabytes not bytes\r\n'),
  ADJUST_FAILED: Buffer.from('MEMLIMIT_ADJUST_FAILED out of bounds or unable to adjust\r\n'),
};

const REASSIGN_REPLIES: Record<ReassignOutcome, Buffer> = {
  OK: Status.OK,
  BUSY: Buffer.from('BUSY currently processing reassign request\r\n'),
  BADCLASS: Buffer.from('BADCLASS invalid src or dst class id\r\n'),
  NOSPARE: Buffer.from('NOSPARE source class has no spare pages\r\n'),
  SAME: Buffer.from('SAME src and dst class are identical\r\n'),
};

const CRAWL_BADCLASS = Buffer.from('BADCLASS invalid class id\r\n');

/** Runs a memory admin command against the store's admin and appends memcached's reply. */
export function executeMemoryAdmin(command: MemoryAdminCommand, store: Store, out: TextReply): After {
  const admin: MemoryAdminApi | undefined = store.admin;
  if (command.name === 'refused' || admin === undefined) {
    out.error(command.name === 'refused' ? command.code : 'UNKNOWN_COMMAND');
    return After.Continue;
  }
  switch (command.name) {
    case 'cache_memlimit': {
      const outcome = admin.setMemoryLimit(command.mb);
      if (!command.noreply) out.status(LIMIT_REPLIES[outcome]);
      break;
    }
    case 'slabs_reassign':
      out.status(REASSIGN_REPLIES[admin.reassign(command.source, command.destination)]);
      break;
    case 'slabs_automove':
      admin.setAutomove(command.mode);
      out.status(Status.OK);
      break;
    case 'lru_crawl':
      out.status(admin.crawl(command.classes) ? Status.OK : CRAWL_BADCLASS);
      break;
    case 'lru_tune':
      out.status(Status.OK);
      break;
  }
  return After.Continue;
}
