/**
 * The wire formats by name, so tools can take `--protocol text|binary`. The binary codec joins
 * this table when phase 2 brings the binary protocol.
 * @module
 */
import { ClientError } from './client-errors.ts';
import type { Codec } from './codec.ts';
import { textCodec } from './text-codec.ts';

const CODECS: ReadonlyMap<string, Codec> = new Map([[textCodec.name, textCodec]]);

/** The codec called `name`; throws `UNSUPPORTED` for a protocol without one yet. */
export function codecFor(name: string): Codec {
  const codec = CODECS.get(name);
  if (!codec) throw new ClientError('UNSUPPORTED', `no codec for protocol "${name}" (available: ${[...CODECS.keys()].join(', ')})`);
  return codec;
}
