/**
 * Starts real memcached for the client tests. When the tests run as root, memcached is told to
 * stay root (`-u root`): started as `nobody`, it cannot write its port file into the root-only
 * temporary folder that startMemcached() waits on, and never reports ready.
 * @module
 */
import { startMemcached, type RunningServer } from '../../testing/server-process.ts';

/** `-u root` when running as root (a later `-u` overrides startMemcached's `-u nobody`), else nothing. */
export const STAY_ROOT: readonly string[] = process.getuid?.() === 0 ? ['-u', 'root'] : [];

/** startMemcached() with {@link STAY_ROOT} and any further arguments. */
export function startTestMemcached(extra: string[] = []): Promise<RunningServer> {
  return startMemcached([...STAY_ROOT, ...extra]);
}
