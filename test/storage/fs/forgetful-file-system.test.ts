// The forgetful file system's own contract: at `crash()` it forgets exactly what was not made
// durable (file contents without a file fsync, directory entries without a directory fsync),
// a torn crash keeps only parts of those changes, `crashAfter` kills the "process" at a chosen
// operation, and it counts fsyncs. Crash tests of the WAL and atomic writes rely on all of it.

import { describe, expect, it } from 'vitest';
import { FileSystemError, pathExists } from '../../../storage/fs/file-system.js';
import { ForgetfulFileSystem, SimulatedCrash } from '../../../storage/fs/forgetful-file-system.js';
import { seeded } from './seeded-random.js';

const text = (s: string) => new TextEncoder().encode(s);
const read = async (fs: ForgetfulFileSystem, path: string) => new TextDecoder().decode(await fs.readFile(path));

async function writeFile(fs: ForgetfulFileSystem, path: string, content: string, sync: boolean): Promise<void> {
  const h = await fs.open(path, 'replace');
  await h.write(text(content), 0);
  if (sync) await h.sync();
  await h.close();
}

async function durableDir(fs: ForgetfulFileSystem, path: string): Promise<void> {
  await fs.mkdir(path, { recursive: true });
  await fs.syncDirectory('/');
  await fs.syncDirectory(path);
}

describe('ForgetfulFileSystem', () => {
  it('keeps fsynced contents and forgets later writes at a crash', async () => {
    const fs = new ForgetfulFileSystem();
    await durableDir(fs, '/d');
    await writeFile(fs, '/d/f', 'old', true);
    await fs.syncDirectory('/d');
    const h = await fs.open('/d/f', 'write');
    await h.write(text('NEW!'), 0);
    expect(await read(fs, '/d/f')).toBe('NEW!');
    fs.crash();
    expect(await read(fs, '/d/f')).toBe('old');
  });

  it('forgets a truncation and a replace-open that were not fsynced', async () => {
    const fs = new ForgetfulFileSystem();
    await durableDir(fs, '/d');
    await writeFile(fs, '/d/f', 'contents', true);
    await fs.syncDirectory('/d');
    await fs.truncate('/d/f', 3);
    fs.crash();
    expect(await read(fs, '/d/f')).toBe('contents');
    await (await fs.open('/d/f', 'replace')).close();
    expect(await read(fs, '/d/f')).toBe('');
    fs.crash();
    expect(await read(fs, '/d/f')).toBe('contents');
  });

  it('forgets a created file whose directory was not fsynced, even if the file was', async () => {
    const fs = new ForgetfulFileSystem();
    await durableDir(fs, '/d');
    await writeFile(fs, '/d/f', 'data', true);
    fs.crash();
    expect(await pathExists(fs, '/d/f')).toBe(false);
  });

  it('keeps an entry whose directory was fsynced, but only the fsynced contents', async () => {
    const fs = new ForgetfulFileSystem();
    await durableDir(fs, '/d');
    await writeFile(fs, '/d/f', 'data', false);
    await fs.syncDirectory('/d');
    fs.crash();
    expect(await read(fs, '/d/f')).toBe('');
  });

  it('undoes a rename and an unlink not followed by a directory fsync', async () => {
    const fs = new ForgetfulFileSystem();
    await durableDir(fs, '/d');
    await writeFile(fs, '/d/target', 'old', true);
    await writeFile(fs, '/d/temp', 'new', true);
    await fs.syncDirectory('/d');
    await fs.rename('/d/temp', '/d/target');
    await fs.unlink('/d/target');
    expect(await fs.readdir('/d')).toEqual([]);
    fs.crash();
    expect(await fs.readdir('/d')).toEqual(['target', 'temp']);
    expect(await read(fs, '/d/target')).toBe('old');
    await fs.rename('/d/temp', '/d/target');
    await fs.syncDirectory('/d');
    fs.crash();
    expect(await fs.readdir('/d')).toEqual(['target']);
    expect(await read(fs, '/d/target')).toBe('new');
  });

  it('needs the parent fsynced for a new directory to survive', async () => {
    const fs = new ForgetfulFileSystem();
    await fs.mkdir('/a/b', { recursive: true });
    await fs.syncDirectory('/a');
    fs.crash();
    expect(await fs.readdir('/')).toEqual([]);
    await fs.mkdir('/a/b', { recursive: true });
    await fs.syncDirectory('/');
    fs.crash();
    // /a survives, its entry b does not: /a itself was never fsynced after b was made.
    expect(await fs.readdir('/a')).toEqual([]);
  });

  it('makes handles opened before a crash unusable', async () => {
    const fs = new ForgetfulFileSystem();
    await durableDir(fs, '/d');
    const h = await fs.open('/d/f', 'create');
    fs.crash();
    const e = await h.write(text('x'), 0).then(() => null, (err: unknown) => err);
    expect(e).toBeInstanceOf(FileSystemError);
    expect((e as FileSystemError).reason).toBe('EBADF');
    expect((e as FileSystemError).message).toContain('/d/f');
  });

  it('crashAfter lets n operations run, then every operation fails until restart', async () => {
    const fs = new ForgetfulFileSystem();
    await durableDir(fs, '/d');
    await writeFile(fs, '/d/f', 'one', true);
    await fs.syncDirectory('/d');
    const h = await fs.open('/d/f', 'write');
    fs.crashAfter(2);
    await h.write(text('two'), 0); // 1
    await h.sync(); // 2: durable
    await expect(h.write(text('three'), 0)).rejects.toBeInstanceOf(SimulatedCrash);
    expect(fs.crashed).toBe(true);
    await expect(fs.readFile('/d/f')).rejects.toBeInstanceOf(SimulatedCrash);
    fs.restart();
    expect(await read(fs, '/d/f')).toBe('two');
  });

  it('a crash while an fsync is still in flight means the fsync never happened', async () => {
    let release: () => void = () => undefined;
    const fs = new ForgetfulFileSystem({ syncDelay: () => new Promise<void>((r) => (release = r)) });
    await fs.mkdir('/d');
    const h = await fs.open('/d/f', 'create');
    await h.write(text('abc'), 0);
    const syncing = h.sync();
    fs.crash();
    release();
    await expect(syncing).rejects.toBeInstanceOf(FileSystemError);
    expect(fs.stats.fileSyncs).toBe(0);
  });

  it('a torn crash keeps a random part of unsynced writes, each whole, absent or cut short', async () => {
    for (let seed = 1; seed <= 200; seed++) {
      const fs = new ForgetfulFileSystem();
      await durableDir(fs, '/d');
      await writeFile(fs, '/d/f', '', true);
      await fs.syncDirectory('/d');
      const h = await fs.open('/d/f', 'write');
      await h.write(text('aaaa'), 0);
      await h.write(text('bbbb'), 4);
      fs.crash({ random: seeded(seed) });
      const after = await read(fs, '/d/f');
      // Each write survived whole, not at all, or as a prefix; a missing earlier write reads as
      // zeros when a later one survived.
      expect(after).toMatch(/^(a{0,4}|aaaa(b{0,4})|[a\0]{4}b{0,4})$/);
    }
  });

  it('a torn crash keeps a prefix of unsynced directory changes', async () => {
    const seen = new Set<string>();
    for (let seed = 1; seed <= 100; seed++) {
      const fs = new ForgetfulFileSystem();
      await durableDir(fs, '/d');
      for (const name of ['a', 'b', 'c']) await writeFile(fs, `/d/${name}`, name, true);
      fs.crash({ random: seeded(seed) });
      const names = (await fs.readdir('/d')).join('');
      expect(['', 'a', 'ab', 'abc']).toContain(names);
      seen.add(names);
    }
    expect(seen.size).toBe(4);
  });

  it('counts fsyncs and raises injected errors naming the file', async () => {
    const fs = new ForgetfulFileSystem();
    await durableDir(fs, '/d');
    const h = await fs.open('/d/f', 'create');
    await h.sync();
    await h.sync();
    expect(fs.stats.fileSyncs).toBe(2);
    expect(fs.stats.directorySyncs).toBe(2);
    fs.injectError('sync', 'EIO');
    const e = await h.sync().then(() => null, (err: unknown) => err as FileSystemError);
    expect(e?.reason).toBe('EIO');
    expect(e?.message).toContain('/d/f');
    await h.sync();
    expect(fs.stats.fileSyncs).toBe(3);
  });
});
