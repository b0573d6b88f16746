/** The common conformance suite against Phase 3 (the loop model; phase 2's rings are run by its own entry). */
import { conformanceSuite } from './suite.ts';

await conformanceSuite({ target: 'phase3' });
