// arg_min(arg, val) and arg_max(arg, val) for the differential query generator, in place of a
// MIN(arg) or MAX(arg) the main generator has drawn (the same type and bounds: the result is one
// of the group's arg values, or NULL). It draws from its own Rng, so queries of a seed that get
// none of these stay what they were.
//
// The engines break ties differently (Quiver keeps the first row seen, DuckDB any), so val is
// always unique over the rows of the FROM: a column no two rows share (the generator measures
// this as maxDup, joins included), or an integer column v combined with a unique integer u as
// v * K + u with K = 2 * max|u| + 1, which orders by v first and never ties. Both engines skip
// rows where val or arg is NULL (DuckDB 1.5's arg_min does, unlike its arg_min_null), so a NULL v
// or u only removes a row.

import type { Rng } from './rng.js';

/** A column whose non-NULL values no two rows of the FROM share. */
export interface UniqueOperand {
  sql: string;
  /** INTEGER or BIGINT: it can be combined with a factor. */
  integral: boolean;
  /** Largest |value|. */
  maxAbs: number;
}

/** An INTEGER column to order by first, before the unique one. */
export interface FactorOperand {
  sql: string;
  maxAbs: number;
}

export interface ArgMinMaxOperands {
  unique: readonly UniqueOperand[];
  factors: readonly FactorOperand[];
}

/** v * K + u stays below this (BIGINT, exact). */
const COMBINED_LIMIT = 4e18;

export class ArgMinMaxGenerator {
  constructor(private readonly rng: Rng) {}

  /** With some chance, arg_min(arg, val) or arg_max(arg, val). The caller appends FILTER. */
  argMinMax(arg: string, operands: () => ArgMinMaxOperands, chance: number): string | null {
    if (!this.rng.chance(chance)) return null;
    const { unique, factors } = operands();
    if (unique.length === 0) return null;
    const u = this.rng.pick(unique);
    let val = u.sql;
    if (u.integral && factors.length > 0 && this.rng.chance(0.6)) {
      const v = this.rng.pick(factors);
      const k = 2 * Math.ceil(u.maxAbs) + 1;
      // The product is BIGINT in both engines (an INTEGER column times a large constant is not).
      if (v.maxAbs * k + u.maxAbs < COMBINED_LIMIT) val = `(CAST(${v.sql} AS BIGINT) * ${k} + ${u.sql})`;
    }
    return `${this.rng.chance(0.5) ? 'arg_min' : 'arg_max'}(${arg}, ${val})`;
  }
}
