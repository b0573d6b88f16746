/**
 * The load process a profile starts once the server listens (Clinic.js runs it with the port):
 * `node --import tsx shared/profiling/load.ts --port N [--protocol text|binary] [--duration S] [--pipeline N]`.
 * Prints one summary line, then {@link LOAD_DONE}, and exits.
 * @module
 */
import { isLoopback } from '../bench/targets.ts';
import { parseCommandLine, type OptionSpecs } from '../runtime/cli.ts';
import { LOAD_DONE, runBundledLoad } from './bundled-load.ts';
import { PROFILE_OPTIONS } from './profile-options.ts';

const LOAD_OPTIONS = {
  host: { type: 'string', default: '127.0.0.1', description: 'server address (loopback only)' },
  port: { type: 'integer', default: 11211, min: 1, max: 65535, description: 'server port' },
  protocol: PROFILE_OPTIONS.protocol,
  duration: PROFILE_OPTIONS.duration,
  connections: PROFILE_OPTIONS.connections,
  pipeline: PROFILE_OPTIONS.pipeline,
} as const satisfies OptionSpecs;

const options = parseCommandLine('shared/profiling/load.ts', LOAD_OPTIONS);
if (!isLoopback(options.host)) {
  console.error(`shared/profiling/load.ts: --host must be a loopback address, got ${options.host}`);
  process.exit(2);
}
const protocol = options.protocol === 'binary' ? 'binary' : 'text';
const result = await runBundledLoad({
  host: options.host, port: options.port, protocol, connections: options.connections, pipeline: options.pipeline, durationS: options.duration,
});
const rate = Math.round(result.requests / result.seconds).toLocaleString('en-US');
console.log(
  `load: ${result.requests.toLocaleString('en-US')} requests in ${result.seconds.toFixed(1)} s ` +
    `(${rate} req/s, ${protocol}, ${options.connections} connections × pipeline ${options.pipeline}), ${result.errors} errors`,
);
console.log(LOAD_DONE);
// Exit now: the load driver's drain deadline timer would otherwise keep the process up for its
// full length, and the server would sit idle under the profiler until it fired.
process.exit(0);
