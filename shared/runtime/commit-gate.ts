/**
 * A seam between a connection and something its replies must wait for: phase 4's log under
 * `--fsync always`, where a reply to a write may leave only once the write is on disk. The
 * connection notes the gate's position before a turn; if the turn moved it (the turn wrote), the
 * turn's replies are held until the gate says everything up to the new position is committed.
 * @module
 */

/** A connection whose replies wait for a commit. */
export interface CommitWaiter {
  /** Everything up to the waited-for position is committed: send the held replies. */
  committed(): void;
  /** It cannot be committed: drop the held replies (they would promise what did not happen) and close. */
  failed(): void;
}

/** What the replies of a turn that changed data wait for. */
export interface CommitGate {
  /** A position that grows as work is recorded; a turn that leaves it unchanged recorded nothing. */
  position(): number;
  /** Calls `waiter` once everything up to `position` is committed; false, calling nothing, if it already is. */
  wait(position: number, waiter: CommitWaiter): boolean;
}
