/**
 * What the server asks of every kind of connection, whatever its model (blocking, event loop,
 * ring workers): to be drained for a graceful shutdown, and to say how much it has served. The
 * composition root keeps one registry of them.
 * @module
 */

/** One client connection, as the server sees it. */
export interface Connection {
  /**
   * Stops taking new requests: the one in progress and the complete requests already read are
   * served, their replies written, then the connection closes with a FIN. Idle, it closes at once.
   */
  drain(): void;
}

/** Makes the connection that serves an accepted socket; it registers for 'close' on its own. */
export type ConnectionFactory<S> = (socket: S) => Connection;
