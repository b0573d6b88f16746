/**
 * What the coroutine server offers, for the common conformance suite: phase 2's protocol — the
 * design differs, not what a client sees.
 * @module
 */
import type { Capability } from '../../shared/conformance/capabilities.ts';
import { CAPABILITIES as PHASE2_CAPABILITIES } from '../phase2/capabilities.ts';

/** The coroutine server's capabilities; a conformance test that needs any other is skipped. */
export const CAPABILITIES: readonly Capability[] = [...PHASE2_CAPABILITIES];
