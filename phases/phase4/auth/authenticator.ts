/**
 * The server's side of every login, whichever protocol carried it: the current users (swapped
 * whole on SIGHUP, so a connection mid-handshake sees either the old file or the new one, never a
 * mix), the per-address slowdown, memcached's `auth_cmds` and `auth_errors`, and a log line per
 * failure — with the user and the peer, never the password, and throttled, so a guesser cannot
 * turn the log into the bottleneck.
 * @module
 */
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { ServerCounters } from '../../../shared/runtime/server-counters.ts';
import { LogThrottle } from '../../../shared/runtime/log-throttle.ts';
import { Credentials } from './credentials.ts';
import { FailureDelays, type FailureDelayPolicy } from './failure-delays.ts';

/** The users file of each protocol; null: that protocol is not served on this server. */
export interface AuthFiles {
  /** Text clients log in with memcached's `-Y` token handshake against this file. */
  readonly ascii: string | null;
  /** Binary clients log in with SASL PLAIN (memcached's `-S`) against this file. */
  readonly sasl: string | null;
}

/** Which protocols authenticate here. */
export interface AuthModes {
  readonly ascii: boolean;
  readonly sasl: boolean;
}

/** The protocol a login came in. */
export type AuthProtocol = 'text' | 'binary';

/** The users of each protocol, loaded together (one read when both name the same file). */
interface Users {
  readonly ascii: Credentials | null;
  readonly sasl: Credentials | null;
}

function loadUsers(files: AuthFiles, log: Logger): Users {
  const ascii = files.ascii === null ? null : loadCredentials(files.ascii);
  const sasl = files.sasl === null ? null : files.sasl === files.ascii ? ascii : loadCredentials(files.sasl);
  if (ascii !== null && ascii.spacedPasswords.length > 0) {
    log.warn({ file: files.ascii, users: ascii.spacedPasswords }, 'these users\' passwords hold a space: they cannot log in over the text protocol');
  }
  return { ascii, sasl };
}

/** What an attempt came to. */
export interface AttemptResult {
  readonly ok: boolean;
  /** How long the failure's answer is to be held (0 on success, and for a first failure). */
  readonly delayMs: number;
}

/** Failure lines written per second at most; the rest are counted into the next line. */
const FAILURE_LINES_PER_SECOND = 5;
/** A user name is logged up to this many characters: it is the client's text, not the file's. */
const LOGGED_USER_CHARS = 64;

const SUCCESS: AttemptResult = Object.freeze({ ok: true, delayMs: 0 });

/** Reads and parses an auth file; throws CredentialsError or the file system's error. */
export function loadCredentials(path: string): Credentials {
  return Credentials.parse(readFileSync(path), path);
}

/** How logins are policed. */
export interface LoginPolicy {
  /** The slowdown of repeated failures from one address. */
  readonly delays?: FailureDelayPolicy;
  /** How long a connection may stay without logging in (0: no limit). */
  readonly loginTimeoutMs?: number;
}

/** Checks logins against the current users files. */
export class Authenticator {
  readonly modes: AuthModes;
  /** How long a connection may stay without logging in (0: no limit). */
  readonly loginTimeoutMs: number;
  private users: Users;
  private readonly delays: FailureDelays;
  private readonly throttle = new LogThrottle(FAILURE_LINES_PER_SECOND);

  /** Loads the files; throws CredentialsError or the file system's error, so a bad file stops the start. */
  constructor(
    /** The users files, read again on {@link reload}. */
    readonly files: AuthFiles,
    /** Reported by a binary Version before authentication. */
    readonly version: string,
    private readonly log: Logger,
    policy: LoginPolicy = {},
  ) {
    this.modes = { ascii: files.ascii !== null, sasl: files.sasl !== null };
    this.loginTimeoutMs = policy.loginTimeoutMs ?? 0;
    this.users = loadUsers(files, log);
    this.delays = new FailureDelays(policy.delays);
  }

  /**
   * Reads the auth file again (SIGHUP). A file that cannot be read or parsed leaves the users as
   * they were, as memcached does, and the error is returned for the log. Connections already
   * authenticated stay so: a reload changes who may log in next.
   */
  reload(): Error | null {
    try {
      this.users = loadUsers(this.files, this.log);
      this.log.info({ files: this.files, ascii: this.users.ascii?.size, sasl: this.users.sasl?.size }, 'auth files reloaded');
      return null;
    } catch (error) {
      this.log.error({ files: this.files, err: (error as Error).message }, 'auth files not reloaded; the users loaded before stay');
      return error as Error;
    }
  }

  /** A connection ran out of time to log in. */
  timedOut(peer: string): void {
    this.log.debug({ peer }, 'disconnected: no login in time');
  }

  /**
   * Checks one attempt from `peer` over `protocol` and counts it; a null user is an attempt that
   * named no one (a malformed or oversized message), which fails and counts as any failure.
   */
  attempt(protocol: AuthProtocol, user: string | null, password: Buffer, peer: string, counters: ServerCounters): AttemptResult {
    counters.count('auth_cmds');
    const users = protocol === 'text' ? this.users.ascii : this.users.sasl;
    if (user !== null && users !== null && users.check(user, password)) {
      this.log.debug({ peer, user, protocol }, 'authenticated');
      return SUCCESS;
    }
    counters.count('auth_errors');
    const delayMs = this.delays.failed(peer);
    const line = this.throttle.allow();
    if (line.write) {
      this.log.warn({
        peer,
        protocol,
        user: user === null ? null : user.slice(0, LOGGED_USER_CHARS),
        failures: this.delays.failures(peer),
        delayMs,
        ...(line.suppressed > 0 ? { suppressed: line.suppressed } : {}),
      }, 'authentication failed');
    }
    return { ok: false, delayMs };
  }
}
