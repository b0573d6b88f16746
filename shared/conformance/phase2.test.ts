/** The common conformance suite against the Phase 2 server, with the capabilities it declares. */
import { conformanceSuite } from './suite.ts';

await conformanceSuite({ target: 'phase2' });
