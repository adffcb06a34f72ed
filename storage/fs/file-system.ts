// The file-system interface the storage engine writes through (DESIGN.md, storage/: manifest,
// write path, recovery). Everything durable goes through it, so the same engine code runs over
// the real disk (node-file-system.ts) and over the forgetful test file system
// (forgetful-file-system.ts), which forgets at a simulated crash whatever was not fsynced and so
// checks the fsync discipline itself.
//
// Durability rules the engine MUST follow (POSIX gives no more than this):
// - File contents are durable only after `FileHandle.sync()` returns.
// - A directory entry (a file created, renamed into place, unlinked; a directory made) is durable
//   only after `FileSystem.syncDirectory(parent)` returns.
// - A file MUST have at most one handle writing it at a time: `append` writes at the end of the
//   file as this handle knows it.

import { QuiverError } from '../../common/errors.js';

/** How `FileSystem.open` treats an existing or missing file.
 *  - `read`: read only; the file MUST exist.
 *  - `write`: read and write; the file MUST exist.
 *  - `create`: read and write; created empty when missing, kept as it is otherwise.
 *  - `replace`: read and write; created when missing, truncated to zero bytes otherwise.
 *  - `exclusive`: read and write; created, and fails with EEXIST when the name exists. */
export type OpenMode = 'read' | 'write' | 'create' | 'replace' | 'exclusive';

export interface FileStat {
  kind: 'file' | 'directory';
  /** Bytes in a file; 0 for a directory. */
  size: number;
}

export interface FileHandle {
  readonly path: string;
  /** Reads into `buffer` from byte `position` of the file until the buffer is full or the file
   *  ends; returns the number of bytes read (less than the buffer's length only at the end). */
  read(buffer: Uint8Array, position: number): Promise<number>;
  /** Writes all of `data` at byte `position`; a position past the end leaves a zero-filled gap. */
  write(data: Uint8Array, position: number): Promise<void>;
  /** Writes all of `data` at the end of the file; returns the position it was written at. */
  append(data: Uint8Array): Promise<number>;
  /** The file's current size in bytes (what has been written, synced or not). */
  size(): Promise<number>;
  truncate(length: number): Promise<void>;
  /** Makes the file's contents and size durable (fsync). */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface FileSystem {
  open(path: string, mode: OpenMode): Promise<FileHandle>;
  /** The whole contents of a file. */
  readFile(path: string): Promise<Uint8Array>;
  /** Makes the entries of a directory durable: files created, renamed or unlinked in it. */
  syncDirectory(path: string): Promise<void>;
  /** Atomically replaces `to` (if it exists) by `from`. Durable after both parents are synced. */
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Makes a directory; with `recursive`, also its missing parents, and no error if it exists. */
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void>;
  /** Removes an empty directory. */
  rmdir(path: string): Promise<void>;
  /** Names in a directory, sorted. */
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<FileStat>;
  truncate(path: string, length: number): Promise<void>;
}

/** An I/O failure. `reason` is the POSIX error name (ENOENT, EEXIST, ENOSPC, EIO...) so callers
 *  can tell "missing" from "broken"; the message names the operation and the file. */
export class FileSystemError extends QuiverError {
  readonly reason: string;

  constructor(reason: string, operation: string, path: string, detail?: string) {
    super('IO_ERROR', `cannot ${operation} ${path}: ${detail ?? describeReason(reason)} (${reason})`);
    this.name = 'FileSystemError';
    this.reason = reason;
  }
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EEXIST: 'it already exists',
  ENOTDIR: 'a path component is not a directory',
  EISDIR: 'it is a directory',
  ENOTEMPTY: 'the directory is not empty',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
  EBADF: 'the file is not open for this',
  EMFILE: 'too many open files',
};

function describeReason(reason: string): string {
  return REASONS[reason] ?? 'the operating system refused';
}

export function isNotFound(e: unknown): boolean {
  return e instanceof FileSystemError && e.reason === 'ENOENT';
}

export function isAlreadyExists(e: unknown): boolean {
  return e instanceof FileSystemError && e.reason === 'EEXIST';
}

/** True when `path` names a file or directory. */
export async function pathExists(fs: FileSystem, path: string): Promise<boolean> {
  try {
    await fs.stat(path);
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}
