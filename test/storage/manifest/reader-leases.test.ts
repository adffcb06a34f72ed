// Reader leases (storage/manifest/reader-leases.ts): a lease file names its process and the
// oldest version it may read, only ever rises, goes at close; the writer counts the leases of live
// processes and removes those (and their temporary files) of processes that are gone; a reader
// that may not write in the database directory holds no lease.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FileSystem, FileSystemError } from '../../../storage/fs/file-system.js';
import { NodeFileSystem } from '../../../storage/fs/node-file-system.js';
import { processIdentity } from '../../../storage/lock.js';
import { liveReaderLeases, oldestReaderVersion, ReaderLease } from '../../../storage/manifest/reader-leases.js';

const fs = new NodeFileSystem();
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'quiver-leases-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  expect(child.status).toBe(0);
  return child.pid!;
}

const readers = () => readdirSync(join(dir, 'readers')).sort();

describe('reader leases', () => {
  it('writes the pid, boot id and version, rises only, and is removed at close', async () => {
    const lease = (await ReaderLease.create(fs, dir, 3))!;
    const { pid, boot } = processIdentity();
    expect(lease.path).toMatch(new RegExp(`/readers/${pid}-[0-9a-f]{16}\\.lease$`));
    expect(readFileSync(lease.path, 'utf8')).toBe(`${pid}\n${boot}\n3\n`);
    expect(await oldestReaderVersion(fs, dir)).toBe(3);
    await lease.update(7);
    expect(lease.version).toBe(7);
    await lease.update(5);
    expect(readFileSync(lease.path, 'utf8')).toBe(`${pid}\n${boot}\n7\n`);
    await Promise.all([lease.update(8), lease.update(9), lease.update(10)]);
    expect(readFileSync(lease.path, 'utf8')).toBe(`${pid}\n${boot}\n10\n`);
    await lease.close();
    expect(readers()).toEqual([]);
    expect(await oldestReaderVersion(fs, dir)).toBe(null);
  });

  it('the oldest of several live leases counts', async () => {
    const a = (await ReaderLease.create(fs, dir, 12))!;
    const b = (await ReaderLease.create(fs, dir, 4))!;
    expect(await oldestReaderVersion(fs, dir)).toBe(4);
    await b.update(20);
    expect(await oldestReaderVersion(fs, dir)).toBe(12);
    expect((await liveReaderLeases(fs, dir)).map((l) => l.version).sort((x, y) => x - y)).toEqual([12, 20]);
    await a.close();
    await b.close();
  });

  it('ignores and removes the leases and temporary files of processes that are gone', async () => {
    const live = (await ReaderLease.create(fs, dir, 9))!;
    const dead = deadPid();
    const { boot } = processIdentity();
    writeFileSync(join(dir, 'readers', `${dead}-00000000000000aa.lease`), `${dead}\n${boot}\n1\n`);
    writeFileSync(join(dir, 'readers', `${dead}-00000000000000bb.lease.${dead}.3.tmp`), `${dead}\n${boot}\n`);
    // The live pid of this process, but from another boot: stale too.
    writeFileSync(join(dir, 'readers', `${process.pid}-00000000000000cc.lease`), `${process.pid}\nanother-boot\n2\n`);
    expect(await oldestReaderVersion(fs, dir)).toBe(9);
    expect(readers()).toEqual([live.path.split('/').pop()]);
    await live.close();
  });

  it('an unreadable lease of a live process protects every version; of a dead one it goes', async () => {
    const dead = deadPid();
    mkdirSync(join(dir, 'readers'));
    writeFileSync(join(dir, 'readers', `${dead}-00000000000000aa.lease`), 'garbage');
    expect(await oldestReaderVersion(fs, dir)).toBe(null);
    writeFileSync(join(dir, 'readers', `${process.pid}-00000000000000bb.lease`), 'garbage');
    expect(await liveReaderLeases(fs, dir)).toEqual([{ name: `${process.pid}-00000000000000bb.lease`, pid: process.pid, version: 0 }]);
    expect(readers()).toEqual([`${process.pid}-00000000000000bb.lease`]);
  });

  it('leases the writer cannot read or list keep every version', async () => {
    const lease = (await ReaderLease.create(fs, dir, 5))!;
    const unreadable: FileSystem = Object.create(fs, {
      readFile: { value: (path: string) => Promise.reject(new FileSystemError('EACCES', 'read', path)) },
    }) as FileSystem;
    expect(await oldestReaderVersion(unreadable, dir)).toBe(0);
    const unlistable: FileSystem = Object.create(fs, {
      readdir: { value: (path: string) => Promise.reject(new FileSystemError('EACCES', 'list', path)) },
    }) as FileSystem;
    expect(await oldestReaderVersion(unlistable, dir)).toBe(0);
    await expect(liveReaderLeases(unlistable, dir)).rejects.toThrow(/permission denied/);
    await lease.close();
  });

  it('no readers directory means no lease', async () => {
    expect(await liveReaderLeases(fs, dir)).toEqual([]);
  });

  it('a process that may not write in the directory holds no lease', async () => {
    for (const reason of ['EROFS', 'EACCES']) {
      const refusing: FileSystem = Object.create(fs, {
        mkdir: {
          value: (path: string) => Promise.reject(new FileSystemError(reason, 'make directory', path)),
        },
      }) as FileSystem;
      expect(await ReaderLease.create(refusing, dir, 1)).toBe(null);
    }
    const failing: FileSystem = Object.create(fs, {
      mkdir: { value: (path: string) => Promise.reject(new FileSystemError('EIO', 'make directory', path)) },
    }) as FileSystem;
    await expect(ReaderLease.create(failing, dir, 1)).rejects.toThrow(/input\/output error/);
  });
});
