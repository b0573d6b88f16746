/**
 * The suite as the command line runs it: node:test runs this file in a child process, and the
 * target comes from the environment that cli.ts sets. (Not a `*.test.ts` file, so `npm test`
 * does not pick it up.)
 * @module
 */
import { parseCapabilities } from './capabilities.ts';
import { conformanceSuite } from './suite.ts';

/** The variables cli.ts passes the options in. */
export const ENVIRONMENT = {
  target: 'KVLAB_CONFORMANCE_TARGET',
  capabilities: 'KVLAB_CONFORMANCE_CAPABILITIES',
  reference: 'KVLAB_CONFORMANCE_REFERENCE',
} as const;

const target = process.env[ENVIRONMENT.target];
if (target) {
  const capabilities = process.env[ENVIRONMENT.capabilities];
  await conformanceSuite({
    target,
    capabilities: capabilities ? parseCapabilities(capabilities) : undefined,
    reference: process.env[ENVIRONMENT.reference] === '1',
  });
}
