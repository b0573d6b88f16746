// The text encoder: exact bytes for each command, and refusal of anything that could corrupt the stream.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeText } from './text-encoder.ts';
import { ClientError } from './client-errors.ts';
import type { Request } from './request.ts';

const wire = (request: Request) => encodeText(request).toString('latin1');
const rejects = (request: Request) =>
  assert.throws(() => encodeText(request), (error: unknown) => error instanceof ClientError && error.code === 'BAD_REQUEST');

describe('text encoder', { timeout: 5000 }, () => {
  test('encodes each command exactly as memcached expects', () => {
    const value = Buffer.from('hello');
    assert.equal(wire({ op: 'get', keys: ['a', 'b'] }), 'get a b\r\n');
    assert.equal(wire({ op: 'gets', keys: ['a'] }), 'gets a\r\n');
    assert.equal(wire({ op: 'set', key: 'k', value }), 'set k 0 0 5\r\nhello\r\n');
    assert.equal(wire({ op: 'add', key: 'k', value, flags: 7, exptime: 60 }), 'add k 7 60 5\r\nhello\r\n');
    assert.equal(wire({ op: 'cas', key: 'k', value, cas: 42n }), 'cas k 0 0 5 42\r\nhello\r\n');
    assert.equal(wire({ op: 'delete', key: 'k' }), 'delete k\r\n');
    assert.equal(wire({ op: 'incr', key: 'n', delta: 18446744073709551615n }), 'incr n 18446744073709551615\r\n');
    assert.equal(wire({ op: 'touch', key: 'k', exptime: -1 }), 'touch k -1\r\n');
    assert.equal(wire({ op: 'flush_all' }), 'flush_all\r\n');
    assert.equal(wire({ op: 'flush_all', delay: 10 }), 'flush_all 10\r\n');
    assert.equal(wire({ op: 'version' }), 'version\r\n');
    assert.equal(wire({ op: 'stats', group: 'items' }), 'stats items\r\n');
  });

  test('keeps binary values intact, CRLF inside included', () => {
    const value = Buffer.from([0, 13, 10, 255]);
    const bytes = encodeText({ op: 'set', key: 'bin', value });
    assert.deepEqual(bytes.subarray(bytes.length - 6), Buffer.from([0, 13, 10, 255, 13, 10]));
  });

  test('refuses keys that would break the line, and numbers out of range', () => {
    rejects({ op: 'get', keys: [] });
    rejects({ op: 'get', keys: ['two words'] });
    rejects({ op: 'get', keys: ['line\r\nflush_all'] });
    rejects({ op: 'delete', key: '' });
    rejects({ op: 'delete', key: 'k'.repeat(251) });
    rejects({ op: 'delete', key: 'caf\u0100' });
    rejects({ op: 'set', key: 'k', value: Buffer.alloc(0), flags: 2 ** 32 });
    rejects({ op: 'set', key: 'k', value: Buffer.alloc(0), flags: -1 });
    rejects({ op: 'set', key: 'k', value: Buffer.alloc(0), exptime: 1.5 });
    rejects({ op: 'incr', key: 'n', delta: -1n });
    rejects({ op: 'incr', key: 'n', delta: 2n ** 64n });
    rejects({ op: 'cas', key: 'k', value: Buffer.alloc(0), cas: -1n });
    rejects({ op: 'flush_all', delay: -1 });
    assert.equal(wire({ op: 'delete', key: 'k'.repeat(250) }).length, 'delete \r\n'.length + 250);
  });
});
