/**
 * The bench's command-line options, their defaults per mode, and their validation. Every run is
 * bounded: durations, counts and rates have hard upper limits.
 * @module
 */
import { availableParallelism } from 'node:os';
import { parseCommandLine, OptionError } from '../runtime/cli.ts';
import type { OptionSpecs } from '../runtime/cli.ts';

/** The bench's options, as `npm run bench -- --help` lists them. */
export const BENCH_OPTIONS = {
  mode: { type: 'string', default: 'load', description: 'load (throughput and latency), connections (idle connections), or soak (long mixed load)' },
  targets: {
    type: 'string', default: 'phase1,phase2,phase3,phase4,memcached',
    description: 'comma-separated: phase1…phase4, memcached, or a loopback HOST:PORT; server options may follow a name: phase2:workers=2 starts phase 2 with --workers 2, memcached:t=1 starts memcached with -t 1',
  },
  // 600,000: 32 server processes (the most --server-processes allows) of 18,750 each, under 20,000 descriptors.
  connections: { type: 'integer', default: 0, min: 0, max: 600_000, description: 'load: connections (50); connections mode: idle connections (18000); soak: pool size (20); 0 = the mode default' },
  pipeline: { type: 'integer', default: 1, min: 1, max: 1024, description: 'requests in flight per connection (open loop: at most)' },
  'get-ratio': { type: 'string', default: '0.9', description: 'fraction of requests that are gets, 0…1; the rest are sets' },
  'value-size': { type: 'size', default: 100, min: 1, max: 1024 * 1024, description: 'bytes per stored value (e.g. 100, 4k)' },
  keys: { type: 'integer', default: 10_000, min: 1, max: 10_000_000, description: 'distinct keys, chosen uniformly' },
  duration: { type: 'integer', default: 0, min: 0, max: 3600, description: 'measured seconds per target (load 10, soak 60; 0 = the mode default)' },
  warmup: { type: 'integer', default: 2, min: 0, max: 60, description: 'seconds of unmeasured load before measuring' },
  rate: { type: 'integer', default: 0, min: 0, max: 10_000_000, description: 'open loop: requests per second in total; 0 = closed loop (as fast as replies come)' },
  'latency-rate': { type: 'integer', default: 10_000, min: 0, max: 10_000_000, description: 'closed loop only: then measure latency in an open loop at this rate (0 = skip)' },
  driver: {
    type: 'string', default: 'kvlab',
    description: 'load: who generates the load — kvlab (the bench\'s own generator: throughput and latency), memcaslap (libmemcached\'s, throughput only, pipeline 1), or both (each in turn against every target)',
  },
  rounds: {
    type: 'integer', default: 1, min: 1, max: 20,
    description: 'load: alternate the targets\' throughput passes over this many rounds (A B A B …) and report median ratios; for a shared machine',
  },
  'generator-threads': {
    type: 'integer', default: 0, min: 0, max: 64,
    description: 'load: generator threads (kvlab worker threads, memcaslap -T); 0 = half the CPUs, at least 1',
  },
  protocol: { type: 'string', default: 'text', description: 'wire protocol: text or binary (a phase that does not declare binary in its capabilities.ts is skipped)' },
  'check-connections': { type: 'integer', default: 1000, min: 0, max: 19_000, description: 'load: simultaneous connections to check after the load (0 = skip)' },
  'per-process': { type: 'integer', default: 19_000, min: 100, max: 19_500, description: 'connections mode: connections per client process (the descriptor limit is 20,000)' },
  'server-processes': {
    type: 'integer', default: 1, min: 1, max: 32,
    description: 'connections mode: server processes per target, each on its own port, the connections spread evenly (one process holds under 20,000)',
  },
  'client-processes': { type: 'integer', default: 0, min: 0, max: 64, description: 'connections mode: client processes (0 = as few as --per-process allows)' },
  'source-addresses': {
    type: 'integer', default: 16, min: 1, max: 250,
    description: 'connections mode: loopback source addresses 127.0.0.2 … (each gives ~28,000 ephemeral ports)',
  },
  'source-ports': {
    type: 'string', default: 'assigned',
    description: 'connections mode: assigned (each client process binds pairs of address and port from a slice of 10000–60999 of its own) or kernel (it binds the address alone, and the kernel searches for a free port)',
  },
  'min-free-mb': {
    type: 'integer', default: 3072, min: 256, max: 1_048_576,
    description: 'connections mode: stop opening connections once the machine\'s available memory (MemAvailable) falls under this',
  },
  'open-limit-s': {
    type: 'integer', default: 600, min: 1, max: 3600,
    description: 'connections mode: stop opening after this many seconds and verify what is open (a slow kernel can take far longer)',
  },
  'settle-s': {
    type: 'integer', default: 0, min: 0, max: 300,
    description: 'connections mode: hold the idle connections this many seconds more and sample the servers\' RSS again (0 = skip)',
  },
  'timeout-ms': { type: 'integer', default: 5000, min: 100, max: 60_000, description: 'per-request timeout' },
  seed: { type: 'integer', default: 1, min: 1, max: 2 ** 31 - 1, description: 'seed of the request sequence' },
  out: { type: 'string', default: 'results', description: 'folder for the JSON report and the SVG chart' },
  'phase-args': { type: 'string', default: '', description: 'extra arguments for phase servers, space-separated' },
  'memcached-args': { type: 'string', default: '', description: 'extra arguments for memcached, space-separated' },
} as const satisfies OptionSpecs;

/** Who generates the load in load mode. */
export type LoadDriverName = 'kvlab' | 'memcaslap';
const DRIVER_CHOICES: Readonly<Record<string, readonly LoadDriverName[]>> = {
  kvlab: ['kvlab'],
  memcaslap: ['memcaslap'],
  both: ['kvlab', 'memcaslap'],
};

/** Who picks a connection's source port in connections mode. */
export type SourcePortsMode = 'assigned' | 'kernel';
const SOURCE_PORTS_MODES: readonly string[] = ['assigned', 'kernel'] satisfies SourcePortsMode[];

/** The bench's three modes. */
export type BenchMode = 'load' | 'connections' | 'soak';

/** Validated options with mode defaults filled in. */
export interface BenchOptions {
  readonly mode: BenchMode;
  readonly targets: readonly string[];
  readonly connections: number;
  readonly pipeline: number;
  readonly getRatio: number;
  readonly valueSize: number;
  readonly keys: number;
  readonly durationS: number;
  readonly warmupS: number;
  readonly rate: number;
  /** After a closed loop, the rate of the open-loop pass that measures latency (0 = none). */
  readonly latencyRate: number;
  readonly protocol: string;
  /** The load drivers to run, in order. */
  readonly drivers: readonly LoadDriverName[];
  /** Alternating rounds of throughput passes (1 = each target once, started and stopped in turn). */
  readonly rounds: number;
  /** Generator threads for either driver. */
  readonly generatorThreads: number;
  readonly checkConnections: number;
  readonly perProcess: number;
  /** Connections mode: server processes per target. */
  readonly serverProcesses: number;
  /** Connections mode: client processes; 0 = as few as `perProcess` allows. */
  readonly clientProcesses: number;
  /** Connections mode: how many loopback source addresses, from 127.0.0.2 on. */
  readonly sourceAddresses: number;
  /** Connections mode: the client processes choose their source ports, or the kernel does. */
  readonly sourcePorts: SourcePortsMode;
  /** Connections mode: opening stops when available memory falls under this many MiB. */
  readonly minFreeMb: number;
  /** Connections mode: opening stops after this many seconds. */
  readonly openLimitS: number;
  /** Connections mode: seconds to hold the connections idle before sampling RSS again (0 = no second sample). */
  readonly settleS: number;
  readonly timeoutMs: number;
  readonly seed: number;
  readonly out: string;
  readonly phaseArgs: readonly string[];
  readonly memcachedArgs: readonly string[];
}

const MODE_DEFAULTS: Record<BenchMode, { connections: number; durationS: number }> = {
  // 50 connections: the reference load of the course's facts (memcaslap -c50).
  load: { connections: 50, durationS: 10 },
  // 18,000: the course's goal for one server process on a machine with 20,000 descriptors.
  connections: { connections: 18_000, durationS: 0 },
  soak: { connections: 20, durationS: 60 },
};
/** Load mode holds its connections in this one process, under the 20,000-descriptor limit. */
const MAX_LOAD_CONNECTIONS = 10_000;

const words = (text: string) => text.split(' ').filter(Boolean);

/** Parses argv (exits with usage on a bad option) and applies the mode defaults. */
export function parseBenchOptions(argv: string[]): BenchOptions {
  const raw = parseCommandLine('npm run bench --', BENCH_OPTIONS, argv);
  try {
    const mode = raw.mode as BenchMode;
    if (!(mode in MODE_DEFAULTS)) throw new OptionError(`--mode must be load, connections or soak, got "${raw.mode}"`);
    const getRatio = Number(raw['get-ratio']);
    if (!(getRatio >= 0 && getRatio <= 1)) throw new OptionError(`--get-ratio must be a number from 0 to 1, got "${raw['get-ratio']}"`);
    const connections = raw.connections || MODE_DEFAULTS[mode].connections;
    if (mode !== 'connections' && connections > MAX_LOAD_CONNECTIONS) {
      throw new OptionError(`--connections is at most ${MAX_LOAD_CONNECTIONS} outside connections mode`);
    }
    const drivers = DRIVER_CHOICES[raw.driver];
    if (!drivers) throw new OptionError(`--driver must be kvlab, memcaslap or both, got "${raw.driver}"`);
    const targets = raw.targets.split(',').map((t) => t.trim()).filter(Boolean);
    if (targets.length === 0) throw new OptionError('--targets names no target');
    if (mode !== 'connections' && targets.includes('bare')) throw new OptionError('the bare target answers no request: connections mode only');
    if (!SOURCE_PORTS_MODES.includes(raw['source-ports'])) throw new OptionError(`--source-ports must be assigned or kernel, got "${raw['source-ports']}"`);
    const clientProcesses = raw['client-processes'];
    if (mode === 'connections' && clientProcesses > 0 && Math.ceil(connections / clientProcesses) > raw['per-process']) {
      throw new OptionError(`--client-processes ${clientProcesses} would put more than --per-process ${raw['per-process']} connections in one process`);
    }
    return {
      mode, targets, connections, getRatio,
      pipeline: raw.pipeline,
      valueSize: raw['value-size'],
      keys: raw.keys,
      durationS: raw.duration || MODE_DEFAULTS[mode].durationS,
      warmupS: raw.warmup,
      rate: raw.rate,
      latencyRate: raw.rate > 0 ? 0 : raw['latency-rate'],
      protocol: raw.protocol,
      drivers,
      rounds: raw.rounds,
      // Half the CPUs: the other half is the server's. On two cores, one thread.
      generatorThreads: raw['generator-threads'] || Math.max(1, Math.floor(availableParallelism() / 2)),
      checkConnections: raw['check-connections'],
      perProcess: raw['per-process'],
      serverProcesses: raw['server-processes'],
      clientProcesses,
      sourceAddresses: raw['source-addresses'],
      sourcePorts: raw['source-ports'] as SourcePortsMode,
      minFreeMb: raw['min-free-mb'],
      openLimitS: raw['open-limit-s'],
      settleS: raw['settle-s'],
      timeoutMs: raw['timeout-ms'],
      seed: raw.seed,
      out: raw.out,
      phaseArgs: words(raw['phase-args']),
      memcachedArgs: words(raw['memcached-args']),
    };
  } catch (error) {
    if (!(error instanceof OptionError)) throw error;
    console.error(`npm run bench: ${error.message}`);
    process.exit(2);
  }
}

/** The command that repeats this run: `npm run bench -- …` when started by npm, else the node line. */
export function commandLine(argv: readonly string[]): string {
  const quoted = argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
  const script = process.env.npm_lifecycle_event;
  if (script?.startsWith('bench')) return `npm run ${script}${quoted ? ` -- ${quoted}` : ''}`;
  return `node --import tsx shared/bench/cli.ts ${quoted}`.trim();
}
