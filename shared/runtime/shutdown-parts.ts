/**
 * What a graceful shutdown works on, as the sequence in shutdown-sequence.ts sees it: a listener
 * that can stop accepting and force its sockets, connections that can drain, resources that close
 * last, and the summary it reports. Kept apart so the sequence (an exercise) holds only its steps.
 * @module
 */

/** The listener's part in a shutdown; the TCP listener of tcp-listener.ts is one. */
export interface Listening {
  /** Open served sockets: what the deadline would force. */
  readonly sockets: ReadonlySet<unknown>;
  /** Stops accepting; resolves once the listening socket and every connection are closed. */
  stopAccepting(): Promise<void>;
  /** Destroys every open socket at once. */
  destroyConnections(): void;
}

/** A connection that can finish what it has read, flush, and close by itself. */
export interface Drainable {
  /** Stops reading; closes once the requests already read are answered (at once when idle). */
  drain(): void;
}

/** Something that lives as long as the server and is closed after the connections. */
export interface Resource {
  /** Releases it (threads terminated, listeners closed); resolves when done. */
  close(): Promise<void>;
}

/** What a graceful shutdown achieved. */
export interface ShutdownSummary {
  /** Connections that finished their work and closed within the deadline. */
  readonly drained: number;
  /** Connections destroyed at the deadline (a client that never read, or never stopped sending a request). */
  readonly forced: number;
  readonly milliseconds: number;
}
