/**
 * The words of precedence: the kinds of source, strongest last, where a value came from, and what
 * a source hands over before validation. precedence.ts merges them; its exercise stub imports them
 * from here too.
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
