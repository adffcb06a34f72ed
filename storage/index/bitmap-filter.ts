// Evaluates a scan's pushed predicates (storage/table.ts) with a part's bitmap indexes, before
// any column data is read: each conjunct that an index can answer becomes a bitmap of the part
// rows that may satisfy it, conjuncts are intersected, the branches of an OR united. A conjunct
// no index answers (its column has no index, the index cannot tell) restricts nothing; an OR
// restricts only when every branch does. The result may hold extra rows, never miss one: the
// caller still filters exactly.
//
// A column the part lacks (added after the part was written) is all NULL: IS NULL holds on every
// row, any other predicate on none.

import type { ColumnPredicate, StoragePredicate } from '../table.js';
import type { BitmapIndex } from './bitmap-index.js';
import { RoaringBitmap32 } from './roaring.js';

export interface IndexedRows {
  readonly rows: number;
  /** Columns the part has. */
  readonly columnCount: number;
  /** Does `column` have an index (no I/O)? */
  has(column: number): boolean;
  /** The index of `column`, opened on first use; null when it has none. */
  index(column: number): Promise<BitmapIndex> | null;
}

/** True when some predicate can be answered by an index (so evaluating is worth a try). */
export function indexesMayHelp(part: IndexedRows, predicates: readonly StoragePredicate[]): boolean {
  const answerable = (p: ColumnPredicate) => p.column >= part.columnCount || part.has(p.column);
  for (const p of predicates) {
    if (p.op === 'or') {
      if (p.branches.every((b) => b.some(answerable))) return true;
    } else if (p.column < part.columnCount && answerable(p)) {
      return true;
    }
  }
  return false;
}

/** The part rows that may satisfy every predicate, or null when no index restricts them. The
 *  bitmap MAY be shared with an index's cache: callers MUST NOT change it. */
export function rowsMatching(part: IndexedRows, predicates: readonly StoragePredicate[]): Promise<RoaringBitmap32 | null> {
  return conjunction(part, predicates);
}

async function conjunction(part: IndexedRows, predicates: readonly StoragePredicate[]): Promise<RoaringBitmap32 | null> {
  let result: RoaringBitmap32 | null = null;
  for (const p of predicates) {
    const rows = p.op === 'or' ? await disjunction(part, p.branches) : await answer(part, p);
    if (rows === null) continue;
    result = result === null ? rows : RoaringBitmap32.and(result, rows);
    // Nothing left: the other conjuncts need not be read.
    if (result.size === 0) return result;
  }
  return result;
}

async function disjunction(part: IndexedRows, branches: readonly (readonly ColumnPredicate[])[]): Promise<RoaringBitmap32 | null> {
  const parts: RoaringBitmap32[] = [];
  for (const b of branches) {
    const rows = await conjunction(part, b);
    if (rows === null) return null; // this branch may hold any row
    parts.push(rows);
  }
  if (parts.length === 1) return parts[0]!;
  return RoaringBitmap32.orMany(parts);
}

async function answer(part: IndexedRows, p: ColumnPredicate): Promise<RoaringBitmap32 | null> {
  if (p.column >= part.columnCount) return p.op === 'is_null' ? null : new RoaringBitmap32();
  const index = part.index(p.column);
  return index === null ? null : (await index).rowsFor(p);
}
