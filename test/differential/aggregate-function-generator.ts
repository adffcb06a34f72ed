// The later aggregates for the differential query generator: median, quantile_cont,
// quantile_disc and string_agg. It draws from its own Rng and only replaces an aggregate call the
// main generator has already drawn (an AVG, a MIN or MAX, a COUNT of a string), so queries of a
// seed that get none of these stay what they were.
//
// Only forms where DuckDB and Quiver agree by design are generated, and only as group (not
// window) aggregates:
// - median/quantile_cont over INTEGER, BIGINT and DOUBLE. Over a DECIMAL DuckDB keeps the
//   DECIMAL type and interpolates in scaled integers, truncating (median of -1.05 and 2.10 is
//   0.52 there, their quantile_cont at 0.25 is -0.27, not -0.2625), while Quiver returns the
//   exact DOUBLE: a DECIMAL argument is cast to DOUBLE first.
// - quantile_disc over numbers and dates: it returns one of the group's values, in the
//   argument's type, in both engines. Integers and DECIMALs only while they fit a double exactly
//   (Quiver holds quantile inputs as doubles).
// - string_agg(s, sep ORDER BY ..., s [DESC]) with a total order: the last key is the value
//   itself, so rows tied on every key join equal strings and the result does not depend on the
//   order rows arrive in. The caller wants a BIGINT (it replaces a COUNT), so the joined string
//   is read through length(split_part(..., sep, k)), the length of the k-th value in that
//   order, or through length() of all of it, which does not depend on the order (string_agg
//   without ORDER BY is generated only inside length(); an empty separator, which split_part
//   cannot split on, only so too). The order's choices draw from a stream seeded by the call's
//   own text, so the generator's stream draws what it drew before ORDER BY came.

import { Rng } from './rng.js';

/** The part of the main generator's Expr this module reads. */
export interface AggOperand {
  sql: string;
  type: 'int' | 'bigint' | 'decimal' | 'double' | 'varchar' | 'date' | 'timestamp' | 'bool';
  scale: number;
  maxAbs: number;
}

/** Integers below this in magnitude are exact in a double. */
const EXACT_IN_DOUBLE = 2 ** 53;
/** Fractions as written: DECIMAL literals mostly, the ends also as integers. */
const FRACTIONS = ['0.5', '0.25', '0.75', '0.1', '0.9', '0.0', '1.0', '0', '1', '0.33', '0.625'];
const SEPARATORS = [',', ', ', '', '|', ' - ', 'é'];
/** Mixed into the seed of string_agg's ORDER BY stream. */
const ORDER_STREAM_SALT = 0x2545f491;
/** Longest string the generator's VARCHAR expressions produce (as length() assumes). */
export const MAX_STRING_LENGTH = 200;

export class AggregateFunctionGenerator {
  constructor(private readonly rng: Rng) {}

  /**
   * With some chance, median(x) or quantile_cont(x, q) in place of an AVG(x) (a DOUBLE, inexact
   * as AVG is). The caller appends the FILTER clause.
   */
  continuous(arg: AggOperand, chance: number): string | null {
    if (!isNumber(arg) || !fitsDouble(arg) || !this.rng.chance(chance)) return null;
    const x = arg.type === 'decimal' ? `CAST(${arg.sql} AS DOUBLE)` : arg.sql;
    if (this.rng.chance(0.5)) return `median(${x})`;
    return `quantile_cont(${x}, ${this.rng.pick(FRACTIONS)})`;
  }

  /**
   * With some chance, quantile_disc(x, q) in place of MIN(x) or MAX(x) (the same type). The
   * caller appends the FILTER clause.
   */
  discrete(arg: AggOperand, chance: number): string | null {
    if (!(isNumber(arg) || arg.type === 'date') || !fitsDouble(arg) || !this.rng.chance(chance)) return null;
    return `quantile_disc(${arg.sql}, ${this.rng.pick(FRACTIONS)})`;
  }

  /**
   * With some chance, a BIGINT read from string_agg(s, sep [ORDER BY ...]) in place of a
   * COUNT(s): its length, or the length of its k-th value (ordered totally, see the header). At
   * most maxAbs over `rows` input rows, NULL for a group without a non-NULL s. `filter`
   * (' FILTER (WHERE ...)' or '') follows the string_agg call.
   */
  stringAggLength(arg: AggOperand, filter: string, rows: number, chance: number): { sql: string; maxAbs: number } | null {
    if (arg.type !== 'varchar' || !this.rng.chance(chance)) return null;
    const sep = this.rng.pick(SEPARATORS);
    const maxAbs = rows * (MAX_STRING_LENGTH + sep.length);
    const own = new Rng((hashText(`${arg.sql}\u0000${sep}`) ^ ORDER_STREAM_SALT) >>> 0);
    // A constant argument has no order to give (DuckDB refuses ORDER BY a literal).
    if (own.chance(0.2) || !readsColumn(arg.sql)) return { sql: `length(string_agg(${arg.sql}, '${sep}')${filter})`, maxAbs };
    const agg = `string_agg(${arg.sql}, '${sep}' ORDER BY ${totalOrder(own, arg.sql)})${filter}`;
    if (sep === '' || own.chance(0.2)) return { sql: `length(${agg})`, maxAbs };
    return { sql: `length(split_part(${agg}, '${sep}', ${own.int(1, 3)}))`, maxAbs };
  }
}

/** ORDER BY keys ending with the aggregated value itself, so the order is total. */
function totalOrder(rng: Rng, x: string): string {
  const dir = () => rng.pick(['', ' ASC', ' DESC']) + rng.pick(['', '', ' NULLS FIRST', ' NULLS LAST']);
  const keys = rng.chance(0.4) ? [`length(${x})${dir()}`] : [];
  keys.push(`${x}${dir()}`);
  return keys.join(', ');
}

/** Whether an expression of the generator reads a column (columns are always qualified,
 *  `alias.name`; string literals are skipped). */
function readsColumn(sql: string): boolean {
  return /[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_]/.test(sql.replace(/'(?:[^']|'')*'/g, "''"));
}

/** FNV-1a over UTF-16 code units: a seed from a call's text. */
function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function isNumber(arg: AggOperand): boolean {
  return arg.type === 'int' || arg.type === 'bigint' || arg.type === 'decimal' || arg.type === 'double';
}

/**
 * Quiver reads quantile inputs as doubles: integers and scaled DECIMALs must fit exactly. The
 * bound is strict: maxAbs is a double itself, and 2^53 + 1 reads as 2^53 (quantile_disc of the
 * BIGINT 9007199254740993 is ...992 in Quiver, seed 101).
 */
function fitsDouble(arg: AggOperand): boolean {
  if (arg.type === 'bigint' || arg.type === 'int') return arg.maxAbs < EXACT_IN_DOUBLE;
  if (arg.type === 'decimal') return arg.maxAbs * 10 ** arg.scale < EXACT_IN_DOUBLE;
  return true;
}
