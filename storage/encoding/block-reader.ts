// Bounds-checked reading of one block's bytes. Every read past the end, or a length that does
// not add up, is a corrupt block (IO_ERROR), never a RangeError or garbage: the decoders check
// what they read, even though the checksum already vouched for the bytes, so a bug or a CRC
// collision still cannot turn into a wrong answer silently.

import { QuiverError } from '../../common/errors.js';

/** The error for a block whose bytes are damaged; the storage engine adds the file name. */
export function corruptBlock(detail: string): QuiverError {
  return new QuiverError('IO_ERROR', `corrupt block: ${detail}`);
}

export class BlockReader {
  private readonly view: DataView;

  /** `bytes` is the whole block; `pos` and `end` are offsets in it. */
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
    private readonly end: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(n: number, what: string): number {
    const at = this.pos;
    if (n < 0 || at + n > this.end) {
      throw corruptBlock(`${what} needs ${n} bytes at offset ${at} but the section ends at ${this.end}`);
    }
    this.pos = at + n;
    return at;
  }

  /** Skips padding up to a multiple of `k` from the block start (as ByteWriter.align). */
  align(k: number): void {
    const pad = (k - (this.pos & (k - 1))) & (k - 1);
    this.need(pad, 'padding');
  }

  u8(what: string): number {
    return this.view.getUint8(this.need(1, what));
  }

  u32(what: string): number {
    return this.view.getUint32(this.need(4, what), true);
  }

  i32(what: string): number {
    return this.view.getInt32(this.need(4, what), true);
  }

  /** `n` bytes as a view into the block (not copied). */
  take(n: number, what: string): Uint8Array {
    const at = this.need(n, what);
    return this.bytes.subarray(at, at + n);
  }

  /**
   * `n` 32-bit words, 4-aligned. A view into the block when its address is aligned (the usual
   * case), a copy otherwise; callers only read it.
   */
  words(n: number, what: string): Uint32Array {
    this.align(4);
    const at = this.need(n * 4, what);
    const address = this.bytes.byteOffset + at;
    if ((address & 3) === 0) return new Uint32Array(this.bytes.buffer, address, n);
    const copy = new Uint32Array(n);
    new Uint8Array(copy.buffer).set(this.bytes.subarray(at, at + n * 4));
    return copy;
  }

  /** Copies the next `target.byteLength` bytes into a fresh typed array, aligned to `align`. */
  copyInto(target: Int32Array | Float64Array | BigInt64Array, align: number, what: string): void {
    this.align(align);
    const at = this.need(target.byteLength, what);
    new Uint8Array(target.buffer, target.byteOffset, target.byteLength).set(this.bytes.subarray(at, at + target.byteLength));
  }

  /** Fails unless exactly everything up to `end` was read. */
  expectEnd(what: string): void {
    if (this.pos !== this.end) {
      throw corruptBlock(`${what} ends at offset ${this.pos}, but the block says it ends at ${this.end}`);
    }
  }
}
