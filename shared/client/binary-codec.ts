/**
 * memcached's binary protocol as a {@link Codec}: the encoder, the incremental decoder, and the
 * opaque of each request as the tag its reply must carry back.
 * @module
 */
import { Header } from '../protocol/binary/constants.ts';
import { BinaryReplyDecoder } from './binary-decoder.ts';
import { encodeBinary } from './binary-encoder.ts';
import type { Codec, DecoderLimits, DecoderSink, ReplyDecoder } from './codec.ts';
import { textShapeOf } from './text-codec.ts';

/** memcached's binary protocol (24-byte headers, magic 0x80/0x81). */
export const binaryCodec: Codec = {
  name: 'binary',
  encode: encodeBinary,
  // The same kinds of reply as in text. The binary decoder never asks: every packet states its length.
  shapeOf: textShapeOf,
  // Every packet of one request carries the same opaque, so the first packet's is the request's.
  tagOf: (bytes: Buffer) => bytes.readUInt32BE(Header.OPAQUE),
  createDecoder(sink: DecoderSink, limits?: DecoderLimits): ReplyDecoder {
    return new BinaryReplyDecoder(sink, limits);
  },
};
