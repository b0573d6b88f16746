/**
 * What each opcode means and what a well-formed request for it carries, in one table indexed by
 * the opcode byte. The parser checks every header against it before reading the body (an absent
 * entry is an unknown opcode); the executor uses `command` and `quiet` so a quiet opcode runs
 * exactly the code of its loud twin. The shapes are memcached 1.6.18's, probed by sending it each
 * combination of extras, key and value.
 * @module
 */
import { Extras, Opcode } from './constants.ts';

/** Whether a request must, must not or may carry a key. */
export const KeyRule = { Required: 0, Forbidden: 1, Optional: 2 } as const;
export type KeyRule = (typeof KeyRule)[keyof typeof KeyRule];

/** The loud opcodes: every quiet opcode behaves as one of these. */
export type Command =
  | typeof Opcode.Get | typeof Opcode.GetK | typeof Opcode.Set | typeof Opcode.Add | typeof Opcode.Replace
  | typeof Opcode.Append | typeof Opcode.Prepend | typeof Opcode.Delete | typeof Opcode.Increment
  | typeof Opcode.Decrement | typeof Opcode.Quit | typeof Opcode.Flush | typeof Opcode.Noop
  | typeof Opcode.Version | typeof Opcode.Stat | typeof Opcode.Touch | typeof Opcode.GAT | typeof Opcode.GATK;

/** One opcode's meaning and well-formed shape. */
export interface OpcodeSpec {
  /** The loud opcode whose behaviour this one shares (itself when it is loud). */
  readonly command: Command;
  /** A quiet opcode sends nothing on success (and the Get/GAT family nothing on a miss). */
  readonly quiet: boolean;
  /** Every extras length this opcode accepts. */
  readonly extras: readonly number[];
  readonly key: KeyRule;
  /** Whether bytes may follow the key (only the storage commands carry a value). */
  readonly value: boolean;
}

const NONE: readonly number[] = [0];

function spec(command: Command, quiet: boolean, extras: readonly number[], key: KeyRule, value: boolean): OpcodeSpec {
  return { command, quiet, extras, key, value };
}

/** Each opcode and its twin, loud then quiet. */
const SPECS: readonly (readonly [Opcode, OpcodeSpec])[] = [
  [Opcode.Get, spec(Opcode.Get, false, NONE, KeyRule.Required, false)],
  [Opcode.GetQ, spec(Opcode.Get, true, NONE, KeyRule.Required, false)],
  [Opcode.GetK, spec(Opcode.GetK, false, NONE, KeyRule.Required, false)],
  [Opcode.GetKQ, spec(Opcode.GetK, true, NONE, KeyRule.Required, false)],
  [Opcode.Set, spec(Opcode.Set, false, [Extras.STORE], KeyRule.Required, true)],
  [Opcode.SetQ, spec(Opcode.Set, true, [Extras.STORE], KeyRule.Required, true)],
  [Opcode.Add, spec(Opcode.Add, false, [Extras.STORE], KeyRule.Required, true)],
  [Opcode.AddQ, spec(Opcode.Add, true, [Extras.STORE], KeyRule.Required, true)],
  [Opcode.Replace, spec(Opcode.Replace, false, [Extras.STORE], KeyRule.Required, true)],
  [Opcode.ReplaceQ, spec(Opcode.Replace, true, [Extras.STORE], KeyRule.Required, true)],
  [Opcode.Append, spec(Opcode.Append, false, NONE, KeyRule.Required, true)],
  [Opcode.AppendQ, spec(Opcode.Append, true, NONE, KeyRule.Required, true)],
  [Opcode.Prepend, spec(Opcode.Prepend, false, NONE, KeyRule.Required, true)],
  [Opcode.PrependQ, spec(Opcode.Prepend, true, NONE, KeyRule.Required, true)],
  [Opcode.Delete, spec(Opcode.Delete, false, NONE, KeyRule.Required, false)],
  [Opcode.DeleteQ, spec(Opcode.Delete, true, NONE, KeyRule.Required, false)],
  [Opcode.Increment, spec(Opcode.Increment, false, [Extras.ARITHMETIC], KeyRule.Required, false)],
  [Opcode.IncrementQ, spec(Opcode.Increment, true, [Extras.ARITHMETIC], KeyRule.Required, false)],
  [Opcode.Decrement, spec(Opcode.Decrement, false, [Extras.ARITHMETIC], KeyRule.Required, false)],
  [Opcode.DecrementQ, spec(Opcode.Decrement, true, [Extras.ARITHMETIC], KeyRule.Required, false)],
  [Opcode.Quit, spec(Opcode.Quit, false, NONE, KeyRule.Forbidden, false)],
  [Opcode.QuitQ, spec(Opcode.Quit, true, NONE, KeyRule.Forbidden, false)],
  // Flush takes an optional delay: no extras, or a 4-byte exptime.
  [Opcode.Flush, spec(Opcode.Flush, false, [0, Extras.EXPTIME], KeyRule.Forbidden, false)],
  [Opcode.FlushQ, spec(Opcode.Flush, true, [0, Extras.EXPTIME], KeyRule.Forbidden, false)],
  [Opcode.Noop, spec(Opcode.Noop, false, NONE, KeyRule.Forbidden, false)],
  [Opcode.Version, spec(Opcode.Version, false, NONE, KeyRule.Forbidden, false)],
  // Stat's key, when present, names a group ("settings", …); without one it means "everything".
  [Opcode.Stat, spec(Opcode.Stat, false, NONE, KeyRule.Optional, false)],
  [Opcode.Touch, spec(Opcode.Touch, false, [Extras.EXPTIME], KeyRule.Required, false)],
  [Opcode.GAT, spec(Opcode.GAT, false, [Extras.EXPTIME], KeyRule.Required, false)],
  [Opcode.GATQ, spec(Opcode.GAT, true, [Extras.EXPTIME], KeyRule.Required, false)],
  [Opcode.GATK, spec(Opcode.GATK, false, [Extras.EXPTIME], KeyRule.Required, false)],
  [Opcode.GATKQ, spec(Opcode.GATK, true, [Extras.EXPTIME], KeyRule.Required, false)],
];

/** One slot per possible opcode byte (0–255), so a lookup is a single array read. */
const TABLE: readonly (OpcodeSpec | undefined)[] = (() => {
  const table = new Array<OpcodeSpec | undefined>(256).fill(undefined);
  for (const [opcode, entry] of SPECS) table[opcode] = entry;
  return table;
})();

/** The spec of an opcode byte, or undefined when memcached does not know it. */
export function opcodeSpec(opcode: number): OpcodeSpec | undefined {
  return TABLE[opcode];
}

/**
 * Whether a header's lengths fit its opcode: the extras length is one the opcode accepts, the key
 * is present or absent as required, and bytes follow the key only when the opcode carries a value.
 */
export function fitsShape(spec: OpcodeSpec, extrasLength: number, keyLength: number, valueLength: number): boolean {
  if (!spec.extras.includes(extrasLength)) return false;
  if (spec.key === KeyRule.Required && keyLength === 0) return false;
  if (spec.key === KeyRule.Forbidden && keyLength !== 0) return false;
  return spec.value || valueLength === 0;
}
