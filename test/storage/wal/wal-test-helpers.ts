// Shared by the write-ahead log tests: payloads that say which record they are (and prove their
// bytes intact), a forgetful file system with a durable database directory, and replay into a
// list of record ids.

import { ForgetfulFileSystem, type ForgetfulOptions } from '../../../storage/fs/forgetful-file-system.js';
import type { FileSystem } from '../../../storage/fs/file-system.js';
import { type WalOpenOptions, type WalOpenResult, WriteAheadLog } from '../../../storage/wal/write-ahead-log.js';

export { seeded } from '../fs/seeded-random.js';

export const WAL_DIR = '/db/wal';

/** A payload of `size` bytes (at least 4) carrying `id`, the rest a pattern derived from it. */
export function payload(id: number, size = 16): Uint8Array {
  const bytes = new Uint8Array(Math.max(4, size));
  new DataView(bytes.buffer).setUint32(0, id, true);
  for (let i = 4; i < bytes.length; i++) bytes[i] = (id * 31 + i) & 0xff;
  return bytes;
}

/** The id a payload carries; throws if its pattern is damaged. */
export function payloadId(bytes: Uint8Array): number {
  const id = new DataView(bytes.buffer, bytes.byteOffset, bytes.length).getUint32(0, true);
  for (let i = 4; i < bytes.length; i++) {
    if (bytes[i] !== ((id * 31 + i) & 0xff)) throw new Error(`payload of record ${id} is damaged at byte ${i}`);
  }
  return id;
}

/** A forgetful file system holding a durable, empty /db. */
export async function databaseFs(options: ForgetfulOptions = {}): Promise<ForgetfulFileSystem> {
  const fs = new ForgetfulFileSystem(options);
  await fs.mkdir('/db');
  await fs.syncDirectory('/');
  await fs.syncDirectory('/db');
  return fs;
}

/** Opens the log, collecting the ids of the records replayed. */
export async function openLog(fs: FileSystem, options: Omit<WalOpenOptions, 'onRecord'> = {}, dir = WAL_DIR): Promise<WalOpenResult & { ids: number[] }> {
  const ids: number[] = [];
  const result = await WriteAheadLog.open(fs, dir, { ...options, onRecord: (p) => ids.push(payloadId(p)) });
  return { ...result, ids };
}

/** Resolves after pending I/O callbacks ran: a slow fsync for the forgetful file system. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
