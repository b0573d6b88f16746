/**
 * What every protocol's sealing step returns: the bytes a session writes, and how it then proves
 * the server still answers it.
 * @module
 */

/**
 * A session's stream made safe to send, with its sync. The sync is padding that completes
 * whatever frame the server may still be reading, then a probe whose reply contains `marker`;
 * it is null when no bounded padding can (a declared length too large to fill), and the session
 * then closes without asking.
 */
export interface SealedStream {
  readonly stream: Buffer;
  readonly sync: Buffer | null;
  readonly marker: Buffer;
}

/**
 * The most padding a sync may send. A declared length beyond it makes the session end without a
 * sync; 256 KiB is above every length the generators send in full (160 KiB) and small enough that
 * a padded session costs a few milliseconds.
 */
export const MAX_SYNC_PADDING = 256 * 1024;
