/**
 * The environment as a source: `KVLAB_<NAME>` for each option, the name upper-cased with dashes
 * as underscores (`KVLAB_MEMORY_MB`). Any other `KVLAB_*` variable is refused, so that a typo in a
 * unit's `Environment=` line stops the server instead of being silently ignored — except the
 * variables the project's own tools read, which a server started by those tools inherits.
 * @module
 */
import { ConfigError, ConfigErrorCode } from './config-error.ts';
import type { OptionTable } from './phase3-options.ts';
import type { Given } from './origin.ts';
import { didYouMean } from './suggest.ts';

/** The prefix of every variable that sets an option. */
export const ENV_PREFIX = 'KVLAB_';

/**
 * Variables of the course, the test runner, the conformance suite and the fuzzer: they are not
 * server options, and the servers those tools start see them.
 */
export const TOOL_VARIABLE_PREFIXES: readonly string[] = [
  'KVLAB_COURSE_', 'KVLAB_CONFORMANCE_', 'KVLAB_FUZZ_', 'KVLAB_TEST_', 'KVLAB_PROGRESS_', 'KVLAB_BENCH_',
];

/** `memory-mb` → `KVLAB_MEMORY_MB`. */
export function envName(option: string): string {
  return ENV_PREFIX + option.toUpperCase().replace(/-/g, '_');
}

/** The values `env` sets; throws on a `KVLAB_*` variable that names no option the environment may set. */
export function readEnv(env: Readonly<Record<string, string | undefined>>, options: OptionTable): Given[] {
  const allowed = new Map<string, string>();
  for (const [option, definition] of Object.entries(options)) {
    if (definition.sources?.includes('env') ?? true) allowed.set(envName(option), option);
  }
  const given: Given[] = [];
  // Sorted: the first error is then the same whatever order the process's environment has.
  for (const variable of Object.keys(env).sort()) {
    const value = env[variable];
    if (!variable.startsWith(ENV_PREFIX) || value === undefined) continue;
    if (TOOL_VARIABLE_PREFIXES.some((prefix) => variable.startsWith(prefix))) continue;
    const option = allowed.get(variable);
    if (option === undefined) {
      const name = variable.slice(ENV_PREFIX.length).toLowerCase().replace(/_/g, '-');
      if (name in options) {
        throw new ConfigError(ConfigErrorCode.Refused, name, `env ${variable}`, `${variable} refused: ${name} can only be given as --${name}`);
      }
      throw new ConfigError(ConfigErrorCode.Unknown, variable, `env ${variable}`, `unknown variable ${variable}${didYouMean(variable, [...allowed.keys()])}`);
    }
    given.push({ option, value, origin: { kind: 'env', variable } });
  }
  return given;
}
