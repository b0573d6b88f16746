/**
 * Reference answer to exercise 4.4 (token-bucket): it re-exports the very module phase 4's edge
 * limits clients with, phases/phase4/edge/token-bucket.ts, so the two can never drift. Why it is
 * written so:
 *
 * - The refill is `elapsed × rate / 1000`, capped at the burst: the bucket is computed from the
 *   clock when used, so a million idle buckets cost memory and no time.
 * - A clock reading older than the last (two callers with readings taken a moment apart) returns
 *   early; `elapsed` negative would take tokens away.
 * - The comparisons allow 1e-9: floating point sums of small refills fall just short of a whole
 *   token, and a client exactly at its rate would be refused now and then without the slack.
 * - `waitMs` divides what is missing by the rate: the caller sets one timer for that long, the
 *   only timer a held client costs.
 * @module
 */
export * from '../../phases/phase4/edge/token-bucket.ts';
