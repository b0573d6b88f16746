/**
 * A server entry point in miniature, for the command-line tests: takes its configuration the way
 * phase 3's main does, prints the options it would serve with, and exits.
 */
import { configOrExit } from '../command-line.ts';

const config = configOrExit('config-entry');
process.stdout.write(`would serve ${JSON.stringify(config.options)}\n`);
for (const warning of config.warnings) process.stderr.write(`warning: ${warning}\n`);
