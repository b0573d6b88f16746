/**
 * The coroutine server's options: phase 2's, without its threading model (this design is one
 * event loop by construction).
 * @module
 */
import type { OptionSpecs } from '../../shared/runtime/cli.ts';
import { PHASE2_OPTIONS } from '../phase2/options.ts';

const { workers: _notHere, ...rest } = PHASE2_OPTIONS;

/** What `npm run coroutine -- --help` lists. */
export const COROUTINE_OPTIONS = rest satisfies OptionSpecs;
