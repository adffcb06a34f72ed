// A small seeded random generator for the crash tests, so every torn crash they simulate can be
// reproduced from its seed.

/** Numbers in [0, 1) from a 32-bit seed. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return s / 2 ** 32;
  };
}
