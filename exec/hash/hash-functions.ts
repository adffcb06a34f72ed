// Hash primitives for key hashing. Everything stays in 32-bit integer arithmetic (Math.imul,
// shifts), allocates nothing, and returns unsigned 32-bit values. KeyEncoder hashes keys column
// by column and `hashKeyRow` one row at a time; both combine column hashes with `combineHash`
// from HASH_SEED, so a row gets the same hash either way.

/** Start value of a row hash, before the first column is combined in. */
export const HASH_SEED = 0x2f0b3c59;
/** Column hash of a NULL key value (NULL equals NULL when grouping). */
export const NULL_HASH = 0x5bd1e995;

/** murmur3's 32-bit finalizer: every input bit affects every output bit. */
export function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Folds one column hash into a row hash; order-sensitive, so (a, b) and (b, a) differ. */
export function combineHash(h: number, x: number): number {
  return mix32(Math.imul(h, 0x9e3779b1) ^ x);
}

export function hashI32(v: number): number {
  return mix32(Math.imul(v | 0, 0x27d4eb2d) ^ 0x165667b1);
}

/** Hash of a 64-bit integer given as its high word and low word (both as int32 bits). */
export function hashWords(hi: number, lo: number): number {
  return mix32(Math.imul(hi | 0, 0x27d4eb2d) ^ mix32(lo));
}

// One scratch slot to read a double's bits without allocating.
const F64 = new Float64Array(1);
const F64_WORDS = new Int32Array(F64.buffer);

/** Hash of a double by its bits. Callers normalize -0 to 0 and NaN to the canonical NaN first. */
export function hashF64(v: number): number {
  F64[0] = v;
  return hashWords(F64_WORDS[1]!, F64_WORDS[0]!);
}

/** FNV-1a over UTF-16 code units, then finalized. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix32(h ^ s.length);
}
