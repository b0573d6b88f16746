/**
 * What the phase 4 server offers, for the common conformance suite: phase 3's protocol and stats,
 * slab memory (its figures and memcached's memory admin commands), TLS (its settings and
 * refresh_certs), and memcached's two ways of authentication (`-Y`, `-S`).
 * @module
 */
import { Capability } from '../../shared/conformance/capabilities.ts';
import { CAPABILITIES as PHASE3_CAPABILITIES } from '../phase3/capabilities.ts';

/** Phase 4's capabilities; a conformance test that needs any other is skipped. */
export const CAPABILITIES: readonly Capability[] = [...PHASE3_CAPABILITIES, Capability.SlabMemory, Capability.Tls, Capability.AsciiAuth, Capability.Sasl];
