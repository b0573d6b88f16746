/**
 * The options of `npm run verify`, checked before anything runs: a mistyped exercise or option
 * gets one clear sentence and the usage, never a stack trace.
 * @module
 */
import { parseArgs } from 'node:util';
import { findExercise, PHASES, type Exercise } from '../catalog/index.ts';
import { Source } from '../paths.ts';

/** What `npm run verify -- --help` prints, and what a mistake is answered with. */
export const VERIFY_USAGE = `usage:
  npm run verify                      check the next unfinished exercise (and go on while they pass)
  npm run verify -- <exercise>        check one exercise: its id (atomics-lock) or number (1.4)
  npm run verify -- --watch [<ex>]    check again on every save (--poll: poll instead of file events)
  npm run verify -- --reset <ex>      put the original stub back (your version is kept in a backup)
  npm run verify -- --server phaseN   the capstone: your own server through the conformance suite
                    [--bench]         … and then the benchmark, beside the reference and memcached
  npm run exercises                   every exercise and where you are
  npm run hint -- <exercise>          the next hint
options for the course's maintainers:
  --source solutions                  check the reference answers instead of exercises/ (progress untouched)`;

/** What the command line asked for. */
export interface VerifyRequest {
  readonly exercises: readonly Exercise[];
  readonly watch: boolean;
  readonly poll: boolean;
  readonly reset: Exercise | undefined;
  /** The capstone's phase, e.g. 1. */
  readonly server: number | undefined;
  readonly bench: boolean;
  readonly source: Source;
  readonly help: boolean;
}

/** A mistake on the command line, in words. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function exercise(name: string): Exercise {
  const found = findExercise(name);
  if (found === undefined) throw new UsageError(`there is no exercise "${name}" (npm run exercises lists them)`);
  return found;
}

/** Parses `npm run verify -- …`; throws {@link UsageError} on a mistake. */
export function parseVerifyArgs(argv: readonly string[]): VerifyRequest {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        watch: { type: 'boolean', default: false },
        poll: { type: 'boolean', default: false },
        reset: { type: 'string' },
        server: { type: 'string' },
        bench: { type: 'boolean', default: false },
        source: { type: 'string', default: Source.Exercises },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const source = values.source;
  if (source !== Source.Exercises && source !== Source.Solutions) throw new UsageError(`--source must be exercises or solutions, not "${source}"`);
  let server: number | undefined;
  if (values.server !== undefined) {
    const match = /^(?:phase)?(\d+)$/.exec(values.server);
    server = match ? Number(match[1]) : NaN;
    if (!PHASES.includes(server)) throw new UsageError(`--server takes ${PHASES.map((phase) => `phase${phase}`).join(' or ')}, not "${values.server}"`);
  }
  if (values.bench && server === undefined) throw new UsageError('--bench goes with --server phaseN');
  if (values.reset !== undefined && (positionals.length > 0 || values.watch || server !== undefined)) {
    throw new UsageError('--reset takes one exercise and nothing else');
  }
  return {
    exercises: positionals.map(exercise),
    watch: values.watch,
    poll: values.poll,
    reset: values.reset === undefined ? undefined : exercise(values.reset),
    server,
    bench: values.bench,
    source,
    help: values.help,
  };
}
