/** The common conformance suite against Phase 4 (the loop model). */
import { conformanceSuite } from './suite.ts';

await conformanceSuite({ target: 'phase4' });
