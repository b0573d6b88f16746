/**
 * memcached's `refresh_certs [noreply]`: the TLS listener loads its certificate chain, key and CA
 * files again, so an operator rotates a certificate without a restart; connections already open
 * keep the certificate they were made with. `OK`, or memcached's error line: what failed to load,
 * the file, and the reason (even after noreply, as memcached writes it). A server that cannot
 * serve TLS at all does not know the command.
 * @module
 */
import { After } from '../after.ts';
import { ERRORS } from '../errors.ts';
import type { ServerInfo } from '../server-info.ts';
import type { LineTokens } from './text-tokens.ts';
import { Status, type TextReply } from './text-reply.ts';

/** `refresh_certs`, with noreply. */
export interface RefreshCertsCommand {
  readonly kind: 'refresh_certs';
  readonly noreply: boolean;
}

const LOUD: RefreshCertsCommand = Object.freeze({ kind: 'refresh_certs', noreply: false });
const QUIET: RefreshCertsCommand = Object.freeze({ kind: 'refresh_certs', noreply: true });

/** Reads the line: memcached ignores any words after the name but a last `noreply`. */
export function parseRefreshCerts(t: LineTokens): RefreshCertsCommand {
  return t.count > 1 && t.text(t.count - 1) === 'noreply' ? QUIET : LOUD;
}

/** Runs it and appends the reply. */
export function executeRefreshCerts(command: RefreshCertsCommand, server: ServerInfo, out: TextReply): After {
  // An unknown command is ERROR whatever its words, noreply included, as in memcached.
  if (server.refreshCerts === undefined) {
    out.error('UNKNOWN_COMMAND');
    return After.Continue;
  }
  const failure = server.refreshCerts();
  // memcached's noreply silences only the OK: an error is written whatever the line asked.
  if (failure === null) {
    if (!command.noreply) out.status(Status.OK);
  } else if (failure.detail === '') out.error(failure.code);
  else out.raw(Buffer.from(`${ERRORS[failure.code].text} ${failure.detail}\r\n`, 'utf8'));
  return After.Continue;
}
