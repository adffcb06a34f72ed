// Hash aggregate: grouping paths (direct integer, dictionary codes, typed hash table; NULL as
// one group), every aggregate function with DISTINCT and FILTER, empty inputs, exact BIGINT
// sums, output chunking, and a seeded property test against a plain JS reference over random
// data split into random batches.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BATCH_SIZE, type Batch, makeBatch } from '../../../common/batch.js';
import { decimalType, type LogicalType, T } from '../../../common/types.js';
import type { Scalar } from '../../../common/vector.js';
import { QuiverError } from '../../../common/errors.js';
import type { AggregateFn, AggregateNode, AggregateSpec } from '../../../exec/plan.js';
import { hashAggregate } from '../../../exec/operators/hash-aggregate.js';
import { batchOf, canon, child, collect, dictionary, flat, multiset, randomBatches, type Row, streamOf, testContext } from './batches.js';

function spec(fn: AggregateFn, arg: number | null, argType: LogicalType | null, type: LogicalType, opts: { distinct?: boolean; filter?: number } = {}): AggregateSpec {
  return {
    fn,
    args: arg === null ? [] : [arg],
    argTypes: argType === null ? [] : [argType],
    distinct: opts.distinct ?? false,
    filter: opts.filter ?? null,
    type,
  };
}

function node(inTypes: LogicalType[], keys: number[], aggs: AggregateSpec[]): AggregateNode {
  const types = [...keys.map((k) => inTypes[k]!), ...aggs.map((a) => a.type)];
  return { op: 'aggregate', input: child(inTypes), keys, aggregates: aggs, types, names: types.map((_, i) => `c${i}`) };
}

async function run(n: AggregateNode, batches: Batch[]): Promise<Row[]> {
  return collect(hashAggregate(n, testContext(), streamOf(batches)), n.types);
}

// Input: (k INTEGER, v INTEGER, s VARCHAR, f BOOLEAN)
const IT = [T.INTEGER, T.INTEGER, T.VARCHAR, T.BOOLEAN];
const rows: Row[] = [
  [1, 10, 'b', 1],
  [1, 20, 'a', 0],
  [2, null, 'c', 1],
  [null, 5, 'z', null],
  [null, 7, null, 1],
  [1, 10, 'a', 1],
  [2, 3, null, 0],
];
const aggs = [
  spec('count_star', null, null, T.BIGINT),
  spec('count', 1, T.INTEGER, T.BIGINT),
  spec('sum', 1, T.INTEGER, T.BIGINT),
  spec('avg', 1, T.INTEGER, T.DOUBLE),
  spec('min', 2, T.VARCHAR, T.VARCHAR),
  spec('max', 2, T.VARCHAR, T.VARCHAR),
  spec('count', 1, T.INTEGER, T.BIGINT, { distinct: true }),
  spec('sum', 1, T.INTEGER, T.BIGINT, { filter: 3 }),
  spec('count_star', null, null, T.BIGINT, { filter: 3 }),
  spec('min', 1, T.INTEGER, T.INTEGER),
  spec('max', 3, T.BOOLEAN, T.BOOLEAN),
];
const expected: Row[] = [
  [1, 3, 3, 40, 40 / 3, 'a', 'b', 2, 20, 2, 10, 1],
  [2, 2, 1, 3, 3, 'c', 'c', 1, null, 1, 3, 1],
  [null, 2, 2, 12, 6, 'z', 'z', 2, 7, 1, 5, 1],
];

describe('hashAggregate', () => {
  it('computes every function per group, NULL keys forming one group', async () => {
    const n = node(IT, [0], aggs);
    expect(multiset(await run(n, [batchOf(IT, rows)]))).toEqual(multiset(expected));
    // Same data through selections, dictionaries and many batches.
    const split = [batchOf(IT, rows.slice(0, 3), ['dictionary', 'wide', 'dictionary', 'rle'], true), batchOf(IT, []), batchOf(IT, rows.slice(3), ['rle', 'flat', 'constant'])];
    expect(multiset(await run(n, split))).toEqual(multiset(expected));
  });

  it('gives one row over empty input without keys, and none with keys', async () => {
    const n = node(IT, [], aggs);
    const none = await run(n, []);
    expect(none).toEqual([[0, 0, null, null, null, null, 0, null, 0, null, null]]);
    expect(await run(n, [batchOf(IT, [])])).toEqual(none);
    expect(await run(node(IT, [0], aggs), [batchOf(IT, [])])).toEqual([]);
  });

  it('aggregates all-NULL and NULL-typed columns', async () => {
    const t = [T.INTEGER, T.NULL];
    const n = node(t, [], [spec('count', 1, T.NULL, T.BIGINT), spec('sum', 0, T.INTEGER, T.BIGINT), spec('max', 1, T.NULL, T.NULL)]);
    expect(await run(n, [batchOf(t, [[null, null], [null, null]])])).toEqual([[0, null, null]]);
  });

  it('groups by strings across batches with different dictionaries, and by multiple keys', async () => {
    const t = [T.VARCHAR, T.BIGINT];
    const b1 = makeBatch([dictionary(T.VARCHAR, ['x', 'y', null, 'x']), flat(T.BIGINT, [1, 2, 3, 4])], 4);
    const b2 = makeBatch([dictionary(T.VARCHAR, ['y', 'w', null]), flat(T.BIGINT, [2n ** 60n, 6, 7], true)], 3);
    const n = node(t, [0], [spec('sum', 1, T.BIGINT, T.BIGINT), spec('count_star', null, null, T.BIGINT)]);
    expect(multiset(await run(n, [b1, b2]))).toEqual(
      multiset([
        ['x', 5, 2],
        ['y', `${2n ** 60n + 2n}n`, 2],
        ['w', 6, 1],
        [null, 10, 2],
      ]),
    );
    const n2 = node(t, [0, 1], [spec('count_star', null, null, T.BIGINT)]);
    expect((await run(n2, [b1, b2])).length).toBe(7);
  });

  it('falls back from the direct integer path when keys spread out, keeping earlier groups', async () => {
    const t = [T.INTEGER];
    const n = node(t, [0], [spec('count_star', null, null, T.BIGINT)]);
    const batches = [batchOf(t, [[1], [2], [1], [null]]), batchOf(t, [[1_000_000_000], [1], [-5], [null]]), batchOf(t, [[2], [1_000_000_000]])];
    expect(multiset(await run(n, batches))).toEqual(multiset([[1, 3], [2, 2], [null, 2], [1_000_000_000, 2], [-5, 1]]));
  });

  it('groups on doubles with -0 = 0 and NaN = NaN, and on dates and booleans', async () => {
    const t = [T.DOUBLE, T.DATE, T.BOOLEAN];
    const n = node(t, [0], [spec('count_star', null, null, T.BIGINT)]);
    const r = await run(n, [batchOf(t, [[0, 1, 1], [-0, 1, 1], [NaN, 2, 0], [NaN, 2, 0], [1.5, 3, null]])]);
    expect(multiset(r)).toEqual(multiset([[0, 2], [NaN, 2], [1.5, 1]]));
    const n2 = node(t, [1, 2], [spec('min', 0, T.DOUBLE, T.DOUBLE), spec('max', 0, T.DOUBLE, T.DOUBLE)]);
    const r2 = await run(n2, [batchOf(t, [[0, 1, 1], [-0, 1, 1], [NaN, 2, 0], [7, 2, 0], [1.5, 3, null]])]);
    expect(multiset(r2)).toEqual(multiset([[1, 1, 0, 0], [2, 0, 7, NaN], [3, null, 1.5, 1.5]]));
  });

  it('outputs more groups than BATCH_SIZE in several batches', async () => {
    const t = [T.BIGINT];
    const count = BATCH_SIZE + 1000;
    const keys = Array.from({ length: count }, (_, i) => i * 7919);
    const n = node(t, [0], [spec('count_star', null, null, T.BIGINT)]);
    let groups = 0;
    let batches = 0;
    for await (const b of hashAggregate(n, testContext(), streamOf([makeBatch([flat(T.BIGINT, keys)], count), makeBatch([flat(T.BIGINT, keys)], count)]))) {
      expect(b.count).toBeLessThanOrEqual(BATCH_SIZE);
      const counts = b.columns[1]!;
      expect(counts.kind === 'flat' && (counts.data as Float64Array).every((c) => c === 2)).toBe(true);
      groups += b.count;
      batches++;
    }
    expect(groups).toBe(count);
    expect(batches).toBe(2);
  });
});

describe('hashAggregate SUM exactness', () => {
  const t = [T.BIGINT];
  const sumNode = node(t, [], [spec('sum', 0, T.BIGINT, T.BIGINT), spec('avg', 0, T.BIGINT, T.DOUBLE)]);

  it('is exact near and beyond 2^53 with Float64Array inputs', async () => {
    const big = 2 ** 53;
    const r = await run(sumNode, [batchOf(t, [[big], [1], [1], [big - 1]]), batchOf(t, [[1]])]);
    expect(r[0]![0]).toBe(`${2n * 2n ** 53n + 2n}n`);
    const r2 = await run(sumNode, [batchOf(t, [[big], [1], [-1], [-big]])]);
    expect(r2[0]![0]).toBe(0);
  });

  it('is exact with BigInt64Array inputs up to the int64 limit', async () => {
    const max = 2n ** 63n - 1n;
    const r = await run(sumNode, [batchOf(t, [[max - 10n], [4n], [6n]], ['wide']), batchOf(t, [[0]])]);
    expect(r[0]![0]).toBe(`${max}n`);
    const min = -(2n ** 63n);
    const r2 = await run(sumNode, [batchOf(t, [[min + 5n], [-5n]], ['wide'])]);
    expect(r2[0]![0]).toBe(`${min}n`);
    // Passing the limit and coming back is fine: only the final sum must fit.
    const r3 = await run(sumNode, [batchOf(t, [[max], [1n], [-2n]], ['wide'])]);
    expect(r3[0]![0]).toBe(`${max - 1n}n`);
  });

  it('raises OVERFLOW_ERROR past int64', async () => {
    const max = 2n ** 63n - 1n;
    const err = await run(sumNode, [batchOf(t, [[max], [1n]], ['wide'])]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuiverError);
    expect((err as QuiverError).code).toBe('OVERFLOW_ERROR');
    expect((err as QuiverError).message).toBe('bigint out of range');
    const err2 = await run(sumNode, [batchOf(t, [[-(2n ** 63n)], [-1n]], ['wide'])]).catch((e: unknown) => e);
    expect((err2 as QuiverError).code).toBe('OVERFLOW_ERROR');
  });

  it('sums INTEGER into BIGINT without overflow and DECIMAL at its scale', async () => {
    const it32 = [T.INTEGER];
    const many = Array.from({ length: 70000 }, () => [2147483647] as Row);
    const r = await run(node(it32, [], [spec('sum', 0, T.INTEGER, T.BIGINT)]), [batchOf(it32, many)]);
    expect(r[0]![0]).toBe(70000 * 2147483647);
    const dt = [decimalType(10, 2)];
    const d = await run(node(dt, [], [spec('sum', 0, dt[0]!, decimalType(38, 2)), spec('avg', 0, dt[0]!, T.DOUBLE)]), [batchOf(dt, [[150], [-25], [null]])]);
    expect(d).toEqual([[125, 0.625]]);
  });

  it('sums DOUBLE as DOUBLE', async () => {
    const dt = [T.DOUBLE];
    const r = await run(node(dt, [], [spec('sum', 0, T.DOUBLE, T.DOUBLE)]), [batchOf(dt, [[0.1], [0.2], [Infinity], [1]])]);
    expect(r[0]![0]).toBe(Infinity);
    const r2 = await run(node(dt, [], [spec('sum', 0, T.DOUBLE, T.DOUBLE)]), [batchOf(dt, [[1e100], [1], [-1e100]])]);
    expect(r2[0]![0]).toBe(1);
  });
});

// ---------------------------------------------------------------- property test

type Ref = (values: Scalar[]) => Scalar;
const asBig = (v: Scalar) => BigInt(v as number | bigint);
const cmp = (a: Scalar, b: Scalar) => {
  if (typeof a === 'string') return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  const x = asBig(a);
  const y = asBig(b);
  return x < y ? -1 : x > y ? 1 : 0;
};
const REFS: Record<string, Ref> = {
  count: (vs) => vs.filter((v) => v !== null).length,
  sum: (vs) => {
    const nn = vs.filter((v) => v !== null);
    return nn.length === 0 ? null : canon(nn.reduce<bigint>((a, v) => a + asBig(v), 0n));
  },
  avg: (vs) => {
    const nn = vs.filter((v) => v !== null);
    return nn.length === 0 ? null : Number(nn.reduce<bigint>((a, v) => a + asBig(v), 0n)) / nn.length;
  },
  min: (vs) => vs.filter((v) => v !== null).reduce<Scalar>((a, v) => (a === null || cmp(v, a) < 0 ? v : a), null),
  max: (vs) => vs.filter((v) => v !== null).reduce<Scalar>((a, v) => (a === null || cmp(v, a) > 0 ? v : a), null),
};

function reference(data: Row[], keys: number[], specs: AggregateSpec[]): Row[] {
  const groups = new Map<string, Row[]>();
  for (const r of data) {
    const k = JSON.stringify(keys.map((c) => String(canon(r[c]!))));
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(r);
  }
  if (keys.length === 0 && groups.size === 0) groups.set('[]', []);
  return [...groups.values()].map((g) => {
    const out: Row = keys.map((c) => canon(g[0]?.[c] ?? null));
    for (const s of specs) {
      const rowsIn = s.filter === null ? g : g.filter((r) => r[s.filter!] === 1);
      if (s.fn === 'count_star') {
        out.push(rowsIn.length);
        continue;
      }
      let vs = rowsIn.map((r) => r[s.args[0]!]!);
      if (s.distinct) {
        const seen = new Set<string>();
        vs = vs.filter((v) => {
          const key = String(canon(v));
          if (v === null || seen.has(key)) return false;
          seen.add(key);
          return true;
        });
      }
      out.push(canon(REFS[s.fn]!(vs)));
    }
    return out;
  });
}

describe('hashAggregate matches a reference on random data', () => {
  // (k1 INTEGER, k2 VARCHAR, v BIGINT, f BOOLEAN)
  const types = [T.INTEGER, T.VARCHAR, T.BIGINT, T.BOOLEAN];
  const bigs = [0n, 1n, -1n, 2n ** 53n, 2n ** 61n, -(2n ** 61n), 123456789012n];
  const row = fc
    .tuple(
      fc.option(fc.integer({ min: -2, max: 3 }), { nil: null, freq: 5 }),
      fc.option(fc.constantFrom('a', 'b', 'ab', ''), { nil: null, freq: 5 }),
      fc.option(fc.constantFrom(...bigs), { nil: null, freq: 5 }),
      fc.option(fc.constantFrom(0, 1), { nil: null, freq: 5 }),
    )
    .map((r) => r as Row);
  const specs = [
    spec('count_star', null, null, T.BIGINT),
    spec('count', 2, T.BIGINT, T.BIGINT),
    spec('sum', 2, T.BIGINT, T.BIGINT),
    spec('min', 2, T.BIGINT, T.BIGINT),
    spec('max', 2, T.BIGINT, T.BIGINT),
    spec('min', 1, T.VARCHAR, T.VARCHAR),
    spec('max', 0, T.INTEGER, T.INTEGER),
    spec('sum', 2, T.BIGINT, T.BIGINT, { distinct: true }),
    spec('count', 1, T.VARCHAR, T.BIGINT, { distinct: true }),
    spec('sum', 0, T.INTEGER, T.BIGINT, { filter: 3 }),
    spec('count_star', null, null, T.BIGINT, { filter: 3 }),
  ];

  it('for key sets {}, {k1}, {k2}, {k1, k2} and every split of the input', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 40 }), fc.constantFrom<number[]>([], [0], [1], [0, 1]), fc.integer(), async (data, keys, seed) => {
        const n = node(types, keys, specs);
        const got = await run(n, randomBatches(types, data, seed));
        expect(multiset(got)).toEqual(multiset(reference(data, keys, specs)));
      }),
      { seed: 4242, numRuns: 300 },
    );
  });
});
