// The table interface (storage/table.ts) as the in-memory table implements it: a snapshot is
// one consistent version (writes after it are invisible to it), scans return the requested
// columns in the requested order in batches of at most BATCH_SIZE rows, pushed predicates never
// drop a row that satisfies them, and stats() counts rows, NULLs, min, max and distinct values.
// Also ALTER TABLE DROP COLUMN on it.

import { describe, expect, it } from 'vitest';
import { BATCH_SIZE, type Batch, makeBatch } from '../../common/batch.js';
import { T } from '../../common/types.js';
import { type FlatVector, type Scalar, flatten, getScalar } from '../../common/vector.js';
import { MemoryTable } from '../../storage/memory-table.js';
import type { Snapshot, TableSchema } from '../../storage/table.js';

const SCHEMA: TableSchema = {
  name: 'm',
  columns: [
    { name: 'id', type: T.INTEGER, notNull: true },
    { name: 'name', type: T.VARCHAR, notNull: false },
  ],
  sortKey: [],
  primaryKey: [],
};

function batch(ids: number[], names: (string | null)[], selection: Int32Array | null = null): Batch {
  const id: FlatVector = { kind: 'flat', type: T.INTEGER, length: ids.length, data: Int32Array.from(ids), validity: null };
  const validity = Uint8Array.from(names, (n) => (n === null ? 0 : 1));
  const name: FlatVector = {
    kind: 'flat', type: T.VARCHAR, length: names.length, data: names.map((n) => n ?? ''), validity: names.includes(null) ? validity : null,
  };
  return makeBatch([id, name], ids.length, selection);
}

async function read(s: Snapshot, columns: number[]): Promise<Scalar[][]> {
  const rows: Scalar[][] = [];
  for await (const b of s.scan({ columns })) {
    expect(b.columns.length).toBe(columns.length);
    expect(b.count).toBeLessThanOrEqual(BATCH_SIZE);
    const cols = b.columns.map((c) => flatten(c));
    for (let r = 0; r < b.count; r++) {
      const k = b.selection === null ? r : b.selection[r]!;
      rows.push(cols.map((c) => getScalar(c, k)));
    }
  }
  return rows;
}

describe('MemoryTable', () => {
  it('scans the requested columns in the requested order', async () => {
    const t = new MemoryTable(SCHEMA);
    t.append([batch([1, 2], ['a', null])]);
    expect(await read(t.snapshot(), [1, 0])).toEqual([['a', 1], [null, 2]]);
    expect(await read(t.snapshot(), [0])).toEqual([[1], [2]]);
  });

  it('keeps only the selected rows of an appended batch', async () => {
    const t = new MemoryTable(SCHEMA);
    t.append([batch([1, 2, 3], ['a', 'b', 'c'], Int32Array.from([0, 2])), batch([], [])]);
    expect(await read(t.snapshot(), [0, 1])).toEqual([[1, 'a'], [3, 'c']]);
    expect(t.snapshot().rowCount).toBe(2);
  });

  it('gives each snapshot one consistent version', async () => {
    const t = new MemoryTable(SCHEMA);
    t.append([batch([1], ['a'])]);
    const before = t.snapshot();
    t.append([batch([2], ['b'])]);
    const after = t.snapshot();
    t.replaceChunks([]);
    expect(await read(before, [0])).toEqual([[1]]);
    expect(await read(after, [0])).toEqual([[1], [2]]);
    expect(await read(t.snapshot(), [0])).toEqual([]);
    expect(before.rowCount).toBe(1);
  });

  it('splits large chunks into batches of at most BATCH_SIZE rows', async () => {
    const t = new MemoryTable(SCHEMA);
    const n = BATCH_SIZE + 10;
    const ids = Array.from({ length: n }, (_, i) => i);
    t.append([batch(ids, ids.map((i) => `n${i % 3}`))]);
    let batches = 0;
    let rows = 0;
    let sum = 0;
    for await (const b of t.snapshot().scan({ columns: [0] })) {
      batches++;
      rows += b.count;
      const d = flatten(b.columns[0]!).data as Int32Array;
      for (let i = 0; i < b.count; i++) sum += d[i]!;
    }
    expect(batches).toBe(2);
    expect(rows).toBe(n);
    expect(sum).toBe((n * (n - 1)) / 2);
  });

  it('never drops a row that satisfies a pushed predicate', async () => {
    const t = new MemoryTable(SCHEMA);
    t.append([batch([1, 5, 9], ['a', 'b', null])]);
    const rows: Scalar[] = [];
    for await (const b of t.snapshot().scan({ columns: [0], predicates: [{ column: 0, op: '>=', values: [5] }] })) {
      const c = flatten(b.columns[0]!);
      for (let r = 0; r < b.count; r++) rows.push(getScalar(c, b.selection === null ? r : b.selection[r]!));
    }
    expect(rows).toEqual(expect.arrayContaining([5, 9]));
  });

  it('reports column statistics', () => {
    const t = new MemoryTable(SCHEMA);
    t.append([batch([3, 1, 3], ['b', null, 'a']), batch([7], [null])]);
    const s = t.snapshot();
    expect(s.stats(0)).toEqual({ rows: 4, min: 1, max: 7, nulls: 0, distinct: 3 });
    expect(s.stats(1)).toEqual({ rows: 4, min: 'a', max: 'b', nulls: 2, distinct: 2 });
  });

  it('drops a column from every chunk; snapshots taken before keep it; a re-added name is NULL', async () => {
    const t = new MemoryTable(SCHEMA);
    t.append([batch([1, 2], ['a', 'b'])]);
    t.addColumn({ name: 'extra', type: T.INTEGER, notNull: false });
    const before = t.snapshot();
    t.dropColumn('name');
    expect(t.schema.columns.map((c) => c.name)).toEqual(['id', 'extra']);
    expect(await read(t.snapshot(), [0, 1])).toEqual([[1, null], [2, null]]);
    expect(await read(before, [0, 1, 2])).toEqual([[1, 'a', null], [2, 'b', null]]);
    t.addColumn({ name: 'name', type: T.VARCHAR, notNull: false });
    expect(await read(t.snapshot(), [2])).toEqual([[null], [null]]);
    expect(() => t.dropColumn('nope')).toThrow('column "nope" of table "m" does not exist');
    t.dropColumn('extra');
    t.dropColumn('name');
    expect(() => t.dropColumn('id')).toThrow('Cannot drop column "id": table "m" only has one column remaining');
    expect(await read(t.snapshot(), [0])).toEqual([[1], [2]]);
  });
});
