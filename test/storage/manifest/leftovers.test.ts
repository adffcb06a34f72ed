// Leftovers of interrupted work (storage/manifest/leftovers.ts): part directories, superseded
// deletion bitmaps, temporary files and flushed log segments the committed manifest does not
// reference are found, and removed durably (all but the log segments, which the log removes),
// while everything the manifest references stays. With a reader lease older than the manifest,
// the files an older version may have named stay.

import { describe, expect, it } from 'vitest';
import { T } from '../../../common/types.js';
import { ForgetfulFileSystem } from '../../../storage/fs/forgetful-file-system.js';
import { deletionFileName, partDirectoryName } from '../../../storage/manifest/database-layout.js';
import { findLeftovers, removeLeftovers, removeUnreferencedFiles } from '../../../storage/manifest/leftovers.js';
import { addParts, createTable, emptyManifest, replaceParts, setDeletionFile, setFirstWalSegment } from '../../../storage/manifest/manifest.js';
import { commitManifest, loadManifest } from '../../../storage/manifest/manifest-store.js';
import { segmentFileName } from '../../../storage/wal/wal-segments.js';
import { writeFile, writePart } from './database-fixtures.js';

const p = partDirectoryName;
const schema = { name: 't', columns: [{ name: 'a', type: T.INTEGER, notNull: false }], sortKey: [], primaryKey: [] };
let manifest = addParts(createTable(emptyManifest(), schema), 't', [{ id: 1, rowCount: 5 }, { id: 2, rowCount: 5 }]);
manifest = setFirstWalSegment(setDeletionFile(manifest, 't', 2, deletionFileName(2)), 3);

/** A database directory after a crash: the committed manifest plus one leftover of each kind. */
async function crashedDatabase(): Promise<ForgetfulFileSystem> {
  const fs = new ForgetfulFileSystem();
  await fs.mkdir('/db');
  await fs.syncDirectory('/');
  await commitManifest(fs, '/db', emptyManifest());
  for (const id of [1, 2, 3, 4]) await writePart(fs, '/db', id);
  await fs.mkdir(`/db/parts/${p(4)}/nested`);
  await writeFile(fs, `/db/parts/${p(4)}/nested/x.bin`);
  await writeFile(fs, `/db/parts/${p(2)}/${deletionFileName(1)}`);
  await writeFile(fs, `/db/parts/${p(2)}/${deletionFileName(2)}`);
  await writeFile(fs, `/db/parts/${p(2)}/${deletionFileName(3)}.9.1.tmp`);
  await writeFile(fs, '/db/MANIFEST.9.2.tmp');
  await writeFile(fs, '/db/parts/stray.9.3.tmp');
  await fs.mkdir('/db/wal');
  for (const s of [1, 2, 3]) await writeFile(fs, `/db/wal/${segmentFileName(s)}`);
  await commitManifest(fs, '/db', manifest);
  return fs;
}

describe('leftovers', () => {
  it('finds unreferenced parts, deletion files, temporary files and flushed log segments', async () => {
    const fs = await crashedDatabase();
    const { leftovers } = await loadManifest(fs, '/db');
    expect(leftovers).toEqual({
      partDirectories: [p(3), p(4)],
      deletionFiles: [{ directory: p(2), file: deletionFileName(1) }],
      tempFiles: ['MANIFEST.9.2.tmp', 'parts/stray.9.3.tmp', `parts/${p(2)}/${deletionFileName(3)}.9.1.tmp`],
      walSegments: [1, 2],
    });
  });

  it('removes them durably and keeps every referenced file', async () => {
    const fs = await crashedDatabase();
    await removeLeftovers(fs, '/db', manifest);
    fs.crash();
    expect(await fs.readdir('/db')).toEqual(['MANIFEST', 'parts', 'wal']);
    expect(await fs.readdir('/db/parts')).toEqual([p(1), p(2)]);
    expect(await fs.readdir(`/db/parts/${p(2)}`)).toEqual(['column-0.bin', deletionFileName(2)]);
    expect(await fs.readdir(`/db/parts/${p(1)}`)).toEqual(['column-0.bin']);
    expect(await findLeftovers(fs, '/db', manifest)).toEqual({ partDirectories: [], deletionFiles: [], tempFiles: [], walSegments: [1, 2] });
  });

  it('a missing deletion file the manifest names is damage', async () => {
    const fs = await crashedDatabase();
    await fs.unlink(`/db/parts/${p(2)}/${deletionFileName(2)}`);
    await expect(findLeftovers(fs, '/db', manifest)).rejects.toThrow(`names deletion file /db/parts/${p(2)}/${deletionFileName(2)}, which does not exist`);
  });

  it('removeUnreferencedFiles deletes exactly what it is given, durably', async () => {
    const fs = await crashedDatabase();
    await removeUnreferencedFiles(fs, '/db', { partDirectories: [p(3)], deletionFiles: [{ directory: p(2), file: deletionFileName(1) }] });
    fs.crash();
    expect(await fs.readdir('/db/parts')).toEqual([p(1), p(2), p(4), 'stray.9.3.tmp']);
    expect(await fs.readdir(`/db/parts/${p(2)}`)).toEqual(['column-0.bin', deletionFileName(2), `${deletionFileName(3)}.9.1.tmp`]);
  });

  it('keeps what an older version may have named while a reader lease is older than the manifest', async () => {
    const fs = await crashedDatabase();
    // Part 3 committed and then removed (ids below nextPartId 4); part 4 never committed.
    const retiring = replaceParts(addParts(manifest, 't', [{ id: 3, rowCount: 1 }]), 't', [3], []);
    await commitManifest(fs, '/db', retiring);
    const removal = await removeLeftovers(fs, '/db', retiring, { readersFrom: retiring.version - 1 });
    expect(removal.kept).toEqual({ partDirectories: [p(3)], deletionFiles: [{ directory: p(2), file: deletionFileName(1) }] });
    expect(removal.partDirectories).toEqual([p(4)]);
    expect(removal.tempFiles).toHaveLength(3);
    fs.crash();
    expect(await fs.readdir('/db/parts')).toEqual([p(1), p(2), p(3)]);
    expect(await fs.readdir(`/db/parts/${p(2)}`)).toEqual(['column-0.bin', deletionFileName(1), deletionFileName(2)]);
  });

  it('keeps nothing once every lease is at the manifest version, or without leases', async () => {
    for (const readersFrom of [null, 'current'] as const) {
      const fs = await crashedDatabase();
      const retiring = replaceParts(addParts(manifest, 't', [{ id: 3, rowCount: 1 }]), 't', [3], []);
      await commitManifest(fs, '/db', retiring);
      const removal = await removeLeftovers(fs, '/db', retiring, { readersFrom: readersFrom === null ? null : retiring.version });
      expect(removal.kept).toEqual({ partDirectories: [], deletionFiles: [] });
      expect(await fs.readdir('/db/parts')).toEqual([p(1), p(2)]);
    }
  });
});
