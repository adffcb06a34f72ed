// Sorting a bulk load's batches (sort-batches.ts, with radix-sort.ts for integer keys): the
// same rows as a reference stable sort, NULLs last, ties in input order, and one
// representation per column when batches hold BIGINTs as numbers and as bigints; rows that
// come as a few sorted runs (a parallel load's ranges) merged into the same order.
import { describe, expect, it } from 'vitest';
import { type Batch, BATCH_SIZE, makeBatch } from '../../../common/batch.js';
import { T, type LogicalType } from '../../../common/types.js';
import { flatVector, getScalar, type Scalar } from '../../../common/vector.js';
import { sortBatches } from '../../../storage/memtable/sort-batches.js';

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) | 0;
    return (s >>> 0) / 2 ** 32;
  };
}

const types: LogicalType[] = [T.INTEGER, T.VARCHAR, T.BIGINT, T.DOUBLE];

function batches(seed: number, count: number, keyRange: number): Batch[] {
  const r = rng(seed);
  const out: Batch[] = [];
  let id = 0;
  for (let b = 0; b < count; b++) {
    const n = Math.floor(r() * 5000);
    const key = new Int32Array(n);
    const keyValid = new Uint8Array(n).fill(1);
    const text: string[] = [];
    const wide = b % 3 === 1;
    const big = wide ? new BigInt64Array(n) : new Float64Array(n);
    const dbl = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      key[i] = Math.floor(r() * keyRange) - (keyRange >> 1);
      if (r() < 0.05) {
        keyValid[i] = 0;
        key[i] = 0;
      }
      text.push(`row${id++}`);
      if (big instanceof BigInt64Array) big[i] = 2n ** 60n + BigInt(i);
      else big[i] = i;
      dbl[i] = r();
    }
    out.push(makeBatch([flatVector(T.INTEGER, key, keyValid), flatVector(T.VARCHAR, text), flatVector(T.BIGINT, big), flatVector(T.DOUBLE, dbl)], n));
  }
  return out;
}

function rowsOf(bs: readonly Batch[]): Scalar[][] {
  const rows: Scalar[][] = [];
  for (const b of bs) for (let i = 0; i < b.count; i++) rows.push(b.columns.map((v) => getScalar(v, i)));
  return rows;
}

/** BIGINTs as exact digits (numbers or bigints, by batch). */
const exact = (rows: Scalar[][]): Scalar[][] => rows.map((r) => r.map((v) => (typeof v === 'bigint' ? v.toString() : v === null ? null : typeof v === 'number' && Number.isInteger(v) ? String(v) : v)));

describe('sortBatches', () => {
  for (const keyRange of [50, 70000, 2 ** 31]) {
    it(`equals a stable reference sort, NULLs last (keys over a range of ${keyRange})`, () => {
      const input = batches(keyRange, 40, keyRange);
      const expected = rowsOf(input)
        .map((row, i) => ({ row, i }))
        .sort((a, b) => {
          const x = a.row[0] as number | null;
          const y = b.row[0] as number | null;
          if (x === null || y === null) return (x === null ? 1 : 0) - (y === null ? 1 : 0) || a.i - b.i;
          return x - y || a.i - b.i;
        })
        .map((e) => e.row);
      const sorted = sortBatches(types, input, [0]);
      for (const b of sorted) {
        // One representation for the BIGINT column in every batch: bigints, as some input held.
        expect(b.columns[2]!.kind === 'flat' && b.columns[2]!.data instanceof BigInt64Array).toBe(true);
      }
      expect(exact(rowsOf(sorted))).toEqual(exact(expected));
    });
  }
  it('passes batches through without a key, and keeps rows already in order', () => {
    const input = batches(7, 3, 10);
    expect(sortBatches(types, input, [])).toEqual(input.filter((b) => b.count > 0));
    const one = [makeBatch([flatVector(T.INTEGER, Int32Array.from([1, 2, 2, 3]))], 4)];
    expect(sortBatches([T.INTEGER], one, [0])).toEqual(one);
  });
  it('sorts dictionary-encoded text as codes over one merged dictionary, the values unchanged', () => {
    // Two parsing threads' batches: dictionaries of their own, in another order, sharing values.
    const dictA = flatVector(T.VARCHAR, ['AIR', 'RAIL', 'SHIP']);
    const dictB = flatVector(T.VARCHAR, ['SHIP', 'TRUCK', 'AIR']);
    const dictVec = (dictionary: typeof dictA, codes: number[]) => ({ kind: 'dictionary' as const, type: T.VARCHAR, length: codes.length, codes: Int32Array.from(codes), dictionary });
    const input = [
      makeBatch([flatVector(T.INTEGER, Int32Array.from([3, 1, 2, 1])), dictVec(dictA, [0, 1, 2, 0])], 4),
      makeBatch([flatVector(T.INTEGER, Int32Array.from([1, 3, 2])), dictVec(dictB, [1, 0, 2])], 3),
    ];
    const sorted = sortBatches([T.INTEGER, T.VARCHAR], input, [0]);
    expect(sorted.every((b) => b.columns[1]!.kind === 'dictionary')).toBe(true);
    expect(rowsOf(sorted)).toEqual([
      [1, 'RAIL'],
      [1, 'AIR'],
      [1, 'TRUCK'],
      [2, 'SHIP'],
      [2, 'AIR'],
      [3, 'AIR'],
      [3, 'SHIP'],
    ]);
    // Mixed with flat strings in another batch: the column is sorted as strings.
    const mixed = [...input, makeBatch([flatVector(T.INTEGER, Int32Array.from([0])), flatVector(T.VARCHAR, ['MAIL'])], 1)];
    const out = sortBatches([T.INTEGER, T.VARCHAR], mixed, [0]);
    expect(out[0]!.columns[1]!.kind).toBe('flat');
    expect(rowsOf(out)[0]).toEqual([0, 'MAIL']);
  });

  /** A stable reference sort of the rows by the key columns (NULLs last, values by value). */
  function referenceSort(rows: Scalar[][], key: number[]): Scalar[][] {
    const cmp = (x: Scalar, y: Scalar): number => {
      if (x === null || y === null) return (x === null ? 1 : 0) - (y === null ? 1 : 0);
      if (typeof x === 'number' && typeof y === 'number') return x - y;
      const a = BigInt(x as number | bigint);
      const b = BigInt(y as number | bigint);
      return a < b ? -1 : a > b ? 1 : 0;
    };
    return rows
      .map((row, i) => ({ row, i }))
      .sort((a, b) => {
        for (const c of key) {
          const d = cmp(a.row[c]!, b.row[c]!);
          if (d !== 0) return d;
        }
        return a.i - b.i;
      })
      .map((e) => e.row);
  }

  for (const { runs, key, keyRange } of [
    { runs: 2, key: [0], keyRange: 50 },
    { runs: 3, key: [0], keyRange: 2 ** 31 },
    { runs: 5, key: [0, 2], keyRange: 20 },
    { runs: 2, key: [3], keyRange: 10 },
  ]) {
    it(`merges ${runs} sorted runs by (${key.join(', ')}) into the stable sort of their rows`, () => {
      // Each run is a group of batches sorted on its own (as a parsing thread sorts its range),
      // large enough to span output chunks, so merged copies cross piece and chunk boundaries.
      const groups = Array.from({ length: runs }, (_, g) => batches(1000 * g + keyRange, 30, keyRange));
      const sortedRuns = groups.flatMap((g) => sortBatches(types, g, key));
      const merged = sortBatches(types, sortedRuns, key);
      const expected = referenceSort(groups.flatMap(rowsOf), key);
      expect(exact(rowsOf(merged))).toEqual(exact(expected));
      expect(merged.every((b) => b.count <= BATCH_SIZE)).toBe(true);
      expect(merged.slice(0, -1).every((b) => b.count === BATCH_SIZE)).toBe(true);
    });
  }
});
