// Row comparison for ORDER BY, shared by the full sort and top-N. Sort keys are encoded into
// KeyColumns (key-columns.ts: integers, normalized doubles, BIGINT/DECIMAL as (hi, lo) words,
// strings), and `makeComparator` builds one closure per key column specialized for its
// representation, once per sort — never per row. Orders follow PostgreSQL:
//   - NULLs go first or last as the key says (the planner resolved the default: NULLs larger);
//   - NaN is greater than every other double and equal to itself; -0 equals 0;
//   - strings compare by UTF-16 code unit (PostgreSQL's C collation);
//   - DESC reverses the value order only; NULL placement is nullsFirst's alone.
// Ties compare 0; callers break them by input position, which makes the sort stable.

import type { SortKey } from '../plan.js';
import { KEY_F64, KEY_I32, KEY_STR, KEY_WIDE, type KeyColumn, type KeyColumns, type KeyKind } from '../hash/key-columns.js';

/** Orders row i of one KeyColumns against row j of another (or the same). */
export type RowComparator = (i: number, j: number) => number;

/**
 * A comparator of row i of `a` with row j of `b` (same kinds), where key column c of both is
 * sort key keys[c].
 */
export function makeComparator(a: KeyColumns, b: KeyColumns, keys: readonly SortKey[]): RowComparator {
  const cmps: RowComparator[] = keys.map((k, c) => columnComparator(a.kinds[c]!, a.cols[c]!, b.cols[c]!, k.desc, k.nullsFirst));
  if (cmps.length === 1) return cmps[0]!;
  if (cmps.length === 2) {
    const [c0, c1] = cmps as [RowComparator, RowComparator];
    return (i, j) => c0(i, j) || c1(i, j);
  }
  return (i, j) => {
    for (let c = 0; c < cmps.length; c++) {
      const r = cmps[c]!(i, j);
      if (r !== 0) return r;
    }
    return 0;
  };
}

function columnComparator(kind: KeyKind, a: KeyColumn, b: KeyColumn, desc: boolean, nullsFirst: boolean): RowComparator {
  const va = a.valid;
  const vb = b.valid;
  // Result when only the left row is NULL.
  const leftNull = nullsFirst ? -1 : 1;
  const sign = desc ? -1 : 1;
  switch (kind) {
    case KEY_I32: {
      const xa = a.i32;
      const xb = b.i32;
      return (i, j) => {
        const na = va[i]!;
        const nb = vb[j]!;
        if ((na & nb) === 0) return na === nb ? 0 : na === 0 ? leftNull : -leftNull;
        const x = xa[i]!;
        const y = xb[j]!;
        return x < y ? -sign : x > y ? sign : 0;
      };
    }
    case KEY_F64: {
      const xa = a.f64;
      const xb = b.f64;
      return (i, j) => {
        const na = va[i]!;
        const nb = vb[j]!;
        if ((na & nb) === 0) return na === nb ? 0 : na === 0 ? leftNull : -leftNull;
        const x = xa[i]!;
        const y = xb[j]!;
        if (x < y) return -sign;
        if (x > y) return sign;
        if (x === y) return 0;
        // At least one NaN: NaN is the greatest double.
        const xn = x !== x;
        return xn === (y !== y) ? 0 : xn ? sign : -sign;
      };
    }
    case KEY_WIDE: {
      const ha = a.i32;
      const hb = b.i32;
      const la = a.lo;
      const lb = b.lo;
      return (i, j) => {
        const na = va[i]!;
        const nb = vb[j]!;
        if ((na & nb) === 0) return na === nb ? 0 : na === 0 ? leftNull : -leftNull;
        const x = ha[i]!;
        const y = hb[j]!;
        if (x !== y) return x < y ? -sign : sign;
        // Low words are unsigned.
        const p = la[i]! >>> 0;
        const q = lb[j]! >>> 0;
        return p < q ? -sign : p > q ? sign : 0;
      };
    }
    case KEY_STR: {
      const xa = a.str;
      const xb = b.str;
      return (i, j) => {
        const na = va[i]!;
        const nb = vb[j]!;
        if ((na & nb) === 0) return na === nb ? 0 : na === 0 ? leftNull : -leftNull;
        const x = xa[i]!;
        const y = xb[j]!;
        return x < y ? -sign : x > y ? sign : 0;
      };
    }
  }
}

/** A stable ordering of rows [0, n): the row permutation sorted by `cmp`, ties by position. */
export function sortPermutation(n: number, cmp: RowComparator): Int32Array {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  perm.sort((x, y) => cmp(x, y) || x - y);
  return perm;
}
