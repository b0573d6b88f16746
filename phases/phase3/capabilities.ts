/**
 * What the phase 3 server offers, for the common conformance suite: phase 2's protocol, unchanged
 * — phase 3 adds how the server is operated, and `stats conns`.
 * @module
 */
import { Capability } from '../../shared/conformance/capabilities.ts';
import { CAPABILITIES as PHASE2_CAPABILITIES } from '../phase2/capabilities.ts';

/**
 * Phase 3's capabilities; a conformance test that needs any other is skipped. `stats conns` lists
 * connections in both threading modes: the loop thread's table of sockets lives in shared memory,
 * so a ring worker that executes `stats` reads it too.
 */
export const CAPABILITIES: readonly Capability[] = [...PHASE2_CAPABILITIES, Capability.StatsConns];
