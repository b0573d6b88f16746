/**
 * Exercise (phase 3) — configuration precedence, with origins. A production server takes each option
 * from a flag, an environment variable, its config file or its default; merge them so the most
 * specific source wins, and remember where every value came from. Stands in for
 * phases/phase3/config/precedence.ts: same exports, same behaviour.
 * @module
 */
import { todo } from '../../shared/course/todo.ts';
import type { Given, Merged, Origin } from '../../phases/phase3/config/origin.ts';

/**
 * An origin as messages write it: `default`, `file /etc/kvlab.toml:port`, `env KVLAB_PORT`,
 * `flag -p`.
 *
 * TODO: one case per `origin.kind`. Why: an error that says *where* a bad value was set —
 * `invalid port from env KVLAB_PORT` — is fixed in a minute; one that only says "invalid port"
 * sends the operator through every file and unit that could have set it.
 */
export function describeOrigin(origin: Origin): string {
  return todo('describeOrigin', origin);
}

/**
 * Merges the values the sources gave over the defaults, keeping each winner's origin.
 *
 * TODO: start from a copy of `defaults`, every option with origin `{ kind: 'default' }`. Then for
 * each entry of `given`, take its value when its source is at least as strong as the one that
 * set the option so far — strength is the place of `origin.kind` in PRECEDENCE (import it from
 * origin.ts, as the types above are).
 * Why "at least as strong": the entries arrive in any order, so a file value seen after a flag
 * must lose, while a flag given twice (`-p 1 -p 2`) must end at the later one, as getopt does.
 */
export function mergeSources(defaults: Readonly<Record<string, unknown>>, given: readonly Given[]): Merged {
  return todo('mergeSources', defaults, given);
}
