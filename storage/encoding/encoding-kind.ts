// The block encodings: their stable byte ids (written in every block header, so they MUST never
// be renumbered) and their names, which `SET force_encoding = '...'` and storage_info use.

import { QuiverError } from '../../common/errors.js';

export enum EncodingId {
  PLAIN = 1,
  RLE = 2,
  DICTIONARY = 3,
  BITPACKING = 4,
  DELTA = 5,
}

export type EncodingName = 'plain' | 'rle' | 'dictionary' | 'bitpacking' | 'delta';

export const ENCODING_NAMES: readonly EncodingName[] = ['plain', 'rle', 'dictionary', 'bitpacking', 'delta'];

const BY_ID: Record<EncodingId, EncodingName> = {
  [EncodingId.PLAIN]: 'plain',
  [EncodingId.RLE]: 'rle',
  [EncodingId.DICTIONARY]: 'dictionary',
  [EncodingId.BITPACKING]: 'bitpacking',
  [EncodingId.DELTA]: 'delta',
};

export function encodingName(id: EncodingId): EncodingName {
  return BY_ID[id];
}

/** Other spellings users reach for (DuckDB's names among them). */
const ALIASES: Record<string, EncodingName> = {
  plain: 'plain',
  uncompressed: 'plain',
  rle: 'rle',
  run_length: 'rle',
  dictionary: 'dictionary',
  dict: 'dictionary',
  bitpacking: 'bitpacking',
  bitpack: 'bitpacking',
  for: 'bitpacking',
  frame_of_reference: 'bitpacking',
  delta: 'delta',
};

/**
 * Parses the value of `force_encoding`: an encoding name (any case, with the aliases above), or
 * 'auto' / '' for "let each block choose" (returned as null).
 */
export function parseForcedEncoding(text: string): EncodingName | null {
  const key = text.trim().toLowerCase();
  if (key === 'auto' || key === '') return null;
  const name = ALIASES[key];
  if (name === undefined) {
    throw new QuiverError(
      'INVALID_INPUT',
      `unknown encoding "${text}"; use one of ${ENCODING_NAMES.map((n) => `'${n}'`).join(', ')} or 'auto'`,
    );
  }
  return name;
}
