// Builds the bitmap index of one column (bitmap-index-format.ts) from its blocks in part row
// order, one `add` per block. Each block is turned into one value id per row, then the rows are
// grouped by id with a counting sort and each group goes to its bitmap with one `addMany` (runs
// and constants with one `addRange`): no per-row objects, and roaring is called per group, never
// per row. Ids come from a direct table when a block's numbers are integers in a small range, else
// from a Map lookup per row (none for a repeat of the previous row's value); dictionary and
// run-length vectors look up each distinct entry once.
//
// A builder gives up (and frees what it built) once the column proves unsuitable under its
// limits (index-policy.ts): more distinct values than allowed, or, for an automatic index,
// values spread over too many blocks for the index to let scans skip any.

import { internalError } from '../../common/errors.js';
import type { LogicalType } from '../../common/types.js';
import type { FlatVector, Vector } from '../../common/vector.js';
import type { BitmapIndexData } from './bitmap-index-format.js';
import { compareKeys, type IndexKey, KeyDomain, keyDomain, storedKey } from './index-key.js';
import { type IndexLimits, spreadTooWide } from './index-policy.js';
import { RoaringBitmap32 } from './roaring.js';

/** Rows grouped per counting sort (bounds the scratch arrays). */
const CHUNK_ROWS = 65536;
/** Widest value range (max - min + 1) of a block's integers that ids are looked up in a direct
 *  table for. */
const DIRECT_RANGE = 65536;
const TWO_32 = 4294967296;
/** A dictionary entry whose id is not looked up yet. */
const UNSEEN = -2;
/** 2^53 / 2^32: an int64 is a safe integer (|v| < 2^53) when its high half lies in
 *  (-SAFE_HI, SAFE_HI), or equals -SAFE_HI with a nonzero low half. */
const SAFE_HI = 2097152;

export type GiveUpReason = 'values' | 'spread';

export class BitmapIndexBuilder {
  private readonly domain: KeyDomain;
  private readonly ids = new Map<IndexKey, number>();
  private readonly keys: IndexKey[] = [];
  private bitmaps: RoaringBitmap32[] = [];
  private nulls = new RoaringBitmap32();
  private rows = 0;
  private reason: GiveUpReason | null = null;
  private readonly rowIds = new Int32Array(CHUNK_ROWS);
  private readonly positions = new Uint32Array(CHUNK_ROWS);
  /** direct[x - min] = id + 1 of the integer x in the current block (0: not looked up yet);
   *  allocated on first use. */
  private direct: Int32Array | null = null;
  /** Blocks added (with rows), and the sum over them of the distinct values each held. */
  private blocks = 0;
  private blockValues = 0;
  /** seenIn[id] = the number of the last block that held the value. */
  private seenIn = new Int32Array(64);

  constructor(
    readonly column: number,
    readonly type: LogicalType,
    readonly limits: IndexLimits,
  ) {
    this.domain = keyDomain(type);
  }

  /** True once the builder gave up. */
  get overflowed(): boolean {
    return this.reason !== null;
  }

  /** Why the builder gave up, or null. */
  get gaveUpBecause(): GiveUpReason | null {
    return this.reason;
  }

  /** Distinct non-NULL values so far. */
  get distinct(): number {
    return this.keys.length;
  }

  /** Appends the rows of block `v` (any vector kind) after the rows added so far. */
  add(v: Vector): void {
    if (this.reason !== null || v.length === 0) return;
    const base = this.rows;
    this.rows += v.length;
    this.blocks++;
    switch (v.kind) {
      case 'constant': {
        if (v.value === null) {
          this.nulls.addRange(base, base + v.length);
        } else {
          const id = this.idOf(storedKey(this.domain, v.value as number | bigint | string));
          if (id < 0) return;
          this.bitmaps[id]!.addRange(base, base + v.length);
          this.seen(id);
        }
        break;
      }
      case 'rle': {
        const ids = new Int32Array(v.values.length);
        this.flatIds(v.values, 0, v.values.length, ids);
        if (this.reason !== null) return;
        let start = 0;
        for (let r = 0; r < ids.length; r++) {
          const end = v.runEnds[r]!;
          const id = ids[r]!;
          if (id < 0) {
            this.nulls.addRange(base + start, base + end);
          } else {
            this.bitmaps[id]!.addRange(base + start, base + end);
            this.seen(id);
          }
          start = end;
        }
        break;
      }
      case 'dictionary': {
        // Ids of the entries the codes use, looked up on first use: a dictionary may hold
        // entries no row refers to (a selection gathered from a larger vector keeps them all).
        const dictIds = new Int32Array(v.dictionary.length).fill(UNSEEN);
        const one = new Int32Array(1);
        for (let start = 0; start < v.length; start += CHUNK_ROWS) {
          const n = Math.min(CHUNK_ROWS, v.length - start);
          const rowIds = this.rowIds;
          const codes = v.codes;
          for (let i = 0; i < n; i++) {
            const code = codes[start + i]!;
            let id = dictIds[code]!;
            if (id === UNSEEN) {
              this.flatIds(v.dictionary, code, 1, one);
              if (this.reason !== null) return;
              id = dictIds[code] = one[0]!;
            }
            rowIds[i] = id;
          }
          this.scatter(base + start, n);
        }
        break;
      }
      case 'flat':
        for (let start = 0; start < v.length; start += CHUNK_ROWS) {
          const n = Math.min(CHUNK_ROWS, v.length - start);
          this.flatIds(v, start, n, this.rowIds);
          if (this.reason !== null) return;
          this.scatter(base + start, n);
        }
    }
    if (spreadTooWide(this.limits, this.blocks, this.blockValues, this.keys.length, false)) this.giveUp('spread');
  }

  /** Stops building and frees what was built. */
  giveUp(reason: GiveUpReason): void {
    this.reason ??= reason;
    this.bitmaps = [];
    this.nulls = new RoaringBitmap32();
    this.ids.clear();
  }

  /** The index, keys ascending; null when the builder gave up (now or before). */
  finish(): BitmapIndexData | null {
    if (this.reason === null && spreadTooWide(this.limits, this.blocks, this.blockValues, this.keys.length, true)) this.giveUp('spread');
    if (this.reason !== null) return null;
    const order = this.keys
      .map((_, i) => i)
      .filter((i) => this.bitmaps[i]!.size > 0)
      .sort((a, b) => compareKeys(this.keys[a]!, this.keys[b]!));
    const bitmaps = order.map((i) => this.bitmaps[i]!);
    // Containers in one canonical form (runs where they are smaller), however the rows came in
    // (ranges or lists), so equal indexes serialize to equal bytes.
    for (const b of [...bitmaps, this.nulls]) {
      b.removeRunCompression();
      b.runOptimize();
      b.shrinkToFit();
    }
    return { column: this.column, type: this.type, rows: this.rows, keys: order.map((i) => this.keys[i]!), bitmaps, nulls: this.nulls };
  }

  /** Counts value `id` as held by the current block (once per block). */
  private seen(id: number): void {
    if (this.seenIn[id] === this.blocks) return;
    this.seenIn[id] = this.blocks;
    this.blockValues++;
  }

  /** The id of a canonical key, adding it when new; -1 once the builder gives up. */
  private idOf(key: IndexKey): number {
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    if (this.keys.length >= this.limits.maxValues) {
      this.giveUp('values');
      return -1;
    }
    const id = this.keys.length;
    this.ids.set(key, id);
    this.keys.push(key);
    this.bitmaps.push(new RoaringBitmap32());
    if (id >= this.seenIn.length) {
      const grown = new Int32Array(this.seenIn.length * 2);
      grown.set(this.seenIn);
      this.seenIn = grown;
    }
    return id;
  }

  /** out[k] = the id of row start + k of `v` (-1 for NULL), for k < n. */
  private flatIds(v: FlatVector, start: number, n: number, out: Int32Array): void {
    const data = v.data;
    if (data instanceof BigInt64Array) this.wideIds(data, v.validity, start, n, out);
    else if (Array.isArray(data)) this.mapIds(data, v.validity, start, n, out);
    else if (!this.directIds(data, v.validity, start, n, out)) this.mapIds(data, v.validity, start, n, out);
  }

  /** Ids through the direct table when the numbers are integers within DIRECT_RANGE of each
   *  other (two passes over plain numbers); false, with nothing done, otherwise. */
  private directIds(data: Int32Array | Float64Array | Uint8Array, validity: Uint8Array | null, start: number, n: number, out: Int32Array): boolean {
    let min = Infinity;
    let max = -Infinity;
    for (let i = start; i < start + n; i++) {
      if (validity !== null && validity[i] === 0) continue;
      const x = data[i]!;
      // NaN fails both comparisons and the integer test; an integer past 2^53 needs a bigint key.
      if (!(x === Math.floor(x)) || x > Number.MAX_SAFE_INTEGER || x < -Number.MAX_SAFE_INTEGER) return false;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    if (min === Infinity) {
      out.fill(-1, 0, n);
      return true;
    }
    if (max - min >= DIRECT_RANGE) return false;
    const direct = (this.direct ??= new Int32Array(DIRECT_RANGE));
    direct.fill(0, 0, max - min + 1);
    for (let k = 0; k < n; k++) {
      const i = start + k;
      if (validity !== null && validity[i] === 0) {
        out[k] = -1;
        continue;
      }
      const x = data[i]!;
      let id = direct[x - min]! - 1;
      if (id < 0) {
        id = this.idOf(storedKey(this.domain, x));
        if (id < 0) return true; // gave up
        direct[x - min] = id + 1;
      }
      out[k] = id;
    }
    return true;
  }

  private mapIds(data: ArrayLike<number | string>, validity: Uint8Array | null, start: number, n: number, out: Int32Array): void {
    const domain = this.domain;
    let lastKey: IndexKey | undefined;
    let lastId = -1;
    for (let k = 0; k < n; k++) {
      const i = start + k;
      if (validity !== null && validity[i] === 0) {
        out[k] = -1;
        continue;
      }
      const x = data[i]!;
      // -0 and doubles beyond 2^53 take the slow path; everything else is its own key.
      const key = typeof x === 'number' && (x === 0 || (domain === KeyDomain.INTEGER && !Number.isSafeInteger(x))) ? storedKey(domain, x) : x;
      if (key !== lastKey) {
        lastId = this.idOf(key);
        if (lastId < 0) return;
        lastKey = key;
      }
      out[k] = lastId;
    }
  }

  private wideIds(data: BigInt64Array, validity: Uint8Array | null, start: number, n: number, out: Int32Array): void {
    // The int64 as two 32-bit halves (little-endian, as storage reads it everywhere): a number
    // when a double holds it exactly, so no BigInt is made for a safe value.
    const halves = new Int32Array(data.buffer, data.byteOffset, data.length * 2);
    let lastKey: IndexKey | undefined;
    let lastId = -1;
    for (let k = 0; k < n; k++) {
      const i = start + k;
      if (validity !== null && validity[i] === 0) {
        out[k] = -1;
        continue;
      }
      const hi = halves[2 * i + 1]!;
      const lo = halves[2 * i]! >>> 0;
      const key = hi < SAFE_HI && (hi > -SAFE_HI || (hi === -SAFE_HI && lo !== 0)) ? hi * TWO_32 + lo : storedKey(this.domain, data[i]!);
      if (key !== lastKey) {
        lastId = this.idOf(key);
        if (lastId < 0) return;
        lastKey = key;
      }
      out[k] = lastId;
    }
  }

  /** Adds rows base + k (k < n) to the bitmaps of their ids in this.rowIds. */
  private scatter(base: number, n: number): void {
    const rowIds = this.rowIds;
    const slots = this.keys.length + 1; // slot 0 = NULL, slot id + 1 = value id
    const starts = new Int32Array(slots + 1);
    for (let k = 0; k < n; k++) starts[rowIds[k]! + 2]!++;
    for (let s = 1; s <= slots; s++) starts[s]! += starts[s - 1]!;
    const positions = this.positions;
    for (let k = 0; k < n; k++) positions[starts[rowIds[k]! + 1]!++] = base + k;
    // starts[s] is now the end of slot s's group and the start of slot s + 1's.
    let begin = 0;
    for (let s = 0; s < slots; s++) {
      const end = starts[s]!;
      if (end > begin) {
        const group = positions.subarray(begin, end);
        if (s === 0) {
          this.nulls.addMany(group);
        } else {
          this.bitmaps[s - 1]!.addMany(group);
          this.seen(s - 1);
        }
      }
      begin = end;
    }
    if (begin !== n) throw internalError(`bitmap index grouping placed ${begin} of ${n} rows`);
  }
}
