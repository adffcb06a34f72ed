// What bench/storage.ts reads back from Quiver's lineorder parts: bytes and block encodings per
// column (part.meta), the blocks SSB q1.1's filter reads and skips (scanPart with q1.1's
// predicates pushed as storage predicates, counted in ScanStats), the files of each part by
// kind, and a timed scan of every column (decoding every block as the operators receive it).

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { flatten, type FlatVector } from '../common/vector.js';
import { typeToString } from '../common/types.js';
import { indexFileName } from '../storage/index/part-indexes.js';
import { type Part, scanPart } from '../storage/part/part-reader.js';
import { newScanStats, type StoragePredicate } from '../storage/table.js';

export interface ColumnReport {
  name: string;
  type: string;
  /** Bytes of its column files. */
  bytes: number;
  /** Bytes of its bitmap index files (0: none). */
  indexBytes: number;
  /** Blocks per encoding. */
  encodings: Record<string, number>;
}

export interface Q11Report {
  blocksTotal: number;
  /** Blocks the zone maps ruled out. */
  blocksSkipped: number;
  /** Blocks the bitmap indexes ruled out (of those the zone maps kept). */
  blocksSkippedByBitmap: number;
  /** Rows the scan yielded (after any bitmap index selection). */
  rowsRead: number;
  rowsMatching: number;
  bytesRead: number;
  seconds: number;
  /** sum(lo_extendedprice * lo_discount) over the matching rows: q1.1's answer. */
  revenue: number;
}

export interface ScanReport {
  rows: number;
  values: number;
  bytesRead: number;
  seconds: number;
}

/** Bytes of a part directory by kind of file: column files, bitmap index files, the rest. */
export interface PartFiles {
  columns: number;
  indexes: number;
  meta: number;
}

export function partFiles(parts: readonly Part[]): PartFiles {
  const out: PartFiles = { columns: 0, indexes: 0, meta: 0 };
  for (const p of parts) {
    for (const name of readdirSync(p.dir)) {
      const bytes = statSync(join(p.dir, name)).size;
      if (/^c\d+\.bin$/.test(name)) out.columns += bytes;
      else if (/^i\d+\.idx$/.test(name)) out.indexes += bytes;
      else out.meta += bytes;
    }
  }
  return out;
}

export function lineorderColumns(parts: readonly Part[], names: readonly string[]): ColumnReport[] {
  return names.map((name, c) => {
    const encodings: Record<string, number> = {};
    let bytes = 0;
    let indexBytes = 0;
    for (const p of parts) {
      const col = p.meta.columns[c]!;
      bytes += col.fileBytes;
      const index = join(p.dir, indexFileName(c));
      if (existsSync(index)) indexBytes += statSync(index).size;
      for (const b of col.blocks) encodings[b.encoding] = (encodings[b.encoding] ?? 0) + 1;
    }
    return { name, type: typeToString(parts[0]!.meta.columns[c]!.type), bytes, indexBytes, encodings };
  });
}

/** The d_datekey range of year `year` in date.tbl (d_datekey is field 1, d_year field 5): q1.1's
 *  join to the date table with d_year = 1993 is this range of lo_orderdate. */
export function q11Range(dateTbl: string, year: number): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const line of readFileSync(dateTbl, 'utf8').split('\n')) {
    if (line === '') continue;
    const f = line.split('|');
    if (Number(f[4]) !== year) continue;
    const key = Number(f[0]);
    if (key < min) min = key;
    if (key > max) max = key;
  }
  if (min === Infinity) throw new Error(`${dateTbl} has no day of year ${year}`);
  return { min, max };
}

function int32s(v: FlatVector, what: string): Int32Array {
  if (!(v.data instanceof Int32Array)) throw new Error(`${what} did not decode to Int32 values`);
  return v.data;
}

export async function scanQ11(parts: readonly Part[], names: readonly string[], range: { min: number; max: number }): Promise<Q11Report> {
  const col = (name: string) => {
    const i = names.indexOf(name);
    if (i < 0) throw new Error(`lineorder has no column ${name}`);
    return i;
  };
  const date = col('lo_orderdate');
  const discount = col('lo_discount');
  const quantity = col('lo_quantity');
  const price = col('lo_extendedprice');
  const predicates: StoragePredicate[] = [
    { column: date, op: '>=', values: [range.min] },
    { column: date, op: '<=', values: [range.max] },
    { column: discount, op: '>=', values: [1] },
    { column: discount, op: '<=', values: [3] },
    { column: quantity, op: '<', values: [25] },
  ];
  const stats = newScanStats();
  let rowsRead = 0;
  let rowsMatching = 0;
  let revenue = 0;
  const t0 = performance.now();
  for (const part of parts) {
    for await (const b of scanPart(part, { columns: [date, discount, quantity, price], predicates }, stats)) {
      const [d, disc, qty, pr] = b.columns.map((v, k) => int32s(flatten(v), ['lo_orderdate', 'lo_discount', 'lo_quantity', 'lo_extendedprice'][k]!));
      // A batch may carry a selection (the rows bitmap indexes left): only those rows are in it.
      const sel = b.selection;
      for (let k = 0; k < b.count; k++) {
        const i = sel === null ? k : sel[k]!;
        const x = d![i]!;
        const y = disc![i]!;
        if (x >= range.min && x <= range.max && y >= 1 && y <= 3 && qty![i]! < 25) {
          rowsMatching++;
          revenue += pr![i]! * y;
        }
      }
      rowsRead += b.count;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  return {
    blocksTotal: stats.blocksTotal,
    blocksSkipped: stats.blocksSkipped,
    blocksSkippedByBitmap: stats.blocksSkippedByBitmap,
    rowsRead,
    rowsMatching,
    bytesRead: stats.bytesRead,
    seconds,
    revenue,
  };
}

/** Reads every block of every column (best of `runs`, the first one warming the file cache). */
export async function scanAll(parts: readonly Part[], runs = 3): Promise<ScanReport> {
  let best: ScanReport | null = null;
  for (let r = 0; r < runs; r++) {
    const stats = newScanStats();
    let rows = 0;
    const t0 = performance.now();
    for (const part of parts) {
      const columns = part.meta.columns.map((_, c) => c);
      for await (const b of scanPart(part, { columns }, stats)) rows += b.count;
    }
    const seconds = (performance.now() - t0) / 1000;
    if (best === null || seconds < best.seconds) best = { rows, values: stats.valuesDecoded, bytesRead: stats.bytesRead, seconds };
  }
  return best!;
}
