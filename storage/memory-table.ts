// The in-memory table store: a table is a list of immutable chunks of flat vectors. Writers
// build a new chunk list and swap it in with one assignment, so a snapshot (the list it
// captured) never changes under a running query, and a failed write changes nothing.
// The persistent storage engine replaces this behind the same Table/Snapshot interface.

import type { Batch } from '../common/batch.js';
import { catalogError } from '../common/errors.js';
import { T } from '../common/types.js';
import { BATCH_SIZE, makeBatch } from '../common/batch.js';
import type { FlatVector, Scalar, Vector } from '../common/vector.js';
import { flatten, gather, nullVector } from '../common/vector.js';
import { applyPrefilter, ROW_ID_COLUMN, type ColumnSchema, type ColumnStats, type ScanOptions, type Snapshot, type Table, type TableSchema } from './table.js';

/** A horizontal slice of a table: one flat vector per column, all of the same length. */
export interface Chunk {
  readonly columns: FlatVector[];
  readonly length: number;
}

export class MemoryTable implements Table {
  schema: TableSchema;
  private chunks: readonly Chunk[] = [];

  constructor(schema: TableSchema) {
    this.schema = schema;
  }

  snapshot(): Snapshot {
    return new MemorySnapshot(this.chunks);
  }

  /** The chunks as of now (for writers that rebuild the table). */
  currentChunks(): readonly Chunk[] {
    return this.chunks;
  }

  /** Replaces the whole contents at once (delete, rewrite). */
  replaceChunks(chunks: readonly Chunk[]): void {
    this.chunks = chunks;
  }

  /** ALTER TABLE ADD COLUMN: every existing row holds NULL in it. */
  addColumn(column: ColumnSchema): void {
    this.chunks = this.chunks.map((c) => ({ columns: [...c.columns, flatten(nullVector(column.type, c.length))], length: c.length }));
    this.schema = { ...this.schema, columns: [...this.schema.columns, column] };
  }

  /** ALTER TABLE DROP COLUMN: the column's vectors leave every chunk (snapshots taken before
   *  keep theirs). The caller checks that the column may be dropped (manifest.ts
   *  columnDropRefusal): not a key column, not indexed, not the last one. */
  dropColumn(name: string): void {
    const at = this.schema.columns.findIndex((c) => c.name === name);
    if (at < 0) throw catalogError(`column "${name}" of table "${this.schema.name}" does not exist`);
    if (this.schema.columns.length === 1) throw catalogError(`Cannot drop column "${name}": table "${this.schema.name}" only has one column remaining`);
    this.chunks = this.chunks.map((c) => ({ columns: c.columns.filter((_, i) => i !== at), length: c.length }));
    this.schema = { ...this.schema, columns: this.schema.columns.filter((_, i) => i !== at) };
  }

  /** ALTER TABLE RENAME COLUMN (in the sort and primary keys too). */
  renameColumn(from: string, to: string): void {
    const rename = (n: string) => (n === from ? to : n);
    const s = this.schema;
    this.schema = { ...s, columns: s.columns.map((c) => (c.name === from ? { ...c, name: to } : c)), sortKey: s.sortKey.map(rename), primaryKey: s.primaryKey.map(rename) };
  }

  /** ALTER TABLE RENAME TO (the catalog is updated by the caller). */
  rename(to: string): void {
    this.schema = { ...this.schema, name: to };
  }

  /** UPDATE: removes the rows with the given row ids (ROW_ID_COLUMN values of a snapshot of the
   *  current chunks) and appends `rows` (their new values), in one swap. */
  replaceRows(rowIds: ArrayLike<number>, rows: Batch): void {
    const gone = new Set<number>();
    for (let k = 0; k < rowIds.length; k++) gone.add(rowIds[k]!);
    const kept: Chunk[] = [];
    let base = 0;
    for (const chunk of this.chunks) {
      const keep: number[] = [];
      for (let i = 0; i < chunk.length; i++) if (!gone.has(base + i)) keep.push(i);
      base += chunk.length;
      if (keep.length === chunk.length) kept.push(chunk);
      else if (keep.length > 0) {
        const idx = Int32Array.from(keep);
        kept.push({ columns: chunk.columns.map((c) => gather(c, idx, idx.length)), length: idx.length });
      }
    }
    if (rows.count > 0) kept.push(toChunk(rows));
    this.chunks = kept;
  }

  /** Appends rows; each batch MUST have one vector per table column, in order. */
  append(batches: readonly Batch[]): void {
    const added: Chunk[] = [];
    for (const b of batches) {
      if (b.count === 0) continue;
      added.push(toChunk(b));
    }
    if (added.length > 0) this.chunks = [...this.chunks, ...added];
  }
}

export function toChunk(b: Batch): Chunk {
  const cols = b.columns.map((v: Vector) => flatten(v));
  if (b.selection !== null) {
    const sel = b.selection;
    return {
      columns: cols.map((c) => gather(c, sel, sel.length)),
      length: sel.length,
    };
  }
  return { columns: cols, length: b.length };
}


class MemorySnapshot implements Snapshot {
  readonly rowCount: number;

  constructor(private readonly chunks: readonly Chunk[]) {
    let n = 0;
    for (const c of chunks) n += c.length;
    this.rowCount = n;
  }

  async *scan(options: ScanOptions): AsyncIterable<Batch> {
    // Row ids (ROW_ID_COLUMN) number the rows across the chunks in order.
    let base = 0;
    for (const chunk of this.chunks) {
      for (let start = 0; start < chunk.length; start += BATCH_SIZE) {
        const end = Math.min(chunk.length, start + BATCH_SIZE);
        const cols = options.columns.map((ci) => (ci === ROW_ID_COLUMN ? rowIds(base + start, end - start) : sliceFlat(chunk.columns[ci]!, start, end)));
        const kept = applyPrefilter(makeBatch(cols, end - start), options.prefilter);
        if (kept !== null) yield kept;
      }
      base += chunk.length;
    }
  }

  stats(column: number): ColumnStats {
    let nulls = 0;
    let min: Scalar = null;
    let max: Scalar = null;
    const distinct = new Set<unknown>();
    for (const chunk of this.chunks) {
      const v = chunk.columns[column]!;
      const data = v.data;
      for (let i = 0; i < v.length; i++) {
        if (v.validity !== null && v.validity[i] === 0) {
          nulls++;
          continue;
        }
        const x = data[i] as Scalar;
        if (distinct.size < 100_000) distinct.add(x);
        if (min === null || (x as number) < (min as number)) min = x;
        if (max === null || (x as number) > (max as number)) max = x;
      }
    }
    return { rows: this.rowCount, min, max, nulls, distinct: distinct.size };
  }
}

function rowIds(first: number, n: number): FlatVector {
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = first + i;
  return { kind: 'flat', type: T.BIGINT, length: n, data, validity: null };
}

function sliceFlat(v: FlatVector, start: number, end: number): FlatVector {
  if (start === 0 && end === v.length) return v;
  const data = Array.isArray(v.data) ? v.data.slice(start, end) : v.data.subarray(start, end);
  const validity = v.validity === null ? null : v.validity.subarray(start, end);
  return { kind: 'flat', type: v.type, length: end - start, data, validity };
}
