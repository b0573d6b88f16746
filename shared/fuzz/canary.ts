/**
 * The canary: a key stored with a known value before fuzzing starts, and read back from the clean
 * connection every N frames and at the end. Fuzz frames never name it, so any change — missing,
 * different bytes, different flags — means the server lost or corrupted data it should have kept.
 * The sync value the text probes ask for is stored beside it.
 * @module
 */
import type { CleanConnection } from './clean-connection.ts';
import { Draw } from './draw.ts';
import { CANARY_KEY, SYNC_KEY } from './fuzz-keys.ts';

/** Flags stored with the canary, so a corrupted item header shows too. */
const CANARY_FLAGS = 0xc0ffee;

/** What one canary check found. */
export type CanaryCheck =
  | { readonly kind: 'ok' }
  /** Missing or changed. */
  | { readonly kind: 'lost'; readonly detail: string }
  /** No reply within the bound: the clean connection hangs. */
  | { readonly kind: 'unanswered'; readonly detail: string }
  /** The server closed the clean connection, which sent nothing wrong. */
  | { readonly kind: 'closed'; readonly detail: string };

/** The canary and sync values of one run. */
export class Canary {
  readonly value: string;
  readonly syncValue: string;
  readonly #clean: CleanConnection;

  private constructor(clean: CleanConnection, value: string, syncValue: string) {
    this.#clean = clean;
    this.value = value;
    this.syncValue = syncValue;
  }

  /** Derives the values from the seed and stores them; throws when the server does not store them. */
  static async store(clean: CleanConnection, seed: number): Promise<Canary> {
    // A seed-derived suffix: a value left over from an earlier run on the same server cannot pass.
    const suffix = new Draw(seed ^ 0x5eed).bytes(12).toString('hex');
    const canary = new Canary(clean, `canary-${seed}-${suffix}`, `sync-${seed}-${suffix}`);
    for (const [key, value] of [[CANARY_KEY, canary.value], [SYNC_KEY, canary.syncValue]] as const) {
      const answer = await clean.request({ op: 'set', key, value: Buffer.from(value, 'latin1'), flags: CANARY_FLAGS });
      if (!answer.ok || answer.reply.kind !== 'status' || answer.reply.status !== 'STORED') {
        throw new Error(`the target did not store ${key}: ${answer.ok ? JSON.stringify(answer.reply) : answer.detail}`);
      }
    }
    return canary;
  }

  /** Reads the canary back. */
  async check(): Promise<CanaryCheck> {
    const answer = await this.#clean.request({ op: 'get', keys: [CANARY_KEY] });
    if (!answer.ok) return { kind: answer.failure === 'timeout' ? 'unanswered' : 'closed', detail: answer.detail };
    const { reply } = answer;
    if (reply.kind !== 'values') return { kind: 'lost', detail: `get answered ${JSON.stringify(reply)}` };
    const item = reply.items[0];
    if (item === undefined) return { kind: 'lost', detail: 'the canary key is missing' };
    const value = item.value.toString('latin1');
    if (value !== this.value || item.flags !== CANARY_FLAGS) {
      return { kind: 'lost', detail: `the canary changed: flags ${item.flags}, value ${JSON.stringify(value.slice(0, 80))}` };
    }
    return { kind: 'ok' };
  }
}
