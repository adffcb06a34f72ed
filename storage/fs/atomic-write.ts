// Atomic file replacement, the way every manifest version is committed (DESIGN.md, storage/):
// write a temporary file in the same directory, fsync it, rename it over the target, fsync the
// directory. After a crash at any point the target holds either its old or its new contents,
// never a mix; the rename is the commit point and the directory fsync makes it durable.
//
// A crash before the rename leaves the temporary file behind; `removeAtomicWriteLeftovers`
// deletes such files when a writer opens the directory (only the lock holder may call it: a
// temporary file may belong to a live writer's commit in progress).

import { posix } from 'node:path';
import type { FileSystem } from './file-system.js';

/** Temporary files of atomic writes end with this; no other storage file may. */
export const ATOMIC_TEMP_SUFFIX = '.tmp';

let sequence = 0;

/** Replaces the file at `path` by `data` atomically and durably (see the module comment).
 *  When it returns, the new contents survive any crash. */
export async function writeFileAtomic(fs: FileSystem, path: string, data: Uint8Array): Promise<void> {
  const dir = posix.dirname(path);
  // Unique per process and call, so two commits in flight never share a temporary file.
  const temp = `${path}.${process.pid}.${++sequence}${ATOMIC_TEMP_SUFFIX}`;
  const handle = await fs.open(temp, 'replace');
  try {
    try {
      await handle.write(data, 0);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, path);
  } catch (e) {
    // Best effort: the leftover is removed at the next open anyway, and the first error is the
    // one worth reporting.
    await fs.unlink(temp).catch(() => undefined);
    throw e;
  }
  await fs.syncDirectory(dir);
}

/** True for the name of an atomic write's temporary file. */
export function isAtomicWriteTemp(name: string): boolean {
  return name.endsWith(ATOMIC_TEMP_SUFFIX);
}

/** Deletes the temporary files interrupted atomic writes left in `dir`; returns their names. */
export async function removeAtomicWriteLeftovers(fs: FileSystem, dir: string): Promise<string[]> {
  const leftovers = (await fs.readdir(dir)).filter(isAtomicWriteTemp);
  for (const name of leftovers) await fs.unlink(posix.join(dir, name));
  if (leftovers.length > 0) await fs.syncDirectory(dir);
  return leftovers;
}
