/**
 * The guarded doors: a server started behind memcached's ASCII authentication (`-Y`), its SASL
 * authentication (`-S`) or TLS (`-Z`). Bad input at a door is a client that has not passed it —
 * not logged in, or speaking plaintext to TLS. Each door knows how to put a target behind it
 * (the files and options, the same flags for memcached and for KV Lab), how the suite's own
 * connections pass it, and how they store and read back a witness value, so that the suite can
 * prove the server turned the bad client away without executing anything or losing data.
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Capability } from './capabilities.ts';
import type { ConformanceCase } from './conformance-case.ts';
import { binaryRequest, binaryResponse, binaryStatus, flagsExtras, Opcode, setExtras, Status } from './cases/binary-packets.ts';
import { PLAINTEXT_ON_TLS_CASES } from './cases/plaintext-on-tls.ts';
import { valueBlock } from './cases/replies.ts';
import {
  AUTH_FILE_TEXT, GOOD_LOGIN, loginSet, plainMessage, UNAUTHENTICATED_SASL_CASES, UNAUTHENTICATED_TEXT_CASES,
} from './cases/unauthenticated.ts';
import { say, type Step } from './transcript.ts';
import { WireConnection } from './wire-connection.ts';
import { makeTestCertificates } from '../testing/test-certificates.ts';
import { saslUnavailable, writeSaslConfig } from '../testing/sasl-config.ts';

/** Who is put behind the door: real memcached, or a KV Lab phase (which also takes KV Lab's own options). */
export type DoorKeeper = 'memcached' | 'phase';

/** What a server behind a door is started with, and how the suite's connections pass the door. */
export interface DoorSetup {
  readonly args: readonly string[];
  /** Variables the server needs besides this process's (memcached's SASL_CONF_PATH). */
  readonly env?: Readonly<Record<string, string>>;
  /** Opens a connection that has passed the door (handshaken; logging in is in {@link Door.witness}). */
  enter(host: string, port: number): Promise<WireConnection>;
  /** Removes what the setup wrote beyond its folder (certificates live in their own). */
  remove(): void;
}

/** The steps a witness connection plays: log in (if the door asks), store, read back, prove absent. */
export interface WitnessSteps {
  /** What passes an authentication door (nothing for TLS: the handshake is the entry). */
  readonly login: readonly Step[];
  /** Stores `value` under `key` with `flags`. */
  store(key: string, flags: number, value: string): readonly Step[];
  /** Reads `key` back and expects exactly `value` and `flags`. */
  readBack(key: string, flags: number, value: string): readonly Step[];
  /** Expects `key` to hold nothing. */
  absent(key: string): readonly Step[];
}

/** One door. */
export interface Door {
  readonly name: string;
  /** What the target must declare to be put behind this door. */
  readonly needs: Capability;
  readonly cases: readonly ConformanceCase[];
  /** Why this door cannot be set up here for `keeper` (a tool is missing), or false. */
  unavailable(keeper: DoorKeeper): string | false;
  /** Writes what the server needs into `dir` and says how to start it. */
  prepare(dir: string, keeper: DoorKeeper): DoorSetup;
  readonly witness: WitnessSteps;
}

/** The witness over the text protocol, after `login`. */
function textWitness(login: readonly Step[]): WitnessSteps {
  return {
    login,
    store: (key, flags, value) => [say(`set ${key} ${flags} 0 ${value.length}\r\n${value}\r\n`, 'STORED\r\n')],
    readBack: (key, flags, value) => [say(`get ${key}\r\n`, `${valueBlock(key, flags, value)}END\r\n`)],
    absent: (key) => [say(`get ${key}\r\n`, 'END\r\n')],
  };
}

/** Plaintext connections, for the authentication doors. */
const plainEntry = (host: string, port: number) => WireConnection.open(host, port);

/** Passing `-Y`: a `set` whose data block is a user and her password. */
const ASCII_AUTH: Door = {
  name: 'ASCII authentication (-Y)',
  needs: Capability.AsciiAuth,
  cases: UNAUTHENTICATED_TEXT_CASES,
  unavailable: () => false,
  prepare(dir, keeper) {
    const users = join(dir, 'users.txt');
    writeFileSync(users, AUTH_FILE_TEXT, { mode: 0o644 });
    // KV Lab slows repeated failures from one address; every case here fails on purpose from 127.0.0.1.
    const args = keeper === 'phase' ? ['-Y', users, '--auth-delay-ms', '0'] : ['-Y', users];
    return { args, enter: plainEntry, remove: () => undefined };
  },
  witness: textWitness([say(loginSet('door-login', `${GOOD_LOGIN.user} ${GOOD_LOGIN.password}`), 'STORED\r\n')]),
};

/** Passing `-S`: SASL PLAIN over the binary protocol; the witness speaks binary too (memcached's `-S` serves nothing else). */
const SASL: Door = {
  name: 'SASL authentication (-S)',
  needs: Capability.Sasl,
  cases: UNAUTHENTICATED_SASL_CASES,
  // memcached checks SASL logins against a Cyrus sasldb, which only saslpasswd2 writes.
  unavailable: (keeper) => (keeper === 'memcached' ? saslUnavailable() : false),
  prepare(dir, keeper) {
    if (keeper === 'memcached') {
      return { args: ['-S'], env: { SASL_CONF_PATH: writeSaslConfig(dir, AUTH_FILE_TEXT) }, enter: plainEntry, remove: () => undefined };
    }
    const users = join(dir, 'users.txt');
    writeFileSync(users, AUTH_FILE_TEXT, { mode: 0o644 });
    return { args: ['-S', '-Y', users, '--auth-delay-ms', '0'], enter: plainEntry, remove: () => undefined };
  },
  witness: {
    login: [say(
      binaryRequest({ opcode: Opcode.SaslAuth, key: 'PLAIN', value: plainMessage(GOOD_LOGIN.user, GOOD_LOGIN.password), opaque: 1 }),
      binaryStatus(Opcode.SaslAuth, Status.Ok, 1, 'Authenticated'),
    )],
    store: (key, flags, value) => [say(
      binaryRequest({ opcode: Opcode.Set, key, extras: setExtras(flags, 0), value, opaque: 2 }),
      binaryResponse({ opcode: Opcode.Set, opaque: 2 }),
    )],
    readBack: (key, flags, value) => [say(
      binaryRequest({ opcode: Opcode.Get, key, opaque: 3 }),
      binaryResponse({ opcode: Opcode.Get, extras: flagsExtras(flags), value, opaque: 3 }),
    )],
    absent: (key) => [say(binaryRequest({ opcode: Opcode.Get, key, opaque: 4 }), binaryStatus(Opcode.Get, Status.NotFound, 4, 'Not found'))],
  },
};

/** Passing `-Z`: a TLS handshake that trusts the test CA. */
const TLS: Door = {
  name: 'TLS (-Z)',
  needs: Capability.Tls,
  cases: PLAINTEXT_ON_TLS_CASES,
  unavailable: () => false,
  prepare() {
    const certificates = makeTestCertificates();
    // memcached reads them as `nobody`, after dropping root.
    certificates.shareWithAll();
    return {
      args: ['-Z', '-o', `ssl_chain_cert=${certificates.serverCert},ssl_key=${certificates.serverKey}`],
      enter: (host, port) => WireConnection.openTls(host, port, { ca: readFileSync(certificates.caCert), servername: 'localhost' }),
      remove: () => certificates.remove(),
    };
  },
  witness: textWitness([]),
};

/** Every door the suite puts a target behind. */
export const DOORS: readonly Door[] = [ASCII_AUTH, SASL, TLS];
