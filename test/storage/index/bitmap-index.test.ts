// Bitmap index files round-trip: seeded random columns of every indexable type (all NULL, one
// value, a few values, many values; VARCHAR with empty strings, integers, DATE, DECIMAL, wide
// BIGINT, doubles with -0 and NaN, TIMESTAMP) are written with a part, read back and asked for
// every value, IS NULL, IS NOT NULL, IN lists and ranges, against the exact answers; an index
// added to an existing part (from decoded rle and dictionary blocks) is byte for byte the one
// written with the part; any flipped byte or truncation is an IO_ERROR naming the file.

import fc from 'fast-check';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { posix } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { QuiverError } from '../../../common/errors.js';
import { decimalType, type LogicalType, T, TypeId, typeToString } from '../../../common/types.js';
import { constantVector, type FlatVector, type Scalar, type Vector } from '../../../common/vector.js';
import type { EncodingName } from '../../../storage/encoding/encoding-kind.js';
import { NodeFileSystem } from '../../../storage/fs/node-file-system.js';
import { addBitmapIndexes } from '../../../storage/index/add-part-indexes.js';
import { BitmapIndex } from '../../../storage/index/bitmap-index.js';
import { BitmapIndexBuilder } from '../../../storage/index/bitmap-index-builder.js';
import { encodeBitmapIndex } from '../../../storage/index/bitmap-index-format.js';
import { indexFileName } from '../../../storage/index/part-indexes.js';
import { openPart } from '../../../storage/part/part-reader.js';
import { writePart } from '../../../storage/part/part-writer.js';
import type { ColumnPredicate } from '../../../storage/table.js';
import { compareScalars, valueArb, vectorOf } from '../encoding/blocks.js';
import { batchOf, tempDir } from '../part/part-test-helpers.js';

const fs = new NodeFileSystem();
const tmp = tempDir('quiver-index-');
afterAll(() => tmp.remove());
let partNo = 0;
const nextDir = () => posix.join(tmp.dir, `p${++partNo}`);

const TYPES: LogicalType[] = [T.INTEGER, T.SMALLINT, T.BIGINT, decimalType(18, 3), decimalType(38, 10), T.DATE, T.VARCHAR, T.DOUBLE, T.REAL, T.BOOLEAN, T.TIMESTAMP];
type Mode = 'all_null' | 'one' | 'few' | 'many';

interface Case {
  type: LogicalType;
  values: Scalar[];
  blockRows: number;
  force: EncodingName | null;
  probes: Scalar[];
}

const caseArb: fc.Arbitrary<Case> = fc.constantFrom(...TYPES).chain((type) =>
  fc
    .record({
      mode: fc.constantFrom<Mode>('all_null', 'one', 'few', 'many'),
      pool: fc.array(valueArb(type), { minLength: 1, maxLength: 60 }),
      picks: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 5 })), { maxLength: 300 }),
      blockRows: fc.constantFrom(1, 7, 64, 1000),
      force: fc.constantFrom<EncodingName | null>(null, 'plain', 'rle', 'dictionary'),
      probes: fc.array(valueArb(type), { maxLength: 3 }),
    })
    .map(({ mode, pool, picks, blockRows, force, probes }) => {
      const values = picks.map(([p, nullDie]) => {
        if (mode === 'all_null' || nullDie === 0) return null;
        return pool[mode === 'one' ? 0 : mode === 'few' ? p % 3 % pool.length : p % pool.length]!;
      });
      return { type, values, blockRows, force, probes };
    }),
);

/** SQL equality of stored values: -0 = 0, NaN = NaN, 5 = 5n. */
const equal = (a: Scalar, b: Scalar) => a !== null && b !== null && compareScalars(a, b) === 0;
const isNaNValue = (v: Scalar) => typeof v === 'number' && Number.isNaN(v);

function exact(values: readonly Scalar[], p: ColumnPredicate): number[] {
  const out: number[] = [];
  values.forEach((v, r) => {
    let ok: boolean;
    if (p.op === 'is_null') ok = v === null;
    else if (p.op === 'is_not_null') ok = v !== null;
    else if (v === null) ok = false;
    else if (p.op === '=' || p.op === 'in') ok = p.values.some((x) => equal(v, x));
    else {
      const c = compareScalars(v, p.values[0]!);
      ok = { '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0, '<>': c !== 0 }[p.op];
    }
    if (ok) out.push(r);
  });
  return out;
}

async function rows(index: BitmapIndex, p: ColumnPredicate): Promise<number[] | null> {
  const b = await index.rowsFor(p);
  return b === null ? null : b.toArray();
}

/** The distinct non-NULL values of a column, one representative each. */
function distinctValues(values: readonly Scalar[]): Scalar[] {
  const out: Scalar[] = [];
  for (const v of values) if (v !== null && !out.some((x) => equal(x, v))) out.push(v);
  return out;
}

async function writeIndexed(c: Case, dir: string, indexed: boolean) {
  const schema = { columns: [{ name: 'x', type: c.type }] };
  const batch = batchOf([c.type], [c.values], 0, c.values.length, 'plain');
  return writePart(fs, dir, schema, [batch], { blockRows: c.blockRows, force: c.force, bitmapColumns: indexed ? [0] : [], autoBitmapIndexes: false });
}

describe('bitmap index round trip', () => {
  it('every value, NULL, IN and ranges are answered exactly from the file', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const dir = nextDir();
        const written = await writeIndexed(c, dir, true);
        expect(written.columns[0]!.index).not.toBeNull();
        expect(written.meta.columns[0]!.bitmapIndex).toBe(true);
        const part = await openPart(fs, dir);
        expect(part.indexes.indexed).toEqual([0]);
        const index = (await part.indexes.index(0))!;
        const distinct = distinctValues(c.values);
        expect(index.values).toBe(distinct.length);
        const what = (p: ColumnPredicate) => `${typeToString(c.type)} ${p.op} ${p.values.map(String).join(', ')}`;
        const check = async (p: ColumnPredicate) => expect(await rows(index, p), what(p)).toEqual(exact(c.values, p));
        await check({ column: 0, op: 'is_null', values: [] });
        await check({ column: 0, op: 'is_not_null', values: [] });
        for (const v of [...distinct, ...c.probes]) {
          if (isNaNValue(v)) {
            // NaN equality is left to the exact filter.
            expect(await rows(index, { column: 0, op: '=', values: [v] })).toBeNull();
            continue;
          }
          await check({ column: 0, op: '=', values: [v] });
          // A wide integer constant may come as a number or as a bigint.
          if (typeof v === 'bigint' && Number.isSafeInteger(Number(v))) await check({ column: 0, op: '=', values: [Number(v)] });
          for (const op of ['<', '<=', '>', '>=', '<>'] as const) {
            const p: ColumnPredicate = { column: 0, op, values: [v] };
            const got = await rows(index, p);
            const want = exact(c.values, p);
            // NaN rows may come along (extra rows are allowed; missing ones never).
            const nan = c.values.flatMap((x, r) => (isNaNValue(x) ? [r] : []));
            expect(got, what(p)).toEqual([...new Set([...want, ...nan])].sort((a, b) => a - b));
          }
        }
        const list = [...distinct.slice(0, 2), ...c.probes].filter((v) => !isNaNValue(v));
        await check({ column: 0, op: 'in', values: [...list, null] });
      }),
      { seed: 4711, numRuns: 200 },
    );
  });

  it('an index added to an existing part equals the one written with it', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const withIndex = nextDir();
        const without = nextDir();
        await writeIndexed(c, withIndex, true);
        const plain = await writeIndexed(c, without, false);
        expect(plain.indexFiles).toEqual([]);
        const metaBefore = readFileSync(posix.join(without, 'part.meta'));
        const part = await openPart(fs, without);
        expect(part.indexes.indexed).toEqual([]);
        expect(await addBitmapIndexes(part, [0, 3])).toEqual({ built: [0], existing: [], skipped: [{ column: 3, reason: expect.stringContaining('before column 3 existed') }] });
        expect(part.indexes.indexed).toEqual([0]);
        expect(readFileSync(posix.join(without, indexFileName(0)))).toEqual(readFileSync(posix.join(withIndex, indexFileName(0))));
        // part.meta is the part's commit point and stays as it was.
        expect(readFileSync(posix.join(without, 'part.meta'))).toEqual(metaBefore);
        expect((await openPart(fs, without)).indexes.indexed).toEqual([0]);
        expect(await addBitmapIndexes(part, [0])).toEqual({ built: [], existing: [0], skipped: [] });
      }),
      { seed: 815, numRuns: 60 },
    );
  });

  it('constant, dictionary and run-length vectors build the same index as flat ones', () => {
    const type = T.BIGINT;
    const values: Scalar[] = [5n, 5n, null, 2n ** 60n, 5n, null, null, -3n, 2n ** 60n];
    const encode = (vectors: Vector[]) => {
      const b = new BitmapIndexBuilder(2, type, { maxValues: 100, maxSpread: null });
      for (const v of vectors) b.add(v);
      return encodeBitmapIndex(b.finish()!);
    };
    const flat = vectorOf({ type, values, asBigInt: true });
    const dictionary: FlatVector = vectorOf({ type, values: [-3n, 99n, 5n, null, 2n ** 60n], asBigInt: false });
    const codes = Int32Array.from([2, 2, 3, 4, 2, 3, 3, 0, 4]); // 99n is never used
    const rle: Vector = {
      kind: 'rle',
      type,
      length: 9,
      values: vectorOf({ type, values: [5, null, 2n ** 60n, 5, null, -3, 2n ** 60n].map((v) => (typeof v === 'number' ? BigInt(v) : v)), asBigInt: false }),
      runEnds: Int32Array.from([2, 3, 4, 5, 7, 8, 9]),
    };
    const expected = encode([flat]);
    expect(encode([{ kind: 'dictionary', type, length: 9, codes, dictionary }])).toEqual(expected);
    expect(encode([rle])).toEqual(expected);
    expect(
      encode([constantVector(type, 5, 2), constantVector(type, null, 1), constantVector(type, 2n ** 60n, 1), constantVector(type, 5n, 1), constantVector(type, null, 2), constantVector(type, -3, 1), constantVector(type, 2n ** 60n, 1)]),
    ).toEqual(expected);
  });

  it('gives up past its value limit', () => {
    const b = new BitmapIndexBuilder(0, T.VARCHAR, { maxValues: 3, maxSpread: null });
    b.add(vectorOf({ type: T.VARCHAR, values: ['a', 'b', '', 'a', null, 'b'], asBigInt: false }));
    expect(b.overflowed).toBe(false);
    expect(b.distinct).toBe(3);
    b.add(vectorOf({ type: T.VARCHAR, values: ['d'], asBigInt: false }));
    expect(b.gaveUpBecause).toBe('values');
    expect(b.finish()).toBeNull();
  });

  it('an automatic index gives up on values spread over most blocks', () => {
    const block = (values: Scalar[]) => vectorOf({ type: T.INTEGER, values, asBigInt: false });
    const auto = { maxValues: 100, maxSpread: 0.5 };
    // Every block holds every value: judged after four blocks.
    const spread = new BitmapIndexBuilder(0, T.INTEGER, auto);
    for (let b = 0; b < 3; b++) spread.add(block([1, 2, 3, 1]));
    expect(spread.overflowed).toBe(false);
    spread.add(block([3, 2, 1, null]));
    expect(spread.gaveUpBecause).toBe('spread');
    // Clustered values (each block holds one or two of the eight) are kept.
    const clustered = new BitmapIndexBuilder(0, T.INTEGER, auto);
    for (let b = 0; b < 8; b++) clustered.add(block([b, b, b + (b % 2), null]));
    const data = clustered.finish();
    expect(data?.keys).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    // One block, or NULLs only: nothing to skip with.
    const one = new BitmapIndexBuilder(0, T.INTEGER, auto);
    one.add(block([1, 2]));
    expect(one.finish()).toBeNull();
    const nulls = new BitmapIndexBuilder(0, T.INTEGER, auto);
    for (let b = 0; b < 5; b++) nulls.add(block([null, null]));
    expect(nulls.finish()).toBeNull();
    expect(nulls.gaveUpBecause).toBe('spread');
  });

  it('VARCHAR with empty strings and NULLs', async () => {
    const values: Scalar[] = ['', null, 'a', '', '', null, 'b', ''];
    const dir = nextDir();
    await writePart(fs, dir, { columns: [{ name: 's', type: T.VARCHAR }] }, [batchOf([T.VARCHAR], [values], 0, values.length, 'plain')], { bitmapColumns: [0], blockRows: 3 });
    const index = (await (await openPart(fs, dir)).indexes.index(0))!;
    expect(await rows(index, { column: 0, op: '=', values: [''] })).toEqual([0, 3, 4, 7]);
    expect(await rows(index, { column: 0, op: 'is_null', values: [] })).toEqual([1, 5]);
    expect(await rows(index, { column: 0, op: '<', values: ['a'] })).toEqual([0, 3, 4, 7]);
    // A constant of another type cannot be answered: the scan reads the rows.
    expect(await rows(index, { column: 0, op: '=', values: [1] })).toBeNull();
  });
});

describe('damaged index files', () => {
  const values: Scalar[] = Array.from({ length: 40 }, (_, i) => (i % 7 === 0 ? null : `v${i % 3}`));
  const type = T.VARCHAR;

  async function readWholeIndex(dir: string): Promise<void> {
    const part = await openPart(fs, dir);
    const index = (await part.indexes.index(0))!;
    await index.rowsFor({ column: 0, op: 'is_null', values: [] });
    await index.rowsFor({ column: 0, op: 'is_not_null', values: [] });
    await index.rowsFor({ column: 0, op: 'in', values: ['v0', 'v1', 'v2'] });
  }

  async function expectIoError(p: Promise<unknown>, file: string): Promise<void> {
    const e: unknown = await p.then(
      () => null,
      (err: unknown) => err,
    );
    expect(e, 'the damage went unnoticed').toBeInstanceOf(QuiverError);
    expect((e as QuiverError).code).toBe('IO_ERROR');
    expect((e as QuiverError).message).toContain(file);
  }

  it('every flipped byte is an IO_ERROR naming the file', async () => {
    const dir = nextDir();
    await writePart(fs, dir, { columns: [{ name: 's', type }] }, [batchOf([type], [values], 0, values.length, 'plain')], { bitmapColumns: [0], blockRows: 16 });
    await readWholeIndex(dir);
    const path = posix.join(dir, indexFileName(0));
    const good = readFileSync(path);
    for (let at = 0; at < good.length; at++) {
      const bad = Buffer.from(good);
      bad[at] = bad[at]! ^ 0x10;
      writeFileSync(path, bad);
      await expectIoError(readWholeIndex(dir), path);
    }
    writeFileSync(path, good);
  });

  it('a truncated file is an IO_ERROR naming the file', async () => {
    const dir = nextDir();
    await writePart(fs, dir, { columns: [{ name: 's', type }] }, [batchOf([type], [values], 0, values.length, 'plain')], { bitmapColumns: [0], blockRows: 16 });
    const path = posix.join(dir, indexFileName(0));
    const good = readFileSync(path);
    for (const keep of [0, 10, 47, 48, 60, good.length - 1]) {
      writeFileSync(path, good.subarray(0, keep));
      await expectIoError(readWholeIndex(dir), path);
    }
  });

  it('an index of another column or part is refused', async () => {
    const a = nextDir();
    const b = nextDir();
    await writePart(fs, a, { columns: [{ name: 's', type }] }, [batchOf([type], [values], 0, values.length, 'plain')], { bitmapColumns: [0] });
    await writePart(fs, b, { columns: [{ name: 's', type }] }, [batchOf([type], [values], 0, 30, 'plain')], { bitmapColumns: [0] });
    writeFileSync(posix.join(b, indexFileName(0)), readFileSync(posix.join(a, indexFileName(0))));
    await expectIoError(readWholeIndex(b), posix.join(b, indexFileName(0)));
  });

  it('a missing index file that part.meta records is an IO_ERROR', async () => {
    const dir = nextDir();
    await writePart(fs, dir, { columns: [{ name: 's', type }] }, [batchOf([type], [values], 0, values.length, 'plain')], { bitmapColumns: [0] });
    writeFileSync(posix.join(dir, indexFileName(0)), '');
    await expectIoError(readWholeIndex(dir), indexFileName(0));
    unlinkSync(posix.join(dir, indexFileName(0)));
    await expectIoError(openPart(fs, dir), `${indexFileName(0)} is missing`);
  });
});

describe('index keys', () => {
  it('DECIMAL and DATE columns answer in their stored representation', async () => {
    const type = decimalType(10, 2);
    const values: Scalar[] = [150n, 150n, -5n, null, 0n];
    const dir = nextDir();
    await writePart(fs, dir, { columns: [{ name: 'd', type }, { name: 'day', type: T.DATE }] }, [
      batchOf([type, T.DATE], [values, [19000, 19000, 19001, null, 19000]], 0, 5, 'plain'),
    ], { bitmapColumns: [0, 1] });
    const part = await openPart(fs, dir);
    const d = (await part.indexes.index(0))!;
    expect(await rows(d, { column: 0, op: '=', values: [150] })).toEqual([0, 1]);
    expect(await rows(d, { column: 0, op: '=', values: [150n] })).toEqual([0, 1]);
    // No scaled integer equals 1.5 (a constant not in the stored representation matches nothing).
    expect(await rows(d, { column: 0, op: '=', values: [1.5] })).toEqual([]);
    expect(await rows(d, { column: 0, op: '>=', values: [0] })).toEqual([0, 1, 4]);
    const day = (await part.indexes.index(1))!;
    expect(await rows(day, { column: 1, op: 'in', values: [19001, 18000] })).toEqual([2]);
    expect(type.id).toBe(TypeId.DECIMAL);
  });
});
