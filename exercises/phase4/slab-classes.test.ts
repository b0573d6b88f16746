/**
 * Checks for exercise 4.2 (slab-classes): memcached's default table from its first chunk to its
 * last, chunks per page, the 8-byte rounding, the 63-class cap, the refusals, and classFor at
 * every class boundary.
 */
import { describe, test } from 'node:test';
import { loadExercise } from '../../shared/course/load-exercise.ts';
import { expectSame, expectThrows, expectTrue } from '../../shared/course/checks.ts';
import { MAX_CLASSES, PAGE_BYTES } from '../../phases/phase4/slab/slab-class-spec.ts';

const { slabClasses, classFor } = await loadExercise<typeof import('./slab-classes.ts')>(import.meta.url);

const T = { timeout: 10_000 };
/** memcached's defaults with a 48-byte item header, as memcached itself has. */
const DEFAULTS = { headerBytes: 48, minChunk: 48, growthFactor: 1.25, chunkMax: 512 * 1024 };

describe('4.2 slab-classes', () => {
  test('the default table starts as memcached 1.6\'s does: 96, 120, 152, 192, 240 bytes', T, () => {
    const sizes = slabClasses(DEFAULTS).slice(0, 5).map((c) => c.chunkSize);
    expectSame(sizes.join(', '), '96, 120, 152, 192, 240', 'the first five chunk sizes');
  });

  test('ids count from 1, chunks per page are ⌊1 MiB / size⌋, and the last class is the chunk maximum', T, () => {
    const classes = slabClasses(DEFAULTS);
    classes.forEach((c, index) => {
      expectSame(c.id, index + 1, `classes[${index}].id`);
      expectSame(c.chunksPerPage, Math.floor(PAGE_BYTES / c.chunkSize), `chunksPerPage of class ${c.id} (${c.chunkSize} B)`);
      expectTrue(c.chunkSize % 8 === 0, `class ${c.id}`, 'a multiple of 8 bytes', String(c.chunkSize));
    });
    const last = classes[classes.length - 1]!;
    expectSame(last.chunkSize, 512 * 1024, 'the last chunk size');
    expectSame(last.chunksPerPage, 2, 'chunks per page of the last class');
    expectTrue(classes[classes.length - 2]!.chunkSize < (512 * 1024) / 1.25, 'the class before the last', 'below chunkMax / factor', String(classes[classes.length - 2]!.chunkSize));
  });

  test('growth factor 2 doubles, rounding each size up to 8 first', T, () => {
    const sizes = slabClasses({ headerBytes: 50, minChunk: 3, growthFactor: 2, chunkMax: 4096 }).map((c) => c.chunkSize);
    expectSame(sizes.join(', '), '56, 112, 224, 448, 896, 1792, 4096', 'the table for 53 B, ×2, up to 4 KiB');
  });

  test('a tiny factor stops at memcached\'s 63 classes', T, () => {
    const classes = slabClasses({ ...DEFAULTS, growthFactor: 1.01 });
    expectSame(classes.length, MAX_CLASSES, 'the number of classes');
    expectSame(classes[MAX_CLASSES - 1]!.chunkSize, 512 * 1024, 'the last one is still the chunk maximum');
  });

  test('a factor of 1 or less, or a chunk maximum past a page, is refused', T, () => {
    expectThrows(() => slabClasses({ ...DEFAULTS, growthFactor: 1 }), RangeError, 'slabClasses with growth factor 1');
    expectThrows(() => slabClasses({ ...DEFAULTS, chunkMax: 2 * PAGE_BYTES }), RangeError, 'slabClasses with a 2 MiB chunk maximum');
  });

  test('classFor picks the smallest class that holds the bytes, and −1 past the largest', T, () => {
    const classes = slabClasses(DEFAULTS);
    expectSame(classFor(classes, 1), 0, 'classFor(1)');
    expectSame(classFor(classes, 96), 0, 'classFor(96): fits class 1 exactly');
    expectSame(classFor(classes, 97), 1, 'classFor(97)');
    for (let index = 1; index < classes.length; index++) {
      expectSame(classFor(classes, classes[index - 1]!.chunkSize + 1), index, `classFor(${classes[index - 1]!.chunkSize + 1})`);
      expectSame(classFor(classes, classes[index]!.chunkSize), index, `classFor(${classes[index]!.chunkSize})`);
    }
    expectSame(classFor(classes, 512 * 1024 + 1), -1, 'classFor(512 KiB + 1): no class, the item is chunked');
  });
});
