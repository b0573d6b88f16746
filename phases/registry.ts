/**
 * Every phase, in one place: its name, what it offers clients (the capabilities the conformance
 * suite, the benchmark and the capstone read) and its entry point. Tools find a phase here rather
 * than by building paths of their own, so a new phase is one more line.
 * @module
 */
import type { Capability } from '../shared/conformance/capabilities.ts';

/** The shape of a phase's `capabilities.ts`. */
interface CapabilitiesModule {
  readonly CAPABILITIES: readonly Capability[];
}

/** Each finished phase's capabilities, loaded on demand (a tool that needs one phase loads one). */
const CAPABILITIES: Readonly<Record<string, () => Promise<CapabilitiesModule>>> = {
  phase1: () => import('./phase1/capabilities.ts'),
  phase2: () => import('./phase2/capabilities.ts'),
  phase3: () => import('./phase3/capabilities.ts'),
  phase4: () => import('./phase4/capabilities.ts'),
  // Not a phase of the course but a design measured against them: phase 2 with an async loop per connection.
  coroutine: () => import('./coroutine/capabilities.ts'),
};

/** The phases that exist, in course order, then the coroutine-style server. */
export const PHASES: readonly string[] = Object.keys(CAPABILITIES);

/** True when `phase` (e.g. `phase2`) exists. */
export function isPhase(phase: string): boolean {
  return Object.hasOwn(CAPABILITIES, phase);
}

/**
 * What `phase` offers clients.
 * @throws Error naming the phases that exist, when it is not one of them
 */
export async function phaseCapabilities(phase: string): Promise<readonly Capability[]> {
  const load = CAPABILITIES[phase];
  if (load === undefined) throw new Error(`${phase} does not exist (yet): the phases are ${PHASES.join(', ')}`);
  return (await load()).CAPABILITIES;
}

/** The module `npm run <phase>` runs. */
export function phaseEntry(phase: string): URL {
  return new URL(`./${phase}/main.ts`, import.meta.url);
}
