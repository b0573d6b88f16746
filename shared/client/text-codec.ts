/**
 * The memcached text protocol as a {@link Codec}: the encoder and the incremental decoder, plus
 * the shape of each request's reply.
 * @module
 */
import type { Codec, DecoderLimits, DecoderSink, ReplyDecoder } from './codec.ts';
import { ReplyShape } from './reply.ts';
import type { Request } from './request.ts';
import { TextReplyDecoder } from './text-decoder.ts';
import { encodeText } from './text-encoder.ts';

/** The shape of the reply to `request` in the text protocol. */
export function textShapeOf(request: Request): ReplyShape {
  switch (request.op) {
    case 'get':
    case 'gets':
      return ReplyShape.Values;
    case 'stats':
      return ReplyShape.Stats;
    default:
      return ReplyShape.Line;
  }
}

/** The memcached text (ASCII) protocol. */
export const textCodec: Codec = {
  name: 'text',
  encode: encodeText,
  shapeOf: textShapeOf,
  // Text replies carry nothing to match them by: order alone pairs them with their requests.
  tagOf: () => 0,
  createDecoder(sink: DecoderSink, limits?: DecoderLimits): ReplyDecoder {
    return new TextReplyDecoder(sink, limits);
  },
};
