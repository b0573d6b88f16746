/**
 * memcached's `-o key[=value],key[=value],…`: one flag carrying many settings
 * (`-o idle_timeout=60,ssl_chain_cert=/etc/kvlab/cert.pem`). Each key is looked up in a table that
 * the phase's parts contribute to; a key with no counterpart is refused by name, so a unit file
 * written for memcached never starts a server that silently ignores part of it.
 * @module
 */
import type { FlagOutcome, ShortFlag } from '../../phase3/config/memcached-flags.ts';

/** What one key does; `value` is undefined for a bare key (`-o modern`). */
export type ExtendedOption = (value: string | undefined) => FlagOutcome;

/** The keys of `-o`, by memcached's name. */
export type ExtendedOptionTable = Readonly<Record<string, ExtendedOption>>;

/** A key that sets `option` to its value (a bare key is refused: it needs one). */
export function setsOption(option: string): ExtendedOption {
  return (value) => value === undefined
    ? { refuse: `needs a value, as in ${option.replaceAll('-', '_')}=VALUE` }
    : { set: option, value };
}

/** A key whose meaning is already the case here. */
export const alreadySo: ExtendedOption = () => ({ accept: true });

/** The `-o` flag over `table`. */
export function extendedOptionsFlag(table: ExtendedOptionTable): ShortFlag {
  const known = Object.keys(table).sort();
  return {
    takes: 'value',
    about: `memcached's extended options: ${known.length === 0 ? 'none here' : known.join(', ')}`,
    apply(value) {
      const each: FlagOutcome[] = [];
      for (const item of value.split(',')) {
        if (item.trim() === '') continue;
        const equals = item.indexOf('=');
        const key = (equals === -1 ? item : item.slice(0, equals)).trim();
        const setting = Object.hasOwn(table, key) ? table[key] : undefined;
        if (setting === undefined) {
          return { refuse: `-o ${key} has no counterpart here${known.length === 0 ? '' : ` (known: ${known.join(', ')})`}` };
        }
        const outcome = setting(equals === -1 ? undefined : item.slice(equals + 1));
        if ('refuse' in outcome) return { refuse: `-o ${key}: ${outcome.refuse}` };
        each.push(outcome);
      }
      return { each };
    },
  };
}
