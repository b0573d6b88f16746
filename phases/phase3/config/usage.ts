/**
 * `--help`: every option with its value, default and environment variable, then memcached's
 * flags and what each does here — derived from the tables, so it cannot fall out of date.
 * @module
 */
import { PHASE3_CONFIG, type ConfigSpec } from './config-spec.ts';
import { envName } from './env-source.ts';
import type { OptionTable } from './phase3-options.ts';

/** The help text of `command` (e.g. `npm run phase3 --`). */
export function usage<T extends OptionTable>(command: string, spec: ConfigSpec<T> = PHASE3_CONFIG as unknown as ConfigSpec<T>): string {
  const options = Object.entries(spec.options).map(([name, definition]) => {
    const flag = `  --${name}${definition.placeholder === undefined ? '' : ` ${definition.placeholder}`}`;
    const where = (definition.sources?.includes('env') ?? true) ? `; env ${envName(name)}` : '';
    const shown = String(definition.show(definition.default));
    const live = definition.live === true ? '; reloads on SIGHUP' : '';
    return `${flag.padEnd(32)}${definition.description}\n${' '.repeat(32)}${definition.allowed}; default ${shown === '' ? 'none' : shown}${where}${live}`;
  });
  const letters = Object.entries(spec.shortFlags).map(([letter, flag]) =>
    `  -${letter}${flag.takes === 'value' ? ' <value>' : ''}`.padEnd(16) + flag.about);
  return [
    `usage: ${command} [options]`,
    'Sources, strongest first: flags, KVLAB_* environment variables, the --config TOML file (keys as the long flags), defaults.',
    '',
    ...options,
    '  -h, --help'.padEnd(32) + 'print this help and exit',
    '',
    "memcached's flags:",
    ...letters,
  ].join('\n');
}
