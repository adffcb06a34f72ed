// Parallel parsing of delimited files (csv-parallel.ts, csv-worker.ts): ranges parsed by worker
// threads give the same rows as one thread, the right line in errors, and fall back to one
// thread when a cut lands inside a quoted field; with a sort key, ranges sorted by their workers
// (csv-range-sort.ts) that merge into one thread's order. Workers run the compiled dist/ copy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { T, TypeId, decimalType } from '../../../common/types.js';
import { QuiverError } from '../../../common/errors.js';
import { getScalar, type Scalar } from '../../../common/vector.js';
import type { Batch } from '../../../common/batch.js';
import { sortBatches } from '../../../storage/memtable/sort-batches.js';
import { type CsvOptions, type DelimitedColumn, csvDefaults, detectFormatFromPath, readDelimited, textDefaults } from '../../../exec/io/csv-reader.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quiver-csv-par-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rowsOf(path: string, columns: DelimitedColumn[], options: CsvOptions, batchSize?: number): Promise<Scalar[][]> {
  const rows: Scalar[][] = [];
  for await (const b of readDelimited(path, columns, options, batchSize)) {
    // BIGINT/DECIMAL are numbers or bigints by batch (a batch holding a value past 2^53 is all
    // bigints), so batches of other sizes differ: compared as exact digits.
    const exact = (v: Scalar): Scalar => (typeof v === 'bigint' ? v.toString() : v);
    for (let i = 0; i < b.length; i++) {
      rows.push(b.columns.map((v, c) => (columns[c]!.type.id === TypeId.BIGINT || columns[c]!.type.id === TypeId.DECIMAL ? exact(String(getScalar(v, i))) : getScalar(v, i))));
    }
  }
  return rows;
}

/** Reads with 1 to 4 threads (and small reads and batches): every result must be the same. */
async function readEveryWay(content: string, columns: DelimitedColumn[], options: CsvOptions, name = 'f.tbl'): Promise<Scalar[][]> {
  const path = join(dir, name);
  await writeFile(path, content);
  const one = await rowsOf(path, columns, { ...options, threads: 1 });
  for (const threads of [2, 3, 4]) {
    expect(await rowsOf(path, columns, { ...options, threads }, 7)).toEqual(one);
    expect(await rowsOf(path, columns, { ...options, threads, chunkSize: 13 })).toEqual(one);
  }
  return one;
}

const lineorderLike: DelimitedColumn[] = [
  { name: 'k', type: T.INTEGER },
  { name: 'mode', type: T.VARCHAR },
  { name: 'price', type: decimalType(12, 2) },
  { name: 'big', type: T.BIGINT },
  { name: 'name', type: T.VARCHAR },
];

function tbl(rows: number): string {
  const modes = ['AIR', 'RAIL', 'SHIP', 'TRUCK', 'MAIL', 'Ünïcode', ''];
  let s = '';
  for (let i = 0; i < rows; i++) {
    const big = i % 97 === 0 ? '9007199254740993' : String(i * 1000);
    s += `${i}|${modes[i % modes.length]}|${(i * 7) % 1000}.${i % 100}|${big}|name#${i}${i % 5 === 0 ? 'é' : ''}|\n`;
  }
  return s;
}

describe('parallel parsing', () => {
  it('gives the rows of one thread: numbers, wide BIGINTs, NULLs, interned and distinct text', async () => {
    const rows = await readEveryWay(tbl(2000), lineorderLike, detectFormatFromPath('x.tbl'));
    expect(rows.length).toBe(2000);
    expect(rows[5]).toEqual([5, 'Ünïcode', '3550', '5000', 'name#5é']);
    expect(rows[6]![1]).toBeNull();
    expect(rows[97]![3]).toBe('9007199254740993');
  });

  it('gives interned text as dictionary vectors with dictionaryText, the same values', async () => {
    const path = join(dir, 'dict.tbl');
    await writeFile(path, tbl(3000));
    const options = detectFormatFromPath('x.tbl');
    const kinds = new Set<string>();
    for await (const b of readDelimited(path, lineorderLike, { ...options, threads: 2, dictionaryText: true })) kinds.add(b.columns[1]!.kind);
    // 'mode' holds NULLs (the empty field), so its batches stay flat; without them, dictionaries.
    expect([...kinds]).toEqual(['flat']);
    const noNulls = tbl(3000).replace(/\|\|/g, '|RAIL|');
    await writeFile(path, noNulls);
    kinds.clear();
    for await (const b of readDelimited(path, lineorderLike, { ...options, threads: 2, dictionaryText: true })) kinds.add(b.columns[1]!.kind);
    expect([...kinds]).toEqual(['dictionary']);
    expect(await rowsOf(path, lineorderLike, { ...options, threads: 2, dictionaryText: true })).toEqual(await rowsOf(path, lineorderLike, { ...options, threads: 1 }));
  });

  it('reads a header once, and text-format escapes', async () => {
    const csv = 'a,b\n' + Array.from({ length: 300 }, (_, i) => `${i},"v,${i % 3}"`).join('\n') + '\n';
    const rows = await readEveryWay(csv, [{ name: 'a', type: T.INTEGER }, { name: 'b', type: T.VARCHAR }], { ...csvDefaults(), header: true }, 'h.csv');
    expect(rows.length).toBe(300);
    expect(rows[0]).toEqual([0, 'v,0']);
    const text = Array.from({ length: 300 }, (_, i) => `${i}\ta\\tb${i % 2 === 0 ? '' : '\\N'}\t\\N`).join('\n') + '\n';
    const t = await readEveryWay(text, [{ name: 'a', type: T.INTEGER }, { name: 'b', type: T.VARCHAR }, { name: 'c', type: T.VARCHAR }], textDefaults(), 't.tsv');
    expect(t[1]).toEqual([1, 'a\tbN', null]);
  });

  it('falls back to one thread when a cut lands inside a quoted field', async () => {
    // One long quoted field spanning most of the file: every cut falls inside it.
    const long = Array.from({ length: 500 }, (_, i) => `line ${i}`).join('\n');
    const csv = `1,"${long}"\n2,x\n`;
    const rows = await readEveryWay(csv, [{ name: 'a', type: T.INTEGER }, { name: 'b', type: T.VARCHAR }], csvDefaults(), 'q.csv');
    expect(rows).toEqual([
      [1, long],
      [2, 'x'],
    ]);
  });

  it('stops at the end-of-data marker of the text format', async () => {
    const text = Array.from({ length: 200 }, (_, i) => (i === 120 ? '\\.' : `${i}`)).join('\n') + '\n';
    const rows = await readEveryWay(text, [{ name: 'a', type: T.INTEGER }], textDefaults(), 'm.tsv');
    expect(rows.length).toBe(120);
  });

  it('names the line of an error in the whole file, the first one in file order', async () => {
    const lines = tbl(3000).split('\n');
    lines[2500] = '2500|AIR|1.5|12x|n|';
    lines[2900] = '2900|AIR|1.5|also bad|n|';
    const path = join(dir, 'bad.tbl');
    await writeFile(path, lines.join('\n'));
    for (const threads of [1, 2, 3]) {
      const e = await rowsOf(path, lineorderLike, { ...detectFormatFromPath(path), threads }).then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(QuiverError);
      expect((e as QuiverError).message).toBe(`${path} line 2501, column 4 (big): invalid input for type BIGINT: "12x"`);
    }
    await expect(rowsOf(path, lineorderLike, { ...detectFormatFromPath(path), threads: 0 })).rejects.toThrow(/positive integer/);
  });

  describe('with a sort key', () => {
    const sortable: DelimitedColumn[] = [
      { name: 'k', type: T.INTEGER },
      { name: 'mode', type: T.VARCHAR },
      { name: 'big', type: T.BIGINT },
      { name: 'name', type: T.VARCHAR },
    ];
    /** Repeated keys, interned text, BIGINTs some batches hold as bigints, and `name`: distinct past `distinctFrom`. */
    function keyed(rows: number, distinctFrom = 0): string {
      const modes = ['AIR', 'RAIL', 'SHIP', 'TRUCK', 'Ünïcode'];
      let out = '';
      for (let i = 0; i < rows; i++) {
        const big = i % 997 === 0 ? '9007199254740993' : String(i);
        out += `${(i * 7919) % 50}|${modes[i % modes.length]}|${big}|${i >= distinctFrom ? `n${i}é` : 'same'}|\n`;
      }
      return out;
    }
    async function batchesOf(path: string, options: CsvOptions, batchSize?: number): Promise<Batch[]> {
      const out: Batch[] = [];
      for await (const b of readDelimited(path, sortable, options, batchSize)) out.push(b);
      return out;
    }
    const rowsIn = (bs: readonly Batch[]): Scalar[][] => bs.flatMap((b) => Array.from({ length: b.count }, (_, i) => b.columns.map((v) => getScalar(v, i))));
    const exact = (rows: Scalar[][]): Scalar[][] => rows.map((r) => r.map((v) => (typeof v === 'bigint' || typeof v === 'number' ? String(v) : v)));
    /** Places where the key goes down: a run of sorted rows ends there. */
    const descents = (rows: Scalar[][]): number => rows.filter((r, i) => i > 0 && (r[0] as number) < (rows[i - 1]![0] as number)).length;
    const types = sortable.map((c) => c.type);

    it('sends each range sorted, ties in file order, which sort to the order of one thread', async () => {
      const path = join(dir, 'keyed.tbl');
      await writeFile(path, keyed(5000));
      const options = { ...detectFormatFromPath(path), dictionaryText: true };
      const one = await batchesOf(path, { ...options, threads: 1, sortKey: [0] });
      // One thread reads in file order; the load sorts it.
      expect(descents(rowsIn(one))).toBeGreaterThan(1000);
      const expected = exact(rowsIn(sortBatches(types, one, [0])));
      for (const threads of [2, 3, 4]) {
        for (const batchSize of [undefined, 700]) {
          const got = await batchesOf(path, { ...options, threads, sortKey: [0] }, batchSize);
          const rows = rowsIn(got);
          // A sorted run per range: fewer descents than ranges.
          expect(descents(rows)).toBeLessThan(threads);
          if (batchSize !== undefined) expect(got.every((b) => b.count <= batchSize)).toBe(true);
          expect(exact(rowsIn(sortBatches(types, got, [0])))).toEqual(expected);
        }
      }
    });

    it('moves the bytes of values too many to intern with their rows', async () => {
      // Past INTERN_LIMIT distinct names in a range, its later names are sent as bytes.
      const path = join(dir, 'distinct.tbl');
      await writeFile(path, keyed(150_000, 20_000));
      const options = { ...detectFormatFromPath(path), dictionaryText: true };
      const got = await batchesOf(path, { ...options, threads: 2, sortKey: [0] });
      expect(descents(rowsIn(got))).toBeLessThan(2);
      const one = await batchesOf(path, { ...options, threads: 1 });
      expect(exact(rowsIn(sortBatches(types, got, [0])))).toEqual(exact(rowsIn(sortBatches(types, one, [0]))));
    });

    it('sends a range holding a NULL in file order, so the first NULL keeps its place in the file', async () => {
      const lines = keyed(5000).split('\n');
      lines[3000] = '7|AIR||x|';
      const path = join(dir, 'null.tbl');
      await writeFile(path, lines.join('\n'));
      const options = { ...detectFormatFromPath(path), dictionaryText: true };
      const got = rowsIn(await batchesOf(path, { ...options, threads: 2, sortKey: [0] }));
      // The first range (rows before about 2500) comes sorted, the second as read.
      expect(got.findIndex((r) => r[2] === null)).toBe(3000);
      expect(descents(got.slice(0, 2000))).toBe(0);
      expect(descents(got)).toBeGreaterThan(100);
    });

    it('reads in file order by a text key, which codes would not order', async () => {
      const path = join(dir, 'textkey.tbl');
      await writeFile(path, keyed(5000));
      const options = detectFormatFromPath(path);
      const one = rowsIn(await batchesOf(path, { ...options, threads: 1 }));
      expect(rowsIn(await batchesOf(path, { ...options, threads: 2, sortKey: [1] }))).toEqual(one);
    });
  });
});
