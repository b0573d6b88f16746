/**
 * What the Phase 1 server offers, for the common conformance suite: the classic text protocol in
 * full (it reads pipelined commands one at a time, so pipelining works too); no binary protocol,
 * which arrives in Phase 2.
 * @module
 */
import { Capability } from '../../shared/conformance/capabilities.ts';

/** Phase 1's capabilities; a conformance test that needs any other is skipped. */
export const CAPABILITIES: readonly Capability[] = [
  Capability.Text,
  Capability.Pipelining,
  Capability.Gat,
  Capability.Touch,
  Capability.FlushDelay,
  Capability.Verbosity,
  Capability.Stats,
  Capability.LargeGetLine,
  Capability.Meta,
];
