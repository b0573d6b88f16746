/**
 * What the phase 3 server offers, for the common conformance suite: phase 2's protocol, unchanged
 * — phase 3 adds how the server is operated, not what clients can ask.
 * @module
 */
import type { Capability } from '../../shared/conformance/capabilities.ts';
import { CAPABILITIES as PHASE2_CAPABILITIES } from '../phase2/capabilities.ts';

/** Phase 3's capabilities; a conformance test that needs any other is skipped. */
export const CAPABILITIES: readonly Capability[] = PHASE2_CAPABILITIES;
