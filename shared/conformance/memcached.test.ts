/** The common conformance suite against real memcached 1.6: passing here is what proves the suite right. */
import { conformanceSuite } from './suite.ts';

await conformanceSuite({ target: 'memcached' });
