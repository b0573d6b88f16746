/**
 * The binary protocol's SASL commands (memcached's protocol_binary.h), and the one mechanism this
 * server offers. They are not in the shared opcode table on purpose: a server without SASL answers
 * them as memcached without `-S` does — "Unknown command", the body skipped — which is what the
 * shared parser already does with an opcode it does not know. Only the authentication front door
 * reads them, before a connection reaches its session.
 * @module
 */

/** The SASL opcodes. */
export const SaslOpcode = {
  /** No key, no body: the answer's body is the mechanisms, separated by spaces. */
  ListMechanisms: 0x20,
  /** Key: the mechanism's name; value: the client's first message. */
  Authenticate: 0x21,
  /** Key: the mechanism's name; value: the client's next message, after an Auth Continue. */
  Step: 0x22,
} as const;
export type SaslOpcode = (typeof SaslOpcode)[keyof typeof SaslOpcode];

/** The mechanism served: the password in the clear, which is why it belongs on TLS or a trusted network. */
export const PLAIN = 'PLAIN';

/** memcached's MAX_SASL_MECH_LEN: a longer mechanism name is refused with Invalid arguments. */
export const MAX_MECHANISM_LENGTH = 32;
