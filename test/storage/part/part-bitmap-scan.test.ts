// Scans of parts with bitmap indexes and deletion masks: equality, IN and ORs are answered from
// the bitmaps before any column data is read (blocks without a matching row are skipped and
// counted as such, the others carry a selection of the matching rows), zone maps still prune
// by the other predicates, deleted rows never come out and all-deleted blocks are not read;
// which columns get an index automatically; row ids; a damaged index file is an IO_ERROR naming
// it; and a seeded property: an indexed, masked scan plus the exact filter returns exactly the
// rows a full scan plus the exact filter and the mask returns.

import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { posix } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Batch } from '../../../common/batch.js';
import { QuiverError } from '../../../common/errors.js';
import { T } from '../../../common/types.js';
import type { Scalar } from '../../../common/vector.js';
import { NodeFileSystem } from '../../../storage/fs/node-file-system.js';
import { indexFileName } from '../../../storage/index/part-indexes.js';
import { openPart, type Part, scanPart, writtenPart } from '../../../storage/part/part-reader.js';
import { writePart } from '../../../storage/part/part-writer.js';
import { blockCache } from '../../../storage/part/block-cache.js';
import { type ColumnPredicate, newScanStats, ROW_ID_COLUMN, type ScanStats, type StoragePredicate } from '../../../storage/table.js';
import { compareScalars } from '../encoding/blocks.js';
import { batchOf, collect, tempDir } from './part-test-helpers.js';

// These tests count what storage reads: every scan starts without cached blocks.
beforeEach(() => blockCache.clear());

const fs = new NodeFileSystem();
const tmp = tempDir('quiver-bitmap-scan-');
afterAll(() => tmp.remove());
let partNo = 0;
const nextDir = () => posix.join(tmp.dir, `p${++partNo}`);

const TYPES = [T.INTEGER, T.VARCHAR, T.BIGINT];
const SCHEMA = { columns: [{ name: 'k', type: T.INTEGER }, { name: 'v', type: T.VARCHAR }, { name: 'w', type: T.BIGINT }] };
const BLOCKS = 20;
const BLOCK_ROWS = 100;
const N = BLOCKS * BLOCK_ROWS;
// k: 0..24 in every block (so zone maps cannot rule out any value in that range), except that
// 7 occurs only in blocks 3 and 11, and 8 only in block 11; v: 'x' or 'y'; w: row / 10.
const K: Scalar[] = Array.from({ length: N }, (_, i) => {
  const b = Math.floor(i / BLOCK_ROWS);
  const k = i % 25;
  if (k === 7) return b === 3 || b === 11 ? 7 : 0;
  if (k === 8) return b === 11 ? 8 : 0;
  return k;
});
const V: Scalar[] = Array.from({ length: N }, (_, i) => (i % 3 === 0 ? 'x' : i % 17 === 0 ? null : 'y'));
const W: Scalar[] = Array.from({ length: N }, (_, i) => Math.floor(i / 10)); // BIGINT reads back as numbers below 2^53
const COLUMNS = [K, V, W];

type Row = Scalar[];
const rowsOf = (cols: Scalar[][]): Row[] => cols[0]!.map((_, r) => cols.map((c) => c[r]!));

function holds(row: Row, p: StoragePredicate): boolean {
  if (p.op === 'or') return p.branches.some((b) => b.every((q) => holds(row, q)));
  const v = row[p.column] ?? null;
  if (p.op === 'is_null') return v === null;
  if (p.op === 'is_not_null') return v !== null;
  if (v === null) return false;
  if (p.op === 'in' || p.op === '=') return p.values.some((x) => x !== null && compareScalars(v, x) === 0);
  const x = p.values[0] ?? null;
  if (x === null) return false;
  const c = compareScalars(v, x);
  return { '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0, '<>': c !== 0 }[p.op];
}

const exactFilter = (rows: Row[], predicates: readonly StoragePredicate[]) => rows.filter((r) => predicates.every((p) => holds(r, p)));

let part: Part;
let blockBytes: number[][];

async function scan(predicates: StoragePredicate[], columns = [0, 1, 2], deleted: Uint8Array | null = null): Promise<{ rows: Row[]; stats: ScanStats; batches: Batch[] }> {
  const stats = newScanStats();
  const batches: Batch[] = [];
  blockCache.clear();
  for await (const b of scanPart(part, { columns, predicates, deleted }, stats)) batches.push(b);
  async function* again() {
    yield* batches;
  }
  return { rows: rowsOf(await collect(again(), columns.length)), stats, batches };
}

const at = (column: number, op: ColumnPredicate['op'], ...values: Scalar[]): ColumnPredicate => ({ column, op, values });

describe('scans answered by bitmap indexes', () => {
  it('writes the requested indexes with the part and records them in part.meta', async () => {
    const dir = nextDir();
    const written = await writePart(fs, dir, SCHEMA, [batchOf(TYPES, COLUMNS, 0, N, 'plain')], { blockRows: BLOCK_ROWS, bitmapColumns: [0, 1], autoBitmapIndexes: false, force: 'plain' }); // plain: every value read counts as decoded
    expect(written.columns.map((c) => c.index?.values ?? null)).toEqual([25, 2, null]);
    expect(written.meta.columns.map((c) => c.bitmapIndex)).toEqual([true, true, false]);
    expect(written.indexFiles).toEqual(['i0.idx', 'i1.idx']);
    part = await openPart(fs, dir);
    expect(part.indexes.indexed).toEqual([0, 1]);
    blockBytes = part.meta.columns.map((c) => c.blocks.map((b) => b.bytes));
  });

  it('an IN over a bitmap-indexed column reads no column data for non-matching blocks', async () => {
    const predicates = [at(0, 'in', 7, 8)];
    const { rows, stats, batches } = await scan(predicates);
    const expected = exactFilter(rowsOf(COLUMNS), predicates);
    const sevens = K.filter((k) => k === 7 || k === 8).length;
    expect(stats).toEqual({
      blocksTotal: BLOCKS,
      blocksSkipped: 0, // every block's zone map spans 0..24
      blocksSkippedByBitmap: BLOCKS - 2,
      bitmapRows: sevens,
      valuesDecoded: 2 * BLOCK_ROWS * 3,
      bytesRead: [3, 11].reduce((n, b) => n + blockBytes[0]![b]! + blockBytes[1]![b]! + blockBytes[2]![b]!, 0),
      blocksCached: 0,
    });
    // The selection holds exactly the matching rows: the exact filter removes nothing.
    expect(rows).toEqual(expected);
    expect(rows.length).toBe(sevens);
    expect(batches.every((b) => b.selection !== null && b.count < b.length)).toBe(true);
  });

  it('= and AND intersect bitmaps; other conjuncts still prune by zone maps', async () => {
    const eq = await scan([at(0, '=', 8)]);
    expect(eq.stats.blocksSkippedByBitmap).toBe(BLOCKS - 1);
    expect(eq.rows).toEqual(exactFilter(rowsOf(COLUMNS), [at(0, '=', 8)]));
    const and = [at(0, '=', 7), at(1, '=', 'x')];
    const r = await scan(and);
    expect(r.rows).toEqual(exactFilter(rowsOf(COLUMNS), and));
    expect(r.stats.blocksSkippedByBitmap).toBe(BLOCKS - 2);
    // w (no index) is pruned by its zone maps: w < 100 holds in blocks 0..9 only, and of those
    // the bitmap keeps block 3.
    const zone = [at(0, 'in', 7, 8), at(2, '<', 100n)];
    const z = await scan(zone);
    expect(z.stats).toMatchObject({ blocksSkipped: 10, blocksSkippedByBitmap: 9, valuesDecoded: BLOCK_ROWS * 3 });
    expect(z.rows).toEqual(exactFilter(rowsOf(COLUMNS), zone));
  });

  it('ORs of indexed predicates are unions of bitmaps', async () => {
    const p: StoragePredicate[] = [{ op: 'or', branches: [[at(0, '=', 7), at(1, '=', 'x')], [at(0, '=', 8)]] }];
    const { rows, stats } = await scan(p);
    expect(stats.blocksSkippedByBitmap).toBe(BLOCKS - 2);
    expect(exactFilter(rows, p)).toEqual(exactFilter(rowsOf(COLUMNS), p));
    expect(rows.length).toBe(exactFilter(rowsOf(COLUMNS), p).length);
    // A branch no index answers may hold any row: the OR restricts nothing.
    const open: StoragePredicate[] = [{ op: 'or', branches: [[at(0, '=', 7)], [at(2, '=', 5n)]] }];
    const o = await scan(open);
    expect(o.stats.blocksSkippedByBitmap).toBe(0);
    expect(o.stats.bitmapRows).toBe(0);
    expect(exactFilter(o.rows, open)).toEqual(exactFilter(rowsOf(COLUMNS), open));
    // ... unless another conjunct restricts.
    const both: StoragePredicate[] = [open[0]!, at(0, 'in', 7, 8)];
    expect((await scan(both)).stats.blocksSkippedByBitmap).toBe(BLOCKS - 2);
  });

  it('IS NULL and ranges use the bitmaps too', async () => {
    const nulls = [at(1, 'is_null')];
    const n = await scan(nulls);
    expect(n.rows).toEqual(exactFilter(rowsOf(COLUMNS), nulls));
    expect(n.stats.bitmapRows).toBe(V.filter((v) => v === null).length);
    const range = [at(0, '>=', 7), at(0, '<=', 8)];
    const r = await scan(range);
    expect(r.stats.blocksSkippedByBitmap).toBe(BLOCKS - 2);
    expect(r.rows).toEqual(exactFilter(rowsOf(COLUMNS), range));
  });

  it('deleted rows never come out; all-deleted blocks are not read', async () => {
    const deleted = new Uint8Array(N);
    for (let i = 0; i < N; i++) if (i % 5 === 0) deleted[i] = 1;
    deleted.fill(1, 2 * BLOCK_ROWS, 4 * BLOCK_ROWS); // blocks 2 and 3 entirely
    const live = rowsOf(COLUMNS).filter((_, r) => deleted[r] === 0);
    const all = await scan([], [0, 1, 2], deleted);
    expect(all.rows).toEqual(live);
    expect(all.stats).toMatchObject({ blocksTotal: BLOCKS, blocksSkipped: 2, valuesDecoded: (BLOCKS - 2) * BLOCK_ROWS * 3 });
    // With the bitmap: block 3's sevens are all deleted, so only block 11 is read.
    const sevens = await scan([at(0, '=', 7)], [0, 1, 2], deleted);
    expect(sevens.rows).toEqual(exactFilter(live, [at(0, '=', 7)]));
    expect(sevens.stats).toMatchObject({ blocksSkippedByBitmap: BLOCKS - 2, blocksSkipped: 1, valuesDecoded: BLOCK_ROWS * 3 });
    // A mask of the wrong size is refused.
    await expect(scan([], [0], new Uint8Array(3))).rejects.toThrow(/deletion mask .* 3 entries, the part has 2000 rows/);
  });

  it('row ids count every part row from rowIdBase, deleted ones included', async () => {
    const deleted = new Uint8Array(N);
    deleted[1100] = 1;
    const stats = newScanStats();
    const got = await collect(scanPart(part, { columns: [ROW_ID_COLUMN, 0], predicates: [at(0, '=', 8)], deleted, rowIdBase: 5000 }, stats), 2);
    const expected = K.flatMap((k, r) => (k === 8 && r !== 1100 ? [r] : []));
    expect(got[0]).toEqual(expected.map((r) => 5000 + r));
    expect(got[1]).toEqual(expected.map(() => 8));
  });

  it('a damaged index file is an IO_ERROR naming it', async () => {
    const dir = nextDir();
    await writePart(fs, dir, SCHEMA, [batchOf(TYPES, COLUMNS, 0, N, 'plain')], { blockRows: BLOCK_ROWS, bitmapColumns: [0], autoBitmapIndexes: false, force: 'plain' });
    const path = posix.join(dir, indexFileName(0));
    const bytes = readFileSync(path);
    bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 0xff; // inside the last value's bitmap
    writeFileSync(path, bytes);
    const damaged = await openPart(fs, dir);
    const error: unknown = await collect(scanPart(damaged, { columns: [0], predicates: [at(0, 'in', 24)] }), 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuiverError);
    expect((error as QuiverError).code).toBe('IO_ERROR');
    expect((error as QuiverError).message).toContain(path);
    // A value whose bitmap is intact still reads.
    expect((await collect(scanPart(damaged, { columns: [0], predicates: [at(0, '=', 1)] }), 1))[0]!.length).toBeGreaterThan(0);
  });
});

describe('automatic bitmap indexes', () => {
  const rows = 10000;
  // city: 25 values in runs of 400 rows, so a 1000-row block holds 3 or 4 of them; scattered:
  // 25 values spread over every block; id: unique; mid: 500 values, 20 rows each.
  const city = Array.from({ length: rows }, (_, i): Scalar => `city${Math.floor(i / 400)}`);
  const scattered = Array.from({ length: rows }, (_, i): Scalar => (i * 7) % 25);
  const unique = Array.from({ length: rows }, (_, i): Scalar => i * 3);
  const mid = Array.from({ length: rows }, (_, i): Scalar => (i * 13) % 500);
  const types = [T.VARCHAR, T.INTEGER, T.INTEGER, T.INTEGER];
  const schema = { columns: [{ name: 'city', type: T.VARCHAR }, { name: 'scattered', type: T.INTEGER }, { name: 'id', type: T.INTEGER }, { name: 'mid', type: T.INTEGER }] };
  const data = [city, scattered, unique, mid];

  it('index the clustered low-cardinality columns of large parts only', async () => {
    const dir = nextDir();
    const written = await writePart(fs, dir, schema, [batchOf(types, data, 0, rows, 'plain')], { blockRows: 1000 });
    expect(written.columns.map((c) => c.index && { values: c.index.values, requested: c.index.requested })).toEqual([{ values: 25, requested: false }, null, null, null]);
    const p = await openPart(fs, dir);
    expect(p.indexes.indexed).toEqual([0]);
    const stats = newScanStats();
    const [got] = await collect(scanPart(p, { columns: [0], predicates: [at(0, '=', 'city3')] }, stats), 1);
    expect(got!.filter((x) => x === 'city3').length).toBe(400);
    // The sorted city column's zone maps already rule out the other blocks; the bitmap selects the rows.
    expect(stats).toMatchObject({ bitmapRows: 400, blocksSkipped: 9 });
  });

  it('small parts and autoBitmapIndexes: false get none; asked-for indexes are written unless too many values', async () => {
    const small = await writePart(fs, nextDir(), schema, [batchOf(types, data, 0, 5000, 'plain')], { blockRows: 1000 });
    expect(small.indexFiles).toEqual([]);
    const off = await writePart(fs, nextDir(), schema, [batchOf(types, data, 0, rows, 'plain')], { blockRows: 1000, autoBitmapIndexes: false });
    expect(off.indexFiles).toEqual([]);
    const asked = await writePart(fs, nextDir(), schema, [batchOf(types, data, 0, rows, 'plain')], { bitmapColumns: [1, 2, 3], autoBitmapIndexes: false });
    expect(asked.columns.map((c) => c.index?.values ?? null)).toEqual([null, 25, rows, 500]);
    expect(asked.columns.map((c) => c.indexSkipped)).toEqual([null, null, null, null]);
    await expect(writePart(fs, nextDir(), schema, [], { bitmapColumns: [4] })).rejects.toThrow(/bitmap index column 4/);
  });

  it('writtenPart knows the index files without reading the directory', async () => {
    const dir = nextDir();
    const written = await writePart(fs, dir, schema, [batchOf(types, data, 0, rows, 'plain')], { blockRows: 1000, bitmapColumns: [3] });
    const p = writtenPart(fs, dir, written);
    expect(p.indexes.indexed).toEqual([0, 3]);
    const stats = newScanStats();
    await collect(scanPart(p, { columns: [3], predicates: [at(3, '=', 13)] }, stats), 1);
    expect(stats.bitmapRows).toBe(20);
  });
});

describe('indexed, masked scans never lose a row', () => {
  const valueArb = fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 6 }));
  const textArb = fc.oneof(fc.constant(null), fc.constantFrom('', 'a', 'b', 'c'));
  const simpleArb = (column: number, value: fc.Arbitrary<Scalar>): fc.Arbitrary<ColumnPredicate> =>
    fc
      .record({
        column: fc.constant(column),
        op: fc.constantFrom<ColumnPredicate['op']>('=', 'in', 'is_null', 'is_not_null', '<', '>=', '<>'),
        values: fc.array(value, { minLength: 1, maxLength: 3 }),
      })
      .map((p) => (p.op === 'in' ? p : p.op === 'is_null' || p.op === 'is_not_null' ? { ...p, values: [] } : { ...p, values: p.values.slice(0, 1) }));
  const columnPred = fc.oneof(simpleArb(0, valueArb), simpleArb(1, textArb), simpleArb(2, valueArb), simpleArb(3, valueArb));
  const predArb: fc.Arbitrary<StoragePredicate> = fc.oneof(
    columnPred,
    fc.array(fc.array(columnPred, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 3 }).map((branches) => ({ op: 'or' as const, branches })),
  );

  it('indexed scan + mask + exact filter = full scan + mask + exact filter', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 400 }).chain((n) =>
          fc.record({
            a: fc.array(valueArb, { minLength: n, maxLength: n }),
            s: fc.array(textArb, { minLength: n, maxLength: n }),
            b: fc.array(valueArb, { minLength: n, maxLength: n }),
            deleted: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
            indexed: fc.subarray([0, 1, 2]),
            predicates: fc.array(predArb, { maxLength: 3 }),
            blockRows: fc.constantFrom(1, 16, 50, 1000),
            mask: fc.boolean(),
          }),
        ),
        async ({ a, s, b, deleted, indexed, predicates, blockRows, mask }) => {
          const dir = nextDir();
          const types = [T.INTEGER, T.VARCHAR, T.INTEGER];
          const schema = { columns: [{ name: 'a', type: T.INTEGER }, { name: 's', type: T.VARCHAR }, { name: 'b', type: T.INTEGER }] };
          await writePart(fs, dir, schema, [batchOf(types, [a, s, b], 0, a.length, 'plain')], { blockRows, bitmapColumns: indexed, autoBitmapIndexes: false });
          const p = await openPart(fs, dir);
          const del = mask ? Uint8Array.from(deleted, (d) => (d === 0 ? 1 : 0)) : null;
          // Column 3 is missing from the part: it reads as NULL. Row ids come first.
          const columns = [ROW_ID_COLUMN, 0, 1, 2, 3];
          const scanned = rowsOf(await collect(scanPart(p, { columns, predicates, deleted: del, columnTypes: [T.BIGINT, T.INTEGER, T.VARCHAR, T.INTEGER, T.INTEGER] }), 5));
          const ids = scanned.map((r) => r[0] as number);
          // Rows come once each, in part order, and none is deleted.
          expect(ids.every((id, k) => (k === 0 || id > ids[k - 1]!) && (del === null || del[id] === 0))).toBe(true);
          const got = scanned.map((r) => r.slice(1));
          const all = rowsOf([a, s, b, a.map(() => null)]).filter((_, r) => del === null || del[r] === 0);
          expect(exactFilter(got, predicates)).toEqual(exactFilter(all, predicates));
        },
      ),
      { seed: 20240601, numRuns: 150 },
    );
  });
});
