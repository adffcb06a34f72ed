// A growable little-endian byte buffer that one block is written into. Offsets are relative to
// the block's first byte, so a section aligned here (for typed-array views) is aligned in every
// decoder that reads the block from an aligned buffer.
//
// The typed views it hands out (int32View, ...) alias the current buffer: a caller MUST fill a
// view before the next call that can grow the buffer (any other write), or its bytes are lost.

export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  /** Bytes written so far. */
  length = 0;

  constructor(capacity: number) {
    this.buf = new Uint8Array(Math.max(64, capacity));
    this.view = new DataView(this.buf.buffer);
  }

  /** Makes room for `extra` more bytes. New bytes are zero. */
  ensure(extra: number): void {
    const need = this.length + extra;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Reserves `n` zero bytes (a header to fill in later); returns where they start. */
  reserve(n: number): number {
    this.ensure(n);
    const at = this.length;
    this.length += n;
    return at;
  }

  /** Pads with zero bytes to a multiple of `k` (a power of two). */
  align(k: number): void {
    const pad = (k - (this.length & (k - 1))) & (k - 1);
    if (pad > 0) this.reserve(pad);
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.length++] = v;
  }

  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }

  i32(v: number): void {
    this.ensure(4);
    this.view.setInt32(this.length, v, true);
    this.length += 4;
  }

  setU32(at: number, v: number): void {
    this.view.setUint32(at, v, true);
  }

  /** Copies raw bytes. */
  bytes(src: Uint8Array): void {
    this.ensure(src.length);
    this.buf.set(src, this.length);
    this.length += src.length;
  }

  /** The next `n` bytes as a view (unaligned). */
  bytesView(n: number): Uint8Array {
    const at = this.reserve(n);
    return this.buf.subarray(at, at + n);
  }

  /** The next `n` 32-bit words, 4-aligned. */
  uint32View(n: number): Uint32Array {
    this.align(4);
    const at = this.reserve(n * 4);
    return new Uint32Array(this.buf.buffer, at, n);
  }

  int32View(n: number): Int32Array {
    this.align(4);
    const at = this.reserve(n * 4);
    return new Int32Array(this.buf.buffer, at, n);
  }

  /** The next `n` doubles, 8-aligned. */
  float64View(n: number): Float64Array {
    this.align(8);
    const at = this.reserve(n * 8);
    return new Float64Array(this.buf.buffer, at, n);
  }

  /** The whole buffer (for byte-level writers such as the string encoder); valid until the next grow. */
  raw(): Uint8Array {
    return this.buf;
  }

  /** An exact-size copy of what was written. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}
