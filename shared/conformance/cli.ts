/**
 * `npm run conformance -- --target phase1|memcached|HOST:PORT [--capabilities text,stats,…]
 * [--reference] [--seed N]`: runs the common conformance suite against one target and prints each
 * result; every failure shows the bytes sent, expected and received. Exits 1 if anything failed.
 * @module
 */
import { parseArgs } from 'node:util';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { fileURLToPath } from 'node:url';
import { ALL_CAPABILITIES, parseCapabilities } from './capabilities.ts';
import { ENVIRONMENT } from './cli-entry.ts';
import { SEED_VARIABLE } from './suite.ts';
import { describeTarget } from './target.ts';
import { PHASES } from '../../phases/registry.ts';

const USAGE = `usage: npm run conformance -- --target <memcached|phaseN|coroutine|HOST:PORT> [options]

  --target        memcached (started from /usr/bin/memcached), one of KV Lab's servers
                  (${PHASES.join(', ')}: started with tsx), or HOST:PORT
                  of a server that is already running
  --capabilities  comma-separated list replacing the target's declared capabilities
                  (known: ${ALL_CAPABILITIES.join(', ')}); an address has them all by default
  --reference     the HOST:PORT target is real memcached: skip KV Lab's deliberate differences
  --seed N        base seed of the random framings (printed with every run, to replay one)
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    target: { type: 'string' },
    capabilities: { type: 'string' },
    reference: { type: 'boolean', default: false },
    seed: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (!values.target) fail('--target is required');
// Check the target and capabilities here, where a mistake can be reported plainly, before the
// suite starts in its own process.
try {
  const capabilities = values.capabilities === undefined ? undefined : parseCapabilities(values.capabilities);
  await describeTarget({ target: values.target, capabilities });
} catch (error) {
  fail((error as Error).message);
}
if (values.seed !== undefined && !/^\d+$/.test(values.seed)) fail(`--seed must be a non-negative integer, not "${values.seed}"`);

process.env[ENVIRONMENT.target] = values.target;
if (values.capabilities !== undefined) process.env[ENVIRONMENT.capabilities] = values.capabilities;
if (values.reference) process.env[ENVIRONMENT.reference] = '1';
if (values.seed !== undefined) process.env[SEED_VARIABLE] = values.seed;

let failures = 0;
const stream = run({ files: [fileURLToPath(new URL('./cli-entry.ts', import.meta.url))] });
stream.on('test:fail', () => failures++);
stream.on('end', () => {
  process.exitCode = failures > 0 ? 1 : 0;
});
stream.pipe(new spec()).pipe(process.stdout);
