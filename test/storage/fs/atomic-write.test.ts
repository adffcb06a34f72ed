// Atomic file replacement (storage/fs/atomic-write.ts): after a crash at any step of the write
// (each operation of the file system, with unsynced changes forgotten or torn at random), the
// target holds exactly its old or its new contents; once the call returned, the new ones. The
// same crash points catch a variant that skips an fsync, so the check has teeth.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeAtomicWriteLeftovers, writeFileAtomic } from '../../../storage/fs/atomic-write.js';
import { type FileSystem, pathExists } from '../../../storage/fs/file-system.js';
import { type CrashOptions, ForgetfulFileSystem, SimulatedCrash } from '../../../storage/fs/forgetful-file-system.js';
import { nodeFileSystem } from '../../../storage/fs/node-file-system.js';
import { seeded } from './seeded-random.js';

const OLD = new TextEncoder().encode('manifest version 1: parts a, b, c');
const NEW = new TextEncoder().encode('manifest version 2: parts a, b, c, d, e and a longer tail');
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

async function freshFs(withOld: boolean): Promise<ForgetfulFileSystem> {
  const fs = new ForgetfulFileSystem();
  await fs.mkdir('/db');
  await fs.syncDirectory('/');
  if (withOld) {
    const h = await fs.open('/db/MANIFEST', 'exclusive');
    await h.write(OLD, 0);
    await h.sync();
    await h.close();
  }
  await fs.syncDirectory('/db');
  return fs;
}

type Writer = (fs: FileSystem, path: string, data: Uint8Array) => Promise<void>;

/** Runs `write` with a crash at every operation; returns the contents found after each crash
 *  (null: no target), in order of the crash point. */
async function crashAtEveryStep(write: Writer, withOld: boolean, options: () => CrashOptions): Promise<(string | null)[]> {
  const probe = await freshFs(withOld);
  const before = probe.operationCount;
  await write(probe, '/db/MANIFEST', NEW);
  const steps = probe.operationCount - before;
  const found: (string | null)[] = [];
  for (let k = 0; k <= steps; k++) {
    const fs = await freshFs(withOld);
    fs.crashAfter(k, options());
    const outcome = await write(fs, '/db/MANIFEST', NEW).then(() => 'done', (e: unknown) => e);
    if (k < steps) expect(outcome).toBeInstanceOf(SimulatedCrash);
    else {
      expect(outcome).toBe('done');
      fs.crash(options());
    }
    fs.restart();
    found.push((await pathExists(fs, '/db/MANIFEST')) ? decode(await fs.readFile('/db/MANIFEST')) : null);
    await removeAtomicWriteLeftovers(fs, '/db');
    expect((await fs.readdir('/db')).filter((n) => n !== 'MANIFEST')).toEqual([]);
  }
  return found;
}

const crashModes: [string, () => () => CrashOptions][] = [
  ['forgetting every unsynced change', () => () => ({})],
  ['keeping random parts of unsynced changes', () => {
    let seed = 0;
    return () => ({ random: seeded(++seed) });
  }],
];

describe('writeFileAtomic', () => {
  describe.each(crashModes)('crashing at every step, %s', (_mode, makeOptions) => {
    it('leaves the old or the new contents, and the new once it returned', async () => {
      for (let round = 0; round < 20; round++) {
        const found = await crashAtEveryStep(writeFileAtomic, true, makeOptions());
        for (const f of found) expect([decode(OLD), decode(NEW)]).toContain(f);
        expect(found[found.length - 1]).toBe(decode(NEW));
      }
    });

    it('leaves no file or the new contents when there was none before', async () => {
      for (let round = 0; round < 20; round++) {
        const found = await crashAtEveryStep(writeFileAtomic, false, makeOptions());
        for (const f of found) expect([null, decode(NEW)]).toContain(f);
        expect(found[found.length - 1]).toBe(decode(NEW));
      }
    });
  });

  it('the same crashes catch a replacement that skips the fsync of the temporary file', async () => {
    const careless: Writer = async (fs, path, data) => {
      const h = await fs.open(`${path}.1.tmp`, 'replace');
      await h.write(data, 0);
      await h.close();
      await fs.rename(`${path}.1.tmp`, path);
      await fs.syncDirectory('/db');
    };
    const found = await crashAtEveryStep(careless, true, () => ({}));
    expect(found[found.length - 1]).toBe('');
  });

  it('the same crashes catch a replacement that skips the directory fsync', async () => {
    const careless: Writer = async (fs, path, data) => {
      const h = await fs.open(`${path}.1.tmp`, 'replace');
      await h.write(data, 0);
      await h.sync();
      await h.close();
      await fs.rename(`${path}.1.tmp`, path);
    };
    const found = await crashAtEveryStep(careless, true, () => ({}));
    expect(found[found.length - 1]).toBe(decode(OLD));
  });

  describe('on the real file system', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quiver-atomic-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('replaces the target and leaves no temporary file', async () => {
      const target = join(dir, 'MANIFEST');
      await writeFileAtomic(nodeFileSystem, target, OLD);
      await writeFileAtomic(nodeFileSystem, target, NEW);
      expect(readFileSync(target, 'utf8')).toBe(decode(NEW));
      expect(readdirSync(dir)).toEqual(['MANIFEST']);
    });

    it('removes leftovers of interrupted writes, and nothing else', async () => {
      writeFileSync(join(dir, 'MANIFEST.123.7.tmp'), 'half');
      writeFileSync(join(dir, 'keep.bin'), 'x');
      expect(await removeAtomicWriteLeftovers(nodeFileSystem, dir)).toEqual(['MANIFEST.123.7.tmp']);
      expect(readdirSync(dir).sort()).toEqual(['MANIFEST', 'keep.bin']);
    });

    it('fails with IO_ERROR naming the file when the directory is missing', async () => {
      const target = join(dir, 'missing', 'MANIFEST');
      await expect(writeFileAtomic(nodeFileSystem, target, NEW)).rejects.toMatchObject({ code: 'IO_ERROR', message: expect.stringContaining(join(dir, 'missing')) });
    });
  });
});
