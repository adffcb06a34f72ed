// Reading a consistent state while a writer commits (storage/disk/committed-state.ts): a load
// during which the manifest stayed the same is kept, its failure is real and reported; a load
// during which the writer committed is done again from the newer manifest, a bounded number of
// times.

import { describe, expect, it } from 'vitest';
import { T } from '../../../common/types.js';
import { QuiverError } from '../../../common/errors.js';
import { readCommittedState } from '../../../storage/disk/committed-state.js';
import { ForgetfulFileSystem } from '../../../storage/fs/forgetful-file-system.js';
import { createTable, emptyManifest, type Manifest, setFirstWalSegment } from '../../../storage/manifest/manifest.js';
import { commitManifest } from '../../../storage/manifest/manifest-store.js';

const schema = { name: 't', columns: [{ name: 'a', type: T.INTEGER, notNull: false }], sortKey: [], primaryKey: [] };

async function database(): Promise<{ fs: ForgetfulFileSystem; m: Manifest }> {
  const fs = new ForgetfulFileSystem();
  await fs.mkdir('/db');
  const m = createTable(emptyManifest(), schema);
  await commitManifest(fs, '/db', m);
  return { fs, m };
}

describe('readCommittedState', () => {
  it('keeps a load during which the manifest stayed the same', async () => {
    const { fs, m } = await database();
    const seen: number[] = [];
    const got = await readCommittedState(fs, '/db', (manifest) => {
      seen.push(manifest.version);
      return Promise.resolve('state');
    });
    expect(got).toEqual({ manifest: m, state: 'state' });
    expect(seen).toEqual([m.version]);
  });

  it('loads again from the newer manifest when the writer committed meanwhile, failure or not', async () => {
    const { fs, m } = await database();
    let current = m;
    const seen: number[] = [];
    const got = await readCommittedState(fs, '/db', async (manifest) => {
      seen.push(manifest.version);
      if (seen.length <= 2) {
        current = setFirstWalSegment(current, current.firstWalSegment + 1);
        await commitManifest(fs, '/db', current);
        // A checkpoint deleted the segment the replay wanted: a failure, then a retry.
        if (seen.length === 2) throw new QuiverError('IO_ERROR', 'segment gone');
      }
      return manifest.firstWalSegment;
    });
    expect(seen).toEqual([m.version, m.version + 1, m.version + 2]);
    expect(got.manifest.version).toBe(m.version + 2);
    expect(got.state).toBe(3);
  });

  it('reports a failure while the manifest stayed the same: that is damage', async () => {
    const { fs } = await database();
    let calls = 0;
    await expect(
      readCommittedState(fs, '/db', () => {
        calls++;
        return Promise.reject(new QuiverError('IO_ERROR', 'write-ahead log segment is corrupt'));
      }),
    ).rejects.toThrow('write-ahead log segment is corrupt');
    expect(calls).toBe(1);
  });

  it('gives up with a clear error when the writer commits during every attempt', async () => {
    const { fs, m } = await database();
    let current = m;
    let calls = 0;
    const read = readCommittedState(
      fs,
      '/db',
      async () => {
        calls++;
        current = setFirstWalSegment(current, current.firstWalSegment);
        await commitManifest(fs, '/db', current);
      },
      3,
    );
    await expect(read).rejects.toThrow('cannot read a consistent state of database /db: its writer committed a new version during each of 3 attempts');
    expect(calls).toBe(3);
  });

  it('a missing MANIFEST is named', async () => {
    const fs = new ForgetfulFileSystem();
    await fs.mkdir('/db');
    await expect(readCommittedState(fs, '/db', () => Promise.resolve(1))).rejects.toThrow('cannot read database /db: it has no MANIFEST');
  });
});
