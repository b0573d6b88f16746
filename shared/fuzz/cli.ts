/**
 * `npm run fuzz -- --target <phase1|phase2|memcached|HOST:PORT> --frames N --protocol text|binary
 * [--seed S] [--connections C] [--canary-every N] [--seconds S]`: sends random and structured
 * mutations of valid requests to one server over several connections, checks a canary key and the
 * server's connection count and memory, and prints a report. Exits 1 on any crash, hang, canary
 * loss or leaked connection, 2 on a bad command line.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { OptionError, usage } from '../runtime/cli.ts';
import { runFuzz } from './fuzz-run.ts';
import { FuzzTargetError } from './fuzz-target.ts';
import { FUZZ_OPTIONS, FuzzOptionError, parseFuzzOptions, type FuzzCommandLine } from './options.ts';
import { formatReport, isClean } from './report.ts';

const COMMAND = 'npm run fuzz --';
const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(usage(COMMAND, FUZZ_OPTIONS));
  process.exit(0);
}

let commandLine: FuzzCommandLine;
try {
  commandLine = parseFuzzOptions(argv);
} catch (error) {
  if (!(error instanceof OptionError) && !(error instanceof FuzzOptionError)) throw error;
  console.error(`fuzz: ${error.message}\n${usage(COMMAND, FUZZ_OPTIONS)}`);
  process.exit(2);
}

const { run, json } = commandLine;
// The seed first, so an interrupted run can still be replayed.
console.log(`seed ${run.seed}; node ${process.version}, ${cpus().length} CPUs`);
console.log(`command: ${run.replay}${run.session === null ? '' : ` --session ${run.session}`}`);
try {
  const report = await runFuzz({
    ...run,
    onProgress: (frames, elapsedMs) => console.error(`… ${frames} frames, ${Math.round(frames / (elapsedMs / 1000))} frames/s`),
  });
  console.log(formatReport(report));
  if (json !== '') writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  process.exitCode = isClean(report) ? 0 : 1;
} catch (error) {
  if (!(error instanceof FuzzTargetError)) throw error;
  console.error(`fuzz: ${error.message}`);
  process.exitCode = 2;
}
