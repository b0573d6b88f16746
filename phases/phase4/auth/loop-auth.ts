/**
 * Authentication in one of `--threads N`'s loop threads: each loop reads the users files itself
 * into an authenticator of its own, and every socket it accepts passes that loop's door. The main
 * thread read the same files at start (a bad file stops the server there), and on SIGHUP it tells
 * every loop to read them again. What stays per loop: the slowdown of an address's repeated
 * failures counts the failures that loop saw (the counters `auth_cmds`, `auth_errors` are shared).
 * @module
 */
import type { Logger } from 'pino';
import type { FrontDoor } from '../../phase2/server.ts';
import { AuthDoor } from './auth-door.ts';
import { Authenticator, type AuthFiles, type LoginPolicy } from './authenticator.ts';

/** What a loop thread is given to authenticate: plain data (it travels by structured clone). */
export interface LoopAuthSetup {
  readonly files: AuthFiles;
  /** Reported by a binary Version before authentication. */
  readonly version: string;
  readonly policy: LoginPolicy;
}

/** One loop's authenticator and the door its sockets pass. */
export interface LoopAuth {
  readonly authenticator: Authenticator;
  readonly frontDoor: FrontDoor;
}

/** Reads the users files for this loop; throws as the main thread's start would on a bad file. */
export function loopAuth(setup: LoopAuthSetup, log: Logger): LoopAuth {
  const authenticator = new Authenticator(setup.files, setup.version, log, setup.policy);
  return { authenticator, frontDoor: (socket, serve, counters) => new AuthDoor(socket, serve, counters, authenticator) };
}
