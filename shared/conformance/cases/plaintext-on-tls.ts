/**
 * Bad input at a TLS door (memcached's `-Z`): a client that speaks plaintext, or something that is
 * not a handshake, to a TLS listener. memcached 1.6.18 executes nothing and closes the connection:
 * at once for bytes that are no TLS record, after a fatal alert for a record that is no handshake.
 * The suite then checks, through the door, that the key such a client tried to store is absent.
 * @module
 */
import type { ConformanceCase } from '../conformance-case.ts';
import { hangsUp, say } from '../transcript.ts';
import { binaryRequest, Opcode, setExtras } from './binary-packets.ts';

/** A TLS 1.2 fatal alert (level 2), "unexpected message" (10): OpenSSL's answer to a record that is no handshake. */
const UNEXPECTED_MESSAGE_ALERT = '\x15\x03\x03\x00\x02\x02\x0a';

/** A TLS record header (handshake, TLS 1.0 record version, 5 bytes) whose body is no handshake message. */
const NOT_A_HANDSHAKE = '\x16\x03\x01\x00\x05\x00\x00\x00\x00\x00';

/** The plaintext-on-TLS cases; `key('sneaked')` must never be stored. */
export const PLAINTEXT_ON_TLS_CASES: readonly ConformanceCase[] = [
  {
    name: 'a plaintext text command on the TLS port: nothing executed, hung up on',
    transcript: (key) => [say(`set ${key('sneaked')} 0 0 1\r\nx\r\nget ${key('sneaked')}\r\n`, hangsUp())],
  },
  {
    name: 'a plaintext binary set on the TLS port: nothing executed, hung up on',
    protocol: 'binary',
    transcript: (key) => [say(binaryRequest({ opcode: Opcode.Set, key: key('sneaked'), extras: setExtras(0, 0), value: 'x', opaque: 1 }), hangsUp())],
  },
  {
    name: 'a TLS record that is not a handshake: a fatal alert, then hung up on',
    // Nothing after the record: bytes left unread when the server closes would make its kernel
    // answer with a reset, which may overtake the alert.
    transcript: () => [say(NOT_A_HANDSHAKE, hangsUp(UNEXPECTED_MESSAGE_ALERT))],
  },
];
