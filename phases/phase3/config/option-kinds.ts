/**
 * The kinds of value an option can hold, each with its schema (zod), the words an error uses for
 * what is allowed, and how `--print-config` writes it back. Every source hands values over as they
 * come — flags and environment variables as text, the TOML file as numbers, booleans or text — so
 * each schema accepts both and yields one type.
 * @module
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { parseSize } from '../../../shared/runtime/cli.ts';
import type { SourceKind } from './origin.ts';

/** A value `--print-config` writes: TOML's string, integer or boolean. */
export type Shown = string | number | boolean;

/** Everything the configuration knows about one option. */
export interface OptionDefinition<T> {
  /** Turns what a source gave (text, number, boolean) into the value, or fails. */
  readonly schema: z.ZodType<T>;
  readonly default: T;
  readonly description: string;
  /** What is allowed, for errors and `--help`: `an integer from 0 to 65535`. */
  readonly allowed: string;
  /** The value placeholder in `--help` (`<n>`, `<size>`); absent for a flag that takes none. */
  readonly placeholder?: string;
  /** True when a running server applies a new value on SIGHUP; the others need a restart. */
  readonly live?: boolean;
  /** The sources that may set it; every source when absent. */
  readonly sources?: readonly SourceKind[];
  /** The value as `--print-config` writes it (method syntax: a table mixes option types). */
  show(value: T): Shown;
}

/** Any option's definition, as tables hold them. */
export type AnyDefinition = OptionDefinition<unknown>;

/** What every kind below takes: the parts of a definition that are not about the kind. */
export interface KindOptions<T> {
  readonly default: T;
  readonly description: string;
  readonly live?: boolean;
  readonly sources?: readonly SourceKind[];
}

/** Decimal text of a whole number, as flags and variables carry it (`+5`, `007` and `-1` included, so a range check can name them). */
const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;

/** A number, or text that reads as a whole number. */
function wholeNumber(): z.ZodType<number> {
  return z.union([z.number(), z.string().regex(INTEGER_TEXT).transform(Number)]);
}

/** A whole number in `[min, max]`. */
export function integer(min: number, max: number, options: KindOptions<number>): OptionDefinition<number> {
  return {
    ...options,
    schema: wholeNumber().pipe(z.number().int().min(min).max(max)),
    allowed: `an integer from ${min} to ${max}`,
    placeholder: '<n>',
    show: (value) => value,
  };
}

/** A size in bytes: a number, or `512k`, `64m`, `1g` (parseSize's units: powers of 1024). */
export function size(min: number, max: number, options: KindOptions<number>): OptionDefinition<number> {
  const text = z.string().transform((value, ctx) => {
    const bytes = parseSize(value);
    if (Number.isNaN(bytes)) ctx.addIssue({ code: 'custom', message: 'not a size' });
    return bytes;
  });
  return {
    ...options,
    schema: z.union([z.number(), text]).pipe(z.number().int().min(min).max(max)),
    allowed: `a size from ${formatSize(min)} to ${formatSize(max)}, in bytes or with k, m or g`,
    placeholder: '<size>',
    show: formatSize,
  };
}

/** `1m` for 1048576, `1536` for 1536: the largest unit that divides the size exactly. */
export function formatSize(bytes: number): string | number {
  for (const [unit, scale] of [['g', 1024 ** 3], ['m', 1024 ** 2], ['k', 1024]] as const) {
    if (bytes >= scale && bytes % scale === 0) return `${bytes / scale}${unit}`;
  }
  return bytes;
}

/** true or false; text `true`, `false`, `1` or `0` too, as environment variables write them. */
export function boolean(options: KindOptions<boolean>): OptionDefinition<boolean> {
  const text = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');
  return { ...options, schema: z.union([z.boolean(), text]), allowed: 'true or false (or 1 or 0)', show: (value) => value };
}

/** One of a fixed set of words. */
export function oneOf<const W extends readonly [string, ...string[]]>(words: W, options: KindOptions<W[number]>): OptionDefinition<W[number]> {
  return {
    ...options,
    schema: z.enum(words),
    allowed: words.join(', '),
    placeholder: '<word>',
    show: (value) => value,
  };
}

/** A host name (RFC 1123 labels) or an IPv4 or IPv6 address. */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** An address to listen on. */
export function host(options: KindOptions<string>): OptionDefinition<string> {
  return {
    ...options,
    schema: z.string().refine((value) => isIP(value) !== 0 || HOST_NAME.test(value)),
    allowed: 'one IPv4 or IPv6 address or host name',
    placeholder: '<address>',
    show: (value) => value,
  };
}

/** A port that can be switched off: `off` (the default, null) or 0 … 65535 (0 = any free port). */
export function optionalPort(options: KindOptions<number | null>): OptionDefinition<number | null> {
  const port = wholeNumber().pipe(z.number().int().min(0).max(65535));
  return {
    ...options,
    schema: z.union([z.literal('off').transform(() => null), z.null(), port]),
    allowed: 'off, or a port from 0 to 65535 (0 = any free port)',
    placeholder: '<port>',
    show: (value) => value ?? 'off',
  };
}

/** Octal permission digits, as memcached's `-a` and chmod write them: `700`, `0660`. */
const OCTAL_MODE = /^\s*0?[0-7]{1,3}\s*$/;

/**
 * A file mode: octal digits as text (`700`, as memcached's `-a` and chmod take it), or a number
 * (a TOML file writes it `0o700`).
 */
export function octalMode(options: KindOptions<number>): OptionDefinition<number> {
  return {
    ...options,
    schema: z.union([
      z.string().regex(OCTAL_MODE).transform((value) => Number.parseInt(value, 8)),
      z.number().int().min(0).max(0o777),
    ]),
    allowed: 'octal permission digits, as in 700 or 0660 (0o700 in a TOML file)',
    placeholder: '<mode>',
    show: (value) => value.toString(8),
  };
}

/** A file system path, or none (null, written `""` to clear it). */
export function optionalPath(options: KindOptions<string | null>): OptionDefinition<string | null> {
  return {
    ...options,
    schema: z.union([z.null(), z.literal('').transform(() => null), z.string().refine((value) => !value.includes('\0'))]),
    allowed: 'a file path, or "" for none',
    placeholder: '<path>',
    show: (value) => value ?? '',
  };
}
