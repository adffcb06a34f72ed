// Picks each block's encoding from its statistics: the smallest estimated size among the
// encodings that can hold the block exactly. In practice: run-length when runs are long,
// dictionary when few distinct values repeat (VARCHAR above all), delta when sorted integers
// step by little, bitpacking when the range is narrow, plain otherwise. An encoding is only
// worth it when it saves more than TIE_BYTES over plain, which costs least to decode. Among
// those that do, sizes within TIE_BYTES of the smallest are a tie, won by the first of rle,
// dictionary, delta, bitpacking: rle and dictionary blocks reach the operators still
// compressed (a constant block is one run, not 64Ki dictionary codes or bit-packed zeros).
// rle takes part in a tie only when its runs are at least RLE_MIN_TIE_RUN rows long on average.
// A forced encoding (SET force_encoding, for tests) is used whenever it can hold the block;
// otherwise the block is plain and the choice says why.

import type { BlockAnalysis } from './block-analysis.js';
import type { BlockEncoding } from './block-encoding.js';
import { bitmapBytes } from './bitmap.js';
import type { EncodingName } from './encoding-kind.js';
import { ENCODINGS } from './encodings.js';

/** Size differences up to this many bytes (a few header fields) do not decide a choice. */
const TIE_BYTES = 16;

/** Average rows per run from which rle wins a tie. */
const RLE_MIN_TIE_RUN = 2;

const BY_PREFERENCE: readonly BlockEncoding[] = [ENCODINGS.rle, ENCODINGS.dictionary, ENCODINGS.delta, ENCODINGS.bitpacking];

export interface EncodingChoice {
  readonly encoding: BlockEncoding;
  /** Why a forced encoding was not used (the block is then plain); null otherwise. */
  readonly fallback: string | null;
}

/** Estimated bytes of the block under `e` (payload plus its per-row validity bitmap); null if `e` cannot hold it. */
export function estimatedBytes(e: BlockEncoding, a: BlockAnalysis): number | null {
  if (e.unsupported(a) !== null) return null;
  const validity = e.rowValidity && a.stats.nulls > 0 ? bitmapBytes(a.stats.rows) : 0;
  return e.estimate(a) + validity;
}

export function chooseEncoding(a: BlockAnalysis, force: EncodingName | null = null): EncodingChoice {
  if (force !== null) {
    const forced = ENCODINGS[force];
    const why = forced.unsupported(a);
    return why === null ? { encoding: forced, fallback: null } : { encoding: ENCODINGS.plain, fallback: `${why}; the block is stored plain` };
  }
  const sizes = BY_PREFERENCE.map((e) => estimatedBytes(e, a));
  let smallest = Infinity;
  for (const bytes of sizes) if (bytes !== null && bytes < smallest) smallest = bytes;
  if (smallest >= estimatedBytes(ENCODINGS.plain, a)! - TIE_BYTES) return { encoding: ENCODINGS.plain, fallback: null };
  // Runs shorter than RLE_MIN_TIE_RUN rows on average give the operators nothing to gain, so
  // rle then wins only by being the smallest: with its run values bit-packed it can come within
  // TIE_BYTES of bitpacking even when nearly every run is one row.
  const rleTies = a.runs * RLE_MIN_TIE_RUN <= a.stats.rows;
  const best = BY_PREFERENCE.find((e, k) => sizes[k] !== null && (sizes[k] === smallest || (sizes[k]! <= smallest + TIE_BYTES && (e !== ENCODINGS.rle || rleTies))))!;
  return { encoding: best, fallback: null };
}
