/**
 * The config file as a source: TOML, one `key = value` per option, the keys spelt as the long
 * flags are (`memory-mb = 128`, `max-item-size = "1m"`).
 *
 * Why TOML (smol-toml) rather than YAML: the options are a flat list of scalars, which TOML writes
 * with nothing to learn; its types are explicit (`"11211"` is text, `11211` a number, and a bare
 * `no` is an error, where YAML 1.1 parsers read it as false); and smol-toml is small, has no dependencies, and reports the line
 * and column of a syntax error.
 * @module
 */
import { parse, TomlError } from 'smol-toml';
import { ConfigError, ConfigErrorCode } from './config-error.ts';
import type { OptionTable } from './phase3-options.ts';
import type { Given } from './origin.ts';
import { didYouMean } from './suggest.ts';

/** The values a config file sets; throws on a syntax error, a table, or a key that names no option. */
export function readConfigFile(path: string, text: string, options: OptionTable): Given[] {
  let document: Record<string, unknown>;
  try {
    document = parse(text);
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    // smol-toml's message carries the offending lines after its first line; the position says enough.
    const reason = error.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
    throw new ConfigError(ConfigErrorCode.File, 'config', `file ${path}`, `config file ${path}: line ${error.line}, column ${error.column}: ${reason}`);
  }
  const keys = Object.keys(options).filter((key) => options[key]!.sources?.includes('file') ?? true);
  const given: Given[] = [];
  for (const [key, value] of Object.entries(document)) {
    const source = `file ${path}:${key}`;
    if (!keys.includes(key)) {
      if (key in options) throw new ConfigError(ConfigErrorCode.Refused, key, source, `${key} refused in config file ${path}: it can only be given as --${key}`);
      throw new ConfigError(ConfigErrorCode.Unknown, key, source, `unknown key ${key} in config file ${path}${didYouMean(key, keys)}`);
    }
    given.push({ option: key, value, origin: { kind: 'file', path, key } });
  }
  return given;
}
