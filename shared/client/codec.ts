/**
 * The seam between the connection and a wire format. The connection owns the socket and the
 * queue of requests in flight; a codec only turns requests into bytes and bytes into replies.
 * The text protocol and memcached's binary protocol implement it.
 * @module
 */
import type { ClientError } from './client-errors.ts';
import type { Reply, ReplyShape } from './reply.ts';
import type { Request } from './request.ts';

/** Where a decoder delivers what it decodes: the connection that owns it. */
export interface DecoderSink {
  /** The shape of the oldest request still waiting, or `undefined` when none waits. */
  expectedShape(): ReplyShape | undefined;
  /**
   * The tag the reply to the oldest waiting request must carry (see {@link Codec.tagOf}), or
   * `undefined` when none waits.
   */
  expectedTag(): number | undefined;
  /** One complete reply, for the oldest waiting request. */
  reply(reply: Reply): void;
  /** The byte stream cannot be decoded; the decoder accepts no more input after this. */
  fail(error: ClientError): void;
}

/** An incremental reply decoder: feed it chunks as they arrive, in any sizes. */
export interface ReplyDecoder {
  /** Consumes `chunk`, delivering every reply it completes to the sink. */
  feed(chunk: Buffer): void;
}

/** Limits a decoder enforces before it allocates. */
export interface DecoderLimits {
  /** The largest value a reply may carry (default 1 MiB, memcached's default item size limit). */
  readonly maxValueBytes?: number;
}

/** A wire format. */
export interface Codec {
  /** `text` or `binary`. */
  readonly name: string;
  /** The request's bytes; throws a `BAD_REQUEST` {@link ClientError} if it cannot be encoded. */
  encode(request: Request): Buffer;
  /** How the reply to `request` is framed (see {@link ReplyShape}). */
  shapeOf(request: Request): ReplyShape;
  /**
   * The tag that the reply to these encoded bytes will carry back: the binary protocol's opaque,
   * which the server echoes. The connection keeps it beside the request, and the decoder checks
   * that each reply carries the tag of the request it is matched to, so a reply can never answer
   * the wrong request unnoticed. 0 for a protocol whose replies carry no tag (text).
   */
  tagOf(bytes: Buffer): number;
  /** A fresh decoder for one connection. */
  createDecoder(sink: DecoderSink, limits?: DecoderLimits): ReplyDecoder;
}
