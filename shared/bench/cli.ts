/**
 * `npm run bench`: measures KV Lab's servers beside real memcached. Parses the options, prints the
 * context (Node version, CPUs, the exact command), and runs the chosen mode. See
 * docs/benchmarks.md for what each number means.
 * @module
 */
import { codecFor } from '../client/codecs.ts';
import { ClientError } from '../client/client-errors.ts';
import { runConnectionsMode } from './connections-mode.ts';
import { runLoadMode } from './load-mode.ts';
import { commandLine, parseBenchOptions } from './options.ts';
import { contextLines, runContext } from './report.ts';
import { runSoakMode } from './soak-mode.ts';
import { resolveTarget, TargetError } from './targets.ts';

const argv = process.argv.slice(2);
const options = parseBenchOptions(argv);
const context = runContext(commandLine(argv));
console.log(`KV Lab bench, ${options.mode} mode`);
for (const line of contextLines(context)) console.log(line);

let codec;
try {
  codec = codecFor(options.protocol);
  // Every name must parse before anything starts; whether each can run is decided per mode.
  for (const name of options.targets) resolveTarget(name);
} catch (error) {
  if (!(error instanceof ClientError) && !(error instanceof TargetError)) throw error;
  console.error(`npm run bench: ${error.message}`);
  process.exit(2);
}

const modes = { load: runLoadMode, connections: runConnectionsMode, soak: runSoakMode } as const;
process.exitCode = await modes[options.mode](options, context, codec);
