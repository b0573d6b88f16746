/**
 * `refresh_certs` as memcached 1.6.18 answers it: OK; the loading error with its file and reason;
 * `Error TLS not enabled` on a server built with TLS but not serving it; noreply silencing the OK
 * only;
 * and, on a server that cannot serve TLS at all (phases 1–3), an unknown command.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CertRefreshFailure, ServerInfo } from '../server-info.ts';
import { TextParser } from './text-parser.ts';
import { TextReply } from './text-reply.ts';
import { executeText } from './text-executor.ts';
import { DEFAULT_MAX_ITEM_SIZE } from '../limits.ts';
import type { Store } from '../../store/store.ts';

/** Runs `line` against a server whose refresh_certs answers `outcome` (none: no TLS at all). */
function answer(line: string, outcome?: CertRefreshFailure): { reply: string; refreshes: number } {
  let refreshes = 0;
  const server = { refreshCerts: outcome === undefined ? undefined : () => {
    refreshes++;
    return outcome;
  } } as unknown as ServerInfo;
  const parser = new TextParser({ maxItemSize: DEFAULT_MAX_ITEM_SIZE });
  parser.feed(Buffer.from(`${line}\r\n`, 'latin1'));
  const command = parser.next();
  assert.ok(command);
  const out = new TextReply();
  // refresh_certs never reaches the store.
  executeText(command, {} as Store, server, out);
  return { reply: Buffer.concat(out.take()).toString('latin1'), refreshes };
}

test('refresh_certs: OK, or the error with what failed to load', { timeout: 5000 }, () => {
  assert.deepEqual(answer('refresh_certs', null), { reply: 'OK\r\n', refreshes: 1 });
  assert.deepEqual(answer('refresh_certs', { code: 'TLS_KEY', detail: '/etc/k.pem : error:05800074:x509 certificate routines::key values mismatch' }), {
    reply: 'Error loading the key: /etc/k.pem : error:05800074:x509 certificate routines::key values mismatch\r\n', refreshes: 1,
  });
  assert.deepEqual(answer('refresh_certs', { code: 'TLS_NOT_ENABLED', detail: '' }), { reply: 'Error TLS not enabled\r\n', refreshes: 1 });
});

test('refresh_certs noreply silences the OK but not an error; without TLS at all it is an unknown command', { timeout: 5000 }, () => {
  assert.deepEqual(answer('refresh_certs noreply', null), { reply: '', refreshes: 1 });
  // memcached 1.6.18 writes the error after noreply too (seen: `Error TLS not enabled`).
  assert.deepEqual(answer('refresh_certs noreply', { code: 'TLS_CHAIN_CERT', detail: '/c : gone' }), {
    reply: 'Error loading the certificate chain: /c : gone\r\n', refreshes: 1,
  });
  assert.deepEqual(answer('refresh_certs noreply', { code: 'TLS_NOT_ENABLED', detail: '' }), { reply: 'Error TLS not enabled\r\n', refreshes: 1 });
  assert.deepEqual(answer('refresh_certs'), { reply: 'ERROR\r\n', refreshes: 0 });
  assert.deepEqual(answer('refresh_certs noreply'), { reply: 'ERROR\r\n', refreshes: 0 });
});
