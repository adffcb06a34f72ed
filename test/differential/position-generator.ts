// position(needle IN s), strpos(s, needle) and instr(s, needle) for the differential query
// generator, in place of a length(s) the main generator has finished (an INTEGER of at most the
// same bound: a position is at most the length). It draws from its own Rng, so queries of a seed
// that get none of these stay what they were.
//
// Both engines count characters (not bytes) from 1, give 0 when the needle is absent and 1 for
// the empty needle. Needles are non-NULL literals, so the result is NULL exactly where s is, as
// length(s) was: some fixed, some cut from the values of the scope's string columns.

import type { Rng } from './rng.js';

const NEEDLES = ['a', 'e', 'o', 'er', 'Br', 'ü', 'é', ' ', '', '%', 'x', 'AUTO', 'Paris'];
/** Longest needle cut from a column value. */
const MAX_CUT = 3;

export class PositionGenerator {
  constructor(private readonly rng: Rng) {}

  /**
   * With some chance, the position of a needle in the string s. `values` gives the scope's string
   * column values (read only when a call is drawn).
   */
  position(s: string, values: () => readonly string[], chance: number): string | null {
    if (!this.rng.chance(chance)) return null;
    const vs = values();
    let needle: string;
    if (vs.length > 0 && this.rng.chance(0.6)) {
      const v = this.rng.pick(vs);
      const from = this.rng.int(0, Math.max(0, v.length - 1));
      needle = v.slice(from, from + this.rng.int(1, MAX_CUT));
    } else needle = this.rng.pick(NEEDLES);
    const lit = `'${needle.replace(/'/g, "''")}'`;
    const form = this.rng.weighted<'position' | 'strpos' | 'instr'>([
      ['position', 3],
      ['strpos', 3],
      ['instr', 1],
    ]);
    if (form === 'position') return `position(${lit} IN ${s})`;
    return `${form}(${s}, ${lit})`;
  }
}
