// A writer and read-only stores of the same directory in one process (DiskStore: reader leases,
// refresh): a reader sees the data as of its open; its snapshots keep reading after the writer
// compacts and drops (the retired parts stay on disk for its lease, across a writer reopen too);
// refresh() shows what was committed since, the log included, for snapshots taken afterwards;
// once the reader lets go, the writer deletes the retired parts at its next commit; a lease of a
// dead process holds nothing back. Refresh reads a consistent state while the writer commits.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { T } from '../../../common/types.js';
import type { Scalar } from '../../../common/vector.js';
import { DiskStore, type DiskStoreOptions } from '../../../storage/disk/disk-store.js';
import type { DiskSnapshot } from '../../../storage/disk/disk-table.js';
import { type FileHandle, type FileSystem, FileSystemError } from '../../../storage/fs/file-system.js';
import { NodeFileSystem } from '../../../storage/fs/node-file-system.js';
import { processIdentity } from '../../../storage/lock.js';
import { partDirectoryName } from '../../../storage/manifest/database-layout.js';
import type { TableSchema } from '../../../storage/table.js';
import { batchOf, readRows } from './disk-test-helpers.js';

const fs = new NodeFileSystem();
let dir: string;
const open: DiskStore[] = [];

beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'quiver-readers-')), 'db');
});

afterEach(async () => {
  for (const s of open.splice(0).reverse()) await s.close();
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

async function openStore(options: DiskStoreOptions = {}, on: FileSystem = fs): Promise<DiskStore> {
  const s = await DiskStore.open(on, dir, { compaction: 'off', ...options });
  open.push(s);
  return s;
}

async function closeStore(s: DiskStore): Promise<void> {
  open.splice(open.indexOf(s), 1);
  await s.close();
}

const schema = (name: string): TableSchema => ({ name, columns: [{ name: 'x', type: T.INTEGER, notNull: false }], sortKey: ['x'], primaryKey: [] });

async function insert(store: DiskStore, table: string, values: number[]): Promise<void> {
  await store.insert(table, batchOf([T.INTEGER], values.map((v) => [v])));
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function values(s: DiskSnapshot): Promise<Scalar[]> {
  return (await readRows(s, [T.INTEGER])).map((r) => r[0]!).sort((a, b) => (a as number) - (b as number));
}

const partsOnDisk = () => readdirSync(join(dir, 'parts')).sort();
const leaseVersions = () =>
  existsSync(join(dir, 'readers'))
    ? readdirSync(join(dir, 'readers'))
        .filter((n) => n.endsWith('.lease'))
        .map((n) => Number(readFileSync(join(dir, 'readers', n), 'utf8').split('\n')[2]))
    : [];

/** Waits (bounded) until `check` holds: lease raises are written in the background. */
async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`timed out waiting until ${what}`);
}

/** A writer with table t: rows 1..4 in parts p1 (1, 2) and p2 (3), row 4 in the log only. */
async function writerWithRows(): Promise<DiskStore> {
  const writer = await openStore();
  await writer.createTable(schema('t'));
  await insert(writer, 't', [1, 2]);
  await writer.checkpoint();
  await insert(writer, 't', [3]);
  await writer.checkpoint();
  await insert(writer, 't', [4]);
  return writer;
}

describe('read-only stores beside a writer', () => {
  it('keep old snapshots readable, refresh to the newest state, and let the writer delete once done', async () => {
    const writer = await writerWithRows();
    const reader = await openStore({ readOnly: true });
    const old = reader.table('t').snapshot();
    expect(await values(old)).toEqual(range(1, 4));
    expect(leaseVersions()).toEqual([writer.manifest.version]);

    await writer.compact(); // p1 + p2 -> one new part: both retired
    await insert(writer, 't', [5]);
    await writer.checkpoint();
    await writer.createTable(schema('u'));
    await insert(writer, 't', [6]);
    await insert(writer, 'u', [60]);
    expect(partsOnDisk()).toEqual([1, 2, 3, 4].map(partDirectoryName));

    // The reader still sees the state of its open until it refreshes.
    const same = reader.table('t').snapshot();
    expect(await values(same)).toEqual(range(1, 4));
    same.release();
    expect(reader.tableNames()).toEqual(['t']);
    await reader.refresh();
    const fresh = reader.table('t').snapshot();
    expect(await values(fresh)).toEqual(range(1, 6));
    const u = reader.table('u').snapshot();
    expect(await values(u)).toEqual([60]);
    u.release();
    expect(await values(old)).toEqual(range(1, 4));
    expect(leaseVersions()).toEqual([old.version]);

    // The old snapshot's version is released: the lease rises, and the next commit deletes.
    old.release();
    await eventually(() => leaseVersions()[0] === writer.manifest.version, 'the lease rises');
    await insert(writer, 't', [7]);
    await writer.checkpoint(); // p5 (t: 6, 7) and p6 (u: 60)
    expect(partsOnDisk()).toEqual([3, 4, 5, 6].map(partDirectoryName));
    expect(await values(fresh)).toEqual(range(1, 6));
    fresh.release();
    await closeStore(reader);
    expect(leaseVersions()).toEqual([]);
  });

  it('the writer deletes the retired parts at its next commit after the reader closes', async () => {
    const writer = await writerWithRows();
    const reader = await openStore({ readOnly: true });
    const old = reader.table('t').snapshot();
    await writer.dropTable('t');
    expect(partsOnDisk()).toEqual([1, 2].map(partDirectoryName));
    await writer.createTable(schema('v'));
    expect(partsOnDisk()).toEqual([1, 2].map(partDirectoryName));
    expect(await values(old)).toEqual(range(1, 4));
    await closeStore(reader);
    await writer.createTable(schema('w'));
    expect(partsOnDisk()).toEqual([]);
  });

  it('a writer that reopens keeps what a live lease may read, and deletes it once the lease goes', async () => {
    const writer = await writerWithRows();
    const reader = await openStore({ readOnly: true });
    const old = reader.table('t').snapshot();
    await writer.dropTable('t');
    await closeStore(writer); // close retries, and keeps them for the lease
    expect(partsOnDisk()).toEqual([1, 2].map(partDirectoryName));

    const again = await openStore();
    expect(partsOnDisk()).toEqual([1, 2].map(partDirectoryName));
    expect(await values(old)).toEqual(range(1, 4));
    old.release();
    await closeStore(reader);
    await again.createTable(schema('t2'));
    expect(partsOnDisk()).toEqual([]);
  });

  it('a lease of a process that is gone holds nothing back, and is removed', async () => {
    const writer = await writerWithRows();
    const child = spawnSync(process.execPath, ['-e', '']);
    const dead = child.pid!;
    const { boot } = processIdentity();
    await fs.mkdir(join(dir, 'readers')).catch(() => undefined);
    writeFileSync(join(dir, 'readers', `${dead}-0123456789abcdef.lease`), `${dead}\n${boot}\n1\n`);
    await writer.dropTable('t');
    expect(partsOnDisk()).toEqual([]);
    expect(readdirSync(join(dir, 'readers'))).toEqual([]);
  });

  it('a reader on a directory it may not write in opens without a lease', async () => {
    const writer = await writerWithRows();
    // EROFS is what a read-only mount gives.
    const refusing = Object.create(fs, {
      mkdir: { value: (path: string) => Promise.reject(new FileSystemError('EROFS', 'make directory', path)) },
    }) as FileSystem;
    const reader = await openStore({ readOnly: true }, refusing);
    expect(await values(reader.table('t').snapshot())).toEqual(range(1, 4));
    expect(existsSync(join(dir, 'readers'))).toBe(false);
    await insert(writer, 't', [5]);
    await reader.refresh();
    expect(await values(reader.table('t').snapshot())).toEqual(range(1, 5));
  });
});

describe('refresh while the writer works', () => {
  /** The node file system, except that `hook` runs once before the reader first opens a log
   *  segment: the writer changes the database between the reader's manifest and its replay. */
  function hooked(hook: () => Promise<void>): { fs: FileSystem; fired: () => boolean } {
    let fired = false;
    const wrapped = Object.create(fs, {
      open: {
        value: async (path: string, mode: Parameters<FileSystem['open']>[1]): Promise<FileHandle> => {
          if (!fired && path.endsWith('.wal')) {
            fired = true;
            await hook();
          }
          return fs.open(path, mode);
        },
      },
    }) as FileSystem;
    return { fs: wrapped, fired: () => fired };
  }

  it('starts again when a checkpoint deletes the segment it is about to read', async () => {
    const writer = await writerWithRows();
    const { fs: readerFs, fired } = hooked(() => writer.checkpoint());
    const reader = await openStore({ readOnly: true }, readerFs);
    expect(fired()).toBe(true);
    expect(await values(reader.table('t').snapshot())).toEqual(range(1, 4));
  });

  it('never shows rows inserted after a bulk load without the load (the manifest moved on)', async () => {
    const writer = await writerWithRows();
    const { fs: readerFs, fired } = hooked(async () => {
      await writer.bulkLoad('t', [batchOf([T.INTEGER], [[100], [101]])]);
      await insert(writer, 't', [102]);
    });
    const reader = await openStore({ readOnly: true }, readerFs);
    expect(fired()).toBe(true);
    expect(await values(reader.table('t').snapshot())).toEqual([...range(1, 4), 100, 101, 102]);
  });

  it('reads the rows of a table created after the manifest it started from', async () => {
    const writer = await writerWithRows();
    const reader = await openStore({ readOnly: true });
    const { fs: hookFs } = hooked(async () => {
      await writer.createTable(schema('u'));
      await insert(writer, 'u', [9]);
    });
    const second = await openStore({ readOnly: true }, hookFs);
    expect(await values(second.table('u').snapshot())).toEqual([9]);
    await reader.refresh();
    expect(await values(reader.table('u').snapshot())).toEqual([9]);
  });

  it('leaves out a record the writer is still writing at the end of the log', async () => {
    const writer = await writerWithRows();
    await insert(writer, 't', [5]);
    // The reader sees the active segment 3 bytes short: its last record is cut, as while the
    // writer's write is under way.
    const short = Object.create(fs, {
      open: {
        value: async (path: string, mode: Parameters<FileSystem['open']>[1]): Promise<FileHandle> => {
          const h = await fs.open(path, mode);
          if (!path.endsWith('.wal')) return h;
          const size = (await h.size()) - 3;
          return Object.create(h, { size: { value: () => Promise.resolve(size) } }) as FileHandle;
        },
      },
    }) as FileSystem;
    const reader = await openStore({ readOnly: true }, short);
    expect(await values(reader.table('t').snapshot())).toEqual(range(1, 4));
  });

  it('every refresh shows a prefix of the inserts, and every old snapshot stays readable (checkpoints and compaction running)', async () => {
    const writer = await openStore({ memtableRows: 7, compaction: 'eager' });
    await writer.createTable(schema('t'));
    const reader = await openStore({ readOnly: true });
    const total = 120;
    let done = false;
    const writing = (async () => {
      try {
        for (let k = 1; k <= total; k++) await insert(writer, 't', [k]);
      } finally {
        done = true;
      }
    })();
    const held: { snapshot: DiskSnapshot; rows: Scalar[] }[] = [];
    let last = 0;
    let refreshes = 0;
    while (!done || refreshes === 0) {
      await reader.refresh();
      refreshes++;
      const s = reader.table('t').snapshot();
      const rows = await values(s);
      expect(rows).toEqual(range(1, rows.length));
      expect(rows.length).toBeGreaterThanOrEqual(last);
      last = rows.length;
      held.push({ snapshot: s, rows });
      // Keep a few old snapshots pinned; release the rest (the lease then rises).
      if (held.length > 4) held.splice(1, 1)[0]!.snapshot.release();
    }
    await writing;
    for (const h of held) expect(await values(h.snapshot)).toEqual(h.rows);
    for (const h of held) h.snapshot.release();
    await reader.refresh();
    expect(await values(reader.table('t').snapshot())).toEqual(range(1, total));
    expect(refreshes).toBeGreaterThan(1);
  });
});
