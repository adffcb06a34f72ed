// greatest(...) and least(...) for the differential query generator. It draws from its own Rng
// and only wraps an expression the main generator has finished, returning SQL of the same type
// whose bounds (the largest |value|, the sum of |value| over the rows, NULL or not) the
// generator's Expr for it already states, so the main generator decides everything after it as
// it did before: queries of a seed that get none of these stay what they were.
//
// Both engines skip NULL arguments (PostgreSQL's rule; DuckDB 1.5 does the same): the result is
// NULL only when every argument is. The arguments are chosen so the stated bounds hold:
// - Numbers: x with (- x), NULL and literals of one sign, never a larger |value| than x's:
//   |greatest(x, c)| <= |x| for c <= 0 and |least(x, c)| <= |x| for c >= 0. Where x may be NULL
//   the literal is 0 (a NULL x makes the result the literal, which x's sum bound does not count).
//   Integer literals only: a DECIMAL x keeps its scale.
// - Strings and dates (no bounds): other columns of the type, their values as literals, NULL. A
//   column only joins an x that reads one already (the generator treats expressions over
//   constants alone differently).

import type { Rng } from './rng.js';

/** The expression to wrap, as the main generator finished it. */
export interface ChoiceOperand {
  sql: string;
  nullable: boolean;
}

/** Other operands for a string or date x, made only when a call is drawn. */
export interface OrderedOperands {
  /** Columns of x's type, qualified (empty unless x reads a column). */
  columns: readonly string[];
  /** Literals of x's type, from the values of the scope's columns. */
  literals: readonly string[];
}

/** Largest |literal| drawn next to a number. */
const MAX_LITERAL = 50;

export class GreatestLeastGenerator {
  constructor(private readonly rng: Rng) {}

  /** With some chance, greatest/least of the number x with (- x), NULL and literals. */
  number(x: ChoiceOperand, chance: number): string | null {
    if (!this.rng.chance(chance)) return null;
    const greatest = this.rng.chance(0.5);
    const args = [x.sql];
    const n = this.rng.int(1, 3);
    for (let i = 0; i < n; i++) {
      const kind = this.rng.weighted<'neg' | 'literal' | 'null'>([
        ['neg', 3],
        ['literal', 4],
        ['null', 1],
      ]);
      if (kind === 'neg') args.push(`(- ${x.sql})`);
      else if (kind === 'null') args.push('NULL');
      else {
        const c = x.nullable ? 0 : this.rng.int(0, MAX_LITERAL);
        args.push(greatest && c > 0 ? `(-${c})` : String(c));
      }
    }
    return `${greatest ? 'greatest' : 'least'}(${this.rng.shuffle(args).join(', ')})`;
  }

  /** With some chance, greatest/least of the string or date x with other operands of its type. */
  ordered(x: ChoiceOperand, operands: () => OrderedOperands, chance: number): string | null {
    if (!this.rng.chance(chance)) return null;
    const { columns, literals } = operands();
    const args = [x.sql];
    const n = this.rng.int(1, 3);
    for (let i = 0; i < n; i++) {
      const kind = this.rng.weighted<'column' | 'literal' | 'null'>([
        ['column', columns.length > 0 ? 4 : 0],
        ['literal', literals.length > 0 ? 3 : 0],
        ['null', 1],
      ]);
      if (kind === 'column') args.push(this.rng.pick(columns));
      else if (kind === 'literal') args.push(this.rng.pick(literals));
      else args.push('NULL');
    }
    return `${this.rng.chance(0.5) ? 'greatest' : 'least'}(${this.rng.shuffle(args).join(', ')})`;
  }
}
