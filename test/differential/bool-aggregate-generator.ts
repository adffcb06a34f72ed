// bool_and(p) and bool_or(p) for the differential query generator. It draws from its own Rng and
// builds p itself from the scope's columns (comparisons with their values, IS [NOT] NULL, BOOLEAN
// columns, AND / OR of two), so the main generator's stream is untouched; it only replaces or
// wraps aggregates and HAVING conditions the main generator has finished, keeping their type and
// stated bounds, so queries of a seed that get none of these stay what they were.
//
// Both engines skip NULL inputs (a comparison with a NULL operand) and give NULL for a group
// without a non-NULL input, so p may be NULL on any row. Columns holding a DOUBLE computed with a
// division are left out: a last-bit difference could flip a comparison.

import type { Rng } from './rng.js';

/** A column p may read. */
export interface BoolAggOperand {
  /** Qualified column reference. */
  sql: string;
  /** The generator's type name: 'bool' columns stand alone; others are compared within their type. */
  type: string;
  /** Literals of the column's values (may be empty, e.g. for a column that is always NULL). */
  literals: readonly string[];
}

const OPS = ['=', '<>', '<', '<=', '>', '>='];

export class BoolAggregateGenerator {
  constructor(private readonly rng: Rng) {}

  /** With some chance, bool_and(p) or bool_or(p): a nullable BOOLEAN aggregate. */
  aggregate(operands: () => readonly BoolAggOperand[], chance: number): string | null {
    if (!this.rng.chance(chance)) return null;
    const ops = operands();
    if (ops.length === 0) return null;
    return this.call(ops);
  }

  /**
   * With some chance, a numeric aggregate expression e (of a group) shown only where a
   * bool_and/bool_or holds: `CASE WHEN b THEN e END`, or `... ELSE 0 END` when e is never NULL.
   * Its |value| is at most e's, and it is NULL only where e may be.
   */
  guard(e: string, nullable: boolean, operands: () => readonly BoolAggOperand[], chance: number): string | null {
    if (!this.rng.chance(chance)) return null;
    const ops = operands();
    if (ops.length === 0) return null;
    const cond = this.rng.chance(0.3) ? `(${this.call(ops)} IS NOT FALSE)` : this.call(ops);
    return `CASE WHEN ${cond} THEN ${e}${nullable ? '' : ' ELSE 0'} END`;
  }

  /** With some chance, a HAVING condition h combined with a bool_and/bool_or. */
  having(h: string, operands: () => readonly BoolAggOperand[], chance: number): string | null {
    if (!this.rng.chance(chance)) return null;
    const ops = operands();
    if (ops.length === 0) return null;
    const b = this.call(ops);
    // Mostly OR: an AND would empty many results.
    return this.rng.chance(0.7) ? `(${h}) OR ${b}` : `(${h}) AND (${b} IS NOT FALSE)`;
  }

  private call(ops: readonly BoolAggOperand[]): string {
    const p = this.rng.chance(0.2) ? `(${this.predicate(ops)} ${this.rng.chance(0.5) ? 'AND' : 'OR'} ${this.predicate(ops)})` : this.predicate(ops);
    return `${this.rng.chance(0.5) ? 'bool_and' : 'bool_or'}(${p})`;
  }

  private predicate(ops: readonly BoolAggOperand[]): string {
    const c = this.rng.pick(ops);
    if (c.type === 'bool') {
      const r = this.rng.next();
      return r < 0.5 ? c.sql : r < 0.75 ? `(NOT ${c.sql})` : `(${c.sql} = ${this.rng.chance(0.5) ? 'TRUE' : 'FALSE'})`;
    }
    const r = this.rng.next();
    if (r < 0.15 || c.literals.length === 0) return `(${c.sql} IS ${this.rng.chance(0.5) ? 'NOT ' : ''}NULL)`;
    if (r < 0.3) {
      const same = ops.filter((o) => o.type === c.type && o.sql !== c.sql);
      if (same.length > 0) return `(${c.sql} ${this.rng.pick(OPS)} ${this.rng.pick(same).sql})`;
    }
    return `(${c.sql} ${this.rng.pick(OPS)} ${this.rng.pick(c.literals)})`;
  }
}
