/**
 * Test plumbing for the binary codec: a fixed {@link ServerInfo}, and `serve()`, which pushes
 * request bytes through the parser and the executor exactly as a connection would and returns
 * the decoded responses and whether the connection was closed.
 * @module
 */
import type { Store } from '../../../store/store.ts';
import type { ServerInfo, Stat } from '../../server-info.ts';
import { ServerCounters } from '../../../runtime/server-counters.ts';
import { BinaryParser } from '../binary-parser.ts';
import { executeBinary } from '../binary-executor.ts';
import { After } from '../../after.ts';
import { BinaryReply } from '../binary-reply.ts';
import { BinaryHits } from '../binary-hit.ts';
import { splitResponses, type BinaryResponse } from '../response-decoder.ts';

/** A server with fixed answers, so tests can predict Stat and Version. */
export function fakeServer(): ServerInfo {
  return {
    version: '1.6.18-test',
    stats: (): Stat[] => [['pid', 42], ['uptime', 7]],
    settings: (): Stat[] => [['maxbytes', 67108864], ['item_size_max', 1048576]],
    setVerbosity: () => undefined,
    count: () => undefined,
    resetStats: () => undefined,
    detail: new ServerCounters().prefixes,
    shutdownEnabled: false,
    shutdown: () => undefined,
  };
}

/** What a connection would have sent back. */
export interface Served {
  readonly responses: BinaryResponse[];
  /** The executor or the parser asked for the connection to be closed. */
  readonly closed: boolean;
  /** The raw reply bytes. */
  readonly bytes: Buffer;
}

/**
 * Feeds `chunks` to a fresh parser, executes every request, and decodes the replies. Gets take
 * the fast path (binary-hit.ts) wherever the store offers it, as in a session.
 */
export function serve(store: Store, chunks: readonly Buffer[], server: ServerInfo = fakeServer()): Served {
  const parser = new BinaryParser({ maxItemSize: store.maxItemSize });
  const reply = new BinaryReply();
  const hits = new BinaryHits(reply);
  let closed = false;
  for (const chunk of chunks) {
    parser.feed(chunk);
    for (let frame = parser.next(); frame !== undefined && !closed; frame = parser.next()) {
      if (executeBinary(frame, store, server, reply, hits) === After.Close) closed = true;
    }
    if (closed) break;
  }
  const bytes = Buffer.concat(reply.take());
  const { responses, rest } = splitResponses(bytes);
  if (rest.length > 0) throw new Error(`${rest.length} stray reply bytes`);
  return { responses, closed, bytes };
}

/** A response as a plain object with readable fields, for deepEqual and for failure messages. */
export function readable(response: BinaryResponse): Record<string, string | number | boolean> {
  return {
    opcode: `0x${response.opcode.toString(16)}`,
    status: `0x${response.status.toString(16)}`,
    opaque: response.opaque,
    casIsZero: response.cas === 0n,
    extras: response.extras.toString('hex'),
    key: response.key.toString('latin1'),
    value: response.value.length > 64 ? `<${response.value.length} bytes>` : response.value.toString('latin1'),
  };
}
