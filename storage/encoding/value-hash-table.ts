// An open-addressing hash table over typed arrays that gives each distinct 64-bit key (two
// 32-bit halves; 32-bit values use hi = 0) a dense code in first-seen order. Used to count
// distinct values and build dictionaries without a Map entry or a boxed number per value.

export class ValueHashTable {
  private readonly keysHi: Int32Array;
  private readonly keysLo: Int32Array;
  /** code + 1 per slot; 0 = empty. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  /** Distinct keys so far. */
  size = 0;

  /** `maxKeys` MUST bound the keys inserted: the table never grows (load stays <= 1/2). */
  constructor(maxKeys: number) {
    let cap = 16;
    while (cap < maxKeys * 2) cap *= 2;
    this.slots = new Int32Array(cap);
    this.keysHi = new Int32Array(cap);
    this.keysLo = new Int32Array(cap);
    this.mask = cap - 1;
  }

  /** The code of (hi, lo), adding it when new (its code is then the previous size). */
  codeOf(hi: number, lo: number): number {
    let slot = hash(hi, lo) & this.mask;
    while (true) {
      const s = this.slots[slot]!;
      if (s === 0) {
        const code = this.size++;
        this.slots[slot] = code + 1;
        this.keysHi[slot] = hi;
        this.keysLo[slot] = lo;
        return code;
      }
      if (this.keysLo[slot] === (lo | 0) && this.keysHi[slot] === (hi | 0)) return s - 1;
      slot = (slot + 1) & this.mask;
    }
  }

  /** The code of (hi, lo), or -1. */
  find(hi: number, lo: number): number {
    let slot = hash(hi, lo) & this.mask;
    while (true) {
      const s = this.slots[slot]!;
      if (s === 0) return -1;
      if (this.keysLo[slot] === (lo | 0) && this.keysHi[slot] === (hi | 0)) return s - 1;
      slot = (slot + 1) & this.mask;
    }
  }
}

/** murmur3's 32-bit finalizer over both halves: consecutive integers spread over the table. */
function hash(hi: number, lo: number): number {
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
