/**
 * The common conformance suite against Phase 2 with its sessions in two worker threads fed through
 * the lock-free rings: the same protocol promises must hold on that path too.
 */
import { conformanceSuite } from './suite.ts';

await conformanceSuite({ target: 'phase2', serverArgs: ['--workers', '2'] });
