/**
 * The one error a configuration problem becomes: a stable `code` to branch on, the option and the
 * source it concerns, and a message that fits on one line — what a unit's journal shows when the
 * server refuses to start.
 * @module
 */
import type { Origin } from './origin.ts';
import { describeOrigin } from './precedence.ts';

/** What went wrong, as a stable code: branch on this, never on the message. */
export const ConfigErrorCode = {
  /** A value outside its type or range. */
  Invalid: 'KVLAB_CONFIG_INVALID',
  /** A flag, file key or `KVLAB_*` variable that names no option. */
  Unknown: 'KVLAB_CONFIG_UNKNOWN',
  /** A memcached flag, or a value of one, that this server refuses (the message says why). */
  Refused: 'KVLAB_CONFIG_REFUSED',
  /** The config file could not be read or parsed. */
  File: 'KVLAB_CONFIG_FILE',
  /** A flag written wrongly: a missing value, a stray argument. */
  Syntax: 'KVLAB_CONFIG_SYNTAX',
} as const;

/** One of {@link ConfigErrorCode}. */
export type ConfigErrorCode = (typeof ConfigErrorCode)[keyof typeof ConfigErrorCode];

/** A configuration the server must not start with. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly code: ConfigErrorCode,
    /** The option concerned, or the unknown name as it was written. */
    readonly option: string,
    /** Where the problem is: `flag -p`, `env KVLAB_PORT`, `file /etc/kvlab.toml:port`. */
    readonly source: string,
    message: string,
  ) {
    // One line, whatever a parser or a value put into it: journals split on newlines.
    super(message.replace(/\s*\n\s*/g, ' '));
  }
}

/** A value as an error message shows it: strings quoted, the rest as JSON would write them. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}`;
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json.length > 60 ? `${json.slice(0, 59)}…` : json;
}

/** `invalid port from env KVLAB_PORT: "70000" (allowed: an integer from 0 to 65535)`. */
export function invalidValue(option: string, origin: Origin, value: unknown, allowed: string): ConfigError {
  const source = describeOrigin(origin);
  return new ConfigError(ConfigErrorCode.Invalid, option, source, `invalid ${option} from ${source}: ${showValue(value)} (allowed: ${allowed})`);
}
