/**
 * The fuzzer's one well-behaved connection, kept apart from the fuzz connections: it stores and
 * reads back the canary and asks for `stats`. It always speaks text (servers share one store
 * between protocols), and reopens itself after a failure so that one bad moment does not blind
 * every later check.
 * @module
 */
import { Connection } from '../client/connection.ts';
import { ClientError } from '../client/client-errors.ts';
import type { Reply } from '../client/reply.ts';
import type { Request } from '../client/request.ts';

/** Why a request on the clean connection failed. */
export type CleanFailure = 'timeout' | 'closed';

/** A reply, or why there was none. */
export type CleanReply = { readonly ok: true; readonly reply: Reply } | { readonly ok: false; readonly failure: CleanFailure; readonly detail: string };

/** A clean text connection to the target. */
export class CleanConnection {
  readonly #host: string;
  readonly #port: number;
  readonly #timeoutMs: number;
  #connection: Connection | null = null;

  constructor(host: string, port: number, timeoutMs: number) {
    this.#host = host;
    this.#port = port;
    this.#timeoutMs = timeoutMs;
  }

  /** Sends one request (reconnecting first if needed) and waits at most the bound for its reply. */
  async request(request: Request): Promise<CleanReply> {
    try {
      if (this.#connection === null || !this.#connection.usable) {
        this.#connection?.destroy();
        this.#connection = await Connection.connect({ host: this.#host, port: this.#port, connectTimeoutMs: this.#timeoutMs });
      }
      return { ok: true, reply: await this.#connection.request(request, this.#timeoutMs) };
    } catch (error) {
      if (!(error instanceof ClientError)) throw error;
      this.#connection?.destroy();
      this.#connection = null;
      const failure: CleanFailure = error.code === 'TIMEOUT' ? 'timeout' : 'closed';
      return { ok: false, failure, detail: `${error.code}: ${error.message}` };
    }
  }

  /** The server's `curr_connections`, or null when it did not answer with one. */
  async currConnections(): Promise<number | null> {
    const answer = await this.request({ op: 'stats' });
    if (!answer.ok || answer.reply.kind !== 'stats') return null;
    const value = answer.reply.stats.get('curr_connections');
    return value === undefined ? null : Number(value);
  }

  /** Closes the connection (it is not counted as open once this resolves). */
  async close(): Promise<void> {
    await this.#connection?.end();
    this.#connection = null;
  }
}
