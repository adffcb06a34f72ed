// Where things live in a database directory (DESIGN.md, storage/). One place for the names, so
// the manifest store, leftover removal and the engine agree on them:
//
//   dir/MANIFEST                      the committed manifest (manifest-codec.ts), replaced atomically
//   dir/LOCK                          the writer lock (storage/lock.ts)
//   dir/parts/<part directory>/       one immutable part per directory, named for its part id
//   dir/parts/<part>/<deletion file>  the part's deletion bitmap, a new file name per change
//   dir/wal/<segment>.wal             the write-ahead log (storage/wal/)
//   dir/readers/<pid>-<id>.lease      one lease per read-only open (reader-leases.ts)
//
// Part directories of all tables share `parts/`: a part id is unique in the database, so
// renaming a table moves no files.

import { posix } from 'node:path';

export const MANIFEST_FILE_NAME = 'MANIFEST';
export const PARTS_DIRECTORY_NAME = 'parts';
export const WAL_DIRECTORY_NAME = 'wal';
export const READERS_DIRECTORY_NAME = 'readers';

const PART_DIGITS = 10;
const PART_NAME = /^p(\d{10,})$/;
const DELETION_DIGITS = 10;
const DELETION_NAME = /^deleted-(\d{10,})\.bitmap$/;

export function manifestPath(dir: string): string {
  return posix.join(dir, MANIFEST_FILE_NAME);
}

export function partsPath(dir: string): string {
  return posix.join(dir, PARTS_DIRECTORY_NAME);
}

export function walPath(dir: string): string {
  return posix.join(dir, WAL_DIRECTORY_NAME);
}

export function readersPath(dir: string): string {
  return posix.join(dir, READERS_DIRECTORY_NAME);
}

/** The directory name of part `id`: `p0000000001`. Zero-padded so names sort by id. */
export function partDirectoryName(id: number): string {
  return 'p' + String(id).padStart(PART_DIGITS, '0');
}

/** The part id a directory name stands for, or null for any other name. */
export function parsePartDirectoryName(name: string): number | null {
  const m = PART_NAME.exec(name);
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

export function partPath(dir: string, partDirectory: string): string {
  return posix.join(dir, PARTS_DIRECTORY_NAME, partDirectory);
}

/** The name of a part's deletion bitmap file, `deleted-0000000003.bitmap`. Each change of a
 *  part's deletions writes a file with a new sequence number, so a reader pinned to an older
 *  manifest version keeps reading the file that version names. */
export function deletionFileName(sequence: number): string {
  return `deleted-${String(sequence).padStart(DELETION_DIGITS, '0')}.bitmap`;
}

/** True for a name `deletionFileName` produces. */
export function isDeletionFileName(name: string): boolean {
  return DELETION_NAME.test(name);
}
