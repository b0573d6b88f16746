/**
 * `--print-config`: every effective value and where it came from, written as a TOML config file
 * (the origin as a comment), so an operator can read it, or save it and start from it. Options a
 * file may not set are written commented out.
 * @module
 */
import type { ConfigResult } from './load-config.ts';
import type { OptionTable } from './phase3-options.ts';
import { describeOrigin } from './precedence.ts';

/** One value in TOML: text quoted (JSON's escapes are TOML's too), numbers and booleans bare. */
function tomlValue(value: string | number | boolean): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** The text `--print-config` prints: one `key = value  # origin` line per option. */
export function formatConfig<T extends OptionTable>(result: ConfigResult<T>): string {
  const rows = Object.entries(result.spec.options).map(([name, definition]) => {
    const inFile = definition.sources?.includes('file') ?? true;
    const assignment = `${inFile ? '' : '# '}${name} = ${tomlValue(definition.show(result.options[name]))}`;
    const origin = result.origins[name];
    return { assignment, comment: `${origin === undefined ? 'default' : describeOrigin(origin)}${inFile ? '' : ' (not a file key)'}` };
  });
  const width = Math.max(...rows.map((row) => row.assignment.length)) + 2;
  const lines = rows.map((row) => `${row.assignment.padEnd(width)}# ${row.comment}`);
  return ['# effective configuration: each value, then where it came from', ...lines].join('\n') + '\n';
}
