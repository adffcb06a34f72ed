// The MANIFEST on disk (storage/manifest/manifest-store.ts): commits replace it atomically, so a
// crash at every step of a commit (unsynced changes forgotten, or kept at random and torn) loads
// exactly the old or the new version, never an error or a mix; a damaged MANIFEST is refused by
// name; a directory without MANIFEST is a new database only when it holds nothing else.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { T, decimalType } from '../../../common/types.js';
import { type CrashOptions, ForgetfulFileSystem, SimulatedCrash } from '../../../storage/fs/forgetful-file-system.js';
import { nodeFileSystem } from '../../../storage/fs/node-file-system.js';
import { partDirectoryName } from '../../../storage/manifest/database-layout.js';
import { type Manifest, addParts, createTable, emptyManifest, replaceParts, setFirstWalSegment } from '../../../storage/manifest/manifest.js';
import { commitManifest, loadManifest } from '../../../storage/manifest/manifest-store.js';
import { seeded } from '../fs/seeded-random.js';
import { writePart } from './database-fixtures.js';

const schema = { name: 't€', columns: [{ name: 'k', type: T.BIGINT, notNull: true }, { name: 'v', type: decimalType(18, 4), notNull: false }], sortKey: ['k'], primaryKey: ['k'] };
const OLD = addParts(createTable(emptyManifest(), schema), 't€', [{ id: 1, rowCount: 10 }, { id: 2, rowCount: 20 }]);
const NEW = setFirstWalSegment(replaceParts(OLD, 't€', [1, 2], [{ id: 3, rowCount: 30 }]), 4);
/** A new database's first commit: the engine makes it before it creates `parts/` or `wal/`. */
const FIRST = createTable(emptyManifest(), schema);

async function freshFs(old: Manifest | null): Promise<ForgetfulFileSystem> {
  const fs = new ForgetfulFileSystem();
  await fs.mkdir('/db');
  await fs.syncDirectory('/');
  if (old !== null) {
    await commitManifest(fs, '/db', emptyManifest());
    for (const id of [1, 2]) await writePart(fs, '/db', id);
    await commitManifest(fs, '/db', old);
    await writePart(fs, '/db', 3);
  }
  return fs;
}

/** Commits `next` with a crash at every step; returns the version loaded after each crash. */
async function crashAtEveryStep(old: Manifest | null, next: Manifest, options: () => CrashOptions): Promise<number[]> {
  const probe = await freshFs(old);
  const before = probe.operationCount;
  await commitManifest(probe, '/db', next);
  const steps = probe.operationCount - before;
  const loaded: number[] = [];
  for (let k = 0; k <= steps; k++) {
    const fs = await freshFs(old);
    fs.crashAfter(k, options());
    const outcome = await commitManifest(fs, '/db', next).then(() => 'done', (e: unknown) => e);
    if (k < steps) expect(outcome).toBeInstanceOf(SimulatedCrash);
    else {
      expect(outcome).toBe('done');
      fs.crash(options());
    }
    fs.restart();
    const { manifest } = await loadManifest(fs, '/db');
    expect([old ?? emptyManifest(), next]).toContainEqual(manifest);
    loaded.push(manifest.version);
  }
  return loaded;
}

const crashModes: [string, () => () => CrashOptions][] = [
  ['forgetting every unsynced change', () => () => ({})],
  ['keeping random parts of unsynced changes', () => {
    let seed = 100;
    return () => ({ random: seeded(++seed) });
  }],
];

describe('commitManifest and loadManifest', () => {
  it('commits and loads a manifest', async () => {
    const fs = await freshFs(OLD);
    await commitManifest(fs, '/db', NEW);
    fs.crash();
    const loaded = await loadManifest(fs, '/db');
    expect(loaded.manifest).toEqual(NEW);
    expect(loaded.isNew).toBe(false);
    expect(loaded.leftovers.partDirectories).toEqual([partDirectoryName(1), partDirectoryName(2)]);
  });

  describe.each(crashModes)('crashing at every step of a commit, %s', (_mode, makeOptions) => {
    it('loads exactly the old or the new version, and the new one once the commit returned', async () => {
      for (let round = 0; round < 10; round++) {
        const loaded = await crashAtEveryStep(OLD, NEW, makeOptions());
        expect(loaded[0]).toBe(OLD.version);
        expect(loaded[loaded.length - 1]).toBe(NEW.version);
      }
    });

    it('loads a new empty database or the first version when the first commit crashes', async () => {
      for (let round = 0; round < 10; round++) {
        const loaded = await crashAtEveryStep(null, FIRST, makeOptions());
        expect(loaded[0]).toBe(0);
        expect(loaded[loaded.length - 1]).toBe(FIRST.version);
      }
    });
  });

  it('an empty directory (or one with only the lock and temporary files) is a new database', async () => {
    const fs = new ForgetfulFileSystem();
    await fs.mkdir('/db');
    expect(await loadManifest(fs, '/db')).toEqual({ manifest: emptyManifest(), isNew: true, leftovers: { partDirectories: [], deletionFiles: [], tempFiles: [], walSegments: [] } });
    await (await fs.open('/db/LOCK', 'exclusive')).close();
    await (await fs.open('/db/MANIFEST.12.1.tmp', 'exclusive')).close();
    const loaded = await loadManifest(fs, '/db');
    expect(loaded.isNew).toBe(true);
    expect(loaded.leftovers.tempFiles).toEqual(['MANIFEST.12.1.tmp']);
  });

  it('a directory with data files but no MANIFEST is refused', async () => {
    const fs = await freshFs(OLD);
    await fs.unlink('/db/MANIFEST');
    await expect(loadManifest(fs, '/db')).rejects.toMatchObject({ code: 'IO_ERROR', message: expect.stringContaining('/db is not a Quiver database or is damaged: it has no MANIFEST but holds other files (parts)') });
  });

  it('a MANIFEST naming a missing part is reported as damage', async () => {
    const fs = await freshFs(OLD);
    await fs.unlink('/db/parts/p0000000002/column-0.bin');
    await fs.rmdir('/db/parts/p0000000002');
    await expect(loadManifest(fs, '/db')).rejects.toThrow(`database /db is damaged: the manifest (version ${OLD.version}) names part /db/parts/p0000000002, which does not exist`);
  });

  describe('on the real file system', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quiver-manifest-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('commits, reloads, and refuses a corrupted MANIFEST by name', async () => {
      await commitManifest(nodeFileSystem, dir, createTable(emptyManifest(), schema));
      const loaded = await loadManifest(nodeFileSystem, dir);
      expect(loaded.manifest.tables.get('t€')!.schema).toEqual(schema);
      writeFileSync(join(dir, 'MANIFEST'), 'QVMF garbage');
      await expect(loadManifest(nodeFileSystem, dir)).rejects.toMatchObject({ code: 'IO_ERROR', message: expect.stringContaining(join(dir, 'MANIFEST')) });
    });
  });
});
