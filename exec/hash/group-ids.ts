// Assigns group ids to the rows of a batch: the grouping step of the hash aggregate and of
// set operations. Three paths, picked per batch:
//   - a single key held as a dictionary vector: each dictionary code is looked up in the hash
//     table once (on first use) and its group id cached in an Int32Array by code;
//   - a single small-range integer key (BOOLEAN, SMALLINT, INTEGER, DATE): an Int32Array indexed
//     by value - base caches the group ids, so most rows cost one array read; if the values
//     ever span more than DIRECT_RANGE the cache is dropped for good;
//   - otherwise every row goes through the typed hash table (GroupTable).
// All paths create groups in the same GroupTable, so they mix freely across batches.

import type { LogicalType } from '../../common/types.js';
import type { FlatVector, Vector } from '../../common/vector.js';
import { GroupTable } from './group-table.js';
import { KEY_I32, KeyColumns, KeyEncoder, keyKindOf } from './key-columns.js';

/** Largest value span the direct integer path indexes (a 1 MiB Int32Array). */
const DIRECT_RANGE = 1 << 18;

export class GroupIdAssigner {
  readonly table: GroupTable;
  private readonly encoder: KeyEncoder;
  private ids = new Int32Array(0);
  // Direct integer path.
  private directEnabled: boolean;
  private direct = new Int32Array(0);
  private directBase = 0;
  private nullGroup = -1;
  // Dictionary path: group id per code of the last dictionary seen (-1 = not looked up yet).
  private dictionary: FlatVector | null = null;
  private dictGroups = new Int32Array(0);
  private readonly dictEncoder: KeyEncoder;
  // One-value scratch for inserting a new direct-path key into the table.
  private readonly singleEncoder: KeyEncoder;
  private readonly single = new Int32Array(1);
  private readonly singleValid = new Uint8Array(1);
  private readonly keyType: LogicalType;

  constructor(types: readonly LogicalType[]) {
    const kinds = types.map(keyKindOf);
    this.table = new GroupTable(kinds);
    this.encoder = new KeyEncoder(kinds);
    this.dictEncoder = new KeyEncoder(kinds);
    this.singleEncoder = new KeyEncoder(kinds);
    this.keyType = types[0]!;
    this.directEnabled = kinds.length === 1 && kinds[0] === KEY_I32;
  }

  get groupCount(): number {
    return this.table.groupCount;
  }

  /**
   * Group ids of the `count` rows (row k = vector row sel[k], or k). The returned array is
   * reused by the next call.
   */
  assign(vectors: readonly Vector[], sel: Int32Array | null, count: number): Int32Array {
    if (this.ids.length < count) this.ids = new Int32Array(Math.max(count, 1024));
    const ids = this.ids;
    if (vectors.length === 1 && vectors[0]!.kind === 'dictionary') {
      this.assignDictionary(vectors[0]!, sel, count, ids);
    } else if (this.directEnabled && vectors[0]!.kind === 'flat' && vectors[0]!.data instanceof Int32Array && this.assignDirectRaw(vectors[0]!, sel, count, ids)) {
      // Done: a flat Int32 key read in place, without encoding it first.
    } else if (this.directEnabled) {
      const keys = this.encoder.encode(vectors, sel, count, false);
      if (!this.assignDirect(keys, count, ids)) {
        this.table.findOrInsertAll(this.encoder.encode(vectors, sel, count, true), ids);
      }
    } else {
      const keys = this.encoder.encode(vectors, sel, count, true);
      this.table.findOrInsertAll(keys, ids);
    }
    return ids;
  }

  private assignDictionary(v: Vector, sel: Int32Array | null, count: number, ids: Int32Array): void {
    if (v.kind !== 'dictionary') return;
    const dict = v.dictionary;
    if (dict !== this.dictionary) {
      this.dictionary = dict;
      this.dictGroups = new Int32Array(dict.length).fill(-1);
      // Only this path uses dictEncoder, so its keys stay valid while the dictionary repeats.
      this.dictEncoder.encode([dict], null, dict.length, true);
    }
    const entries = this.dictEncoder.keys;
    const groups = this.dictGroups;
    const codes = v.codes;
    for (let k = 0; k < count; k++) {
      const code = codes[sel === null ? k : sel[k]!]!;
      let g = groups[code]!;
      if (g < 0) {
        g = this.table.findOrInsert(entries, code, entries.hashes[code]!);
        groups[code] = g;
      }
      ids[k] = g;
    }
  }

  /** The direct path over encoded single-integer keys; false when the values span too far
   *  (then the direct path is off for good). */
  private assignDirect(keys: KeyColumns, count: number, ids: Int32Array): boolean {
    const col = keys.cols[0]!;
    const view: FlatVector = { kind: 'flat', type: this.keyType, length: count, data: col.i32, validity: col.valid };
    if (this.assignDirectRaw(view, null, count, ids)) return true;
    this.directEnabled = false;
    this.direct = new Int32Array(0);
    return false;
  }

  /** The direct path straight over a flat Int32Array key (no encoding copy); false when the
   *  values span too far or a NULL group is needed first (the general path handles those). */
  private assignDirectRaw(v: FlatVector, sel: Int32Array | null, count: number, ids: Int32Array): boolean {
    const values = v.data as Int32Array;
    const valid = v.validity;
    // One pass: values inside the covered range are one array read; a value outside it widens
    // the range (rarely: the array grows with headroom) or, past DIRECT_RANGE, gives up.
    let direct = this.direct;
    let base = this.directBase;
    let len = direct.length;
    for (let k = 0; k < count; k++) {
      const i = sel === null ? k : sel[k]!;
      if (valid !== null && valid[i] === 0) {
        // NULL keys form one group, created where the first NULL is seen.
        if (this.nullGroup < 0) this.nullGroup = this.insertKey(0, 0);
        ids[k] = this.nullGroup;
        continue;
      }
      const x = values[i]!;
      let slot = x - base;
      if (slot < 0 || slot >= len) {
        if (!this.coverDirect(x, x)) return false;
        direct = this.direct;
        base = this.directBase;
        len = direct.length;
        slot = x - base;
      }
      let g = direct[slot]!;
      if (g < 0) {
        g = this.insertKey(x, 1);
        direct[slot] = g;
      }
      ids[k] = g;
    }
    return true;
  }

  /** Finds or creates the group of one INTEGER key value (valid 0: the NULL key). */
  private insertKey(x: number, valid: number): number {
    this.single[0] = x;
    this.singleValid[0] = valid;
    const keys = this.singleEncoder.encode([{ kind: 'flat', type: this.keyType, length: 1, data: this.single, validity: this.singleValid }], null, 1, true);
    return this.table.findOrInsertRow(keys, 0);
  }

  /** Grows the direct array to cover [lo, hi]; false when that would pass DIRECT_RANGE. */
  private coverDirect(lo: number, hi: number): boolean {
    const len = this.direct.length;
    if (len > 0 && lo >= this.directBase && hi < this.directBase + len) return true;
    const newLo = len > 0 ? Math.min(lo, this.directBase) : lo;
    const newHi = len > 0 ? Math.max(hi, this.directBase + len - 1) : hi;
    const span = newHi - newLo + 1;
    if (span > DIRECT_RANGE) return false;
    // Leave headroom so slowly widening ranges do not reallocate every batch.
    const size = Math.min(DIRECT_RANGE, Math.max(span * 2, 256));
    const base = Math.max(newLo - Math.floor((size - span) / 2), newHi - size + 1);
    const direct = new Int32Array(size).fill(-1);
    if (len > 0) direct.set(this.direct, this.directBase - base);
    this.direct = direct;
    this.directBase = base;
    return true;
  }
}
