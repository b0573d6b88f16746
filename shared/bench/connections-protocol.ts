/**
 * The messages between connections mode and its client processes (over the fork IPC channel):
 * open N connections, verify that each answers, close — and stop opening, when the machine runs
 * short of memory. Each step reports back with counts.
 * @module
 */
import type { PortRange } from './source-ports.ts';

/** A server process to connect to. */
export interface ServerAddress {
  readonly host: string;
  readonly port: number;
}

/** Parent → child. */
export type ParentMessage =
  | {
      readonly type: 'open';
      /** Every server process of the target; connections are spread over them evenly. */
      readonly servers: readonly ServerAddress[];
      readonly count: number;
      /** Source addresses to rotate through, so ports come from several loopback addresses. */
      readonly localAddresses: readonly string[];
      /**
       * This process's place among `stride` client processes: its i-th connection is the run's
       * connection `first + i × stride`, which picks its server and its source address, so that
       * every process spreads over all servers and addresses alike.
       */
      readonly first: number;
      /**
       * This process's own ports on every source address (see {@link PortRange}): it binds each
       * connection to a pair of its choosing. Absent: it binds the address alone, and the kernel
       * searches for a free port.
       */
      readonly sourcePorts?: PortRange;
      readonly stride: number;
      readonly parallel: number;
      readonly timeoutMs: number;
      /** The wire protocol of the verifying request (`text` or `binary`); `none`: the target answers nothing, open is all. */
      readonly protocol: string;
    }
  | { readonly type: 'verify' }
  /** Open no more connections (the parent saw memory run short); report those opened so far. */
  | { readonly type: 'stop' }
  | { readonly type: 'close' };

/** Child → parent. */
export type ChildMessage =
  | {
      readonly type: 'opened';
      readonly opened: number;
      readonly failures: Record<string, number>;
      /** Source pairs found taken and stepped over, by error code (with `sourcePorts` only). */
      readonly retried: Record<string, number>;
      readonly elapsedMs: number;
    }
  | {
      readonly type: 'verified';
      readonly answered: number;
      /** Of those, how many went to each server process, in the order of `servers`. */
      readonly answeredPerServer: readonly number[];
      readonly failures: Record<string, number>;
      readonly elapsedMs: number;
    };

/** The verifying protocol of a target that serves none (the bare `net.Server`). */
export const NO_PROTOCOL = 'none';
