/**
 * The messages between connections mode and its client processes (over the fork IPC channel):
 * open N connections, verify that each answers, close. Each step reports back with counts.
 * @module
 */

/** Parent → child. */
export type ParentMessage =
  | {
      readonly type: 'open';
      readonly host: string;
      readonly port: number;
      readonly count: number;
      /** Source addresses to rotate through, so ports come from several loopback addresses. */
      readonly localAddresses: readonly string[];
      /** The first connection's position in the rotation, so processes do not all start on the same address. */
      readonly firstIndex: number;
      readonly parallel: number;
      readonly timeoutMs: number;
      /** The wire protocol of the verifying request (`text` or `binary`). */
      readonly protocol: string;
    }
  | { readonly type: 'verify' }
  | { readonly type: 'close' };

/** Child → parent. */
export type ChildMessage =
  | { readonly type: 'opened'; readonly opened: number; readonly failures: Record<string, number>; readonly elapsedMs: number }
  | { readonly type: 'verified'; readonly answered: number; readonly failures: Record<string, number>; readonly elapsedMs: number };
