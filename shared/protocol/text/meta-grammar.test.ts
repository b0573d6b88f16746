/** The meta grammar: what each line parses to, and the error memcached 1.6.18 gives for each bad one. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextParser } from './text-parser.ts';
import type { TextCommand } from './text-command.ts';
import { decodeBase64Key } from './meta-base64.ts';
import { readSigned32, readUnsigned64 } from './meta-flags.ts';

const T = { timeout: 5000 };

/** Every command the parser makes of `input`, fed whole and then byte by byte (they must agree). */
function parse(input: string): TextCommand[] {
  const run = (chunks: Buffer[]): TextCommand[] => {
    const parser = new TextParser({ maxItemSize: 1024 * 1024 });
    const out: TextCommand[] = [];
    for (const chunk of chunks) {
      parser.feed(chunk);
      for (let c = parser.next(); c !== undefined; c = parser.next()) out.push(c);
    }
    return out;
  };
  const bytes = Buffer.from(input, 'latin1');
  const whole = run([bytes]);
  const bytewise = run([...bytes].map((b) => Buffer.from([b])));
  assert.deepEqual(bytewise.map(plain), whole.map(plain), 'byte by byte gives the same commands');
  return whole;
}

/** A command with its Buffers as strings, so deepEqual compares bytes, not views. */
function plain(command: TextCommand): unknown {
  return JSON.parse(JSON.stringify(command, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v)));
}

function errorOf(line: string): string {
  const [command] = parse(line);
  assert.ok(command?.kind === 'error', `${JSON.stringify(line)} is an error, got ${JSON.stringify(plain(command!))}`);
  return command.code;
}

describe('meta grammar', () => {
  test('mg reads its flags, in order, with their tokens', T, () => {
    const [command] = parse('mg key v c k T30 N-5 R10 Oabc q u E18446744073709551615\r\n');
    assert.ok(command?.kind === 'meta' && command.name === 'mg');
    assert.equal(command.key, 'key');
    assert.equal(command.order, 'vckTNROquE');
    assert.equal(command.opaque, 'Oabc');
    assert.deepEqual([command.value, command.quiet, command.noBump], [true, true, true]);
    assert.deepEqual([command.touch, command.recache], [30, 10]);
    // N after T: a created item ends with N's exptime, as memcached applies them in line order.
    assert.equal(command.vivify, -5);
    const [reversed] = parse('mg key N-5 T30\r\n');
    assert.ok(reversed?.kind === 'meta' && reversed.name === 'mg');
    assert.equal(reversed.vivify, 30);
    assert.equal(command.explicitCas, 2n ** 64n - 1n);
  });

  test('unknown and repeated flags stop the parse with their own words', T, () => {
    assert.equal(errorOf('mg k z\r\n'), 'META_INVALID_FLAG');
    assert.equal(errorOf('mg k v vv\r\n'), 'META_DUPLICATE_FLAG');
    assert.equal(errorOf('mg k \x80\r\n'), 'META_DUPLICATE_FLAG');
    assert.equal(errorOf('mg k Tx z\r\n'), 'META_INVALID_FLAG');
    assert.equal(errorOf('md k z\r\n'), 'META_BAD_FLAGS');
    assert.equal(errorOf('ma k v v\r\n'), 'META_BAD_FLAGS');
  });

  test('bad tokens: the last bad argument names the error; a bad F names none', T, () => {
    assert.equal(errorOf('mg k T\r\n'), 'META_BAD_TOKEN');
    assert.equal(errorOf('mg k T2147483648\r\n'), 'META_BAD_TOKEN');
    assert.equal(errorOf('mg k Tx Dx\r\n'), 'META_BAD_DELTA');
    assert.equal(errorOf('mg k Jx\r\n'), 'META_BAD_INITIAL');
    assert.equal(errorOf('mg k Fx\r\n'), 'BAD_FORMAT');
    assert.equal(errorOf('mg k Tx Fx\r\n'), 'META_BAD_TOKEN');
    assert.equal(errorOf('mg k C18446744073709551616\r\n'), 'META_BAD_TOKEN');
    assert.equal(errorOf('mg k Mxy\r\n'), 'META_BAD_MODE_LENGTH');
  });

  test('too many tokens: 17 flags are read, 18 are refused before any is', T, () => {
    const flags = (n: number): string => 'abcdefghijklmnopqrstuvwxyz'.slice(0, n).split('').join(' ');
    assert.equal(errorOf(`mg k ${flags(17)}\r\n`), 'META_INVALID_FLAG');
    assert.equal(errorOf(`mg k ${flags(18)}\r\n`), 'META_GET_TOO_MANY_FLAGS');
    assert.equal(errorOf(`md k ${flags(18)}\r\n`), 'META_TOO_MANY_FLAGS');
    assert.equal(errorOf(`mg ${'k'.repeat(251)} v\r\n`), 'BAD_FORMAT');
    assert.equal(errorOf(`mg k O${'x'.repeat(32)}\r\n`), 'META_OPAQUE_TOO_LONG');
  });

  test('base64 keys (b) are decoded as memcached decodes them', T, () => {
    const [command] = parse(`mg ${Buffer.from('bin\x00\xffkey', 'latin1').toString('base64')} b k\r\n`);
    assert.ok(command?.kind === 'meta' && command.name === 'mg');
    assert.deepEqual([command.key, command.binaryKey], ['bin\x00\xffkey', true]);
    assert.equal(errorOf('mg abc b\r\n'), 'META_BAD_KEY_ENCODING');
    assert.equal(errorOf('md abc b\r\n'), 'META_BAD_FLAGS');
    const decode = (text: string): string | undefined => decodeBase64Key(Buffer.from(text, 'latin1'), 0, text.length);
    assert.equal(decode('Zm9v'), 'foo');
    assert.equal(decode('Zg=='), 'f');
    assert.equal(decode('Zm8='), 'fo');
    assert.equal(decode('Zm9v.!'), 'foo', 'bytes outside the alphabet are skipped');
    assert.equal(decode('Zg'), undefined, 'a group of fewer than four');
    assert.equal(decode('Z==='), undefined, 'three pads');
    assert.equal(decode('===='), undefined);
  });

  test('q and noreply: meta lines never carry a noreply, errors always answer', T, () => {
    const [command] = parse('ms k 1 q\r\nx\r\n');
    assert.ok(command?.kind === 'meta' && command.name === 'ms');
    assert.deepEqual([command.quiet, command.noreply, command.data.toString()], [true, false, 'x']);
    const [bad] = parse('ms k 1 q\r\nxYZ');
    assert.deepEqual(bad, { kind: 'error', code: 'BAD_DATA_CHUNK', noreply: false });
    assert.deepEqual(parse('mg k q z\r\n')[0], { kind: 'error', code: 'META_INVALID_FLAG', noreply: false });
  });

  test('ms: C turns set and replace into cas; a refused line still swallows its data block', T, () => {
    const [cas, add] = parse('ms k 1 C5 MR\r\nx\r\nms k 1 C5 ME\r\ny\r\n');
    assert.ok(cas?.kind === 'meta' && cas.name === 'ms' && add?.kind === 'meta' && add.name === 'ms');
    assert.deepEqual([cas.mode, cas.compareCas, add.mode], ['cas', 5n, 'add']);
    const [refused, next] = parse('ms k 2 zz\r\nmn\r\nmn\r\n');
    assert.ok(refused?.kind === 'meta' && refused.name === 'ms');
    assert.equal(refused.refused, 'META_INVALID_FLAG');
    assert.deepEqual(next, { kind: 'meta', name: 'mn' }, 'the first "mn" was the swallowed data block');
    const [early, asCommand] = parse('ms k xx\r\nmn\r\n');
    assert.equal(early?.kind, 'error');
    assert.deepEqual(asCommand, { kind: 'meta', name: 'mn' }, 'a bad length swallows nothing');
  });

  test('a too-large ms is flagged and its bytes discarded, never buffered', T, () => {
    const parser = new TextParser({ maxItemSize: 1024 });
    parser.feed(Buffer.from('ms k 5000 T0\r\n', 'latin1'));
    const command = parser.next();
    assert.ok(command?.kind === 'meta' && command.name === 'ms' && command.tooLarge);
    parser.feed(Buffer.alloc(5002, 'x'));
    assert.equal(parser.next(), undefined);
    assert.equal(parser.bufferedBytes, 0);
  });

  test('number readers: signed 32-bit and unsigned 64-bit, with an optional +', T, () => {
    const s = (text: string): number | undefined => readSigned32(Buffer.from(text), 0, text.length);
    const u = (text: string): bigint | undefined => readUnsigned64(Buffer.from(text), 0, text.length);
    assert.deepEqual([s('0'), s('+5'), s('-5'), s('2147483647'), s('-2147483648')], [0, 5, -5, 2147483647, -2147483648]);
    assert.deepEqual([s(''), s('-'), s('2147483648'), s('1x'), s('99999999999999')], [undefined, undefined, undefined, undefined, undefined]);
    assert.deepEqual([u('0'), u('+7'), u('00018446744073709551615')], [0n, 7n, 2n ** 64n - 1n]);
    assert.deepEqual([u('-1'), u('18446744073709551616'), u('')], [undefined, undefined, undefined]);
  });

  test('mn, me, and two-letter m names that are not meta commands', T, () => {
    assert.deepEqual(parse('mn extra words\r\n')[0], { kind: 'meta', name: 'mn' });
    assert.deepEqual(parse('me key b2\r\n')[0], { kind: 'meta', name: 'me', key: 'key' });
    assert.equal(errorOf('me\r\n'), 'BAD_FORMAT');
    assert.equal(errorOf('mx k\r\n'), 'UNKNOWN_COMMAND');
    assert.equal(errorOf('mg\r\n'), 'UNKNOWN_COMMAND');
  });
});
