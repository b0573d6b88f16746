/**
 * The common conformance suite against Phase 4 with `--threads 2`: two event loops in threads,
 * each accepting from the one listening socket and sharing the slab store — the same protocol
 * promises must hold whichever loop a connection lands on.
 */
import { conformanceSuite } from './suite.ts';

await conformanceSuite({ target: 'phase4', serverArgs: ['--threads', '2'] });
