/**
 * Which source's value wins, and a record of where each effective value came from. Every option
 * can be set by a flag, an environment variable, the config file or its default; the most specific
 * source wins (flag > env > file > default), and the winner's origin is kept so that an error and
 * `--print-config` can say *where* a value was set — the question an operator asks first.
 * @module
 */
import { PRECEDENCE, type Given, type Merged, type Origin } from './origin.ts';

/** An origin as messages write it: `default`, `file /etc/kvlab.toml:port`, `env KVLAB_PORT`, `flag -p`. */
export function describeOrigin(origin: Origin): string {
  switch (origin.kind) {
    case 'default': return 'default';
    case 'file': return `file ${origin.path}:${origin.key}`;
    case 'env': return `env ${origin.variable}`;
    case 'flag': return `flag ${origin.flag}`;
  }
}

/**
 * Merges the values the sources gave over the defaults. For each option the value of the strongest
 * source wins whatever the order of `given`; within one source the last one wins (a flag given
 * twice: the later, as getopt does). Options no source gave keep their default, with a `default`
 * origin. `defaults` is not modified.
 */
export function mergeSources(defaults: Readonly<Record<string, unknown>>, given: readonly Given[]): Merged {
  const values: Record<string, unknown> = { ...defaults };
  const origins: Record<string, Origin> = {};
  for (const option of Object.keys(defaults)) origins[option] = { kind: 'default' };
  for (const entry of given) {
    const current = origins[entry.option];
    // `>=`: a later value of the same kind replaces an earlier one.
    if (current === undefined || PRECEDENCE.indexOf(entry.origin.kind) >= PRECEDENCE.indexOf(current.kind)) {
      values[entry.option] = entry.value;
      origins[entry.option] = entry.origin;
    }
  }
  return { values, origins };
}
