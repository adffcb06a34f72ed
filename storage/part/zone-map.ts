// Block pruning by zone maps: can a block whose non-NULL values lie in [min, max], with `nulls`
// NULLs among `rows`, hold a row satisfying a pushed predicate? A "no" MUST be certain (the
// block is skipped unread); whenever the statistics cannot decide — a NaN in the block or the
// predicate, values of kinds that do not compare (a string against a number, an INTERVAL) — the
// answer is "maybe". Numbers and bigints compare exactly with JavaScript's relational operators
// (a bigint against a number is compared by mathematical value), strings by UTF-16 code unit,
// which is the order the block statistics use (encoding/block-analysis.ts). An OR may match a
// block when some branch may: every conjunct of that branch may match the block.

import type { Scalar } from '../../common/vector.js';
import type { ColumnPredicate, StoragePredicate } from '../table.js';

/** The zone map of one block, as part.meta holds it. */
export interface ZoneMap {
  readonly rows: number;
  readonly nulls: number;
  readonly min: Scalar;
  readonly max: Scalar;
}

type Ordered = number | bigint | string;

/** True when a and b order against each other in the zone-map order without doubt. */
function comparable(a: Scalar, b: Scalar): boolean {
  if (typeof a === 'string') return typeof b === 'string';
  if (typeof a === 'number') return (typeof b === 'number' || typeof b === 'bigint') && !Number.isNaN(a) && !(typeof b === 'number' && Number.isNaN(b));
  if (typeof a === 'bigint') return typeof b === 'bigint' || (typeof b === 'number' && !Number.isNaN(b));
  return false;
}

/** May a non-NULL value in [min, max] equal x? */
function mayEqual(z: ZoneMap, x: Scalar): boolean {
  if (x === null) return false; // x = NULL is never true
  if (!comparable(z.min, x) || !comparable(z.max, x)) return true;
  return !((x as Ordered) < (z.min as Ordered) || (x as Ordered) > (z.max as Ordered));
}

/** False only when no row of the block can satisfy `p`. `p.column` is not consulted. */
export function zoneMayMatch(z: ZoneMap, p: ColumnPredicate): boolean {
  if (p.op === 'is_null') return z.nulls > 0;
  if (p.op === 'is_not_null') return z.nulls < z.rows;
  // Every other predicate is false (or unknown) on a NULL row.
  if (z.nulls >= z.rows) return false;
  if (p.op === 'in') {
    for (const x of p.values) if (mayEqual(z, x)) return true;
    return false;
  }
  const x = p.values[0];
  if (x === undefined) return true; // a malformed predicate prunes nothing
  if (x === null) return false;
  switch (p.op) {
    case '=':
      return mayEqual(z, x);
    case '<>':
      // Only a block whose every non-NULL value equals x fails it.
      if (!comparable(z.min, x) || !comparable(z.max, x)) return true;
      return (z.min as Ordered) < (x as Ordered) || (z.max as Ordered) > (x as Ordered);
    case '<':
      return !comparable(z.min, x) || (z.min as Ordered) < (x as Ordered);
    case '<=':
      return !comparable(z.min, x) || (z.min as Ordered) <= (x as Ordered);
    case '>':
      return !comparable(z.max, x) || (z.max as Ordered) > (x as Ordered);
    case '>=':
      return !comparable(z.max, x) || (z.max as Ordered) >= (x as Ordered);
  }
}

/** True unless some predicate rules the block out. */
export function zoneMayMatchAll(z: ZoneMap, predicates: readonly ColumnPredicate[]): boolean {
  for (const p of predicates) if (!zoneMayMatch(z, p)) return false;
  return true;
}

/** The zone maps of a part's blocks, by column; a column the part lacks reads as all NULL. */
export interface ZoneSource {
  zone(column: number, block: number): ZoneMap;
}

/** False only when no row of block `block` can satisfy `p` (any predicate form). */
export function blockMayMatch(source: ZoneSource, block: number, p: StoragePredicate): boolean {
  if (p.op !== 'or') return zoneMayMatch(source.zone(p.column, block), p);
  for (const branch of p.branches) {
    let may = true;
    for (const q of branch) {
      if (!zoneMayMatch(source.zone(q.column, block), q)) {
        may = false;
        break;
      }
    }
    if (may) return true;
  }
  return false;
}

/** True unless some predicate rules block `block` out. */
export function blockMayMatchAll(source: ZoneSource, block: number, predicates: readonly StoragePredicate[]): boolean {
  for (const p of predicates) if (!blockMayMatch(source, block, p)) return false;
  return true;
}
