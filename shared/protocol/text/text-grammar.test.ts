/**
 * The numeric fields of every text command and the place of `noreply`, as memcached 1.6.18
 * answers them (each row was observed on the real server, except where a row says KV Lab differs).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextParser } from './text-parser.ts';
import type { TextCommand } from './text-command.ts';
import { DEFAULT_MAX_ITEM_SIZE, MAX_DATA_LENGTH } from '../limits.ts';

/** The first command parsed from `line` plus CRLF, and `then` after it (a data block). */
function parse(line: string, then = ''): TextCommand {
  const parser = new TextParser({ maxItemSize: DEFAULT_MAX_ITEM_SIZE });
  parser.feed(Buffer.from(`${line}\r\n${then}`, 'latin1'));
  const command = parser.next();
  assert.ok(command, `no command from ${JSON.stringify(line)}`);
  return command;
}

/**
 * The number fields of a storage command whose data block is `data` (the CAS unique's type is the
 * store's business, not this test's).
 */
function storageFields(line: string, data = 'x'): unknown {
  const command = parse(line, `${data}\r\n`);
  if (command.kind !== 'storage') return command;
  const { flags, exptime, length, noreply, tooLarge } = command;
  return { flags, exptime, length, noreply, tooLarge };
}

const error = (code: string, noreply = false): unknown => ({ kind: 'error', code, noreply });

describe('data block lengths', () => {
  test('up to 2^31 − 3 a length is judged by the item size limit (and swallowed when too large)', { timeout: 2000 }, () => {
    assert.equal(MAX_DATA_LENGTH, 2 ** 31 - 3);
    assert.deepEqual(storageFields('set k 0 0 2147483645', ''), { flags: 0, exptime: 0, length: 2147483645, noreply: false, tooLarge: true });
  });

  test('2^31 − 2 and above are malformed, and nothing is swallowed', { timeout: 2000 }, () => {
    for (const length of ['2147483646', '2147483647', '2147483648', '4294967295', '4294967296', '9223372036854775807', '18446744073709551616']) {
      const parser = new TextParser({ maxItemSize: DEFAULT_MAX_ITEM_SIZE });
      parser.feed(Buffer.from(`set k 0 0 ${length}\r\nab\r\n`, 'latin1'));
      assert.deepEqual([parser.next(), parser.next()], [error('BAD_FORMAT'), error('UNKNOWN_COMMAND')], `length ${length}`);
    }
  });
});

describe('numbers as memcached writes them: leading zeros, a plus sign, -0, tabs', () => {
  test('storage: flags, exptime and length', { timeout: 2000 }, () => {
    assert.deepEqual(storageFields('set k 0 0 00000000000000001'), { flags: 0, exptime: 0, length: 1, noreply: false, tooLarge: false });
    assert.deepEqual(storageFields('set k +5 +0 +1'), { flags: 5, exptime: 0, length: 1, noreply: false, tooLarge: false });
    assert.deepEqual(storageFields('set k -0 -0 -0', ''), { flags: 0, exptime: 0, length: 0, noreply: false, tooLarge: false });
    assert.deepEqual(storageFields(`set k ${'0'.repeat(39)}5 ${'0'.repeat(39)}7 \t1\t`), { flags: 5, exptime: 7, length: 1, noreply: false, tooLarge: false });
    assert.deepEqual(storageFields('cas k 0 0 1 00000000000000000000000000000'), { flags: 0, exptime: 0, length: 1, noreply: false, tooLarge: false });
    assert.deepEqual(storageFields('cas k 0 0 1 18446744073709551615'), { flags: 0, exptime: 0, length: 1, noreply: false, tooLarge: false });
  });

  test('storage: what is refused', { timeout: 2000 }, () => {
    for (const line of ['set k + 0 1', 'set k 0 - 1', 'set k 0 0 1.0', 'set k 0 0 1e0', 'set k 0 0 0x1', 'set k 0 0 --1', 'set k -1 0 1',
      'set k 4294967296 0 1', 'set k 0 9223372036854775808 1', 'set k 0 -9223372036854775809 1', 'cas k 0 0 1 18446744073709551616', 'cas k 0 0 1 -1']) {
      assert.deepEqual(parse(line), error('BAD_FORMAT'), line);
    }
  });

  test('exptimes reach exactly ±2^63 in storage, touch, gat and flush_all (read as ±(2^53 − 1), safe integers)', { timeout: 2000 }, () => {
    assert.deepEqual(storageFields('set k 0 -9223372036854775808 1'), { flags: 0, exptime: -Number.MAX_SAFE_INTEGER, length: 1, noreply: false, tooLarge: false });
    assert.deepEqual(storageFields('set k 0 9223372036854775807 1'), { flags: 0, exptime: Number.MAX_SAFE_INTEGER, length: 1, noreply: false, tooLarge: false });
    assert.deepEqual(parse('touch k -9223372036854775808'), { kind: 'touch', key: 'k', exptime: -Number.MAX_SAFE_INTEGER, noreply: false });
    assert.deepEqual(parse('touch k 9223372036854775808'), error('BAD_EXPTIME'));
    assert.deepEqual(parse('touch k -9223372036854775809'), error('BAD_EXPTIME'));
    assert.deepEqual(parse('touch k +0'), { kind: 'touch', key: 'k', exptime: 0, noreply: false });
    assert.deepEqual(parse('gat -0 k'), { kind: 'retrieval', name: 'gat', keys: ['k'], exptime: 0 });
    assert.deepEqual(parse('gats 00000000000000000000000000000 k'), { kind: 'retrieval', name: 'gats', keys: ['k'], exptime: 0 });
    assert.deepEqual(parse('gat -9223372036854775809 k'), error('BAD_EXPTIME'));
    assert.deepEqual(parse('flush_all -9223372036854775808'), { kind: 'flush_all', delay: -Number.MAX_SAFE_INTEGER, noreply: false });
    assert.deepEqual(parse('flush_all +0'), { kind: 'flush_all', delay: 0, noreply: false });
    assert.deepEqual(parse('flush_all \t100\t'), { kind: 'flush_all', delay: 100, noreply: false });
    assert.deepEqual(parse('flush_all 9223372036854775808'), error('BAD_EXPTIME'));
  });

  test('incr and decr deltas', { timeout: 2000 }, () => {
    assert.deepEqual(parse('incr k 00000000000000000000000000001'), { kind: 'arith', name: 'incr', key: 'k', delta: 1n, noreply: false });
    assert.deepEqual(parse('decr k +1'), { kind: 'arith', name: 'decr', key: 'k', delta: 1n, noreply: false });
    assert.deepEqual(parse('incr k -0'), { kind: 'arith', name: 'incr', key: 'k', delta: 0n, noreply: false });
    assert.deepEqual(parse('incr k \t18446744073709551615'), { kind: 'arith', name: 'incr', key: 'k', delta: 2n ** 64n - 1n, noreply: false });
    for (const delta of ['-1', '-9223372036854775808', '18446744073709551616', '1x', '+']) {
      assert.deepEqual(parse(`incr k ${delta}`), error('BAD_DELTA'), delta);
    }
  });

  test('verbosity takes any 64-bit level and keeps at most 2, as memcached does', { timeout: 2000 }, () => {
    const level = (line: string): unknown => {
      const command = parse(line);
      return command.kind === 'verbosity' ? command.level : command;
    };
    assert.deepEqual(
      ['verbosity 00', 'verbosity +1', 'verbosity -0', 'verbosity 100', 'verbosity 4294967296', 'verbosity 18446744073709551615'].map(level),
      [0, 1, 0, 2, 2, 2],
    );
    assert.deepEqual(parse('verbosity 18446744073709551616'), error('BAD_FORMAT'));
    assert.deepEqual(parse('verbosity -1'), error('BAD_FORMAT'));
  });

  test('delete takes its hold time only as the word 0', { timeout: 2000 }, () => {
    assert.deepEqual(parse('delete k 0'), { kind: 'delete', key: 'k', noreply: false });
    for (const hold of ['00', '-0', '+0', '\t0', '1']) assert.deepEqual(parse(`delete k ${hold}`), error('BAD_DELETE'), hold);
  });
});

describe('noreply is the last word, wherever it stands', () => {
  const silent: [string, string][] = [
    ['set k 2 1 noreply', 'BAD_FORMAT'],
    ['set k 0 0 noreply', 'BAD_FORMAT'],
    ['add k 0 0 noreply', 'BAD_FORMAT'],
    ['set k 0 0 -1 noreply', 'BAD_FORMAT'],
    ['set k x 0 1 noreply', 'BAD_FORMAT'],
    ['cas k 0 0 1 noreply', 'BAD_FORMAT'],
    ['incr k noreply', 'BAD_DELTA'],
    ['decr k x noreply', 'BAD_DELTA'],
    ['touch k noreply', 'BAD_EXPTIME'],
    ['touch k x noreply', 'BAD_EXPTIME'],
    ['verbosity noreply', 'BAD_FORMAT'],
    ['verbosity x noreply', 'BAD_FORMAT'],
    ['flush_all x noreply', 'BAD_EXPTIME'],
    ['delete k 1 noreply', 'BAD_DELETE'],
    ['delete k noreply noreply', 'BAD_DELETE'],
  ];
  for (const [line, code] of silent) {
    test(`${JSON.stringify(line)} is a silent ${code}`, { timeout: 2000 }, () => {
      assert.deepEqual(parse(line), error(code, true));
    });
  }

  const loud: [string, string][] = [
    ['set k 0 0 1 2 noreply', 'UNKNOWN_COMMAND'],
    ['cas k 0 0 noreply', 'UNKNOWN_COMMAND'],
    ['incr k 1 2 noreply', 'UNKNOWN_COMMAND'],
    ['flush_all noreply x', 'BAD_EXPTIME'],
    ['gat noreply k', 'BAD_EXPTIME'],
    ['gat x noreply', 'BAD_EXPTIME'],
  ];
  for (const [line, code] of loud) {
    test(`${JSON.stringify(line)} still answers ${code}`, { timeout: 2000 }, () => {
      assert.deepEqual(parse(line), error(code));
    });
  }

  test('a storage line with noreply in the length place leaves its data block to be read as a command', { timeout: 2000 }, () => {
    const parser = new TextParser({ maxItemSize: DEFAULT_MAX_ITEM_SIZE });
    parser.feed(Buffer.from('set k 2 1 noreply\r\nab\r\n', 'latin1'));
    assert.deepEqual([parser.next(), parser.next()], [error('BAD_FORMAT', true), error('UNKNOWN_COMMAND')]);
  });
});

describe('stats', () => {
  test('any number of words: the group is the second, the word after it the third', { timeout: 2000 }, () => {
    assert.deepEqual(parse('stats'), { kind: 'stats', group: '' });
    assert.deepEqual(parse('stats   '), { kind: 'stats', group: '' });
    assert.deepEqual(parse('stats items'), { kind: 'stats', group: 'items' });
    assert.deepEqual(parse('stats detail on'), { kind: 'stats', group: 'detail', arg: 'on' });
    assert.deepEqual(parse('stats settings a b c'), { kind: 'stats', group: 'settings', arg: 'a' });
  });
});
