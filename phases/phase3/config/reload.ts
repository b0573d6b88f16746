/**
 * SIGHUP's reload: read the environment and the config file again (with the same command line,
 * which outranks them), and apply what a running server can change live. The others are reported
 * as needing a restart and keep their running value, so what the result says is in effect is.
 * A running process's environment does not change, so in practice a reload picks up the file.
 * @module
 */
import { loadConfig, type ConfigInput, type ConfigResult } from './load-config.ts';
import type { OptionTable } from './phase3-options.ts';
import type { Origin } from './origin.ts';
import { describeOrigin } from './precedence.ts';

/** One option whose value the sources now give differently. */
export interface Change {
  readonly option: string;
  readonly from: unknown;
  readonly to: unknown;
  /** Where the new value comes from. */
  readonly origin: Origin;
}

/** The configuration after a reload, and what the reload changed. */
export interface ReloadResult<T extends OptionTable> extends ConfigResult<T> {
  /** Live options whose new value is now in effect (`options` holds it). */
  readonly changed: readonly Change[];
  /** Options that changed in the sources but keep their running value until a restart. */
  readonly needsRestart: readonly Change[];
}

/** Same value: numbers, text, booleans and null compare with ===. */
function same(a: unknown, b: unknown): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/**
 * Reads the sources again against `previous`'s command line. Throws ConfigError when they are now
 * invalid: the caller logs it and keeps `previous`, all of which stays in effect.
 */
export function reloadConfig<T extends OptionTable>(
  previous: ConfigResult<T>,
  input: Pick<ConfigInput, 'env' | 'readFile' | 'isRoot'>,
): ReloadResult<T> {
  const fresh = loadConfig({ ...input, argv: previous.argv }, previous.spec);
  const options = { ...previous.options };
  const origins: Record<string, Origin> = { ...previous.origins };
  const changed: Change[] = [];
  const needsRestart: Change[] = [];
  for (const [option, definition] of Object.entries(previous.spec.options)) {
    const from: unknown = previous.options[option];
    const to: unknown = fresh.options[option];
    if (same(from, to)) continue;
    const change = { option, from, to, origin: fresh.origins[option] as Origin };
    if (definition.live === true) {
      (options as Record<string, unknown>)[option] = to;
      origins[option] = change.origin;
      changed.push(change);
    } else {
      needsRestart.push(change);
    }
  }
  return { ...fresh, options, origins: origins as ConfigResult<T>['origins'], changed, needsRestart };
}

/** The log line of a reload: `log-level info → debug (file /etc/kvlab.toml:log-level); needs a restart: port 11211 → 11300`. */
export function formatReload<T extends OptionTable>(result: ReloadResult<T>): string {
  const show = (change: Change) => `${change.option} ${JSON.stringify(change.from)} → ${JSON.stringify(change.to)} (${describeOrigin(change.origin)})`;
  const parts = [result.changed.length === 0 ? 'nothing changed live' : `changed: ${result.changed.map(show).join(', ')}`];
  if (result.needsRestart.length > 0) parts.push(`needs a restart: ${result.needsRestart.map(show).join(', ')}`);
  return `configuration reloaded; ${parts.join('; ')}`;
}
