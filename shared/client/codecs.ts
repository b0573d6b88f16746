/**
 * The wire formats by name, so options and tools can say `protocol: 'binary'` or
 * `--protocol binary` instead of importing a codec.
 * @module
 */
import { binaryCodec } from './binary-codec.ts';
import { ClientError } from './client-errors.ts';
import type { Codec } from './codec.ts';
import { textCodec } from './text-codec.ts';

/** The protocols the client speaks. */
export type ProtocolName = 'text' | 'binary';

const CODECS: ReadonlyMap<string, Codec> = new Map([
  [textCodec.name, textCodec],
  [binaryCodec.name, binaryCodec],
]);

/** Every protocol name with a codec, for help texts and error messages. */
export const PROTOCOL_NAMES: readonly string[] = [...CODECS.keys()];

/** The codec called `name`; throws an `UNSUPPORTED` {@link ClientError} for any other name. */
export function codecFor(name: string): Codec {
  const codec = CODECS.get(name);
  if (!codec) throw new ClientError('UNSUPPORTED', `no codec for protocol "${name}" (available: ${PROTOCOL_NAMES.join(', ')})`);
  return codec;
}
