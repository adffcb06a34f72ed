// A parsing thread's range sorted by the table's sort key before it is sent (csv-worker.ts), so a
// bulk load's rows reach the calling thread as one sorted run per range, which the load merges
// (storage/memtable/merge-runs.ts) instead of sorting millions of rows on one thread. The sort
// is sort-batches.ts's, so ties keep file order within the range; runs are in file order, and
// the merge takes ties from earlier runs first: the stable sort of the whole file.
//
// VARCHAR columns are sorted as their codes; their interned values all go with the first sorted
// batch, since a code may be used before the batch that interned it. Values too many to intern
// (RAW_CODE rows) are moved with their bytes, found by each row's place in the range.

import { type Batch, BATCH_SIZE, makeBatch } from '../../common/batch.js';
import { T, TypeId } from '../../common/types.js';
import { type FlatVector, flatVector, type Vector } from '../../common/vector.js';
import { sortBatches } from '../../storage/memtable/sort-batches.js';
import type { EncodedBatch } from './csv-batch-parser.js';
import type { DelimitedColumn } from './csv-options.js';
import { type EncodedText, RAW_CODE } from './csv-text-columns.js';

type EncodedColumn = EncodedBatch['columns'][number];

/**
 * Whether ranges can be sorted where they are parsed: by a key of columns whose parsed values
 * compare as they are (not VARCHAR: codes are numbered in first-seen order).
 */
export function sortsRanges(columns: readonly DelimitedColumn[], sortKey: readonly number[]): boolean {
  return sortKey.length > 0 && sortKey.every((c) => columns[c] !== undefined && columns[c].type.id !== TypeId.VARCHAR);
}

/**
 * Whether the range holds no NULL, so it may be sent sorted: a NOT NULL check
 * (sql/write-rows.ts) then finds the file's first NULL at its place in the file, since every
 * range before the one holding it is free of them, and that one comes as it was read.
 */
export function withoutNulls(batches: readonly EncodedBatch[]): boolean {
  return batches.every((b) => b.columns.every((c) => c.validity === null || c.validity.indexOf(0) < 0));
}

/** The range's batches sorted by `sortKey` (positions in `columns`), at most `batchSize` rows each. */
export function sortRange(batches: readonly EncodedBatch[], columns: readonly DelimitedColumn[], sortKey: readonly number[], batchSize: number): EncodedBatch[] {
  if (batches.length === 0) return [];
  const raw = columns.map((c, i) => c.type.id === TypeId.VARCHAR && batches.some((b) => (b.columns[i]!.data as EncodedText).codes.includes(RAW_CODE)));
  // Rows' places in the range go along as one more column when some text must be found by them.
  const placed = raw.includes(true);
  const types = columns.map((c) => (c.type.id === TypeId.VARCHAR ? T.INTEGER : c.type));
  if (placed) types.push(T.INTEGER);
  let base = 0;
  const input: Batch[] = batches.map((b) => {
    const vectors: Vector[] = b.columns.map((c, i) => flatVector(types[i]!, ArrayBuffer.isView(c.data) ? c.data : c.data.codes, c.validity));
    if (placed) vectors.push(flatVector(T.INTEGER, Int32Array.from({ length: b.rows }, (_, k) => base + k)));
    base += b.rows;
    return makeBatch(vectors, b.rows);
  });
  const sorted = rechunk(sortBatches(types, input, sortKey), batchSize);
  const text = columns.map((c, i) => (c.type.id !== TypeId.VARCHAR ? null : new TextOfRange(batches.map((b) => b.columns[i]!.data as EncodedText), raw[i]!)));
  return sorted.map((b, k) => ({
    rows: b.count,
    columns: columns.map((_, i): EncodedColumn => {
      const v = b.columns[i] as FlatVector;
      const t = text[i];
      const data = v.data as Exclude<FlatVector['data'], string[]>;
      if (t === null || t === undefined) return { data, validity: v.validity };
      return { data: t.encode(data as Int32Array, placed ? ((b.columns[columns.length] as FlatVector).data as Int32Array) : null, k === 0), validity: v.validity };
    }),
  }));
}

/** Batches of at most `size` rows (each a copy: a worker transfers every batch's arrays on their own). */
function rechunk(batches: Batch[], size: number): Batch[] {
  if (size >= BATCH_SIZE) return batches;
  const out: Batch[] = [];
  for (const b of batches) {
    for (let s = 0; s < b.count; s += size) {
      const e = Math.min(b.count, s + size);
      const cut = (v: Vector): Vector => {
        const f = v as FlatVector;
        return { ...f, length: e - s, data: f.data.slice(s, e) as typeof f.data, validity: f.validity === null ? null : f.validity.slice(s, e) };
      };
      out.push(makeBatch(b.columns.map(cut), e - s));
    }
  }
  return out;
}

/** One VARCHAR column of the range: its interned values, and the bytes of its RAW_CODE rows by place. */
class TextOfRange {
  private readonly firstNew: number;
  private readonly newBytes: Uint8Array;
  private readonly newEnds: Int32Array;
  private readonly newAscii: Uint8Array;
  private readonly rawAscii: boolean;
  /** With RAW_CODE rows: every row's code and its bytes' place in `bytes`, by place in the range. */
  private readonly codes: Int32Array | null = null;
  private readonly bytes: Uint8Array | null = null;
  private readonly starts: Float64Array | null = null;
  private readonly ends: Float64Array | null = null;

  constructor(parts: readonly EncodedText[], raw: boolean) {
    this.firstNew = parts[0]!.firstNew;
    this.newBytes = concat(parts.map((p) => p.newBytes));
    this.newAscii = concat(parts.map((p) => p.newAscii));
    this.newEnds = new Int32Array(parts.reduce((n, p) => n + p.newEnds.length, 0));
    let at = 0;
    let offset = 0;
    for (const p of parts) {
      for (let k = 0; k < p.newEnds.length; k++) this.newEnds[at++] = offset + p.newEnds[k]!;
      offset += p.newBytes.length;
    }
    this.rawAscii = parts.every((p) => p.rawAscii);
    if (!raw) return;
    const rows = parts.reduce((n, p) => n + p.codes.length, 0);
    this.codes = new Int32Array(rows);
    this.bytes = concat(parts.map((p) => p.bytes));
    this.starts = new Float64Array(rows);
    this.ends = new Float64Array(rows);
    let row = 0;
    offset = 0;
    for (const p of parts) {
      this.codes.set(p.codes, row);
      for (let i = 0; i < p.codes.length; i++, row++) {
        this.starts[row] = offset + (i === 0 ? 0 : p.ends[i - 1]!);
        this.ends[row] = offset + p.ends[i]!;
      }
      offset += p.bytes.length;
    }
  }

  /** A sorted batch of the column; the first one carries every interned value. */
  encode(codes: Int32Array, places: Int32Array | null, first: boolean): EncodedText {
    const none = { firstNew: this.firstNew + this.newEnds.length, newBytes: new Uint8Array(0), newEnds: new Int32Array(0), newAscii: new Uint8Array(0) };
    const values = first ? { firstNew: this.firstNew, newBytes: this.newBytes, newEnds: this.newEnds, newAscii: this.newAscii } : none;
    const all = this.codes;
    const allBytes = this.bytes;
    const allStarts = this.starts;
    const allEnds = this.ends;
    if (all === null || allBytes === null || allStarts === null || allEnds === null || places === null) {
      return { codes, bytes: new Uint8Array(0), ends: new Int32Array(codes.length), rawAscii: true, ...values };
    }
    let size = 0;
    for (let j = 0; j < codes.length; j++) {
      const r = places[j]!;
      if (all[r] === RAW_CODE) size += allEnds[r]! - allStarts[r]!;
    }
    const bytes = new Uint8Array(size);
    const ends = new Int32Array(codes.length);
    let at = 0;
    for (let j = 0; j < codes.length; j++) {
      const r = places[j]!;
      if (all[r] === RAW_CODE) {
        bytes.set(allBytes.subarray(allStarts[r]!, allEnds[r]!), at);
        at += allEnds[r]! - allStarts[r]!;
      }
      ends[j] = at;
    }
    return { codes, bytes, ends, rawAscii: this.rawAscii, ...values };
  }
}

function concat(bytes: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(bytes.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of bytes) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
