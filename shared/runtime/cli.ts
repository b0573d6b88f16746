/**
 * Command-line options for every phase: a small typed layer over node:util's parseArgs that
 * validates each number against its range and reads sizes like `64m`. Bad options print the usage
 * and exit with status 2 — a server must not start half-configured.
 * @module
 */
import { parseArgs } from 'node:util';

/** One option a phase accepts. */
export interface OptionSpec {
  readonly type: 'string' | 'integer' | 'size' | 'boolean';
  readonly description: string;
  readonly default: string | number | boolean;
  /** Inclusive range for integers and sizes. */
  readonly min?: number;
  readonly max?: number;
}

/** A command line: option names (without `--`) to their specs. */
export type OptionSpecs = Record<string, OptionSpec>;

/** The parsed value of each spec: numbers for integer/size, strings, booleans. */
export type ParsedOptions<S extends OptionSpecs> = {
  [K in keyof S]: S[K]['type'] extends 'boolean' ? boolean : S[K]['type'] extends 'string' ? string : number;
};

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Reads `1048576`, `1024k`, `1m` or `1g` as bytes; NaN when malformed. */
export function parseSize(text: string): number {
  const match = /^(\d+)([kmg]?)$/i.exec(text.trim());
  if (!match) return NaN;
  return Number(match[1]) * SIZE_UNITS[match[2]!.toLowerCase()]!;
}

/** An option value that failed validation. */
export class OptionError extends Error {
  override readonly name = 'OptionError';
}

/** Parses and validates `argv` against `specs`. Throws {@link OptionError} on any problem. */
export function parseOptions<S extends OptionSpecs>(specs: S, argv: string[]): ParsedOptions<S> {
  const config = Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [name, { type: spec.type === 'boolean' ? 'boolean' : 'string' }]),
  ) as Record<string, { type: 'string' | 'boolean' }>;
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: argv, options: config, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new OptionError((error as Error).message);
  }
  const result: Record<string, string | number | boolean> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const raw = values[name];
    if (raw === undefined) {
      result[name] = spec.default;
      continue;
    }
    if (spec.type === 'boolean' || spec.type === 'string') {
      result[name] = raw;
      continue;
    }
    const text = String(raw);
    const value = spec.type === 'size' ? parseSize(text) : /^-?\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(value)) throw new OptionError(`--${name} must be ${spec.type === 'size' ? 'a size such as 64m' : 'an integer'}, got "${text}"`);
    if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
      throw new OptionError(`--${name} must be between ${spec.min ?? '-∞'} and ${spec.max ?? '∞'}, got ${value}`);
    }
    result[name] = value;
  }
  return result as ParsedOptions<S>;
}

/** The usage text for `specs`. */
export function usage(command: string, specs: OptionSpecs): string {
  const lines = Object.entries(specs).map(([name, spec]) => {
    const value = spec.type === 'boolean' ? '' : ` <${spec.type === 'size' ? 'size' : spec.type === 'integer' ? 'n' : 'value'}>`;
    return `  --${name}${value}`.padEnd(28) + `${spec.description} (default: ${String(spec.default)})`;
  });
  return `usage: ${command} [options]\n${lines.join('\n')}`;
}

/** Parses `process.argv` for a server entry point; on error prints the problem and usage, then exits 2. */
export function parseCommandLine<S extends OptionSpecs>(command: string, specs: S, argv = process.argv.slice(2)): ParsedOptions<S> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage(command, specs));
    process.exit(0);
  }
  try {
    return parseOptions(specs, argv);
  } catch (error) {
    if (!(error instanceof OptionError)) throw error;
    console.error(`${command}: ${error.message}\n${usage(command, specs)}`);
    process.exit(2);
  }
}
