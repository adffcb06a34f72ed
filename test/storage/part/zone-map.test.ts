// Zone-map pruning: the per-predicate rules on hand-made zone maps (NULLs, NaN, mixed number and
// bigint, strings by code unit, values that do not compare), ORs (a block may match when a
// branch may), strings with lone surrogates kept exact in part.meta, the counters of scans over sorted
// data (a predicate selecting one block reads one block), and a seeded property: a pruned scan
// followed by the exact filter returns the same rows as a full scan followed by the exact filter.

import fc from 'fast-check';
import { posix } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type LogicalType, T } from '../../../common/types.js';
import type { Scalar } from '../../../common/vector.js';
import { NodeFileSystem } from '../../../storage/fs/node-file-system.js';
import { openPart, scanPart } from '../../../storage/part/part-reader.js';
import { newScanStats } from '../../../storage/table.js';
import { writePart } from '../../../storage/part/part-writer.js';
import { blockCache } from '../../../storage/part/block-cache.js';
import { blockMayMatch, blockMayMatchAll, type ZoneMap, zoneMayMatch, type ZoneSource } from '../../../storage/part/zone-map.js';
import type { ColumnPredicate, OrPredicate, StoragePredicate } from '../../../storage/table.js';
import { compareScalars, valueArb } from '../encoding/blocks.js';
import { batchOf, collect, tempDir } from './part-test-helpers.js';

// These tests count what storage reads: every scan starts without cached blocks.
beforeEach(() => blockCache.clear());

const fs = new NodeFileSystem();
const tmp = tempDir('quiver-zone-');
afterAll(() => tmp.remove());
let partNo = 0;
const nextDir = () => posix.join(tmp.dir, `p${++partNo}`);

const zone = (min: Scalar, max: Scalar, nulls = 0, rows = 10): ZoneMap => ({ rows, nulls, min, max });
const pred = (op: ColumnPredicate['op'], ...values: Scalar[]): ColumnPredicate => ({ column: 0, op, values });

describe('zoneMayMatch', () => {
  it('comparisons against min and max', () => {
    const z = zone(10, 20);
    expect([5, 10, 15, 20, 25].map((x) => zoneMayMatch(z, pred('=', x)))).toEqual([false, true, true, true, false]);
    expect([10, 11].map((x) => zoneMayMatch(z, pred('<', x)))).toEqual([false, true]);
    expect([9, 10].map((x) => zoneMayMatch(z, pred('<=', x)))).toEqual([false, true]);
    expect([19, 20].map((x) => zoneMayMatch(z, pred('>', x)))).toEqual([true, false]);
    expect([20, 21].map((x) => zoneMayMatch(z, pred('>=', x)))).toEqual([true, false]);
    expect(zoneMayMatch(z, pred('in', 1, 2, 30))).toBe(false);
    expect(zoneMayMatch(z, pred('in', 1, 12))).toBe(true);
    expect(zoneMayMatch(zone(7, 7), pred('<>', 7))).toBe(false);
    expect(zoneMayMatch(zone(7, 8), pred('<>', 7))).toBe(true);
    expect(zoneMayMatch(zone(-0, 0), pred('<>', 0))).toBe(false);
  });

  it('NULLs: all-NULL blocks match only IS NULL; a NULL operand matches nothing', () => {
    const allNull = zone(null, null, 10);
    expect(zoneMayMatch(allNull, pred('is_null'))).toBe(true);
    expect(zoneMayMatch(allNull, pred('is_not_null'))).toBe(false);
    for (const op of ['=', '<>', '<', '<=', '>', '>='] as const) expect(zoneMayMatch(allNull, pred(op, 1))).toBe(false);
    expect(zoneMayMatch(zone(1, 2), pred('is_null'))).toBe(false);
    expect(zoneMayMatch(zone(1, 2, 3), pred('is_null'))).toBe(true);
    expect(zoneMayMatch(zone(1, 2), pred('=', null))).toBe(false);
    expect(zoneMayMatch(zone(1, 2), pred('in', null, 5))).toBe(false);
    expect(zoneMayMatch(zone(1, 2), pred('in', null, 2))).toBe(true);
  });

  it('NaN never prunes a comparison it could satisfy', () => {
    for (const op of ['=', '<>', '<', '<=', '>', '>='] as const) {
      expect(zoneMayMatch(zone(1, NaN), pred(op, 5))).toBe(true);
      expect(zoneMayMatch(zone(NaN, NaN), pred(op, 1))).toBe(true);
      expect(zoneMayMatch(zone(1, 2), pred(op, NaN))).toBe(true);
    }
    // NaN sorts above every number, so a block's NaNs are never below its minimum.
    expect(zoneMayMatch(zone(1, NaN), pred('<', 0))).toBe(false);
  });

  it('numbers against bigints compare exactly, strings by code unit, odd kinds never prune', () => {
    const big = 2n ** 60n;
    expect(zoneMayMatch(zone(big, big + 10n), pred('=', 2 ** 60))).toBe(true);
    expect(zoneMayMatch(zone(big + 1n, big + 10n), pred('=', 2 ** 60))).toBe(false);
    expect(zoneMayMatch(zone(1, 5), pred('>', 4n))).toBe(true);
    expect(zoneMayMatch(zone(1, 5), pred('>', 5n))).toBe(false);
    expect(zoneMayMatch(zone(1n, 5n), pred('<', 1.5))).toBe(true);
    expect(zoneMayMatch(zone(2n, 5n), pred('<', 1.5))).toBe(false);
    // '\uffff' < '😀' by code unit (0xd83d), though the code point is larger.
    expect(zoneMayMatch(zone('a', '\uffff'), pred('=', '😀'))).toBe(true);
    expect(zoneMayMatch(zone('a', 'b'), pred('=', 'ab'))).toBe(true);
    expect(zoneMayMatch(zone('a', 'b'), pred('=', 'c'))).toBe(false);
    expect(zoneMayMatch(zone(1, 2), pred('=', 'x'))).toBe(true);
    expect(zoneMayMatch(zone(1, 2), pred('=', { months: 1, days: 0, micros: 0 }))).toBe(true);
    expect(zoneMayMatch(zone(1, 2), pred('='))).toBe(true);
  });
});

describe('blockMayMatch', () => {
  // Block 0: a in [0, 9], b in ['m', 'p']; block 1: a in [10, 19], b all NULL; column 2 missing.
  const zones: ZoneSource = {
    zone: (column, block) =>
      column === 0 ? (block === 0 ? zone(0, 9) : zone(10, 19)) : column === 1 ? (block === 0 ? zone('m', 'p') : zone(null, null, 10)) : zone(null, null, 10),
  };
  const or = (...branches: ColumnPredicate[][]): OrPredicate => ({ op: 'or', branches });
  const at = (column: number, op: ColumnPredicate['op'], ...values: Scalar[]): ColumnPredicate => ({ column, op, values });

  it('an OR may match a block when one of its branches may', () => {
    const p = or([at(0, '=', 3)], [at(0, '=', 15)]);
    expect([blockMayMatch(zones, 0, p), blockMayMatch(zones, 1, p)]).toEqual([true, true]);
    const q = or([at(0, '=', 3), at(1, '=', 'z')], [at(0, 'in', 30, 40)]);
    expect([blockMayMatch(zones, 0, q), blockMayMatch(zones, 1, q)]).toEqual([false, false]);
    const r = or([at(0, '<', 5), at(1, '=', 'n')], [at(1, 'is_null')]);
    expect([blockMayMatch(zones, 0, r), blockMayMatch(zones, 1, r)]).toEqual([true, true]);
    // A missing column is all NULL.
    expect(blockMayMatch(zones, 0, or([at(2, '=', 1)], [at(0, '>', 50)]))).toBe(false);
    expect(blockMayMatch(zones, 0, or([at(2, 'is_null')], [at(0, '>', 50)]))).toBe(true);
  });

  it('ORs and plain conjuncts combine as a conjunction', () => {
    const preds: StoragePredicate[] = [or([at(0, '=', 3)], [at(0, '=', 15)]), at(1, 'is_not_null')];
    expect([blockMayMatchAll(zones, 0, preds), blockMayMatchAll(zones, 1, preds)]).toEqual([true, false]);
  });
});

describe('scans skip blocks by zone maps', () => {
  const n = 10240;
  const sorted = Array.from({ length: n }, (_, i) => i);
  const other = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? null : `v${i % 97}`));
  const types = [T.INTEGER, T.VARCHAR];
  let dir = '';

  it('a predicate selecting one block of a sorted column reads that block only', async () => {
    dir = nextDir();
    await writePart(fs, dir, { columns: [{ name: 'k', type: T.INTEGER }, { name: 'v', type: T.VARCHAR }] }, [batchOf(types, [sorted, other], 0, n, 'plain')], {
      blockRows: 1024,
      autoBitmapIndexes: false, // zone maps alone
    });
    const part = await openPart(fs, dir);
    const stats = newScanStats();
    const got = await collect(scanPart(part, { columns: [0, 1], predicates: [{ column: 0, op: '=', values: [5000] }] }, stats), 2);
    const block = 4; // rows 4096..5119
    expect(stats).toEqual({
      blocksTotal: 10,
      blocksSkipped: 9,
      blocksSkippedByBitmap: 0,
      bitmapRows: 0,
      valuesDecoded: [0, 1].reduce((n, c) => n + (part.meta.columns[c]!.blocks[block]!.encoding === 'rle' ? 0 : 1024), 0),
      bytesRead: part.meta.columns[0]!.blocks[block]!.bytes + part.meta.columns[1]!.blocks[block]!.bytes,
      blocksCached: 0,
    });
    expect(got[0]).toEqual(sorted.slice(4096, 5120));
  });

  it('ranges, IN lists, IS NULL and conjunctions count the blocks they skip', async () => {
    const part = await openPart(fs, dir);
    const skipped = async (predicates: ColumnPredicate[]) => {
      const stats = newScanStats();
      await collect(scanPart(part, { columns: [0], predicates }, stats), 1);
      expect(stats.blocksTotal).toBe(10);
      return stats.blocksSkipped;
    };
    expect(await skipped([{ column: 0, op: '<', values: [2048] }])).toBe(8);
    expect(await skipped([{ column: 0, op: '>=', values: [2048] }])).toBe(2);
    expect(await skipped([{ column: 0, op: 'in', values: [1, 9000, 9001] }])).toBe(8);
    expect(await skipped([{ column: 0, op: 'is_null', values: [] }])).toBe(10);
    expect(await skipped([{ column: 1, op: 'is_null', values: [] }])).toBe(0);
    expect(await skipped([{ column: 1, op: '=', values: ['zzz'] }])).toBe(10);
    expect(await skipped([{ column: 0, op: '>', values: [1000] }, { column: 0, op: '<', values: [3000] }])).toBe(7);
    // A column the part lacks is all NULL: only IS NULL can match.
    expect(await skipped([{ column: 5, op: 'is_null', values: [] }])).toBe(0);
    expect(await skipped([{ column: 5, op: '=', values: [1] }])).toBe(10);
  });
});

/** The exact predicate, as SQL evaluates it (NaN equal to itself and above every number). */
function matches(v: Scalar, p: ColumnPredicate): boolean {
  if (p.op === 'is_null') return v === null;
  if (p.op === 'is_not_null') return v !== null;
  if (v === null) return false;
  if (p.op === 'in') return p.values.some((x) => x !== null && compareScalars(v, x) === 0);
  const x = p.values[0]!;
  if (x === null) return false;
  const c = compareScalars(v, x);
  switch (p.op) {
    case '=':
      return c === 0;
    case '<>':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
  }
}

const PROPERTY_TYPES: LogicalType[] = [T.INTEGER, T.BIGINT, T.DOUBLE, T.VARCHAR, T.BOOLEAN];
const OPS: ColumnPredicate['op'][] = ['=', '<>', '<', '<=', '>', '>=', 'in', 'is_null', 'is_not_null'];

describe('zone maps of strings with lone surrogates', () => {
  it('stay exact in part.meta, so equality still finds the rows', async () => {
    const dir = nextDir();
    const values: Scalar[] = ['\udfff', '\udfff', 'a\ud800', null, '\ud83d\ude00'];
    await writePart(fs, dir, { columns: [{ name: 's', type: T.VARCHAR }] }, [batchOf([T.VARCHAR], [values], 0, values.length, 'plain')], { blockRows: 2, autoBitmapIndexes: false });
    const part = await openPart(fs, dir);
    expect(part.meta.columns[0]!.blocks.map((b) => [b.min, b.max])).toEqual([
      ['\udfff', '\udfff'],
      ['a\ud800', 'a\ud800'],
      ['\ud83d\ude00', '\ud83d\ude00'],
    ]);
    for (const v of ['\udfff', 'a\ud800', '\ud83d\ude00']) {
      const [got] = await collect(scanPart(part, { columns: [0], predicates: [{ column: 0, op: '=', values: [v] }] }), 1);
      expect(got!.filter((x) => x === v).length).toBe(values.filter((x) => x === v).length);
    }
  });
});

describe('pruning never drops a matching row', () => {
  it('pruned scan + exact filter = full scan + exact filter', async () => {
    const caseArb = fc.constantFrom(...PROPERTY_TYPES).chain((type) =>
      fc.record({
        type: fc.constant(type),
        values: fc.array(fc.option(valueArb(type), { freq: 5 }), { maxLength: 300 }),
        sort: fc.boolean(),
        picks: fc.array(fc.record({ op: fc.constantFrom(...OPS), from: fc.array(fc.oneof(fc.nat(), fc.constant(-1)), { minLength: 1, maxLength: 3 }), extra: fc.option(valueArb(type)) }), {
          minLength: 1,
          maxLength: 3,
        }),
        blockRows: fc.constantFrom(1, 8, 40),
      }),
    );
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ type, values, sort, picks, blockRows }) => {
        const data = sort ? [...values].sort((a, b) => (a === null ? (b === null ? 0 : 1) : b === null ? -1 : compareScalars(a, b))) : values;
        // Operands mostly from the data (so predicates hit), sometimes from anywhere.
        const predicates: ColumnPredicate[] = picks.map(({ op, from, extra }) => ({
          column: 0,
          op,
          values: from.map((i) => (i < 0 || data.length === 0 ? (extra ?? null) : data[i % data.length]!)),
        }));
        const dir = nextDir();
        await writePart(fs, dir, { columns: [{ name: 'x', type }] }, [batchOf([type], [data], 0, data.length, 'plain')], { blockRows });
        const part = await openPart(fs, dir);
        const keep = (rows: Scalar[]) => rows.filter((v) => predicates.every((p) => matches(v, p)));
        const [pruned] = await collect(scanPart(part, { columns: [0], predicates }), 1);
        const [full] = await collect(scanPart(part, { columns: [0] }), 1);
        expect(keep(pruned!)).toEqual(keep(full!));
      }),
      { seed: 1122, numRuns: 150 },
    );
  });
});
