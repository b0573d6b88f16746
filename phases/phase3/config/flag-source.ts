/**
 * The command line as a source: `--name value`, `--name=value`, a bare `--flag` for a boolean,
 * and memcached's one-letter flags as getopt reads them (`-p 11211`, `-p11211`, `-Avv`). The
 * tokens become values with their origins; nothing is validated here but the spelling.
 * @module
 */
import { ConfigError, ConfigErrorCode } from './config-error.ts';
import type { FlagOutcome, ShortFlagTable } from './memcached-flags.ts';
import type { OptionTable } from './phase3-options.ts';
import type { Given } from './origin.ts';
import { didYouMean } from './suggest.ts';

/** What the command line said. */
export interface FlagLayer {
  readonly given: readonly Given[];
  readonly warnings: readonly string[];
  /** `-h` or `--help` was given. */
  readonly help: boolean;
}

/** Whether `argv` asks for help: checked before anything else, so a broken command line still gets it. */
export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/** A syntax error: one line, naming the flag. */
function syntax(flag: string, message: string): ConfigError {
  return new ConfigError(ConfigErrorCode.Syntax, flag, `flag ${flag}`, message);
}

/** Reads `argv` against the options that flags may set and the one-letter flags. */
export function readFlags(argv: readonly string[], options: OptionTable, short: ShortFlagTable, isRoot: boolean): FlagLayer {
  const given: Given[] = [];
  const warnings: string[] = [];
  let help = false;
  let verbosity = 0;
  const longNames = Object.keys(options).filter((name) => options[name]!.sources?.includes('flag') ?? true);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help') {
      help = true;
    } else if (arg.startsWith('--') && arg.length > 2) {
      const equals = arg.indexOf('=');
      const name = arg.slice(2, equals === -1 ? undefined : equals);
      const definition = longNames.includes(name) ? options[name] : undefined;
      if (definition === undefined) {
        throw new ConfigError(ConfigErrorCode.Unknown, name, `flag --${name}`, `unknown option --${name}${didYouMean(name, [...longNames, 'help'], '--')}`);
      }
      let value: string | boolean;
      if (equals !== -1) value = arg.slice(equals + 1);
      // A boolean never takes the next argument: `--enable-shutdown -p 1` must not read "-p".
      else if (definition.placeholder === undefined) value = true;
      else if (i + 1 < argv.length) value = argv[++i]!;
      else throw syntax(`--${name}`, `--${name} needs a value: ${definition.allowed}`);
      given.push({ option: name, value, origin: { kind: 'flag', flag: `--${name}` } });
    } else if (arg.startsWith('-') && arg.length > 1 && arg !== '--') {
      // getopt: letters may be grouped (`-Avv`); a letter that takes a value takes the rest of
      // the word (`-p11211`) or else the next argument, whatever it looks like (`-p -1`).
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j]!;
        const flag = short[letter];
        if (flag === undefined) throw new ConfigError(ConfigErrorCode.Unknown, `-${letter}`, `flag -${letter}`, `unknown flag -${letter} (see --help)`);
        let value = '';
        if (flag.takes === 'value') {
          if (j + 1 < arg.length) value = arg.slice(j + 1);
          else if (i + 1 < argv.length) value = argv[++i]!;
          else throw syntax(`-${letter}`, `-${letter} needs a value (${flag.about})`);
          j = arg.length;
        }
        if (letter === 'v') verbosity++;
        const spelled = letter === 'v' ? `-${'v'.repeat(verbosity)}` : `-${letter}`;
        const take = (outcome: FlagOutcome): void => {
          if ('set' in outcome) given.push({ option: outcome.set, value: outcome.value, origin: { kind: 'flag', flag: spelled } });
          else if ('refuse' in outcome) throw new ConfigError(ConfigErrorCode.Refused, spelled, `flag ${spelled}`, `${spelled} refused: ${outcome.refuse}`);
          else if ('warn' in outcome) warnings.push(outcome.warn);
          else if ('help' in outcome) help = true;
          else if ('each' in outcome) outcome.each.forEach(take);
        };
        take(flag.apply(value, { isRoot, verbosity }));
      }
    } else {
      const what = arg === '--' ? argv.slice(i + 1).join(' ') || '--' : arg;
      throw syntax(what, `unexpected argument "${what}": options are written --name value`);
    }
  }
  return { given, warnings, help };
}
