/**
 * Authentication as a part of phase 4: from the options, the authenticator, the front door that
 * every connection passes and the `stats settings` lines that say what is on — or nothing at all
 * when neither `-Y` nor `-S` is given, so a server without authentication runs exactly phase 3's
 * connections.
 * @module
 */
import type { Logger } from 'pino';
import type { Stat } from '../../../shared/protocol/server-info.ts';
import type { FrontDoor } from '../../phase2/server.ts';
import type { ConfigValues } from '../../phase3/config/phase3-options.ts';
import type { AUTH_OPTIONS } from '../config/auth-options.ts';
import { AuthDoor } from './auth-door.ts';
import { Authenticator, type AuthFiles } from './authenticator.ts';
import { DEFAULT_FAILURE_DELAYS } from './failure-delays.ts';
import type { LoopAuthSetup } from './loop-auth.ts';

/** What authentication adds to the server. */
export interface AuthPart {
  readonly authenticator: Authenticator;
  /** Stands in front of each connection until its client has logged in. */
  readonly frontDoor: FrontDoor;
  /** memcached's auth_enabled_sasl, auth_enabled_ascii and the protocols bound (binding_protocol). */
  readonly settings: readonly Stat[];
  /** What each of `--threads N`'s loops builds its own authenticator from (loop-auth.ts). */
  readonly inLoops: LoopAuthSetup;
}

/** The users file of each protocol, from the options. */
export function authFiles(options: ConfigValues<typeof AUTH_OPTIONS>): AuthFiles {
  return { ascii: options['auth-file'], sasl: options.sasl ? options['sasl-file'] ?? options['auth-file'] : null };
}

/**
 * Builds the part, reading the users files (a file that cannot be read or parsed throws, and the
 * server does not start, as memcached exits on a bad `-Y` file); null when authentication is off.
 */
export function createAuthPart(options: ConfigValues<typeof AUTH_OPTIONS>, version: string, log: Logger): AuthPart | null {
  const files = authFiles(options);
  if (files.ascii === null && files.sasl === null) return null;
  const delays = { ...DEFAULT_FAILURE_DELAYS, baseMs: options['auth-delay-ms'], maxMs: options['auth-delay-max-ms'] };
  const policy = { delays, loginTimeoutMs: options['auth-timeout'] * 1000 };
  const authenticator = new Authenticator(files, version, log, policy);
  // memcached binds the protocol that can authenticate; here both are bound when both can.
  const binding = files.ascii === null ? 'binary' : files.sasl === null ? 'ascii' : 'auto-negotiate';
  return {
    authenticator,
    frontDoor: (socket, serve, counters) => new AuthDoor(socket, serve, counters, authenticator),
    settings: [
      ['auth_enabled_sasl', files.sasl === null ? 'no' : 'yes'],
      ['auth_enabled_ascii', files.ascii ?? 'no'],
      ['binding_protocol', binding],
    ],
    inLoops: { files, version, policy },
  };
}
