// The rows of a bulk load (COPY into a table on disk) sorted by the table's sort key, for
// writePart, without passing them through a memtable: appending millions of rows to one copies
// every column twice more (into its growing chunks, then into one array to sort) for nothing.
//
// Only the key columns are joined into one array each, to compute the order (sortRows:
// linear-time for an integer key); each column is then moved once, by scattering every source
// row to its sorted position. With an order found by one counting pass (a date key) the
// destinations of consecutive source rows lie in few sequential streams, so the writes stay in
// the cache, where gathering the sorted rows would read each value from a random place.
// Rows that come as a few sorted runs (a large file's ranges, each sorted by its parsing
// thread) are merged instead (merge-runs.ts): a copy per stretch of rows, not a write per row.

import { type Batch, BATCH_SIZE, compactBatch, makeBatch } from '../../common/batch.js';
import { type LogicalType, TypeId } from '../../common/types.js';
import { type ColumnData, concatFlat, type DictionaryVector, flatten, type Vector } from '../../common/vector.js';
import { type Piece, type SortedColumn, unionDictionary } from './column-pieces.js';
import { mergeColumn } from './merge-columns.js';
import { copyPlan, findRuns, MAX_MERGED_RUNS, mergeSegments } from './merge-runs.js';
import { sortRows } from './sort-permutation.js';

/**
 * The rows of `batches` (one vector per column of `types`, any kind, any selection) sorted by
 * the columns `sortKey` (ascending, NULLs last, ties in input order), as dense batches of flat
 * vectors of at most BATCH_SIZE rows; the input batches themselves when there is no key or
 * the rows are in order already. Each column's values keep one representation throughout,
 * except that a VARCHAR column given as dictionary vectors in every batch stays one: its codes
 * are sorted, into dictionary vectors over the union of the batches' dictionaries (a bulk
 * load's text columns, csv-parallel.ts, so no string per row is made).
 */
export function sortBatches(types: readonly LogicalType[], batches: readonly Batch[], sortKey: readonly number[]): Batch[] {
  const dense: Piece[][] = [];
  const counts: number[] = [];
  for (const b of batches) {
    if (b.count === 0) continue;
    const c = compactBatch(b);
    dense.push(c.columns.map((v, i) => keepOrFlatten(v, types[i]!)));
    counts.push(c.count);
  }
  const asBatches = (): Batch[] => dense.map((cols, i) => makeBatch(cols, counts[i]!));
  if (sortKey.length === 0 || dense.length === 0) return asBatches();
  const keys = sortKey.map((c) =>
    concatFlat(
      types[c]!,
      dense.map((cols) => flatten(cols[c]!)),
    ),
  );
  const n = keys[0]!.length;
  const runs = findRuns(keys, MAX_MERGED_RUNS);
  if (runs !== null && runs.length === 1) return asBatches();
  let columns: SortedColumn[];
  if (runs !== null) {
    const plan = copyPlan(mergeSegments(keys, runs), counts);
    columns = types.map((t, c) =>
      mergeColumn(
        t,
        dense.map((cols) => cols[c]!),
        plan,
      ),
    );
  } else {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    sortRows(keys, order);
    const plan = scatterPlan(order);
    columns = types.map((t, c) =>
      scatterColumn(
        t,
        dense.map((cols) => cols[c]!),
        plan,
      ),
    );
  }
  const out: Batch[] = [];
  for (let start = 0, chunk = 0; start < n; start += BATCH_SIZE, chunk++) {
    const end = Math.min(n, start + BATCH_SIZE);
    out.push(makeBatch(columns.map((col) => col(chunk, start, end)), end - start));
  }
  return out;
}

function keepOrFlatten(v: Vector, type: LogicalType): Piece {
  return v.kind === 'dictionary' && type.id === TypeId.VARCHAR && v.dictionary.validity === null ? v : flatten(v);
}

const CHUNK_SHIFT = Math.log2(BATCH_SIZE);
const CHUNK_MASK = BATCH_SIZE - 1;

/**
 * How rows move, in two steps that keep memory access local. Scattering straight to the sorted
 * position of each row writes to as many places at once as the key has values (thousands of
 * dates in a fact table): each write then misses the cache and the TLB. Instead the rows go
 * first to their output chunk (BATCH_SIZE rows; a few dozen sequential streams), in source
 * order, then within the chunk to their position (a window that fits in the cache).
 */
interface ScatterPlan {
  /** For source row r: its position in chunk order (grouped by output chunk, source order within). */
  readonly staged: Int32Array;
  /** For position p in chunk order: the row's position within its output chunk. */
  readonly within: Int32Array;
  /** Rows of each output chunk. */
  readonly chunkRows: number[];
}

function scatterPlan(order: Int32Array): ScatterPlan {
  const n = order.length;
  const dest = new Int32Array(n);
  for (let k = 0; k < n; k++) dest[order[k]!] = k;
  const chunkRows: number[] = [];
  for (let start = 0; start < n; start += BATCH_SIZE) chunkRows.push(Math.min(BATCH_SIZE, n - start));
  // Output chunk c starts at c * BATCH_SIZE in chunk order too: every chunk but the last is full.
  const cursor = new Int32Array(chunkRows.length);
  for (let c = 0; c < cursor.length; c++) cursor[c] = c * BATCH_SIZE;
  const staged = new Int32Array(n);
  const within = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const d = dest[r]!;
    const p = cursor[d >>> CHUNK_SHIFT]!++;
    staged[r] = p;
    within[p] = d & CHUNK_MASK;
  }
  return { staged, within, chunkRows };
}

/** Moves row r of the column (pieces concatenated) to its sorted position. */
function scatterColumn(type: LogicalType, given: readonly Piece[], plan: ScatterPlan): SortedColumn {
  if (given.every((p) => p.kind === 'dictionary')) return scatterCodes(type, given as DictionaryVector[], plan);
  const pieces = given.map(flatten);
  const n = plan.staged.length;
  let validity: Uint8Array[] | null = null;
  if (pieces.some((p) => p.validity !== null)) {
    const stage = new Uint8Array(n);
    let base = 0;
    for (const p of pieces) {
      if (p.validity === null) for (let i = 0; i < p.length; i++) stage[plan.staged[base + i]!] = 1;
      else stageUint8(p.validity, p.length, plan.staged, base, stage);
      base += p.length;
    }
    validity = plan.chunkRows.map((rows, c) => placeUint8(stage, plan.within, c << CHUNK_SHIFT, new Uint8Array(rows)));
  }
  const validityOf = (chunk: number): Uint8Array | null => (validity === null ? null : validity[chunk]!);
  let chunks: ColumnData[];
  if (type.id === TypeId.VARCHAR) {
    const stage = new Array<string>(n);
    let base = 0;
    for (const p of pieces) {
      stageStrings(p.data as string[], p.length, plan.staged, base, stage);
      base += p.length;
    }
    chunks = plan.chunkRows.map((rows, c) => placeStrings(stage, plan.within, c << CHUNK_SHIFT, new Array<string>(rows)));
  } else if (pieces.some((p) => p.data instanceof BigInt64Array)) {
    // BIGINT/DECIMAL: BigInt64Array for all rows when any piece holds its values so.
    const stage = new BigInt64Array(n);
    let base = 0;
    for (const p of pieces) {
      if (p.data instanceof BigInt64Array) stageBigInt64(p.data, p.length, plan.staged, base, stage);
      else stageToBigInt64(p.data as Float64Array, p.length, plan.staged, base, stage);
      base += p.length;
    }
    chunks = plan.chunkRows.map((rows, c) => placeBigInt64(stage, plan.within, c << CHUNK_SHIFT, new BigInt64Array(rows)));
  } else {
    const first = pieces[0]!.data;
    if (first instanceof Int32Array) {
      const stage = new Int32Array(n);
      let base = 0;
      for (const p of pieces) {
        stageInt32(p.data as Int32Array, p.length, plan.staged, base, stage);
        base += p.length;
      }
      chunks = plan.chunkRows.map((rows, c) => placeInt32(stage, plan.within, c << CHUNK_SHIFT, new Int32Array(rows)));
    } else if (first instanceof Float64Array) {
      const stage = new Float64Array(n);
      let base = 0;
      for (const p of pieces) {
        stageFloat64(p.data as Float64Array, p.length, plan.staged, base, stage);
        base += p.length;
      }
      chunks = plan.chunkRows.map((rows, c) => placeFloat64(stage, plan.within, c << CHUNK_SHIFT, new Float64Array(rows)));
    } else {
      const stage = new Uint8Array(n);
      let base = 0;
      for (const p of pieces) {
        stageUint8(p.data as Uint8Array, p.length, plan.staged, base, stage);
        base += p.length;
      }
      chunks = plan.chunkRows.map((rows, c) => placeUint8(stage, plan.within, c << CHUNK_SHIFT, new Uint8Array(rows)));
    }
  }
  return (chunk, start, end) => ({ kind: 'flat', type, length: end - start, data: chunks[chunk]!, validity: validityOf(chunk) });
}

/**
 * scatterColumn for dictionary pieces: their codes, mapped to codes of one dictionary holding
 * every piece's values once (pieces of several parsing threads have dictionaries of their own).
 */
function scatterCodes(type: LogicalType, pieces: readonly DictionaryVector[], plan: ScatterPlan): SortedColumn {
  const { dictionary, remaps } = unionDictionary(type, pieces);
  const n = plan.staged.length;
  const stage = new Int32Array(n);
  let base = 0;
  for (const p of pieces) {
    stageCodes(p.codes, p.length, remaps.get(p.dictionary)!, plan.staged, base, stage);
    base += p.length;
  }
  const chunks = plan.chunkRows.map((rows, c) => placeInt32(stage, plan.within, c << CHUNK_SHIFT, new Int32Array(rows)));
  return (chunk, start, end) => ({ kind: 'dictionary', type, length: end - start, codes: chunks[chunk]!, dictionary });
}

function stageCodes(src: Int32Array, count: number, remap: Int32Array, staged: Int32Array, base: number, out: Int32Array): void {
  for (let i = 0; i < count; i++) out[staged[base + i]!] = remap[src[i]!]!;
}

// One loop per array type and step, so each stays monomorphic. stageX: source rows to chunk
// order; placeX: one chunk's rows (from `from` in chunk order) to their positions in `out`.

function stageInt32(src: Int32Array, count: number, staged: Int32Array, base: number, out: Int32Array): void {
  for (let i = 0; i < count; i++) out[staged[base + i]!] = src[i]!;
}

function placeInt32(stage: Int32Array, within: Int32Array, from: number, out: Int32Array): Int32Array {
  for (let j = 0; j < out.length; j++) out[within[from + j]!] = stage[from + j]!;
  return out;
}

function stageFloat64(src: Float64Array, count: number, staged: Int32Array, base: number, out: Float64Array): void {
  for (let i = 0; i < count; i++) out[staged[base + i]!] = src[i]!;
}

function placeFloat64(stage: Float64Array, within: Int32Array, from: number, out: Float64Array): Float64Array {
  for (let j = 0; j < out.length; j++) out[within[from + j]!] = stage[from + j]!;
  return out;
}

function stageUint8(src: Uint8Array, count: number, staged: Int32Array, base: number, out: Uint8Array): void {
  for (let i = 0; i < count; i++) out[staged[base + i]!] = src[i]!;
}

function placeUint8(stage: Uint8Array, within: Int32Array, from: number, out: Uint8Array): Uint8Array {
  for (let j = 0; j < out.length; j++) out[within[from + j]!] = stage[from + j]!;
  return out;
}

function stageBigInt64(src: BigInt64Array, count: number, staged: Int32Array, base: number, out: BigInt64Array): void {
  for (let i = 0; i < count; i++) out[staged[base + i]!] = src[i]!;
}

/** Float64 BIGINT/DECIMAL values are integers within 2^53 (the representation invariant), so BigInt is exact. */
function stageToBigInt64(src: Float64Array, count: number, staged: Int32Array, base: number, out: BigInt64Array): void {
  for (let i = 0; i < count; i++) out[staged[base + i]!] = BigInt(src[i]!);
}

function placeBigInt64(stage: BigInt64Array, within: Int32Array, from: number, out: BigInt64Array): BigInt64Array {
  for (let j = 0; j < out.length; j++) out[within[from + j]!] = stage[from + j]!;
  return out;
}

function stageStrings(src: string[], count: number, staged: Int32Array, base: number, out: string[]): void {
  for (let i = 0; i < count; i++) out[staged[base + i]!] = src[i]!;
}

function placeStrings(stage: string[], within: Int32Array, from: number, out: string[]): string[] {
  for (let j = 0; j < out.length; j++) out[within[from + j]!] = stage[from + j]!;
  return out;
}
