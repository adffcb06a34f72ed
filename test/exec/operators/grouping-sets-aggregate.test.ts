// Grouping-sets aggregate: rolling the finest groups' states up must give, for every set, what a
// plain hash aggregate by that set's keys gives (keys outside the set NULL, GROUPING() bits set
// for them), including DISTINCT and FILTER aggregates, the empty set over no rows (one row),
// duplicate sets (their rows twice), and malformed plans refused.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { type LogicalType, T } from '../../../common/types.js';
import { QuiverError } from '../../../common/errors.js';
import type { AggregateFn, AggregateNode, AggregateSpec } from '../../../exec/plan.js';
import { hashAggregate } from '../../../exec/operators/hash-aggregate.js';
import { groupingSetsAggregate } from '../../../exec/operators/grouping-sets-aggregate.js';
import { child, collect, multiset, randomBatches, type Row, streamOf, testContext } from './batches.js';

function spec(fn: AggregateFn, arg: number | null, argType: LogicalType | null, type: LogicalType, opts: { distinct?: boolean; filter?: number } = {}): AggregateSpec {
  return { fn, args: arg === null ? [] : [arg], argTypes: argType === null ? [] : [argType], distinct: opts.distinct ?? false, filter: opts.filter ?? null, type };
}

// (k1 INTEGER, k2 VARCHAR, k3 BIGINT, v BIGINT, f BOOLEAN); keys k1, k2, k3.
const types = [T.INTEGER, T.VARCHAR, T.BIGINT, T.BIGINT, T.BOOLEAN];
const KEYS = [0, 1, 2];
const specs = [
  spec('count_star', null, null, T.BIGINT),
  spec('sum', 3, T.BIGINT, T.BIGINT),
  spec('avg', 3, T.BIGINT, T.DOUBLE),
  spec('min', 1, T.VARCHAR, T.VARCHAR),
  spec('max', 3, T.BIGINT, T.BIGINT),
  spec('count', 1, T.VARCHAR, T.BIGINT, { distinct: true }),
  spec('sum', 3, T.BIGINT, T.BIGINT, { distinct: true }),
  spec('sum', 0, T.INTEGER, T.BIGINT, { filter: 4 }),
];
const GROUPINGS = [[0], [2, 0], [0, 1, 2]];

function setsNode(sets: number[][], groupings: number[][] = GROUPINGS): AggregateNode {
  const out = [...KEYS.map((k) => types[k]!), ...specs.map((s) => s.type), ...groupings.map(() => T.INTEGER)];
  return { op: 'aggregate', input: child(types), keys: KEYS, aggregates: specs, groupingSets: sets, groupings, types: out, names: out.map((_, i) => `c${i}`) };
}

/** The rows of `set` by a plain hash aggregate, widened to the grouping-sets layout. */
async function reference(sets: number[][], data: Row[], seed: number): Promise<Row[]> {
  const out: Row[] = [];
  for (const set of sets) {
    const keys = set.map((p) => KEYS[p]!);
    const types1 = [...keys.map((k) => types[k]!), ...specs.map((s) => s.type)];
    const plain: AggregateNode = { op: 'aggregate', input: child(types), keys, aggregates: specs, types: types1, names: types1.map((_, i) => `c${i}`) };
    const rows = await collect(hashAggregate(plain, testContext(), streamOf(randomBatches(types, data, seed))), types1);
    const bits = GROUPINGS.map((args) => args.reduce((v, k) => v * 2 + (set.includes(k) ? 0 : 1), 0));
    for (const r of rows) {
      const keyVals = KEYS.map((_, p) => (set.includes(p) ? r[set.indexOf(p)]! : null));
      out.push([...keyVals, ...r.slice(set.length), ...bits]);
    }
  }
  return out;
}

async function run(n: AggregateNode, data: Row[], seed: number): Promise<Row[]> {
  return collect(groupingSetsAggregate(n, testContext(), streamOf(randomBatches(types, data, seed))), n.types);
}

const ROLLUP = [[0, 1, 2], [0, 1], [0], []];
const CUBE2 = [[0, 1], [0], [1], []];

describe('groupingSetsAggregate', () => {
  const data: Row[] = [
    [1, 'a', 5n, 10n, 1],
    [1, 'b', 5n, 20n, 0],
    [1, 'a', null, 10n, 1],
    [2, null, 5n, null, 1],
    [null, 'a', 6n, 7n, null],
  ];

  it('ROLLUP gives each level, with NULL keys and GROUPING() bits for the rolled-up columns', async () => {
    const n = setsNode(ROLLUP, [[0, 1, 2]]);
    const got = await run(n, data, 1);
    // (k1, k2, k3) has 5 groups, (k1, k2) 4, (k1) 3, () 1.
    expect(got.length).toBe(13);
    const total = got.filter((r) => r[r.length - 1] === 7);
    expect(total.length).toBe(1);
    expect(total[0]!.slice(0, 5)).toEqual([null, null, null, 5, 47]);
  });

  it('gives the empty set one row over no input, and no rows for the other sets', async () => {
    const got = await run(setsNode(ROLLUP), [], 1);
    expect(got).toEqual([[null, null, null, 0, null, null, null, null, 0, null, null, 1, 3, 7]]);
  });

  it('emits a set listed twice twice', async () => {
    const got = await run(setsNode([[0], [0], []]), data, 2);
    expect(multiset(got)).toEqual(multiset(await reference([[0], [0], []], data, 2)));
    expect(got.length).toBe(7);
  });

  it('refuses sets with positions out of order or outside the keys', async () => {
    await expect(run(setsNode([[1, 0]]), data, 1)).rejects.toThrow(QuiverError);
    await expect(run(setsNode([[0, 3]]), data, 1)).rejects.toThrow(QuiverError);
  });

  const row = fc
    .tuple(
      fc.option(fc.integer({ min: -2, max: 3 }), { nil: null, freq: 5 }),
      fc.option(fc.constantFrom('a', 'b', 'ab', ''), { nil: null, freq: 5 }),
      fc.option(fc.constantFrom(0n, 1n, 2n ** 61n, -7n), { nil: null, freq: 5 }),
      fc.option(fc.constantFrom(0n, 1n, -1n, 2n ** 53n, 2n ** 61n, 123456789012n), { nil: null, freq: 5 }),
      fc.option(fc.constantFrom(0, 1), { nil: null, freq: 5 }),
    )
    .map((r) => r as Row);
  const setsArb = fc.oneof(
    fc.constant(ROLLUP),
    fc.constant(CUBE2),
    fc.array(fc.subarray([0, 1, 2]), { minLength: 1, maxLength: 5 }).filter((ss) => [0, 1, 2].every((k) => ss.some((s) => s.includes(k)))),
  );

  it('matches a plain hash aggregate per set on random data, sets and batch splits', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 40 }), setsArb, fc.integer(), async (rows, sets, seed) => {
        // CUBE2 never lists k3 alone: give it a set so every key is grouped somewhere.
        const all = sets.some((s) => s.includes(2)) ? sets : [...sets, [0, 1, 2]];
        const got = await run(setsNode(all), rows, seed);
        expect(multiset(got)).toEqual(multiset(await reference(all, rows, seed)));
      }),
      { seed: 4711, numRuns: 200 },
    );
  });
});
