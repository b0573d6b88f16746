/**
 * The hook around request execution: a session tells an observer, after each request, which
 * command family it was, in which protocol, how it ended and how long execution took. Phase 3's
 * latency histograms and slow-request log hang here. A session without an observer skips the
 * clock reads entirely, so the hook costs nothing where it is unused.
 *
 * Families are a fixed, small set (memcached's command names, the binary opcodes folded onto
 * them), so an observer can keep per-family state in arrays indexed by {@link familyIndex}.
 * @module
 */
import { Opcode } from './binary/constants.ts';
import type { BinaryFrame } from './binary/binary-request.ts';
import { opcodeSpec } from './binary/opcode-table.ts';
import type { TextCommand } from './text/text-command.ts';

/** Every command family, in a fixed order (the index is {@link familyIndex}). */
export const COMMAND_FAMILIES = [
  'get', 'gets', 'gat', 'gats', 'set', 'add', 'replace', 'append', 'prepend', 'cas',
  'delete', 'incr', 'decr', 'touch', 'flush_all', 'stats', 'version', 'verbosity', 'quit', 'noop',
  'mg', 'ms', 'md', 'ma', 'mn', 'me', 'other',
] as const;
/** One command family: memcached's command name (`get`, `set`, `mg`, …), or `other`. */
export type CommandFamily = (typeof COMMAND_FAMILIES)[number];

const FAMILY_INDEX = new Map<string, number>(COMMAND_FAMILIES.map((family, index) => [family, index]));

/** The position of `family` in {@link COMMAND_FAMILIES}. */
export function familyIndex(family: CommandFamily): number {
  return FAMILY_INDEX.get(family)!;
}

/** The protocol a request came in. */
export const Protocol = { Text: 'text', Binary: 'binary' } as const;
export type Protocol = (typeof Protocol)[keyof typeof Protocol];

/** How a request ended. */
export const Outcome = {
  /** Executed; its reply says what happened (a miss is still Ok). */
  Ok: 'ok',
  /** Refused with a protocol error: malformed, too large, out of memory. */
  Error: 'error',
  /** Threw inside the server; answered with the internal error. */
  Fault: 'fault',
} as const;
export type Outcome = (typeof Outcome)[keyof typeof Outcome];

/** Told of every executed request by a session that has one. */
export interface RequestObserver {
  /**
   * One request has been executed.
   * @param family - the command family
   * @param protocol - text or binary
   * @param outcome - how it ended
   * @param nanoseconds - time spent executing it (parsing and writing excluded)
   */
  observe(family: CommandFamily, protocol: Protocol, outcome: Outcome, nanoseconds: number): void;
}

/** The family of a parsed text command. */
export function textFamily(command: TextCommand): CommandFamily {
  switch (command.kind) {
    case 'retrieval':
    case 'storage':
    case 'arith':
    case 'meta':
      return command.name;
    case 'delete':
    case 'touch':
    case 'flush_all':
    case 'stats':
    case 'verbosity':
    case 'version':
    case 'quit':
      return command.kind;
    default:
      return 'other';
  }
}

/** The family each loud binary opcode folds onto. */
const BINARY_FAMILIES = new Map<number, CommandFamily>([
  [Opcode.Get, 'get'], [Opcode.GetK, 'get'], [Opcode.Set, 'set'], [Opcode.Add, 'add'], [Opcode.Replace, 'replace'],
  [Opcode.Append, 'append'], [Opcode.Prepend, 'prepend'], [Opcode.Delete, 'delete'], [Opcode.Increment, 'incr'],
  [Opcode.Decrement, 'decr'], [Opcode.Quit, 'quit'], [Opcode.Flush, 'flush_all'], [Opcode.Noop, 'noop'],
  [Opcode.Version, 'version'], [Opcode.Stat, 'stats'], [Opcode.Touch, 'touch'], [Opcode.GAT, 'gat'], [Opcode.GATK, 'gat'],
]);

/** The family of a binary request (quiet opcodes count as their loud twins; framing errors as `other`). */
export function binaryFamily(frame: BinaryFrame): CommandFamily {
  if (frame.kind !== 'request') return 'other';
  const spec = opcodeSpec(frame.opcode);
  return (spec && BINARY_FAMILIES.get(spec.command)) ?? 'other';
}
