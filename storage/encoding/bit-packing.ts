// Bit-packing of unsigned integers of a fixed width (0..32 bits) into little-endian 32-bit words,
// value i at bit i*width; a value may straddle two words. Width 0 stores nothing (every value
// is 0). The unpack loops are written once per output array type so each stays monomorphic
// (one typed-array kind per loop is what lets V8 compile them to tight machine code).

/** Bits needed for an unsigned integer v (0 for 0). Exact up to 2^32 - 1, approximate above. */
export function bitWidth(v: number): number {
  if (v <= 0) return 0;
  if (v < 4294967296) return 32 - Math.clz32(v);
  return 32 + bitWidth(Math.floor(v / 4294967296));
}

/** 32-bit words that hold n values of `width` bits. */
export function packedWords(n: number, width: number): number {
  return Math.ceil((n * width) / 32);
}

/** Packs values[0..n) (each < 2^width) into `words`, which MUST be zero. */
export function pack(values: Uint32Array, n: number, width: number, words: Uint32Array): void {
  if (width === 0) return;
  let bit = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    const w = bit >>> 5;
    const shift = bit & 31;
    words[w]! |= v << shift;
    // The high bits that did not fit go to the next word (>>> 32 would be a no-op in JS, hence the test).
    if (shift + width > 32) words[w + 1]! |= v >>> (32 - shift);
    bit += width;
  }
}

/** out[i] = (base + value i) | 0: frame-of-reference Int32 values and dictionary codes. */
export function unpackInt32(words: Uint32Array, n: number, width: number, base: number, out: Int32Array): void {
  if (width === 0) {
    out.fill(base, 0, n);
    return;
  }
  const mask = width === 32 ? -1 : (1 << width) - 1;
  let bit = 0;
  for (let i = 0; i < n; i++) {
    const w = bit >>> 5;
    const shift = bit & 31;
    let v = words[w]! >>> shift;
    if (shift + width > 32) v |= words[w + 1]! << (32 - shift);
    out[i] = (base + (v & mask)) | 0;
    bit += width;
  }
}

/** out[i] = value i (unsigned). */
export function unpackUint32(words: Uint32Array, n: number, width: number, out: Uint32Array): void {
  if (width === 0) {
    out.fill(0, 0, n);
    return;
  }
  const mask = width === 32 ? -1 : (1 << width) - 1;
  let bit = 0;
  for (let i = 0; i < n; i++) {
    const w = bit >>> 5;
    const shift = bit & 31;
    let v = words[w]! >>> shift;
    if (shift + width > 32) v |= words[w + 1]! << (32 - shift);
    out[i] = v & mask;
    bit += width;
  }
}

/** out[i] = base + value i, in doubles (exact while the results are integers within 2^53). */
export function unpackFloat64(words: Uint32Array, n: number, width: number, base: number, out: Float64Array): void {
  if (width === 0) {
    out.fill(base, 0, n);
    return;
  }
  const mask = width === 32 ? -1 : (1 << width) - 1;
  let bit = 0;
  for (let i = 0; i < n; i++) {
    const w = bit >>> 5;
    const shift = bit & 31;
    let v = words[w]! >>> shift;
    if (shift + width > 32) v |= words[w + 1]! << (32 - shift);
    out[i] = base + ((v & mask) >>> 0);
    bit += width;
  }
}
