// Shared by the manifest tests: writes the files a database directory holds (part directories,
// deletion bitmaps, log segments) durably, as the part writer and the log would before a commit.

import type { FileSystem } from '../../../storage/fs/file-system.js';
import { partDirectoryName } from '../../../storage/manifest/database-layout.js';

async function writeDurable(fs: FileSystem, path: string, bytes: Uint8Array): Promise<void> {
  const h = await fs.open(path, 'exclusive');
  await h.write(bytes, 0);
  await h.sync();
  await h.close();
}

/** Writes part directory `id` under `dir/parts` with one column file, durably. */
export async function writePart(fs: FileSystem, dir: string, id: number): Promise<void> {
  await fs.mkdir(`${dir}/parts`, { recursive: true });
  await fs.syncDirectory(dir);
  const partDir = `${dir}/parts/${partDirectoryName(id)}`;
  await fs.mkdir(partDir);
  await writeDurable(fs, `${partDir}/column-0.bin`, new Uint8Array([id]));
  await fs.syncDirectory(partDir);
  await fs.syncDirectory(`${dir}/parts`);
}

/** Writes a file (a deletion bitmap, a log segment, a temporary file) durably. */
export async function writeFile(fs: FileSystem, path: string): Promise<void> {
  await writeDurable(fs, path, new Uint8Array([1, 2, 3]));
  await fs.syncDirectory(path.slice(0, path.lastIndexOf('/')));
}
