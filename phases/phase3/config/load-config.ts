/**
 * Loads a phase's configuration: reads the flags, the `KVLAB_*` environment and the TOML file
 * (`--config` or `KVLAB_CONFIG`), merges them (flag > env > file > default), and validates the
 * effective values with one zod schema built from the option table. A problem becomes one
 * {@link ConfigError} naming the option, its source, the value and what is allowed. Only the
 * effective value of an option is validated: a bad one that a stronger source overrides is moot.
 * @module
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, ConfigErrorCode, invalidValue } from './config-error.ts';
import { PHASE3_CONFIG, type ConfigSpec } from './config-spec.ts';
import { readEnv } from './env-source.ts';
import { readConfigFile } from './file-source.ts';
import { readFlags } from './flag-source.ts';
import type { ConfigValues, OptionTable, PHASE3_OPTIONS } from './phase3-options.ts';
import type { Given, Origin } from './origin.ts';
import { mergeSources } from './precedence.ts';

/** Where the configuration is read from; everything a test needs to fake. */
export interface ConfigInput {
  /** The command line after the script name (`process.argv.slice(2)`). */
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads the config file (default: `readFileSync(path, 'utf8')`). */
  readonly readFile?: (path: string) => string;
  /** Whether the process runs as root, which decides memcached's `-u` (default: its uid is 0). */
  readonly isRoot?: boolean;
}

/** A loaded configuration. */
export interface ConfigResult<T extends OptionTable = typeof PHASE3_OPTIONS> {
  readonly options: ConfigValues<T>;
  /** Where each effective value came from. */
  readonly origins: Readonly<Record<keyof T & string, Origin>>;
  /** Flags accepted but ignored, each with why: for the log once the logger exists. */
  readonly warnings: readonly string[];
  /** `-h` or `--help` was given. */
  readonly help: boolean;
  /** The command line it was read from: a reload reads it again with the new file and environment. */
  readonly argv: readonly string[];
  readonly spec: ConfigSpec<T>;
}

/** The zod object schema of a whole table, with its cross-option checks. */
function tableSchema<T extends OptionTable>(spec: ConfigSpec<T>): z.ZodType<ConfigValues<T>> {
  const shape = Object.fromEntries(Object.entries(spec.options).map(([name, definition]) => [name, definition.schema]));
  const schema = z.object(shape).superRefine((values, ctx) => {
    for (const check of spec.checks) {
      // Every key of the shape is present and typed by its definition, as ConfigValues says.
      const allowed = check.problem(values as ConfigValues<T>);
      if (allowed !== undefined) ctx.addIssue({ code: 'custom', path: [check.option], message: allowed, params: { crossCheck: true } });
    }
  });
  // z.object over a shape built at run time cannot carry the table's types; ConfigValues does.
  return schema as unknown as z.ZodType<ConfigValues<T>>;
}

/** The config file's path, if the flags or the environment name one (validated like any value). */
function configPath(options: OptionTable, given: readonly Given[]): string | null {
  const definition = options.config;
  if (definition === undefined) return null;
  const merged = mergeSources({ config: definition.default }, given.filter((entry) => entry.option === 'config'));
  const parsed = definition.schema.safeParse(merged.values.config);
  if (!parsed.success) throw invalidValue('config', merged.origins.config!, merged.values.config, definition.allowed);
  return typeof parsed.data === 'string' ? parsed.data : null;
}

/** Loads phase 3's configuration, or the one `spec` describes. Throws {@link ConfigError}. */
export function loadConfig(input: ConfigInput): ConfigResult;
export function loadConfig<T extends OptionTable>(input: ConfigInput, spec: ConfigSpec<T>): ConfigResult<T>;
export function loadConfig<T extends OptionTable>(input: ConfigInput, spec: ConfigSpec<T> = PHASE3_CONFIG as unknown as ConfigSpec<T>): ConfigResult<T> {
  const isRoot = input.isRoot ?? process.getuid?.() === 0;
  const flags = readFlags(input.argv, spec.options, spec.shortFlags, isRoot);
  const env = readEnv(input.env, spec.options);
  const path = configPath(spec.options, [...env, ...flags.given]);
  let file: Given[] = [];
  if (path !== null) {
    let text: string;
    try {
      text = (input.readFile ?? ((p: string) => readFileSync(p, 'utf8')))(path);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new ConfigError(ConfigErrorCode.File, 'config', `file ${path}`, `config file ${path} cannot be read: ${reason}`);
    }
    file = readConfigFile(path, text, spec.options);
  }
  const defaults = Object.fromEntries(Object.entries(spec.options).map(([name, definition]) => [name, definition.default]));
  const merged = mergeSources(defaults, [...file, ...env, ...flags.given]);
  const parsed = tableSchema(spec).safeParse(merged.values);
  if (!parsed.success) {
    // The first problem is reported: one line, and fixing it is the operator's next step anyway.
    const issue = parsed.error.issues[0]!;
    const option = String(issue.path[0]);
    const definition = spec.options[option];
    const origin = merged.origins[option];
    if (definition === undefined || origin === undefined) throw new Error(`config schema reported ${option}, which is no option`);
    const crossCheck = issue.code === 'custom' && (issue.params as { crossCheck?: boolean } | undefined)?.crossCheck === true;
    throw invalidValue(option, origin, merged.values[option], crossCheck ? issue.message : definition.allowed);
  }
  // mergeSources gave every option of the table an origin: its defaults name them all.
  const origins = merged.origins as Record<keyof T & string, Origin>;
  return { options: parsed.data, origins, warnings: flags.warnings, help: flags.help, argv: [...input.argv], spec };
}

