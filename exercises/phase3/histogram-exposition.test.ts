/**
 * Checks for exercise 3.3 (histogram-exposition): the exact lines of a series, cumulative counts,
 * `+Inf` equal to `_count`, labels escaped and `le` last, and a series with no labels.
 */
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { loadExercise } from '../../shared/course/load-exercise.ts';
import { expectSame, expectTrue, forAll } from '../../shared/course/checks.ts';

const { histogramLines } = await loadExercise<typeof import('./histogram-exposition.ts')>(import.meta.url);

const T = { timeout: 10_000 };

describe('3.3 histogram-exposition', () => {
  test('bucket lines are cumulative, then +Inf, _sum and _count', T, () => {
    expectSame(histogramLines('req_seconds', [['command', 'get']], { bounds: [0.001, 0.01, 0.1], counts: [3, 1, 0, 2], sum: 0.75 }), [
      'req_seconds_bucket{command="get",le="0.001"} 3',
      'req_seconds_bucket{command="get",le="0.01"} 4',
      'req_seconds_bucket{command="get",le="0.1"} 4',
      'req_seconds_bucket{command="get",le="+Inf"} 6',
      'req_seconds_sum{command="get"} 0.75',
      'req_seconds_count{command="get"} 6',
    ], "histogramLines('req_seconds', [['command', 'get']], bounds [0.001, 0.01, 0.1], counts [3, 1, 0, 2], sum 0.75)");
  });

  test('no labels: le alone in the braces, none on _sum and _count', T, () => {
    expectSame(histogramLines('h', [], { bounds: [1], counts: [0, 0], sum: 0 }), [
      'h_bucket{le="1"} 0', 'h_bucket{le="+Inf"} 0', 'h_sum 0', 'h_count 0',
    ], "histogramLines('h', [], bounds [1], counts [0, 0], sum 0)");
  });

  test('label values are escaped, and le comes after the series\' labels', T, () => {
    const lines = histogramLines('h', [['path', 'a"b\\c'], ['protocol', 'text']], { bounds: [2.5], counts: [1, 0], sum: 1 });
    expectSame(lines[0], 'h_bucket{path="a\\"b\\\\c",protocol="text",le="2.5"} 1', 'the first line for path a"b\\c');
    expectSame(lines[2], 'h_sum{path="a\\"b\\\\c",protocol="text"} 1', 'the _sum line');
  });

  test('for any counts: buckets never decrease, +Inf equals _count equals the total', T, () => {
    forAll(fc.property(fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 12 }), (counts) => {
      const bounds = counts.slice(1).map((_, i) => (i + 1) / 10);
      const lines = histogramLines('x', [], { bounds, counts, sum: 1 });
      const given = `counts ${JSON.stringify(counts)}`;
      expectSame(lines.length, bounds.length + 3, `number of lines for ${given}`);
      const values = lines.map((line) => Number(line.slice(line.lastIndexOf(' ') + 1)));
      for (let i = 1; i <= bounds.length; i++) expectTrue(values[i]! >= values[i - 1]!, given, 'cumulative counts', lines.join(' | '));
      const total = counts.reduce((a, b) => a + b, 0);
      expectSame(values[bounds.length], total, `the +Inf bucket for ${given}`);
      expectSame(lines.at(-1), `x_count ${total}`, `the _count line for ${given}`);
    }), { numRuns: 200, seed: 42 });
  });
});
