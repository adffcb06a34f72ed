// Sort and top-N: every key type (strings by code unit, BIGINT across representations, doubles
// with -0 and NaN), ASC/DESC with NULLS FIRST/LAST, stability, offsets, and a seeded property
// test: random data in random batches against Array.prototype.sort (stable) as reference.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BATCH_SIZE, type Batch, makeBatch } from '../../../common/batch.js';
import { type LogicalType, T } from '../../../common/types.js';
import type { Scalar } from '../../../common/vector.js';
import type { SortKey, SortNode } from '../../../exec/plan.js';
import { sort } from '../../../exec/operators/sort.js';
import { batchOf, canon, child, collect, flat, randomBatches, type Row, streamOf, testContext } from './batches.js';

function node(types: LogicalType[], keys: SortKey[], limit: number | null = null, offset = 0): SortNode {
  return { op: 'sort', input: child(types), keys, limit, offset, types, names: types.map((_, i) => `c${i}`) };
}
const key = (index: number, desc = false, nullsFirst = desc): SortKey => ({ index, desc, nullsFirst });

async function run(n: SortNode, batches: Batch[]): Promise<Row[]> {
  return collect(sort(n, testContext(), streamOf(batches)), n.types);
}

function compareValues(a: Scalar, b: Scalar): number {
  const x = canon(a);
  const y = canon(b);
  if (typeof x === 'number' && typeof y === 'number') {
    if (x < y) return -1;
    if (x > y) return 1;
    if (x === y) return 0;
    return Number.isNaN(x) === Number.isNaN(y) ? 0 : Number.isNaN(x) ? 1 : -1;
  }
  if (typeof x === 'string' && typeof y === 'string' && (x.endsWith('n') || y.endsWith('n')) && /^-?\d+n?$/.test(x) && /^-?\d+n?$/.test(y)) {
    const p = BigInt(x.replace('n', ''));
    const q = BigInt(y.replace('n', ''));
    return p < q ? -1 : p > q ? 1 : 0;
  }
  if (typeof x === 'number' || typeof y === 'number') {
    const p = BigInt(String(x).replace('n', ''));
    const q = BigInt(String(y).replace('n', ''));
    return p < q ? -1 : p > q ? 1 : 0;
  }
  return (x as string) < (y as string) ? -1 : (x as string) > (y as string) ? 1 : 0;
}

function referenceSort(rows: Row[], keys: SortKey[]): Row[] {
  return rows
    .map((r) => r.map(canon))
    .sort((a, b) => {
      for (const k of keys) {
        const x = a[k.index]!;
        const y = b[k.index]!;
        if (x === null || y === null) {
          if (x === y) continue;
          return (x === null) === k.nullsFirst ? -1 : 1;
        }
        const c = compareValues(x, y);
        if (c !== 0) return k.desc ? -c : c;
      }
      return 0;
    });
}

describe('sort', () => {
  const t = [T.VARCHAR, T.INTEGER];
  const rows: Row[] = [
    ['b', 1],
    ['a', 2],
    [null, 3],
    ['B', 4],
    ['é', 5],
    ['a', 6],
    ['', 7],
  ];

  it('orders strings by code unit with NULLs last on ASC and first on DESC, stably', async () => {
    expect((await run(node(t, [key(0)]), [batchOf(t, rows)])).map((r) => r[1])).toEqual([7, 4, 2, 6, 1, 5, 3]);
    expect((await run(node(t, [key(0, true)]), [batchOf(t, rows)])).map((r) => r[1])).toEqual([3, 5, 1, 2, 6, 4, 7]);
    expect((await run(node(t, [key(0, false, true)]), [batchOf(t, rows, ['dictionary'], true)])).map((r) => r[1])).toEqual([3, 7, 4, 2, 6, 1, 5]);
  });

  it('orders doubles with NaN greatest and -0 equal to 0', async () => {
    const d = [T.DOUBLE, T.INTEGER];
    const data: Row[] = [[NaN, 1], [1, 2], [-0, 3], [-Infinity, 4], [0, 5], [null, 6], [Infinity, 7]];
    expect((await run(node(d, [key(0)]), [batchOf(d, data)])).map((r) => r[1])).toEqual([4, 3, 5, 2, 7, 1, 6]);
    expect((await run(node(d, [key(0, true)]), [batchOf(d, data)])).map((r) => r[1])).toEqual([6, 1, 7, 2, 3, 5, 4]);
  });

  it('orders BIGINT across Float64Array and BigInt64Array batches', async () => {
    const b = [T.BIGINT];
    const batches = [makeBatch([flat(T.BIGINT, [2n ** 62n, -(2n ** 62n), 5n], true)], 3), makeBatch([flat(T.BIGINT, [2 ** 53, -1, null])], 3)];
    expect(await run(node(b, [key(0)]), batches)).toEqual([[`${-(2n ** 62n)}n`], [-1], [5], [2 ** 53], [`${2n ** 62n}n`], [null]]);
  });

  it('handles multiple keys, empty input and offsets without a limit', async () => {
    const m = [T.INTEGER, T.VARCHAR];
    const data: Row[] = [[1, 'x'], [0, 'y'], [1, 'a'], [null, 'q'], [0, 'b']];
    expect(await run(node(m, [key(0, true), key(1)]), [batchOf(m, data)])).toEqual([[null, 'q'], [1, 'a'], [1, 'x'], [0, 'b'], [0, 'y']]);
    expect(await run(node(m, [key(0)]), [])).toEqual([]);
    expect(await run(node(m, [key(0)], null, 3), [batchOf(m, data)])).toEqual([[1, 'a'], [null, 'q']]);
  });

  it('top-N keeps the first rows, stably, across many batches', async () => {
    const m = [T.INTEGER, T.INTEGER];
    const data: Row[] = Array.from({ length: 200 }, (_, i) => [i % 7, i]);
    const want = referenceSort(data, [key(0)]);
    for (const [limit, offset] of [[5, 0], [5, 3], [0, 0], [300, 0], [10, 195], [1, 0]] as const) {
      const got = await run(node(m, [key(0)], limit, offset), randomBatches(m, data, limit * 31 + offset));
      expect(got).toEqual(want.slice(offset, offset + limit));
    }
  });

  it('top-N over more rows than BATCH_SIZE cuts candidates repeatedly', async () => {
    const m = [T.INTEGER];
    const n = BATCH_SIZE * 3;
    const values = new Int32Array(n);
    for (let i = 0; i < n; i++) values[i] = (i * 2654435761) % 1000003;
    const batches: Batch[] = [];
    for (let s = 0; s < n; s += 10000) {
      const part = values.slice(s, Math.min(n, s + 10000));
      batches.push(makeBatch([{ kind: 'flat', type: T.INTEGER, length: part.length, data: part, validity: null }], part.length));
    }
    const got = await run(node(m, [key(0, true)], 100, 7), batches);
    const want = Array.from(values).sort((a, b) => b - a).slice(7, 107);
    expect(got.map((r) => r[0])).toEqual(want);
  });

  it('matches a stable reference sort on random data', async () => {
    const types = [T.INTEGER, T.VARCHAR, T.BIGINT, T.DOUBLE, T.INTEGER];
    const row = fc
      .tuple(
        fc.option(fc.integer({ min: -3, max: 3 }), { nil: null, freq: 5 }),
        fc.option(fc.constantFrom('a', 'b', 'B', 'ab', ''), { nil: null, freq: 5 }),
        fc.option(fc.constantFrom(0n, 7n, -7n, 2n ** 60n, -(2n ** 60n), 2n ** 53n), { nil: null, freq: 5 }),
        fc.option(fc.constantFrom(0, -0, 1.5, NaN, -Infinity), { nil: null, freq: 5 }),
      )
      .map((r) => r as Row);
    const keyArb = fc.record({ index: fc.integer({ min: 0, max: 3 }), desc: fc.boolean(), nullsFirst: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { maxLength: 40 }),
        fc.array(keyArb, { minLength: 1, maxLength: 3 }),
        fc.option(fc.integer({ min: 0, max: 45 }), { nil: null }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer(),
        async (data, keys, limit, offset, seed) => {
          // Column 4 is the input position, so the comparison also checks stability.
          const withPos = data.map((r, i) => [...r, i]);
          const want = referenceSort(withPos, keys);
          const got = await run(node(types, keys, limit, offset), randomBatches(types, withPos, seed));
          expect(got).toEqual(want.slice(offset, limit === null ? undefined : offset + limit));
        },
      ),
      { seed: 99, numRuns: 300 },
    );
  });
});
