// Byte masks (one 0/1 byte per row, as vectors hold validity and BOOLEAN values) packed into
// bits in a block (least significant bit first) and back: 8x smaller on disk, and decoding is a
// tight loop over whole bytes.

/** Bytes that hold `n` bits. */
export function bitmapBytes(n: number): number {
  return (n + 7) >>> 3;
}

/** Writes mask[0..n) (any nonzero byte = 1) as bits into out[0..bitmapBytes(n)), which MUST be zero. */
export function packBits(mask: Uint8Array, n: number, out: Uint8Array): void {
  const whole = n >>> 3;
  for (let b = 0; b < whole; b++) {
    const i = b << 3;
    out[b] =
      (mask[i]! !== 0 ? 1 : 0) |
      (mask[i + 1]! !== 0 ? 2 : 0) |
      (mask[i + 2]! !== 0 ? 4 : 0) |
      (mask[i + 3]! !== 0 ? 8 : 0) |
      (mask[i + 4]! !== 0 ? 16 : 0) |
      (mask[i + 5]! !== 0 ? 32 : 0) |
      (mask[i + 6]! !== 0 ? 64 : 0) |
      (mask[i + 7]! !== 0 ? 128 : 0);
  }
  for (let i = whole << 3; i < n; i++) if (mask[i]! !== 0) out[i >>> 3]! |= 1 << (i & 7);
}

/** Writes bit `rows[k]` of `mask` as bit k, for k < count (the mask of a subset of rows). */
export function packBitsAt(mask: Uint8Array, rows: Int32Array, count: number, out: Uint8Array): void {
  for (let k = 0; k < count; k++) if (mask[rows[k]!]! !== 0) out[k >>> 3]! |= 1 << (k & 7);
}

/** Unpacks n bits into a fresh 0/1 byte mask. */
export function unpackBits(bits: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(n);
  unpackBitsInto(bits, n, out);
  return out;
}

/** Unpacks n bits into out[0..n) as 0/1 bytes. */
export function unpackBitsInto(bits: Uint8Array, n: number, out: Uint8Array): void {
  const whole = n >>> 3;
  for (let b = 0; b < whole; b++) {
    const v = bits[b]!;
    const i = b << 3;
    out[i] = v & 1;
    out[i + 1] = (v >>> 1) & 1;
    out[i + 2] = (v >>> 2) & 1;
    out[i + 3] = (v >>> 3) & 1;
    out[i + 4] = (v >>> 4) & 1;
    out[i + 5] = (v >>> 5) & 1;
    out[i + 6] = (v >>> 6) & 1;
    out[i + 7] = v >>> 7;
  }
  for (let i = whole << 3; i < n; i++) out[i] = (bits[i >>> 3]! >>> (i & 7)) & 1;
}
