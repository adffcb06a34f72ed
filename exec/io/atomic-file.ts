// A file written whole or not at all, for COPY TO: the bytes go to a temporary file next to the
// target (same directory, so the rename stays on one file system), which is flushed to disk and
// renamed over the target only when everything was written. On any error the temporary file is
// removed, so a failed COPY TO leaves no half-written file and any old file as it was.

import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { QuiverError } from '../../common/errors.js';

/** Bytes buffered before a write to the file. */
const FLUSH_BYTES = 1 << 20;

export class AtomicFile {
  private pending: string[] = [];
  private pendingBytes = 0;

  private constructor(
    readonly path: string,
    private readonly temp: string,
    private readonly fh: FileHandle,
  ) {}

  /** Starts writing `path`; an IO_ERROR names it if it is a directory or its directory is missing. */
  static async create(path: string): Promise<AtomicFile> {
    const full = resolve(path);
    let isDir = false;
    try {
      isDir = statSync(full).isDirectory();
    } catch {
      // The file does not exist yet: fine.
    }
    if (isDir) throw new QuiverError('IO_ERROR', `cannot write "${path}": it is a directory`);
    const temp = join(dirname(full), `.${basename(full)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      return new AtomicFile(full, temp, await open(temp, 'wx'));
    } catch (e) {
      throw new QuiverError('IO_ERROR', `cannot write "${path}": ${(e as Error).message}`);
    }
  }

  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.pendingBytes += text.length;
    if (this.pendingBytes >= FLUSH_BYTES) await this.flush();
  }

  async writeBytes(bytes: Uint8Array): Promise<void> {
    await this.flush();
    await this.guard(() => this.fh.write(bytes));
  }

  /** Makes the file visible at its path, complete. */
  async commit(): Promise<void> {
    await this.flush();
    await this.guard(async () => {
      await this.fh.sync();
      await this.fh.close();
      await rename(this.temp, this.path);
    });
  }

  /** Drops what was written (after an error); never throws. */
  async abort(): Promise<void> {
    await this.fh.close().catch(() => undefined);
    await unlink(this.temp).catch(() => undefined);
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.pendingBytes = 0;
    await this.guard(() => this.fh.write(text));
  }

  private async guard<R>(f: () => Promise<R>): Promise<R> {
    try {
      return await f();
    } catch (e) {
      throw new QuiverError('IO_ERROR', `cannot write "${this.path}": ${(e as Error).message}`);
    }
  }
}
