// Test helpers for compaction: source parts written from rows of plain JS values, a part read
// back as rows, and the reference model of a merge (the live rows of every source, sources in
// order, stably sorted by the key with NULLs last), all with BIGINT/DECIMAL values as bigints
// whatever representation a block decoded to.

import { posix } from 'node:path';
import { expect } from 'vitest';
import { type LogicalType, TypeId } from '../../../common/types.js';
import type { Scalar } from '../../../common/vector.js';
import type { FileSystem } from '../../../storage/fs/file-system.js';
import { openPart, scanPart } from '../../../storage/part/part-reader.js';
import { writePart } from '../../../storage/part/part-writer.js';
import type { ColumnSchema } from '../../../storage/table.js';
import { batchOf, collect } from '../part/part-test-helpers.js';

export type Row = Scalar[];

export const column = (name: string, type: LogicalType): ColumnSchema => ({ name, type, notNull: false });

const isWide = (t: LogicalType) => t.id === TypeId.BIGINT || t.id === TypeId.DECIMAL;

/** BIGINT/DECIMAL values as bigints (blocks may decode them as numbers). */
export function normalize(types: readonly LogicalType[], rows: readonly Row[]): Row[] {
  return rows.map((r) => r.map((v, c) => (v !== null && isWide(types[c]!) ? BigInt(v as number | bigint) : v)));
}

/** Writes `rows` (row-major, in the order given) as a part of `columns` in `dir`. */
export async function writeRows(fs: FileSystem, dir: string, columns: readonly ColumnSchema[], rows: readonly Row[], blockRows: number): Promise<void> {
  const types = columns.map((c) => c.type);
  const byColumn = types.map((_, c) => rows.map((r) => r[c]!));
  await writePart(fs, dir, { columns }, [batchOf(types, byColumn, 0, rows.length, 'plain')], { blockRows });
}

/** Every row of the part in `dir`, row-major, normalized. */
export async function readRows(fs: FileSystem, dir: string, types: readonly LogicalType[]): Promise<Row[]> {
  const part = await openPart(fs, dir);
  const cols = await collect(
    scanPart(part, { columns: types.map((_, c) => c), columnTypes: [...types] }),
    types.length,
  );
  const n = cols[0]!.length;
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) rows.push(cols.map((col) => col[i]!));
  return normalize(types, rows);
}

/** The sort order of the engine (sort-permutation.ts) on normalized values: NULL last. */
export function compareScalar(a: Scalar, b: Scalar): number {
  if (a === null || b === null) return (a === null ? 1 : 0) - (b === null ? 1 : 0);
  if (typeof a === 'string' || typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return (a as number | bigint) < (b as number | bigint) ? -1 : (a as number | bigint) > (b as number | bigint) ? 1 : 0;
}

export function compareRows(sortKey: readonly number[]): (a: Row, b: Row) => number {
  return (a, b) => {
    for (const k of sortKey) {
      const c = compareScalar(a[k]!, b[k]!);
      if (c !== 0) return c;
    }
    return 0;
  };
}

export interface ModelSource {
  /** Rows as written, each with the part's columnCount values. */
  rows: Row[];
  deleted: Uint8Array | null;
}

/** What a merge of `sources` must produce: their live rows (missing columns NULL), stably sorted. */
export function referenceMerge(sources: readonly ModelSource[], types: readonly LogicalType[], sortKey: readonly number[]): Row[] {
  const live: Row[] = [];
  for (const s of sources) {
    s.rows.forEach((r, i) => {
      if (s.deleted === null || s.deleted[i] === 0) live.push(types.map((_, c) => (c < r.length ? r[c]! : null)));
    });
  }
  // Array.prototype.sort is stable.
  return normalize(types, live).sort(compareRows(sortKey));
}

/** Asserts the rows are in key order (a check of the reference itself). */
export function expectSorted(rows: readonly Row[], sortKey: readonly number[]): void {
  const cmp = compareRows(sortKey);
  for (let i = 1; i < rows.length; i++) expect(cmp(rows[i - 1]!, rows[i]!)).toBeLessThanOrEqual(0);
}

export const partDir = (root: string, name: string) => posix.join(root, name);
