// The registry of block encodings, by name and by header id.

import type { BlockEncoding } from './block-encoding.js';
import { corruptBlock } from './block-reader.js';
import { delta } from './delta.js';
import { dictionary } from './dictionary.js';
import { EncodingId, type EncodingName } from './encoding-kind.js';
import { frameOfReference } from './frame-of-reference.js';
import { plain } from './plain.js';
import { rle } from './rle.js';

export const ENCODINGS: Readonly<Record<EncodingName, BlockEncoding>> = {
  plain,
  rle,
  dictionary,
  bitpacking: frameOfReference,
  delta,
};

const BY_ID: ReadonlyMap<EncodingId, BlockEncoding> = new Map(Object.values(ENCODINGS).map((e) => [e.id, e]));

export function encodingById(id: EncodingId): BlockEncoding {
  const e = BY_ID.get(id);
  if (e === undefined) throw corruptBlock(`unknown encoding id ${id}`);
  return e;
}
