/**
 * Whether a target speaks the protocol a run asks for. A phase says so in its capabilities, found
 * through phases/registry.ts (the list the conformance suite reads); memcached speaks both
 * protocols; an address is taken at its word. A target without the protocol is skipped, with why.
 * @module
 */
import { Capability } from '../conformance/capabilities.ts';
import type { TargetSpec } from './targets.ts';
import { isPhase, phaseCapabilities } from '../../phases/registry.ts';

/** The capability a protocol name stands for. */
const PROTOCOL_CAPABILITY: Readonly<Record<string, Capability>> = {
  text: Capability.Text,
  binary: Capability.Binary,
};

/** Why `spec` cannot be measured over `protocol`, or undefined when it can. */
export async function protocolUnavailable(spec: TargetSpec, protocol: string): Promise<string | undefined> {
  if (spec.kind !== 'phase' || spec.unavailable) return undefined;
  const needed = PROTOCOL_CAPABILITY[protocol];
  if (needed === undefined) return undefined;
  if (!isPhase(spec.base)) return `${spec.base} does not exist (yet), so its protocols are unknown`;
  const declared = await phaseCapabilities(spec.base);
  return declared.includes(needed) ? undefined : `${spec.base} does not serve the ${protocol} protocol (phases/${spec.base}/capabilities.ts)`;
}

/** Resolves every spec's protocol support, marking the ones without it as not available. */
export async function withProtocol(specs: readonly TargetSpec[], protocol: string): Promise<TargetSpec[]> {
  return Promise.all(specs.map(async (spec) => {
    const unavailable = await protocolUnavailable(spec, protocol);
    return unavailable ? { ...spec, unavailable } : spec;
  }));
}
