/** The common conformance suite against the coroutine-style server (an async loop per connection). */
import { conformanceSuite } from './suite.ts';

await conformanceSuite({ target: 'coroutine' });
