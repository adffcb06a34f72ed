// Which columns of a part get a bitmap index, and when a builder gives up on one
// (bitmap-index-builder.ts judges as it goes, so an unsuitable column costs little).
//
// Asked for (writePart's `bitmapColumns`, CREATE INDEX ... USING BITMAP): indexed unless the
// part's column has more than MAX_INDEX_VALUES distinct values; past that a bitmap per value
// costs more to store and to read than the column itself, so the part goes without (scans fall
// back to zone maps) and the writer says so.
//
// Chosen automatically (every other column), from the column's statistics in the part:
// - the part has at least AUTO_INDEX_MIN_ROWS rows in at least 2 blocks (an index of one block
//   can skip nothing);
// - few values: at most AUTO_INDEX_MAX_VALUES distinct values and at least
//   AUTO_INDEX_ROWS_PER_VALUE rows per value on average (a unique or high-cardinality column
//   gets none);
// - clustered values: on average a value occurs in at most AUTO_INDEX_MAX_SPREAD of the blocks
//   (the sum over blocks of their distinct values <= AUTO_INDEX_MAX_SPREAD x blocks x distinct
//   values), so an equality lets a scan skip most blocks. Values scattered evenly (every block
//   holds every value) are left out: their bitmaps skip no block, and they are large — about 2
//   bytes per row in roaring array containers, more than the column itself (measured: 2.1 MB
//   for 1M rows of 25 random values, whose bit-packed column takes 0.66 MB; the same values in
//   runs take 1.3 KB).
// The builder judges the spread after AUTO_INDEX_JUDGE_AFTER_BLOCKS blocks and at the end, and
// the value count at every new value. Block statistics rule a column out before any work (a
// block with more distinct values than allowed).

import { DICTIONARY_LIMIT } from '../encoding/block-analysis.js';
import type { BlockMeta } from '../part/part-meta.js';

export const MAX_INDEX_VALUES = 65536;
export const AUTO_INDEX_MIN_ROWS = 8192;
export const AUTO_INDEX_MAX_VALUES = 1024;
export const AUTO_INDEX_ROWS_PER_VALUE = 64;
export const AUTO_INDEX_MAX_SPREAD = 0.5;
export const AUTO_INDEX_JUDGE_AFTER_BLOCKS = 4;

/** What a builder may accept. */
export interface IndexLimits {
  /** Most distinct non-NULL values. */
  readonly maxValues: number;
  /** Largest average fraction of the blocks a value may occur in; null: no limit. */
  readonly maxSpread: number | null;
}

/** Limits of an index asked for. */
export const REQUESTED_INDEX: IndexLimits = { maxValues: MAX_INDEX_VALUES, maxSpread: null };

/** Limits of an automatic index of a part of `rows` rows; null when the part gets none. */
export function autoIndexLimits(rows: number): IndexLimits | null {
  if (rows < AUTO_INDEX_MIN_ROWS) return null;
  return { maxValues: Math.min(AUTO_INDEX_MAX_VALUES, Math.floor(rows / AUTO_INDEX_ROWS_PER_VALUE)), maxSpread: AUTO_INDEX_MAX_SPREAD };
}

/** True when values are spread too evenly for `limits`: judged once enough blocks were seen,
 *  and at the end (`final`), where fewer than 2 blocks or no value at all (NULLs only: zone
 *  maps know their counts) also fail. */
export function spreadTooWide(limits: IndexLimits, blocks: number, blockValues: number, values: number, final: boolean): boolean {
  if (limits.maxSpread === null) return false;
  if (final && (blocks < 2 || values === 0)) return true;
  if (!final && blocks < AUTO_INDEX_JUDGE_AFTER_BLOCKS) return false;
  return blockValues > limits.maxSpread * blocks * values;
}

/** True when a block's statistics prove the column has more than `maxValues` distinct values.
 *  Block distinct counts are exact up to DICTIONARY_LIMIT; a larger count only proves more
 *  than DICTIONARY_LIMIT. */
export function blockRulesOutIndex(block: Pick<BlockMeta, 'distinct'>, maxValues: number): boolean {
  return Math.min(block.distinct, DICTIONARY_LIMIT + 1) > maxValues;
}
