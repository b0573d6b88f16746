/**
 * Phase 4's memory options as memcached spells them: -f, -n, -M and -o slab_chunk_max (in KiB),
 * slab_automove; the defaults are memcached's; a factor of 1, or a chunk maximum above -I, is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigErrorCode } from '../../../phase3/config/config-error.ts';
import { loadConfig } from '../../../phase3/config/load-config.ts';
import { expectConfigError } from '../../../phase3/config/test/expect-error.ts';
import { PHASE4_CONFIG } from '../../config/phase4-config.ts';

const T = { timeout: 10_000 };
const load = (argv: string[]) => loadConfig({ argv, env: {}, isRoot: false }, PHASE4_CONFIG).options;

test('the defaults are memcached\'s: -f 1.25, -n 48, 512 KiB chunks, evictions on, automove 1', T, () => {
  const options = load([]);
  assert.deepEqual(
    [options['growth-factor'], options['min-chunk'], options['slab-chunk-max'], options.evictions, options['slab-automove']],
    [1.25, 48, 512 * 1024, true, 1],
  );
});

test('-f, -n, -M and -o slab_chunk_max=KB,slab_automove=N set them', T, () => {
  const options = load(['-f', '1.1', '-n', '32', '-M', '-o', 'slab_chunk_max=256,slab_automove=2,slab_reassign,lru_crawler']);
  assert.deepEqual(
    [options['growth-factor'], options['min-chunk'], options['slab-chunk-max'], options.evictions, options['slab-automove']],
    [1.1, 32, 256 * 1024, false, 2],
  );
});

test('a growth factor of 1, an automove mode of 3, a chunk maximum above -I and -o lru_segmented are refused', T, () => {
  expectConfigError(() => load(['-f', '1']), { code: ConfigErrorCode.Invalid, option: 'growth-factor', source: 'flag -f', message: /above 1/ });
  expectConfigError(() => load(['-o', 'slab_automove=3']), { code: ConfigErrorCode.Invalid, option: 'slab-automove', source: 'flag -o', message: /0 to 2/ });
  expectConfigError(() => load(['-I', '256k', '-o', 'slab_chunk_max=512']), {
    code: ConfigErrorCode.Invalid, option: 'slab-chunk-max', source: 'flag -o', message: /at most --max-item-size/,
  });
  assert.throws(() => load(['-o', 'lru_segmented']), /lru_segmented has no counterpart here/);
});
