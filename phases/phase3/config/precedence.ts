/**
 * Which source's value wins, and a record of where each effective value came from. Every option
 * can be set by a flag, an environment variable, the config file or its default; the most specific
 * source wins (flag > env > file > default), and the winner's origin is kept so that an error and
 * `--print-config` can say *where* a value was set — the question an operator asks first.
 * @module
 */

/** Where a value came from. */
export type Origin =
  | { readonly kind: 'default' }
  | { readonly kind: 'file'; readonly path: string; readonly key: string }
  | { readonly kind: 'env'; readonly variable: string }
  | { readonly kind: 'flag'; readonly flag: string };

/** The kinds of source, from the weakest to the strongest: a later kind overrides an earlier one. */
export const PRECEDENCE = ['default', 'file', 'env', 'flag'] as const;

/** One of {@link PRECEDENCE}. */
export type SourceKind = (typeof PRECEDENCE)[number];

/** One value one source gave for one option, before validation (a flag's text, a file's number…). */
export interface Given {
  readonly option: string;
  readonly value: unknown;
  readonly origin: Origin;
}

/** The winning value of every option, and where each came from. */
export interface Merged {
  readonly values: Record<string, unknown>;
  readonly origins: Record<string, Origin>;
}

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
