// The real file system (file-system.ts) over node:fs/promises. Every Node error becomes a
// FileSystemError naming the operation and the file. A directory is fsynced by opening it
// read-only and calling fsync on that descriptor, which Linux supports.

import { constants } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { type FileHandle, type FileStat, type FileSystem, FileSystemError, type OpenMode } from './file-system.js';

const { O_RDONLY, O_RDWR, O_CREAT, O_TRUNC, O_EXCL } = constants;

const OPEN_FLAGS: Record<OpenMode, number> = {
  read: O_RDONLY,
  write: O_RDWR,
  create: O_RDWR | O_CREAT,
  replace: O_RDWR | O_CREAT | O_TRUNC,
  exclusive: O_RDWR | O_CREAT | O_EXCL,
};

function fail(e: unknown, operation: string, path: string): FileSystemError {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string') return new FileSystemError(code, operation, path);
  return new FileSystemError('EIO', operation, path, e instanceof Error ? e.message : String(e));
}

class NodeFileHandle implements FileHandle {
  readonly path: string;
  private readonly fh: fsp.FileHandle;
  /** The end of the file as this handle wrote it (one writer per file, file-system.ts). */
  private end: number;

  constructor(fh: fsp.FileHandle, path: string, end: number) {
    this.fh = fh;
    this.path = path;
    this.end = end;
  }

  async read(buffer: Uint8Array, position: number): Promise<number> {
    let done = 0;
    try {
      while (done < buffer.length) {
        const { bytesRead } = await this.fh.read(buffer, done, buffer.length - done, position + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
    } catch (e) {
      throw fail(e, 'read', this.path);
    }
    return done;
  }

  async write(data: Uint8Array, position: number): Promise<void> {
    let done = 0;
    try {
      // A write may be short (a full disk reports ENOSPC only on the next call): loop until all
      // bytes are written or the system reports why it cannot.
      while (done < data.length) {
        const { bytesWritten } = await this.fh.write(data, done, data.length - done, position + done);
        done += bytesWritten;
      }
    } catch (e) {
      throw fail(e, 'write', this.path);
    }
    if (position + data.length > this.end) this.end = position + data.length;
  }

  async append(data: Uint8Array): Promise<number> {
    const at = this.end;
    await this.write(data, at);
    return at;
  }

  async size(): Promise<number> {
    try {
      return (await this.fh.stat()).size;
    } catch (e) {
      throw fail(e, 'stat', this.path);
    }
  }

  async truncate(length: number): Promise<void> {
    try {
      await this.fh.truncate(length);
    } catch (e) {
      throw fail(e, 'truncate', this.path);
    }
    this.end = length;
  }

  async sync(): Promise<void> {
    try {
      await this.fh.sync();
    } catch (e) {
      throw fail(e, 'fsync', this.path);
    }
  }

  async close(): Promise<void> {
    try {
      await this.fh.close();
    } catch (e) {
      throw fail(e, 'close', this.path);
    }
  }
}

export class NodeFileSystem implements FileSystem {
  async open(path: string, mode: OpenMode): Promise<FileHandle> {
    let fh: fsp.FileHandle;
    try {
      fh = await fsp.open(path, OPEN_FLAGS[mode], 0o644);
    } catch (e) {
      throw fail(e, 'open', path);
    }
    if (mode === 'read' || mode === 'replace' || mode === 'exclusive') return new NodeFileHandle(fh, path, 0);
    try {
      return new NodeFileHandle(fh, path, (await fh.stat()).size);
    } catch (e) {
      await fh.close().catch(() => undefined);
      throw fail(e, 'stat', path);
    }
  }

  async readFile(path: string): Promise<Uint8Array> {
    try {
      return await fsp.readFile(path);
    } catch (e) {
      throw fail(e, 'read', path);
    }
  }

  async syncDirectory(path: string): Promise<void> {
    let fh: fsp.FileHandle;
    try {
      fh = await fsp.open(path, O_RDONLY);
    } catch (e) {
      throw fail(e, 'open directory', path);
    }
    try {
      await fh.sync();
    } catch (e) {
      throw fail(e, 'fsync directory', path);
    } finally {
      await fh.close().catch(() => undefined);
    }
  }

  async rename(from: string, to: string): Promise<void> {
    try {
      await fsp.rename(from, to);
    } catch (e) {
      throw fail(e, `rename ${from} to`, to);
    }
  }

  async unlink(path: string): Promise<void> {
    try {
      await fsp.unlink(path);
    } catch (e) {
      throw fail(e, 'unlink', path);
    }
  }

  async mkdir(path: string, options?: { recursive?: boolean }): Promise<void> {
    try {
      await fsp.mkdir(path, { recursive: options?.recursive === true });
    } catch (e) {
      throw fail(e, 'make directory', path);
    }
  }

  async rmdir(path: string): Promise<void> {
    try {
      await fsp.rmdir(path);
    } catch (e) {
      throw fail(e, 'remove directory', path);
    }
  }

  async readdir(path: string): Promise<string[]> {
    try {
      return (await fsp.readdir(path)).sort();
    } catch (e) {
      throw fail(e, 'list directory', path);
    }
  }

  async stat(path: string): Promise<FileStat> {
    try {
      const s = await fsp.stat(path);
      return s.isDirectory() ? { kind: 'directory', size: 0 } : { kind: 'file', size: s.size };
    } catch (e) {
      throw fail(e, 'stat', path);
    }
  }

  async truncate(path: string, length: number): Promise<void> {
    try {
      await fsp.truncate(path, length);
    } catch (e) {
      throw fail(e, 'truncate', path);
    }
  }
}

/** The one real file system; it holds no state. */
export const nodeFileSystem: FileSystem = new NodeFileSystem();
