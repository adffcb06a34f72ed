// The memtable: rows are visible at once; a snapshot never changes (appends, deletions, chunk
// growth and sealing, BIGINT widening and the first NULL after it are invisible to it); deletes
// go by row id; the flush order equals a reference stable sort for multi-column keys with NULLs,
// NaN, -0, strings and BIGINTs beyond 2^53; freeze hands over an immutable view; stats.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Batch, BATCH_SIZE, makeBatch } from '../../../common/batch.js';
import { type LogicalType, T } from '../../../common/types.js';
import type { Scalar } from '../../../common/vector.js';
import { Memtable } from '../../../storage/memtable/memtable.js';
import type { MemtableSnapshot } from '../../../storage/memtable/memtable-snapshot.js';
import type { TableSchema } from '../../../storage/table.js';
import { compareScalars, sameScalar, valueArb, vectorOf } from '../encoding/blocks.js';
import { type BatchShape, batchOf, collect } from '../part/part-test-helpers.js';

function schemaOf(types: readonly LogicalType[], sortKey: number[]): TableSchema {
  return {
    name: 't',
    columns: types.map((type, i) => ({ name: `c${i}`, type, notNull: false })),
    sortKey: sortKey.map((i) => `c${i}`),
    primaryKey: [],
  };
}

/** A batch of one column per entry of `columns`. */
function rowsBatch(types: readonly LogicalType[], columns: Scalar[][], asBigInt = false): Batch {
  const n = columns[0]!.length;
  return makeBatch(
    types.map((type, c) => vectorOf({ type, values: columns[c]!, asBigInt })),
    n,
  );
}

async function read(s: MemtableSnapshot, columns: number[]): Promise<Scalar[][]> {
  return collect(s.scan({ columns }), columns.length);
}

/** Row ids of the snapshot's live rows, in scan order. */
async function liveIds(s: MemtableSnapshot): Promise<number[]> {
  const ids: number[] = [];
  for await (const { batch, firstRowId } of s.scanRows({ columns: [0] })) {
    for (let k = 0; k < batch.count; k++) ids.push(firstRowId + (batch.selection === null ? k : batch.selection[k]!));
  }
  return ids;
}

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

describe('memtable snapshots', () => {
  it('see the rows and deletions made before them, and nothing after', async () => {
    const types = [T.INTEGER, T.VARCHAR];
    const m = new Memtable(schemaOf(types, [0]));
    expect(m.append(rowsBatch(types, [[1, 2, 3], ['a', null, 'c']]))).toBe(0);
    const s1 = m.snapshot();
    expect(m.append(rowsBatch(types, [[4, 5], ['d', 'e']]))).toBe(3);
    expect(m.delete(Uint32Array.of(0, 4))).toBe(2);
    const s2 = m.snapshot();
    expect(m.delete(Uint32Array.of(0, 1))).toBe(1);
    const s3 = m.snapshot();
    expect(await read(s1, [0, 1])).toEqual([[1, 2, 3], ['a', null, 'c']]);
    expect(s1.rowCount).toBe(3);
    expect(await read(s2, [1, 0])).toEqual([[null, 'c', 'd'], [2, 3, 4]]);
    expect(s2.rowCount).toBe(3);
    expect(await read(s3, [0])).toEqual([[3, 4]]);
    expect(await liveIds(s3)).toEqual([2, 3]);
    expect(m.size()).toMatchObject({ rows: 5, liveRows: 2 });
  });

  it('reject row ids beyond the rows appended', () => {
    const m = new Memtable(schemaOf([T.INTEGER], [0]));
    m.append(rowsBatch([T.INTEGER], [[1, 2]]));
    expect(() => m.delete(Uint32Array.of(2))).toThrow(/row id 2 is beyond its 2 rows/);
  });

  it('survive chunk growth and sealing, BIGINT widening and a first NULL', async () => {
    const types = [T.BIGINT, T.DOUBLE];
    const m = new Memtable(schemaOf(types, [0]));
    const snaps: { s: MemtableSnapshot; rows: number }[] = [];
    let next = 0;
    const step = 3001;
    while (next < BATCH_SIZE + 2 * step) {
      const ids = range(next, next + step);
      m.append(rowsBatch(types, [ids.map(BigInt), ids.map((i) => i / 2)]));
      next += step;
      snaps.push({ s: m.snapshot(), rows: next });
    }
    const big = 2n ** 62n;
    expect(m.append(rowsBatch(types, [[big, null], [null, NaN]]))).toBe(next);
    m.delete(Uint32Array.of(0, BATCH_SIZE, next - 1));
    for (const { s, rows } of snaps) {
      const [a, b] = await read(s, [0, 1]);
      expect(a!.length).toBe(rows);
      expect(a!.every((x, i) => sameScalar(x, BigInt(i)))).toBe(true);
      expect(b!.every((x, i) => x === i / 2)).toBe(true);
    }
    const [a, b] = await read(m.snapshot(), [0, 1]);
    expect(a!.length).toBe(next - 1);
    expect(sameScalar(a![0]!, 1n)).toBe(true);
    expect(a!.at(-1)).toBeNull();
    expect(a!.at(-2)).toBe(big);
    expect(sameScalar(a!.at(-3)!, BigInt(next - 2))).toBe(true);
    expect(b!.at(-2)).toBeNull();
    expect(Object.is(b!.at(-1), NaN)).toBe(true);
    const ids = await liveIds(m.snapshot());
    expect(ids).toEqual(range(0, next + 2).filter((i) => i !== 0 && i !== BATCH_SIZE && i !== next - 1));
  });

  it('accept selections and dictionary vectors', async () => {
    const types = [T.INTEGER, T.VARCHAR];
    const cols: Scalar[][] = [[1, null, 3, 4], ['w', 'x', null, 'z']];
    const m = new Memtable(schemaOf(types, [0]));
    for (const shape of ['plain', 'selection', 'dictionary'] as BatchShape[]) m.append(batchOf(types, cols, 0, 4, shape));
    const [a, b] = await read(m.snapshot(), [0, 1]);
    expect(a).toEqual([...cols[0]!, ...cols[0]!, ...cols[0]!]);
    expect(b).toEqual([...cols[1]!, ...cols[1]!, ...cols[1]!]);
  });
});

describe('memtable sorted output', () => {
  const KEY_TYPES = [T.INTEGER, T.DOUBLE, T.BIGINT, T.VARCHAR, T.BOOLEAN];
  const caseArb = fc
    .record({
      types: fc.array(fc.constantFrom(...KEY_TYPES), { minLength: 1, maxLength: 4 }),
      pieces: fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 5 }),
      keyCount: fc.integer({ min: 1, max: 3 }),
      deletes: fc.array(fc.nat(), { maxLength: 20 }),
      asBigInt: fc.boolean(),
    })
    .chain((r) => {
      const rows = r.pieces.reduce((a, b) => a + b, 0);
      // Few distinct values, so ties on the first key columns are common.
      const colArb = (t: LogicalType) =>
        fc.array(fc.option(valueArb(t), { freq: 3 }), { minLength: 1, maxLength: 4 }).chain((pool) =>
          fc.array(fc.nat({ max: pool.length - 1 }), { minLength: rows, maxLength: rows }).map((picks) => picks.map((p) => pool[p]!)),
        );
      return fc.tuple(...r.types.map(colArb)).map((columns) => ({ ...r, rows, columns }));
    });

  function refCompare(a: Scalar, b: Scalar): number {
    if (a === null || b === null) return a === null ? (b === null ? 0 : 1) : -1;
    return compareScalars(a, b);
  }

  it('equals a reference stable sort over live rows', () => {
    fc.assert(
      fc.property(caseArb, ({ types, pieces, keyCount, deletes, asBigInt, rows, columns }) => {
        const sortKey = range(0, Math.min(keyCount, types.length)).reverse();
        const m = new Memtable(schemaOf(types, sortKey));
        let start = 0;
        for (const p of pieces) {
          m.append(rowsBatch(types, columns.map((c) => c.slice(start, start + p)), asBigInt));
          start += p;
        }
        if (rows > 0) m.delete(Uint32Array.from(deletes.map((d) => d % rows)));
        const dead = new Set(rows > 0 ? deletes.map((d) => d % rows) : []);
        const order = range(0, rows).filter((r) => !dead.has(r));
        order.sort((a, b) => {
          for (const k of sortKey) {
            const c = refCompare(columns[k]![a]!, columns[k]![b]!);
            if (c !== 0) return c;
          }
          return a - b;
        });
        const batches = m.freeze().sortedBatches();
        const got: Scalar[][] = types.map(() => []);
        for (const b of batches) {
          expect(b.selection).toBeNull();
          for (let c = 0; c < types.length; c++) {
            for (let i = 0; i < b.length; i++) got[c]!.push(vectorValue(b, c, i));
          }
        }
        for (let c = 0; c < types.length; c++) {
          expect(got[c]!.length).toBe(order.length);
          order.forEach((r, i) => {
            if (!sameScalar(got[c]![i]!, columns[c]![r]!)) throw new Error(`column ${c}, output row ${i}: got ${String(got[c]![i])}, want ${String(columns[c]![r])}`);
          });
        }
      }),
      { seed: 424242, numRuns: 200 },
    );
  });

  it('cuts batches at BATCH_SIZE rows', () => {
    const m = new Memtable(schemaOf([T.INTEGER], [0]));
    const n = BATCH_SIZE + 10;
    m.append(rowsBatch([T.INTEGER], [range(0, n).map((i) => n - i)]));
    const batches = m.freeze().sortedBatches();
    expect(batches.map((b) => b.length)).toEqual([BATCH_SIZE, 10]);
    expect(vectorValue(batches[0]!, 0, 0)).toBe(1);
    expect(vectorValue(batches[1]!, 0, 9)).toBe(n);
  });
});

function vectorValue(b: Batch, c: number, i: number): Scalar {
  const v = b.columns[c]!;
  if (v.kind !== 'flat') throw new Error(`expected a flat vector, got ${v.kind}`);
  return v.validity !== null && v.validity[i] === 0 ? null : (v.data[i] as Scalar);
}

describe('freeze', () => {
  it('stops writes, keeps its readers, and a new memtable takes new writes', async () => {
    const types = [T.INTEGER];
    const schema = schemaOf(types, [0]);
    const m = new Memtable(schema);
    m.append(rowsBatch(types, [[3, 1, 2]]));
    const before = m.snapshot();
    const frozen = m.freeze();
    expect(m.freeze()).toBe(frozen);
    expect(() => m.append(rowsBatch(types, [[4]]))).toThrow(/frozen/);
    expect(() => m.delete(Uint32Array.of(0))).toThrow(/frozen/);
    const next = new Memtable(schema);
    next.append(rowsBatch(types, [[9]]));
    expect(await read(frozen.snapshot(), [0])).toEqual([[3, 1, 2]]);
    expect(await read(m.snapshot(), [0])).toEqual([[3, 1, 2]]);
    expect(await read(before, [0])).toEqual([[3, 1, 2]]);
    expect(await read(next.snapshot(), [0])).toEqual([[9]]);
    expect(frozen.size.rows).toBe(3);
    expect(frozen.size.bytes).toBeGreaterThan(0);
  });
});

describe('stats', () => {
  it('count live rows, NULLs and distinct values; min and max by value', () => {
    const types = [T.BIGINT, T.DOUBLE, T.VARCHAR];
    const m = new Memtable(schemaOf(types, [0]));
    m.append(rowsBatch(types, [[5n, null, -3n], [1.5, NaN, null], ['b', 'a', null]]));
    m.append(rowsBatch(types, [[2n ** 60n, 5n, -(2n ** 61n)], [-0, 0, 7], ['é', 'b', '\ud800']]));
    m.delete(Uint32Array.of(5));
    const s = m.snapshot();
    const b = s.stats(0);
    expect(b).toMatchObject({ rows: 5, nulls: 1, distinct: 3 });
    expect(sameScalar(b.min, -3n)).toBe(true);
    expect(sameScalar(b.max, 2n ** 60n)).toBe(true);
    const d = s.stats(1);
    expect(d).toMatchObject({ rows: 5, nulls: 1, distinct: 3 });
    expect(Object.is(d.max, NaN)).toBe(true);
    expect(d.min === 0).toBe(true);
    expect(s.stats(2)).toEqual({ rows: 5, min: 'a', max: 'é', nulls: 1, distinct: 3 });
    const empty = new Memtable(schemaOf(types, [0])).snapshot();
    expect(empty.stats(2)).toEqual({ rows: 0, min: null, max: null, nulls: 0, distinct: 0 });
  });
});
