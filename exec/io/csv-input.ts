// The byte input of the delimited-text reader: a file read in large chunks into one reusable
// Buffer, which the tokenizer (csv-tokenizer.ts) parses in place. Before each read the unparsed
// tail moves to the front; a record larger than the buffer makes it grow.

import type { FileHandle } from 'node:fs/promises';
import { QuiverError } from '../../common/errors.js';

// Node's Buffer has these undocumented fast paths under toString(); they skip its argument
// normalization, which matters at one call per VARCHAR field.
export interface FastBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

/** The bytes of one file read so far. Invariant: buf[pos, len) is what is not parsed yet. */
export abstract class ChunkedInput {
  // Input bytes: buf[pos, len) is unparsed; `eof` once the file has no more.
  protected buf: FastBuffer;
  protected pos = 0;
  protected len = 0;
  protected eof = false;
  // The file offset of buf[len].
  private filePos: number;

  constructor(
    protected readonly path: string,
    private readonly chunkSize: number,
    startOffset = 0,
  ) {
    this.buf = Buffer.allocUnsafe(chunkSize) as FastBuffer;
    this.filePos = startOffset;
  }

  /** The file offset of buf[p]. */
  protected offsetOf(p: number): number {
    return this.filePos - this.len + p;
  }

  /** Reads the next chunk after moving the unparsed tail to the front (growing the buffer if full). */
  async fill(fh: FileHandle): Promise<void> {
    if (this.pos > 0) {
      this.buf.copyWithin(0, this.pos, this.len);
      this.len -= this.pos;
      this.pos = 0;
    }
    if (this.len === this.buf.length) {
      // One record is larger than the buffer: double it.
      const bigger = Buffer.allocUnsafe(this.buf.length * 2) as FastBuffer;
      this.buf.copy(bigger, 0, 0, this.len);
      this.buf = bigger;
    }
    const want = Math.min(this.chunkSize, this.buf.length - this.len);
    let bytesRead: number;
    try {
      ({ bytesRead } = await fh.read(this.buf, this.len, want, this.filePos));
    } catch (e) {
      throw new QuiverError('IO_ERROR', `cannot read ${this.path}: ${(e as Error).message}`);
    }
    if (bytesRead === 0) this.eof = true;
    this.len += bytesRead;
    this.filePos += bytesRead;
  }
}
