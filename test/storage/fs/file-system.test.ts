// The file-system interface (storage/fs/file-system.ts) as both implementations provide it: the
// real one over node:fs/promises in a temporary directory, and the forgetful test one. The same
// calls must give the same answers, and the same errors (FileSystemError with its POSIX reason
// and a message naming the file), so tests over the forgetful one speak for the real one.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type FileSystem, FileSystemError, isAlreadyExists, isNotFound, pathExists } from '../../../storage/fs/file-system.js';
import { ForgetfulFileSystem } from '../../../storage/fs/forgetful-file-system.js';
import { nodeFileSystem } from '../../../storage/fs/node-file-system.js';

const bytes = (...values: number[]) => Uint8Array.from(values);
const text = (s: string) => new TextEncoder().encode(s);

const realRoot = mkdtempSync(join(tmpdir(), 'quiver-fs-'));
afterAll(() => rmSync(realRoot, { recursive: true, force: true }));

let dirCount = 0;
const implementations: [string, () => Promise<{ fs: FileSystem; dir: string }>][] = [
  ['node', async () => {
    const dir = join(realRoot, `case-${++dirCount}`);
    await nodeFileSystem.mkdir(dir);
    return { fs: nodeFileSystem, dir };
  }],
  ['forgetful', async () => {
    const fs = new ForgetfulFileSystem();
    await fs.mkdir('/db/case', { recursive: true });
    return { fs, dir: '/db/case' };
  }],
];

async function caught(p: Promise<unknown>): Promise<FileSystemError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(FileSystemError);
    return e as FileSystemError;
  }
  throw new Error('expected the operation to fail');
}

describe.each(implementations)('%s file system', (_name, setup) => {
  it('writes at offsets, appends, reads back and reports sizes', async () => {
    const { fs, dir } = await setup();
    const h = await fs.open(join(dir, 'f'), 'create');
    await h.write(bytes(1, 2, 3), 0);
    expect(await h.append(bytes(4, 5))).toBe(3);
    await h.write(bytes(9), 1);
    // A write past the end leaves a zero-filled gap.
    await h.write(bytes(7), 7);
    expect(await h.size()).toBe(8);
    const buf = new Uint8Array(10);
    expect(await h.read(buf, 0)).toBe(8);
    expect([...buf.subarray(0, 8)]).toEqual([1, 9, 3, 4, 5, 0, 0, 7]);
    expect(await h.read(new Uint8Array(4), 6)).toBe(2);
    expect(await h.read(new Uint8Array(4), 100)).toBe(0);
    await h.truncate(2);
    expect(await h.append(bytes(6))).toBe(2);
    await h.sync();
    await h.close();
    expect([...(await fs.readFile(join(dir, 'f')))]).toEqual([1, 9, 6]);
    expect(await fs.stat(join(dir, 'f'))).toEqual({ kind: 'file', size: 3 });
    expect(await fs.stat(dir)).toEqual({ kind: 'directory', size: 0 });
  });

  it('opens in every mode as documented', async () => {
    const { fs, dir } = await setup();
    const f = join(dir, 'm');
    expect(isNotFound(await caught(fs.open(f, 'read')))).toBe(true);
    expect(isNotFound(await caught(fs.open(f, 'write')))).toBe(true);
    const created = await fs.open(f, 'exclusive');
    await created.write(text('hello'), 0);
    await created.close();
    expect(isAlreadyExists(await caught(fs.open(f, 'exclusive')))).toBe(true);
    // create keeps the contents and appends after them
    const kept = await fs.open(f, 'create');
    expect(await kept.append(text('!'))).toBe(5);
    await kept.close();
    expect(new TextDecoder().decode(await fs.readFile(f))).toBe('hello!');
    const writable = await fs.open(f, 'write');
    expect(await writable.append(text('?'))).toBe(6);
    await writable.close();
    const replaced = await fs.open(f, 'replace');
    expect(await replaced.size()).toBe(0);
    await replaced.close();
    const readOnly = await fs.open(f, 'read');
    expect((await caught(readOnly.write(text('x'), 0))).reason).toBe('EBADF');
    await readOnly.close();
  });

  it('renames over a file, unlinks, lists sorted, makes and removes directories', async () => {
    const { fs, dir } = await setup();
    for (const name of ['b', 'a', 'c']) {
      const h = await fs.open(join(dir, name), 'replace');
      await h.write(text(name), 0);
      await h.close();
    }
    expect(await fs.readdir(dir)).toEqual(['a', 'b', 'c']);
    await fs.rename(join(dir, 'a'), join(dir, 'b'));
    expect(await fs.readdir(dir)).toEqual(['b', 'c']);
    expect(new TextDecoder().decode(await fs.readFile(join(dir, 'b')))).toBe('a');
    await fs.unlink(join(dir, 'c'));
    expect(await pathExists(fs, join(dir, 'c'))).toBe(false);
    await fs.mkdir(join(dir, 'x', 'y', 'z'), { recursive: true });
    await fs.mkdir(join(dir, 'x', 'y'), { recursive: true });
    expect(isAlreadyExists(await caught(fs.mkdir(join(dir, 'x'))))).toBe(true);
    expect((await caught(fs.rmdir(join(dir, 'x')))).reason).toBe('ENOTEMPTY');
    await fs.rmdir(join(dir, 'x', 'y', 'z'));
    expect(await fs.readdir(join(dir, 'x', 'y'))).toEqual([]);
    await fs.truncate(join(dir, 'b'), 0);
    expect((await fs.stat(join(dir, 'b'))).size).toBe(0);
    await fs.syncDirectory(dir);
  });

  it('fails with the POSIX reason and a message naming the file', async () => {
    const { fs, dir } = await setup();
    const missing = join(dir, 'nope', 'file');
    const e = await caught(fs.open(missing, 'create'));
    expect(e.reason).toBe('ENOENT');
    expect(e.code).toBe('IO_ERROR');
    expect(e.message).toContain(missing);
    expect(isNotFound(await caught(fs.readFile(join(dir, 'nope'))))).toBe(true);
    expect(isNotFound(await caught(fs.unlink(join(dir, 'nope'))))).toBe(true);
    expect(isNotFound(await caught(fs.rename(join(dir, 'nope'), join(dir, 'other'))))).toBe(true);
    expect(isNotFound(await caught(fs.readdir(join(dir, 'nope'))))).toBe(true);
    expect((await caught(fs.open(dir, 'write'))).reason).toBe('EISDIR');
    const closed = await fs.open(join(dir, 'closed'), 'replace');
    await closed.close();
    expect((await caught(closed.write(text('x'), 0))).code).toBe('IO_ERROR');
  });
});
