/**
 * The shape of one conformance case, and the rule that decides whether it runs against a target:
 * it is skipped, with the reason printed, when it needs a capability the target lacks, or when it
 * is a deliberate difference from memcached and the target is memcached itself.
 * @module
 */
import type { Capability } from './capabilities.ts';
import type { Framing } from './framing.ts';
import type { TargetDescription } from './target.ts';
import type { KeyMaker, Step } from './transcript.ts';

/** What a test needs of its target. */
export interface Requirements {
  /** Capabilities the target must declare (besides `text`, which every text case needs). */
  readonly needs?: readonly Capability[];
  /**
   * Set when KV Lab's servers deliberately differ from memcached 1.6.18 here: why. The case then
   * states our behaviour and is not run against memcached.
   */
  readonly difference?: string;
}

/** One transcript case, written once and played against every target in every framing. */
export interface ConformanceCase extends Requirements {
  readonly name: string;
  /**
   * The protocol the case speaks (default text). A text transcript ends with a `get` of a missing
   * key that must answer `END`; a binary one checks its own last reply.
   */
  readonly protocol?: 'text' | 'binary';
  /** Framings to play; all three unless memcached's own answer depends on how bytes arrive. */
  readonly framings?: readonly Framing[];
  /** The steps; `key(name)` gives keys unique to this case, framing and run. */
  readonly transcript: (key: KeyMaker) => readonly Step[];
}

/** Why `target` cannot run a test with these requirements, or `false` when it can. */
export function skipReason(target: TargetDescription, requirements: Requirements): string | false {
  if (target.unavailable) return target.unavailable;
  const missing = (requirements.needs ?? []).filter((capability) => !target.capabilities.has(capability));
  if (missing.length > 0) {
    return `needs ${missing.map((c) => `"${c}"`).join(', ')}, which ${target.name} does not declare`;
  }
  if (requirements.difference && target.reference) {
    return `deliberate difference from memcached, not run against it: ${requirements.difference}`;
  }
  return false;
}
