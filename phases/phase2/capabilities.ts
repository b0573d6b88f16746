/**
 * What the Phase 2 server offers, for the common conformance suite: everything phase 1 has, plus
 * memcached's binary protocol, chosen per connection by the first byte.
 * @module
 */
import { Capability } from '../../shared/conformance/capabilities.ts';

/** Phase 2's capabilities; a conformance test that needs any other is skipped. */
export const CAPABILITIES: readonly Capability[] = [
  Capability.Text,
  Capability.Binary,
  Capability.Pipelining,
  Capability.Gat,
  Capability.Touch,
  Capability.FlushDelay,
  Capability.Verbosity,
  Capability.Stats,
  Capability.LargeGetLine,
  Capability.Meta,
];
