// The manifest on disk (DESIGN.md, storage/): `dir/MANIFEST` holds the committed version and is
// replaced atomically at every commit (storage/fs/atomic-write.ts), so after a crash at any
// moment loading gives exactly the old or the new version. Loading also finds what interrupted
// work left behind (leftovers.ts) so a writer can remove it.
//
// A new database: a directory without MANIFEST that holds nothing but the lock and temporary
// files of an interrupted first commit loads as the empty manifest, version 0. The engine MUST
// commit a first version before it creates `parts/` or `wal/`: a directory that holds those but
// no MANIFEST is then known to be damaged (or not Quiver's), and is refused instead of being
// taken for empty, which would drop its data as leftovers.

import { isAtomicWriteTemp, writeFileAtomic } from '../fs/atomic-write.js';
import { type FileSystem, isNotFound } from '../fs/file-system.js';
import { QuiverError } from '../../common/errors.js';
import { LOCK_FILE_NAME } from '../lock.js';
import { manifestPath } from './database-layout.js';
import { type Leftovers, findLeftovers } from './leftovers.js';
import { type Manifest, emptyManifest } from './manifest.js';
import { decodeManifest, encodeManifest } from './manifest-codec.js';

export interface LoadedManifest {
  manifest: Manifest;
  /** True when the directory held no MANIFEST: a new database, never committed. */
  isNew: boolean;
  /** What interrupted work left behind; only the writer may remove it (leftovers.ts). */
  leftovers: Leftovers;
}

/** Writes `manifest` as the committed version of database `dir`; durable when it returns.
 *  The caller MUST hold the writer lock and commit versions in increasing order. */
export async function commitManifest(fs: FileSystem, dir: string, manifest: Manifest): Promise<void> {
  await writeFileAtomic(fs, manifestPath(dir), encodeManifest(manifest));
}

/** Reads the committed manifest of database `dir`, or null when it has none (or `dir` does
 *  not exist); lists no leftovers. What a read-only process reads. */
export async function readManifest(fs: FileSystem, dir: string): Promise<Manifest | null> {
  const path = manifestPath(dir);
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(path);
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
  return decodeManifest(bytes, path);
}

/** Reads the committed manifest of database `dir` (which MUST exist) and lists its leftovers. */
export async function loadManifest(fs: FileSystem, dir: string): Promise<LoadedManifest> {
  const committed = await readManifest(fs, dir);
  if (committed !== null) return { manifest: committed, isNew: false, leftovers: await findLeftovers(fs, dir, committed) };
  const names = await fs.readdir(dir);
  const foreign = names.filter((n) => n !== LOCK_FILE_NAME && !isAtomicWriteTemp(n));
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 3).join(', ') + (foreign.length > 3 ? ', ...' : '');
    throw new QuiverError('IO_ERROR', `${dir} is not a Quiver database or is damaged: it has no MANIFEST but holds other files (${shown}); open an empty or new directory, or restore the MANIFEST`);
  }
  const manifest = emptyManifest();
  return { manifest, isNew: true, leftovers: await findLeftovers(fs, dir, manifest) };
}
