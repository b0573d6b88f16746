/**
 * KV Lab's memcached client: a pooled, pipelining client for memcached's text and binary
 * protocols (`protocol: 'text' | 'binary'`). Start with {@link Client}; drop to
 * {@link Connection} for pipelining and to {@link Codec} to add a wire format.
 * @module
 */
export { Client, type Value } from './client.ts';
export { ClientError, CLIENT_ERRORS, type ClientErrorCode } from './client-errors.ts';
export type { Codec, DecoderLimits, DecoderSink, ReplyDecoder } from './codec.ts';
export { Connection, type ConnectionOptions } from './connection.ts';
export { Pool, type PoolOptions } from './pool.ts';
export { ReplyShape, Status, type ErrorKind, type Item, type Reply } from './reply.ts';
export type { ReplyListener } from './reply-listener.ts';
export type { Request, StoreOp, StoreOptions } from './request.ts';
export { textCodec } from './text-codec.ts';
export { binaryCodec } from './binary-codec.ts';
export { codecFor, PROTOCOL_NAMES, type ProtocolName } from './codecs.ts';
