/**
 * The capstone's check of phase 4's SASL logins (`-S`), where the conformance suite cannot go: a
 * server with SASL on serves a binary client nothing before it logs in, and the suite does not log
 * in. Over one binary connection, messages that the PLAIN rules must refuse — a field missing, a
 * third NUL, an empty user, another user's authzid, a wrong password — are each answered
 * "Auth failure." and leave the connection open; the good message, with and without an authzid,
 * logs in; and the logged-in client's Set and Get are served.
 * @module
 */
import { encodeRequest, storeExtras } from '../../protocol/binary/request-encoder.ts';
import { splitResponses, type BinaryResponse } from '../../protocol/binary/response-decoder.ts';
import { Opcode, Status } from '../../protocol/binary/constants.ts';
import { REPLY_TIMEOUT_MS } from '../../conformance/transcript-player.ts';
import { WireConnection } from '../../conformance/wire-connection.ts';
import type { RunningServer } from '../../testing/server-process.ts';
import { Mark } from '../cli/paint.ts';
import type { OperationsOutcome } from './operations.ts';

/** The users file the configuration starts the server with. */
export const SASL_USERS_FILE = 'alice:secret\nbob:hunter2\n';

/** memcached's SASL opcodes (protocol_binary.h): list the mechanisms, and authenticate. */
const LIST_MECHANISMS = 0x20;
const AUTHENTICATE = 0x21;
const NUL = '\u0000';

/** Each attempt: what it is, the PLAIN message, and whether it must log in. */
const ATTEMPTS: readonly { readonly what: string; readonly message: string; readonly logsIn: boolean }[] = [
  { what: 'a wrong password', message: `${NUL}alice${NUL}wrong`, logsIn: false },
  { what: 'one NUL (no password field)', message: `alice${NUL}secret`, logsIn: false },
  { what: 'a third NUL', message: `${NUL}alice${NUL}secret${NUL}`, logsIn: false },
  { what: 'an empty user', message: `${NUL}${NUL}secret`, logsIn: false },
  { what: 'an empty password', message: `${NUL}alice${NUL}`, logsIn: false },
  { what: 'an authzid naming another user', message: `bob${NUL}alice${NUL}secret`, logsIn: false },
  { what: 'bob\'s password for alice', message: `${NUL}alice${NUL}hunter2`, logsIn: false },
  { what: 'an authzid naming the user itself', message: `alice${NUL}alice${NUL}secret`, logsIn: true },
];

/** Sends one request and waits for its one response. */
async function exchange(connection: WireConnection, request: Buffer): Promise<BinaryResponse> {
  await connection.write([request]);
  const first = () => splitResponses(connection.unread).responses[0];
  await connection.waitUntil(() => first() !== undefined, REPLY_TIMEOUT_MS);
  const response = first();
  if (response === undefined) {
    throw new Error(`no response within ${REPLY_TIMEOUT_MS} ms (${connection.hangUp ?? 'the connection is still open'})`);
  }
  connection.consume(24 + response.extras.length + response.key.length + response.value.length);
  return response;
}

function authenticate(message: string, opaque: number): Buffer {
  return encodeRequest({ opcode: AUTHENTICATE, key: 'PLAIN', value: message, opaque });
}

function failed(line: string): OperationsOutcome {
  return { ok: false, lines: [`    ${Mark.fail()} SASL PLAIN: ${line}`] };
}

/** Runs the attempts against `server` (started with `-S` and {@link SASL_USERS_FILE}). */
export async function checkSaslLogins(server: RunningServer): Promise<OperationsOutcome> {
  let connection: WireConnection;
  try {
    connection = await WireConnection.open(server.host, server.port);
  } catch (error) {
    return failed(`could not connect: ${(error as Error).message}`);
  }
  try {
    const mechanisms = await exchange(connection, encodeRequest({ opcode: LIST_MECHANISMS, opaque: 1 }));
    if (mechanisms.status !== Status.Success || !mechanisms.value.toString('latin1').split(' ').includes('PLAIN')) {
      return failed(`List Mechanisms answered status 0x${mechanisms.status.toString(16)} "${mechanisms.value.toString('latin1')}", expected PLAIN among them`);
    }
    // Every refusal first, on the one connection: a refused client may try again.
    const order = [...ATTEMPTS.filter((a) => !a.logsIn), ...ATTEMPTS.filter((a) => a.logsIn)];
    for (const [i, attempt] of order.entries()) {
      const response = await exchange(connection, authenticate(attempt.message, 10 + i));
      const expected = attempt.logsIn ? Status.Success : Status.AuthError;
      if (response.status !== expected) {
        return failed(`${attempt.what} (${JSON.stringify(attempt.message)}) was answered status 0x${response.status.toString(16)} "${response.value.toString('latin1')}", expected ${attempt.logsIn ? 'Authenticated (0x0)' : 'Auth failure. (0x20)'}`);
      }
    }
    // Logged in: the session behind the door serves the binary protocol.
    const set = await exchange(connection, encodeRequest({ opcode: Opcode.Set, key: 'kvlab-sasl', extras: storeExtras(0, 0), value: 'in', opaque: 90 }));
    const get = await exchange(connection, encodeRequest({ opcode: Opcode.Get, key: 'kvlab-sasl', opaque: 91 }));
    if (set.status !== Status.Success || get.status !== Status.Success || get.value.toString('latin1') !== 'in') {
      return failed(`after the login, Set answered 0x${set.status.toString(16)} and Get 0x${get.status.toString(16)} "${get.value.toString('latin1')}", expected 0x0 and "in"`);
    }
    // A fresh connection logs in with the plain message, no authzid.
    const second = await WireConnection.open(server.host, server.port);
    try {
      const response = await exchange(second, authenticate(`${NUL}alice${NUL}secret`, 2));
      if (response.status !== Status.Success) return failed(`the good message with no authzid was answered status 0x${response.status.toString(16)} "${response.value.toString('latin1')}"`);
    } finally {
      second.destroy();
    }
    const refused = ATTEMPTS.filter((a) => !a.logsIn).length;
    return { ok: true, lines: [`    ${Mark.pass()} SASL PLAIN: ${refused} bad messages refused, good ones (with and without an authzid) log in, then Set and Get are served`] };
  } catch (error) {
    return failed((error as Error).message);
  } finally {
    connection.destroy();
  }
}
