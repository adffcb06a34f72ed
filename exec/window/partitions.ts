// Sorts the rows of a Window node once by (partition keys, order keys) and finds, for every
// sorted position, the bounds of its partition and of its peer group (rows equal on both the
// partition and the order keys). Keys are encoded and compared by the ORDER BY machinery
// (exec/hash/key-columns.ts, exec/sort/compare.ts), so NULLs, NaN and strings order exactly as
// ORDER BY orders them; partition keys sort ascending, NULLs together (NULL partition keys form
// one partition, as in SQL).

import type { LogicalType } from '../../common/types.js';
import type { FlatVector } from '../../common/vector.js';
import type { SortKey } from '../plan.js';
import { KeyEncoder, keyKindOf } from '../hash/key-columns.js';
import { makeComparator, sortPermutation } from '../sort/compare.js';

/** Rows in window order. Every array is indexed by sorted position. */
export interface SortedRows {
  n: number;
  /** Sorted position -> input row. */
  perm: Int32Array;
  partStart: Int32Array;
  /** Exclusive. */
  partEnd: Int32Array;
  peerStart: Int32Array;
  /** Exclusive. */
  peerEnd: Int32Array;
}

export function sortForWindow(
  cols: readonly FlatVector[],
  types: readonly LogicalType[],
  n: number,
  partitionBy: readonly number[],
  orderBy: readonly SortKey[],
): SortedRows {
  const keyCols = [...partitionBy, ...orderBy.map((k) => k.index)];
  const keySpec: SortKey[] = [...partitionBy.map((index) => ({ index, desc: false, nullsFirst: false })), ...orderBy];
  const perm = new Int32Array(n);
  const newPart = new Uint8Array(n);
  const newPeer = new Uint8Array(n);
  if (keyCols.length === 0) {
    for (let j = 0; j < n; j++) perm[j] = j;
  } else {
    const keys = new KeyEncoder(keyCols.map((c) => keyKindOf(types[c]!))).encode(keyCols.map((c) => cols[c]!), null, n, false);
    perm.set(sortPermutation(n, makeComparator(keys, keys, keySpec)));
    const partCmp = partitionBy.length === 0 ? null : makeComparator(keys, keys, keySpec.slice(0, partitionBy.length));
    const fullCmp = orderBy.length === 0 ? null : makeComparator(keys, keys, keySpec);
    for (let j = 1; j < n; j++) {
      const a = perm[j - 1]!;
      const b = perm[j]!;
      const part = partCmp !== null && partCmp(a, b) !== 0;
      newPart[j] = part ? 1 : 0;
      newPeer[j] = part || (fullCmp !== null && fullCmp(a, b) !== 0) ? 1 : 0;
    }
  }
  const partStart = new Int32Array(n);
  const partEnd = new Int32Array(n);
  const peerStart = new Int32Array(n);
  const peerEnd = new Int32Array(n);
  let ps = 0;
  let qs = 0;
  for (let j = 0; j < n; j++) {
    if (newPart[j] === 1) ps = j;
    if (newPeer[j] === 1) qs = j;
    partStart[j] = ps;
    peerStart[j] = qs;
  }
  let pe = n;
  let qe = n;
  for (let j = n - 1; j >= 0; j--) {
    partEnd[j] = pe;
    peerEnd[j] = qe;
    if (newPart[j] === 1) pe = j;
    if (newPeer[j] === 1) qe = j;
  }
  return { n, perm, partStart, partEnd, peerStart, peerEnd };
}
