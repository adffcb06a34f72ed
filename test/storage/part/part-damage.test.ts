// Damaged and interrupted parts: a flipped byte in a column file or in part.meta, a truncated
// column file or part.meta, all fail with an IO_ERROR naming the file; a crash at any point of
// writePart (forgetful file system, unsynced changes forgotten or kept torn at random) leaves
// the part either unreadable as missing or complete (its bitmap index file too), never half
// readable; a part whose writePart returned survives any crash; a crash while an index is added
// to a part leaves the whole index file or none.

import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { posix } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { QuiverError } from '../../../common/errors.js';
import { T } from '../../../common/types.js';
import type { Scalar } from '../../../common/vector.js';
import { ForgetfulFileSystem, SimulatedCrash } from '../../../storage/fs/forgetful-file-system.js';
import type { FileSystem } from '../../../storage/fs/file-system.js';
import { NodeFileSystem } from '../../../storage/fs/node-file-system.js';
import { addBitmapIndexes } from '../../../storage/index/add-part-indexes.js';
import { openPart, scanPart } from '../../../storage/part/part-reader.js';
import { writePart } from '../../../storage/part/part-writer.js';
import { newScanStats } from '../../../storage/table.js';
import { seeded } from '../fs/seeded-random.js';
import { batchOf, collect, tempDir } from './part-test-helpers.js';

const TYPES = [T.INTEGER, T.VARCHAR];
const SCHEMA = { columns: [{ name: 'k', type: T.INTEGER }, { name: 'v', type: T.VARCHAR }] };
const N = 3000;
const COLUMNS: Scalar[][] = [Array.from({ length: N }, (_, i) => i * 3), Array.from({ length: N }, (_, i) => (i % 5 === 0 ? null : `s${i % 41}`))];
const batches = () => [batchOf(TYPES, COLUMNS, 0, 1000, 'plain'), batchOf(TYPES, COLUMNS, 1000, N, 'selection')];

const readAll = async (fs: FileSystem, dir: string) => collect(scanPart(await openPart(fs, dir), { columns: [0, 1] }), 2);

async function expectIoError(p: Promise<unknown>, file: RegExp): Promise<void> {
  const e: unknown = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(QuiverError);
  expect((e as QuiverError).code).toBe('IO_ERROR');
  expect((e as QuiverError).message).toMatch(file);
}

describe('damaged parts', () => {
  const fs = new NodeFileSystem();
  const tmp = tempDir('quiver-part-damage-');
  afterAll(() => tmp.remove());
  let partNo = 0;
  const freshPart = async () => {
    const dir = posix.join(tmp.dir, `p${++partNo}`);
    await writePart(fs, dir, SCHEMA, batches(), { blockRows: 512 });
    return dir;
  };
  const flip = (path: string, at: (length: number) => number) => {
    const bytes = readFileSync(path);
    bytes[at(bytes.length)]! ^= 0x10;
    writeFileSync(path, bytes);
  };

  it('reads back intact', async () => {
    expect(await readAll(fs, await freshPart())).toEqual(COLUMNS);
  });

  it('a flipped byte anywhere in a column file names the file and the block', async () => {
    for (const where of [(_n: number) => 3, (n: number) => n >> 1, (n: number) => n - 1]) {
      const dir = await freshPart();
      flip(posix.join(dir, 'c1.bin'), where);
      await expectIoError(readAll(fs, dir), /corrupt block: .* in block \d+ of .*c1\.bin \(bytes \d+\.\.\d+\)/);
      // The other column is still readable on its own.
      expect(await collect(scanPart(await openPart(fs, dir), { columns: [0] }), 1)).toEqual([COLUMNS[0]]);
    }
  });

  it('a flipped byte anywhere in part.meta names the file', async () => {
    for (const where of [(_n: number) => 0, (_n: number) => 13, (_n: number) => 20, (n: number) => n >> 1, (n: number) => n - 1]) {
      const dir = await freshPart();
      flip(posix.join(dir, 'part.meta'), where);
      await expectIoError(openPart(fs, dir), /corrupt part metadata file .*part\.meta/);
    }
  });

  it('truncated files name the file', async () => {
    let dir = await freshPart();
    truncateSync(posix.join(dir, 'c0.bin'), 100);
    await expectIoError(readAll(fs, dir), /c0\.bin.*file ends after/);
    dir = await freshPart();
    truncateSync(posix.join(dir, 'part.meta'), 40);
    await expectIoError(openPart(fs, dir), /part\.meta: it is 40 bytes long, its header says/);
    dir = await freshPart();
    truncateSync(posix.join(dir, 'part.meta'), 0);
    await expectIoError(openPart(fs, dir), /part\.meta: it is 0 bytes long/);
  });

  it('a missing part is an IO_ERROR naming part.meta', async () => {
    await expectIoError(openPart(fs, posix.join(tmp.dir, 'nowhere')), /nowhere\/part\.meta/);
  });
});

describe('crashes while writing a part', () => {
  const WITH_INDEX = { blockRows: 512, bitmapColumns: [1] };
  async function freshFs(): Promise<ForgetfulFileSystem> {
    const fs = new ForgetfulFileSystem();
    await fs.mkdir('/db');
    await fs.syncDirectory('/');
    await fs.syncDirectory('/db');
    return fs;
  }

  /** After a crash the part is missing (an IO_ERROR) or whole, its bitmap index included. */
  async function expectMissingOrWhole(fs: ForgetfulFileSystem): Promise<'missing' | 'whole'> {
    try {
      expect(await readAll(fs, '/db/p')).toEqual(COLUMNS);
      const part = await openPart(fs, '/db/p');
      expect(part.indexes.indexed).toEqual([1]);
      const stats = newScanStats();
      await collect(scanPart(part, { columns: [1], predicates: [{ column: 1, op: '=', values: ['s3'] }] }, stats), 1);
      expect(stats.bitmapRows).toBe(COLUMNS[1]!.filter((v) => v === 's3').length);
      return 'whole';
    } catch (e) {
      if (!(e instanceof QuiverError) || e.code !== 'IO_ERROR') throw e;
      expect(e.message).toMatch(/cannot (open|read|stat) \/db\/p\/part\.meta.*ENOENT/);
      return 'missing';
    }
  }

  it('at every operation, with unsynced changes forgotten or torn', async () => {
    const counter = await freshFs();
    const setUp = counter.operationCount;
    await writePart(counter, '/db/p', SCHEMA, batches(), WITH_INDEX);
    const operations = counter.operationCount - setUp;
    const outcomes = new Set<string>();
    for (let n = 0; n <= operations; n++) {
      for (const torn of [false, true]) {
        const fs = await freshFs();
        fs.crashAfter(n, torn ? { random: seeded(n * 7 + 1) } : {});
        let returned = false;
        try {
          await writePart(fs, '/db/p', SCHEMA, batches(), WITH_INDEX);
          returned = true;
        } catch (e) {
          if (!(e instanceof SimulatedCrash)) throw e;
        }
        if (returned) fs.crash(torn ? { random: seeded(n) } : {});
        fs.restart();
        const outcome = await expectMissingOrWhole(fs);
        if (returned) expect(outcome).toBe('whole');
        outcomes.add(outcome);
      }
    }
    expect([...outcomes].sort()).toEqual(['missing', 'whole']);
  });
});

describe('crashes while adding a bitmap index to a part', () => {
  it('leave the part whole, with the whole index or none', async () => {
    const fresh = async () => {
      const fs = new ForgetfulFileSystem();
      await fs.mkdir('/db');
      await fs.syncDirectory('/');
      await fs.syncDirectory('/db');
      await writePart(fs, '/db/p', SCHEMA, batches(), { blockRows: 512, autoBitmapIndexes: false });
      return fs;
    };
    const counter = await fresh();
    const counted = await openPart(counter, '/db/p');
    const setUp = counter.operationCount;
    await addBitmapIndexes(counted, [1]);
    const operations = counter.operationCount - setUp;
    const outcomes = new Set<number>();
    for (let n = 0; n <= operations; n++) {
      for (const torn of [false, true]) {
        const fs = await fresh();
        const before = await openPart(fs, '/db/p');
        fs.crashAfter(n, torn ? { random: seeded(n * 5 + 3) } : {});
        let returned = false;
        try {
          await addBitmapIndexes(before, [1]);
          returned = true;
        } catch (e) {
          if (!(e instanceof SimulatedCrash)) throw e;
        }
        if (returned) fs.crash(torn ? { random: seeded(n) } : {});
        fs.restart();
        const part = await openPart(fs, '/db/p');
        expect(await collect(scanPart(part, { columns: [0, 1] }), 2)).toEqual(COLUMNS);
        if (returned) expect(part.indexes.indexed).toEqual([1]);
        if (part.indexes.has(1)) {
          const stats = newScanStats();
          await collect(scanPart(part, { columns: [1], predicates: [{ column: 1, op: 'is_null', values: [] }] }, stats), 1);
          expect(stats.bitmapRows).toBe(COLUMNS[1]!.filter((v) => v === null).length);
        }
        outcomes.add(part.indexes.indexed.length);
      }
    }
    expect([...outcomes].sort()).toEqual([0, 1]);
  });
});
