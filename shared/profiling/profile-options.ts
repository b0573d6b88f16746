/**
 * The command line of `npm run profile -- <tool> --phase N [options] [-- server options]`: which
 * Clinic.js tool, which phase, and how hard and how long the bundled load pushes it.
 * @module
 */
import { OptionError, parseOptions, usage, type OptionSpecs } from '../runtime/cli.ts';

/** The Clinic.js tools the profiler can run. */
export const TOOLS = ['doctor', 'flame', 'bubbleprof', 'heapprofiler'] as const;
/** One of {@link TOOLS}. */
export type Tool = (typeof TOOLS)[number];

/** The wire protocols the bundled load speaks. */
export const PROTOCOLS = ['text', 'binary'] as const;
/** One of {@link PROTOCOLS}. */
export type Protocol = (typeof PROTOCOLS)[number];

/** The options after the tool name, as `npm run profile -- --help` lists them. */
export const PROFILE_OPTIONS = {
  phase: { type: 'integer', default: 2, min: 1, max: 4, description: 'which phase to profile' },
  protocol: { type: 'string', default: 'text', description: 'wire protocol of the load: text or binary' },
  // Long enough for the optimiser to settle and for thousands of samples; short enough to wait for.
  duration: { type: 'integer', default: 10, min: 1, max: 600, description: 'seconds of measured load' },
  // memcaslap's -c50, the load every guide quotes.
  connections: { type: 'integer', default: 50, min: 1, max: 5000, description: 'client connections of the load' },
  // 1 is what most clients do; a deeper pipeline amortises the system calls and shows the code.
  pipeline: { type: 'integer', default: 1, min: 1, max: 1024, description: 'requests in flight per connection' },
  dest: { type: 'string', default: '.clinic', description: 'folder for the collected data and the HTML report' },
} as const satisfies OptionSpecs;

/** A validated profiling request. */
export interface ProfileRequest {
  readonly tool: Tool;
  readonly phase: number;
  readonly protocol: Protocol;
  readonly durationS: number;
  readonly connections: number;
  readonly pipeline: number;
  readonly dest: string;
  /** Everything after a bare `--`, passed to the phase's server unchanged (e.g. `--workers 0`). */
  readonly serverArgs: readonly string[];
}

/** The usage text, tool names first. */
export function profileUsage(): string {
  return usage(`npm run profile -- <${TOOLS.join('|')}>`, PROFILE_OPTIONS) + '\n  -- <server options>       passed to the phase (e.g. -- --workers 0)';
}

function isTool(name: string | undefined): name is Tool {
  return (TOOLS as readonly string[]).includes(name ?? '');
}

function isProtocol(name: string): name is Protocol {
  return (PROTOCOLS as readonly string[]).includes(name);
}

/**
 * Reads `<tool> [options] [-- server options]`. Throws {@link OptionError} with a message fit for
 * the user on an unknown tool or a bad option.
 */
export function parseProfileArgs(argv: readonly string[]): ProfileRequest {
  const [tool, ...rest] = argv;
  if (!isTool(tool)) throw new OptionError(`the first argument must be a tool: ${TOOLS.join(', ')}; got ${JSON.stringify(tool ?? '')}`);
  const separator = rest.indexOf('--');
  const own = separator === -1 ? rest : rest.slice(0, separator);
  const serverArgs = separator === -1 ? [] : rest.slice(separator + 1);
  const options = parseOptions(PROFILE_OPTIONS, own);
  if (!isProtocol(options.protocol)) throw new OptionError(`--protocol must be ${PROTOCOLS.join(' or ')}, got "${options.protocol}"`);
  return {
    tool,
    phase: options.phase,
    protocol: options.protocol,
    durationS: options.duration,
    connections: options.connections,
    pipeline: options.pipeline,
    dest: options.dest,
    serverArgs,
  };
}
