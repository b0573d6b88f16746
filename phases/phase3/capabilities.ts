/**
 * What the phase 3 server offers, for the common conformance suite: phase 2's protocol, unchanged
 * — phase 3 adds how the server is operated, and `stats conns`.
 * @module
 */
import { Capability } from '../../shared/conformance/capabilities.ts';
import { CAPABILITIES as PHASE2_CAPABILITIES } from '../phase2/capabilities.ts';

/**
 * Phase 3's capabilities; a conformance test that needs any other is skipped. `stats conns` lists
 * connections when requests execute on the loop (the default; its conformance run); with ring
 * workers the table is on the loop thread and the group answers empty.
 */
export const CAPABILITIES: readonly Capability[] = [...PHASE2_CAPABILITIES, Capability.StatsConns];
