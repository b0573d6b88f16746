/**
 * The configuration of a server entry point: load it from `process`, and deal with what ends the
 * process before a server exists — `--help` and `--print-config` (exit 0), a bad configuration
 * (its one-line error on stderr, exit 2: a server must not start half-configured).
 * @module
 */
import { ConfigError } from './config-error.ts';
import { PHASE3_CONFIG, type ConfigSpec } from './config-spec.ts';
import { wantsHelp } from './flag-source.ts';
import { formatConfig } from './format-config.ts';
import { loadConfig, type ConfigInput, type ConfigResult } from './load-config.ts';
import type { OptionTable } from './phase3-options.ts';
import { usage } from './usage.ts';

/** The parts of `process` used, so tests can hand in their own. */
export interface ProcessIo extends ConfigInput {
  /** Writes the help or the printed configuration. */
  readonly stdout: (text: string) => void;
  /** Writes the error line. */
  readonly stderr: (text: string) => void;
  /** Ends the process; a test's version throws instead. */
  readonly exit: (code: number) => never;
}

/** The real process's. */
function realProcess(): ProcessIo {
  return {
    argv: process.argv.slice(2),
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    exit: (code) => process.exit(code),
  };
}

/** The configuration `spec` describes (phase 3's by default) for `command`, or the process ends (help, print-config, an error). */
export function configOrExit(command: string, io?: ProcessIo): ConfigResult;
export function configOrExit<T extends OptionTable>(command: string, io: ProcessIo | undefined, spec: ConfigSpec<T>): ConfigResult<T>;
export function configOrExit<T extends OptionTable>(
  command: string, io: ProcessIo = realProcess(), spec: ConfigSpec<T> = PHASE3_CONFIG as unknown as ConfigSpec<T>,
): ConfigResult<T> {
  if (wantsHelp(io.argv)) {
    io.stdout(`${usage(command, spec)}\n`);
    return io.exit(0);
  }
  let result: ConfigResult<T>;
  try {
    result = loadConfig(io, spec);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`${command}: ${error.message} (see --help)\n`);
    return io.exit(2);
  }
  // `-h` grouped with other letters (`-Ah`) is seen only once the flags are read.
  if (result.help) {
    io.stdout(`${usage(command, spec)}\n`);
    return io.exit(0);
  }
  if (result.options['print-config']) {
    io.stdout(formatConfig(result));
    return io.exit(0);
  }
  return result;
}
