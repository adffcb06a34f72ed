// The build side of a hash join: a chained hash table over the build rows' encoded keys, as in
// DuckDB's JoinHashTable. `heads[hash & mask]` holds the first build row of a bucket and
// `next[row]` the following one (-1 ends a chain); both are Int32Arrays, and rows are linked so
// that a chain lists rows in build order. Rows with a NULL in any key column are left out:
// a NULL key never matches.

import type { KeyColumns } from './key-columns.js';

export class JoinHashTable {
  /** The build rows' keys (with hashes). */
  readonly keys: KeyColumns;
  readonly heads: Int32Array;
  readonly next: Int32Array;
  readonly mask: number;

  constructor(keys: KeyColumns) {
    this.keys = keys;
    const n = keys.count;
    let size = 16;
    while (size < n * 2) size *= 2;
    const heads = new Int32Array(size).fill(-1);
    const next = new Int32Array(n).fill(-1);
    const mask = size - 1;
    const hashes = keys.hashes;
    const anyNull = keys.anyNull;
    // Insert in reverse so each chain reads in ascending row order.
    for (let j = n - 1; j >= 0; j--) {
      if (anyNull[j] === 1) continue;
      const b = hashes[j]! & mask;
      next[j] = heads[b]!;
      heads[b] = j;
    }
    this.heads = heads;
    this.next = next;
    this.mask = mask;
  }
}
