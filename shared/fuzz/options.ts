/**
 * The fuzzer's command-line options, their bounds, and the command line that replays a run. Every
 * run is bounded: by frames and by seconds, both capped.
 * @module
 */
import { randomInt } from 'node:crypto';
import { parseOptions, type OptionSpecs } from '../runtime/cli.ts';
import { FUZZ_PROTOCOLS, type FuzzProtocolName } from './fuzz-protocol.ts';
import type { FuzzOptions } from './fuzz-run.ts';

/** The options, as `npm run fuzz -- --help` lists them. */
export const FUZZ_OPTIONS = {
  target: { type: 'string', default: 'phase2', description: 'phase1, phase2, … (started here on a free port), memcached (started from /usr/bin), or a loopback HOST:PORT' },
  workers: { type: 'integer', default: 0, min: 0, max: 64, description: 'phase 2: execute in this many ring worker threads (passed as --workers N; 0 = the event loop)' },
  'server-args': { type: 'string', default: '', description: 'other options for a phase server, space-separated; write --server-args="--max-connections 64"' },
  protocol: { type: 'string', default: 'text', description: 'text or binary' },
  frames: { type: 'integer', default: 10_000, min: 1, max: 10_000_000_000, description: 'frames to send in all' },
  seconds: { type: 'integer', default: 600, min: 1, max: 86_400, description: 'stop after this many seconds even with frames left' },
  seed: { type: 'integer', default: 0, min: 0, max: 2 ** 32 - 1, description: 'seed of every random choice (0 = pick one and print it)' },
  connections: { type: 'integer', default: 4, min: 1, max: 256, description: 'concurrent fuzz connections' },
  'canary-every': { type: 'integer', default: 1000, min: 1, max: 10_000_000_000, description: 'frames between canary checks' },
  'hang-ms': { type: 'integer', default: 5000, min: 100, max: 600_000, description: 'a connection with no progress for this long counts as hung' },
  session: { type: 'integer', default: -1, min: -1, max: 2 ** 53 - 1, description: 'replay only this session of the run (its number from a report)' },
  json: { type: 'string', default: '', description: 'also write the report as JSON to this file' },
} as const satisfies OptionSpecs;

/** The parsed command line: the run's options and where to write JSON. */
export interface FuzzCommandLine {
  readonly run: FuzzOptions;
  readonly json: string;
}

/** Raised for a command line that cannot run. */
export class FuzzOptionError extends Error {
  override readonly name = 'FuzzOptionError';
}

function quote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

/** Parses `argv`; throws OptionError (from the shared parser) or {@link FuzzOptionError}. */
export function parseFuzzOptions(argv: string[]): FuzzCommandLine {
  const values = parseOptions(FUZZ_OPTIONS, argv);
  if (!(FUZZ_PROTOCOLS as readonly string[]).includes(values.protocol)) {
    throw new FuzzOptionError(`--protocol must be one of ${FUZZ_PROTOCOLS.join(', ')}, got "${values.protocol}"`);
  }
  const protocol = values.protocol as FuzzProtocolName;
  const seed = values.seed === 0 ? randomInt(1, 2 ** 31) : values.seed;
  const extraArgs = values['server-args'].split(' ').filter((word) => word.length > 0);
  const serverArgs = [...(values.workers > 0 ? ['--workers', String(values.workers)] : []), ...extraArgs];
  const replayArgs = [
    '--target', values.target, ...(values.workers > 0 ? ['--workers', String(values.workers)] : []),
    ...(extraArgs.length > 0 ? [`--server-args=${values['server-args']}`] : []),
    '--protocol', protocol, '--frames', String(values.frames), '--seed', String(seed),
    '--connections', String(values.connections), '--canary-every', String(values['canary-every']), '--hang-ms', String(values['hang-ms']),
  ];
  return {
    run: {
      target: values.target, serverArgs, protocol, frames: values.frames, seconds: values.seconds, seed,
      connections: values.connections, canaryEvery: values['canary-every'], hangMs: values['hang-ms'],
      session: values.session < 0 ? null : values.session,
      replay: `npm run fuzz -- ${replayArgs.map(quote).join(' ')}`,
    },
    json: values.json,
  };
}
