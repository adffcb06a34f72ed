// One consistent view of a memtable (see memtable.ts): the segments of rows appended before it
// was taken, cut at the row count of that moment, and the deletions stamped up to its version.
// Nothing written afterwards reaches it: later appends land beyond its row count or in arrays
// it never saw, later deletions carry larger stamps.

import { type Batch, BATCH_SIZE, makeBatch } from '../../common/batch.js';
import type { LogicalType } from '../../common/types.js';
import { type ColumnData, concatFlat, type FlatVector, gather, type Scalar } from '../../common/vector.js';
import { applyPrefilter, type ColumnStats, type ScanOptions, type Snapshot } from '../table.js';
import { compareValues, sortRows } from './sort-permutation.js';

/** Rows [firstRow, firstRow + length) as one array per column; arrays may be longer than `length`. */
export interface Segment {
  readonly firstRow: number;
  readonly length: number;
  readonly data: readonly ColumnData[];
  readonly validity: readonly (Uint8Array | null)[];
}

/** The deletions a snapshot sees: row r is deleted when 0 < stamps[r] <= version. */
export interface DeletionView {
  readonly stamps: Uint32Array;
  readonly version: number;
}

/** A scanned batch and the memtable row id of its physical row 0 (row id of row i = firstRowId + i). */
export interface RowBatch {
  readonly batch: Batch;
  readonly firstRowId: number;
}

export class MemtableSnapshot implements Snapshot {
  /** Live rows: appended before the snapshot and not deleted by then. */
  readonly rowCount: number;
  /** Rows appended before the snapshot, deleted ones included (the row ids it spans). */
  readonly rowsWritten: number;

  constructor(
    private readonly types: readonly LogicalType[],
    private readonly segments: readonly Segment[],
    private readonly deletions: DeletionView | null,
    deletedRows: number,
  ) {
    let n = 0;
    for (const s of segments) n += s.length;
    this.rowsWritten = n;
    this.rowCount = n - deletedRows;
  }

  /** Batches in row id order with the row id of each batch's first physical row (for DELETE). */
  async *scanRows(options: ScanOptions): AsyncIterable<RowBatch> {
    for (const s of this.segments) {
      const selection = this.liveRows(s);
      if (selection !== null && selection.length === 0) continue;
      const columns = options.columns.map((c) => this.vectorOf(s, c));
      yield { batch: makeBatch(columns, s.length, selection), firstRowId: s.firstRow };
    }
  }

  /** Predicates are not used: callers filter exactly, and the memtable is small. */
  async *scan(options: ScanOptions): AsyncIterable<Batch> {
    for await (const rb of this.scanRows(options)) {
      const kept = applyPrefilter(rb.batch, options.prefilter);
      if (kept !== null) yield kept;
    }
  }

  stats(column: number): ColumnStats {
    let nulls = 0;
    let minV: FlatVector | null = null;
    let minI = 0;
    let maxV: FlatVector | null = null;
    let maxI = 0;
    const distinct = new Set<Scalar>();
    for (const s of this.segments) {
      const v = this.vectorOf(s, column);
      const sel = this.liveRows(s);
      const count = sel === null ? s.length : sel.length;
      const data = v.data;
      const valid = v.validity;
      for (let k = 0; k < count; k++) {
        const i = sel === null ? k : sel[k]!;
        if (valid !== null && valid[i] === 0) {
          nulls++;
          continue;
        }
        const x = data[i]!;
        // One key per value whether a BIGINT is held as a number or a bigint.
        distinct.add(typeof x === 'bigint' && x >= -MAX_SAFE && x <= MAX_SAFE ? Number(x) : x);
        if (minV === null || compareValues(v, i, minV, minI) < 0) {
          minV = v;
          minI = i;
        }
        if (maxV === null || compareValues(v, i, maxV, maxI) > 0) {
          maxV = v;
          maxI = i;
        }
      }
    }
    const min = minV === null ? null : (minV.data[minI] as Scalar);
    const max = maxV === null ? null : (maxV.data[maxI] as Scalar);
    return { rows: this.rowCount, min, max, nulls, distinct: distinct.size };
  }

  /**
   * Every live row, all columns, sorted by `sortKey` (column indexes; ascending, NULLs last,
   * ties in row order), as dense batches of at most BATCH_SIZE rows: the input of writePart.
   */
  sortedBatches(sortKey: readonly number[]): Batch[] {
    const all = this.types.map((t, c) =>
      concatFlat(
        t,
        this.segments.map((s) => this.vectorOf(s, c)),
      ),
    );
    const order = new Int32Array(this.rowCount);
    let n = 0;
    for (const s of this.segments) {
      const sel = this.liveRows(s);
      if (sel === null) for (let i = 0; i < s.length; i++) order[n++] = s.firstRow + i;
      else for (let k = 0; k < sel.length; k++) order[n++] = s.firstRow + sel[k]!;
    }
    sortRows(
      sortKey.map((c) => all[c]!),
      order,
    );
    const out: Batch[] = [];
    for (let start = 0; start < n; start += BATCH_SIZE) {
      const end = Math.min(n, start + BATCH_SIZE);
      const idx = order.subarray(start, end);
      out.push(
        makeBatch(
          all.map((v) => gather(v, idx, end - start)),
          end - start,
        ),
      );
    }
    return out;
  }

  private vectorOf(s: Segment, c: number): FlatVector {
    const d = s.data[c]!;
    const data = d.length === s.length ? d : Array.isArray(d) ? d.slice(0, s.length) : d.subarray(0, s.length);
    const v = s.validity[c]!;
    const validity = v === null ? null : v.length === s.length ? v : v.subarray(0, s.length);
    return { kind: 'flat', type: this.types[c]!, length: s.length, data, validity };
  }

  /** Indexes of the segment's rows this snapshot sees as live, or null when all are. */
  private liveRows(s: Segment): Int32Array | null {
    const del = this.deletions;
    if (del === null) return null;
    const { stamps, version } = del;
    const end = Math.min(s.length, stamps.length - s.firstRow);
    let dead = 0;
    for (let i = 0; i < end; i++) {
      const st = stamps[s.firstRow + i]!;
      if (st !== 0 && st <= version) dead++;
    }
    if (dead === 0) return null;
    const sel = new Int32Array(s.length - dead);
    let k = 0;
    for (let i = 0; i < s.length; i++) {
      const st = i < end ? stamps[s.firstRow + i]! : 0;
      if (st === 0 || st > version) sel[k++] = i;
    }
    return sel;
  }
}

/** BIGINT values within this bound may be held as numbers (common/types.ts), so they key the distinct set as numbers. */
const MAX_SAFE = 2n ** 53n;
