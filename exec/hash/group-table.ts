// An open-addressing hash table that maps distinct keys to dense group ids 0, 1, 2, ... in order
// of first appearance. Used by the hash aggregate, DISTINCT aggregates and set operations.
//
// Layout: the distinct keys live in a growable KeyColumns (`store`, row g = group g, with its
// hash); `slots` is an Int32Array of pairs (group id + 1, hash), 0 = empty, probed linearly
// from hash & mask. Keeping the hash beside the id means a probe that meets another key costs
// no extra cache miss; the key columns are compared only on a hash match, so no per-row
// object or string is ever made. The table doubles when half full.

import { hashKeyRow, KeyColumns, type KeyKind, keyRowsEqual } from './key-columns.js';

const INITIAL_SLOTS = 1024;

export class GroupTable {
  /** Group g's key is row g. */
  readonly store: KeyColumns;
  private slots = new Int32Array(INITIAL_SLOTS * 2);
  private mask = INITIAL_SLOTS - 1;

  constructor(kinds: readonly KeyKind[]) {
    this.store = new KeyColumns(kinds);
  }

  get groupCount(): number {
    return this.store.count;
  }

  /** The group of row `row` of `keys` (whose hash is `hash`), created when new. */
  findOrInsert(keys: KeyColumns, row: number, hash: number): number {
    const store = this.store;
    const slots = this.slots;
    const mask = this.mask;
    const h = hash | 0;
    let s = hash & mask;
    for (;;) {
      const e = slots[2 * s]!;
      if (e === 0) break;
      if (slots[2 * s + 1] === h && keyRowsEqual(store, e - 1, keys, row)) return e - 1;
      s = (s + 1) & mask;
    }
    const g = store.appendRow(keys, row);
    // appendRow copies keys.hashes[row]; callers may pass a hash computed lazily instead.
    store.hashes[g] = hash;
    slots[2 * s] = g + 1;
    slots[2 * s + 1] = h;
    if (store.count * 2 > mask) this.grow();
    return g;
  }

  /** The group of row `row` of `keys`, or -1. */
  find(keys: KeyColumns, row: number, hash: number): number {
    const store = this.store;
    const slots = this.slots;
    const mask = this.mask;
    const h = hash | 0;
    let s = hash & mask;
    for (;;) {
      const e = slots[2 * s]!;
      if (e === 0) return -1;
      if (slots[2 * s + 1] === h && keyRowsEqual(store, e - 1, keys, row)) return e - 1;
      s = (s + 1) & mask;
    }
  }

  /** Group ids of rows [0, keys.count) (keys.hashes filled) into out. */
  findOrInsertAll(keys: KeyColumns, out: Int32Array): void {
    const hashes = keys.hashes;
    for (let k = 0; k < keys.count; k++) out[k] = this.findOrInsert(keys, k, hashes[k]!);
  }

  /** Convenience for lazy paths: hashes the row itself. */
  findOrInsertRow(keys: KeyColumns, row: number): number {
    return this.findOrInsert(keys, row, hashKeyRow(keys, row));
  }

  private grow(): void {
    const size = (this.mask + 1) * 2;
    const slots = new Int32Array(size * 2);
    const mask = size - 1;
    const hashes = this.store.hashes;
    for (let g = 0; g < this.store.count; g++) {
      const h = hashes[g]!;
      let s = h & mask;
      while (slots[2 * s] !== 0) s = (s + 1) & mask;
      slots[2 * s] = g + 1;
      slots[2 * s + 1] = h | 0;
    }
    this.slots = slots;
    this.mask = mask;
  }
}
