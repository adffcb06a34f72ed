// The later scalar functions for the differential query generator: strftime, dayname,
// monthname, date_diff, make_date, regexp_matches, regexp_replace, split_part, lpad/rpad and
// left/right. It draws from its own Rng and only wraps or replaces an expression the main
// generator has finished, so queries of a seed that get none of these stay what they were.
//
// Only deterministic functions are generated (not now/current_date), and only arguments where
// DuckDB and Quiver agree by design: non-empty lpad/rpad fills, regex patterns that mean the same
// in RE2 and JavaScript, strftime codes DuckDB knows (not %e), date_diff parts whose results fit.

import type { Rng } from './rng.js';

/** The part of the main generator's Expr this module reads and builds. */
export interface ScalarOperand {
  sql: string;
  nullable: boolean;
}

export interface ScalarResult {
  sql: string;
  nullable: boolean;
  /** Largest absolute value (integer results). */
  maxAbs: number;
}

const REGEX_PATTERNS: readonly [string, boolean][] = [
  // [pattern, has a capture group]
  ['[aeiou]', false],
  ['^[A-Z]', false],
  ['o+', false],
  ['(a|e)(r|n)', true],
  ['[0-9]', false],
  ['.$', false],
  ['^(.)', true],
];
const REPLACEMENTS_PLAIN = ['X', '', '$', '--'];
const REPLACEMENTS_GROUP = ['<\\1>', '\\1\\1', '[\\0]'];
const SEPARATORS = [' ', 'a', ',', '', 'e', 'er'];
const FILLS = ['*', 'ab', 'é'];
const FORMATS = ['%Y-%m-%d', '%d/%m/%y', '%A %B %-d', '%j %a %b', '%Y%m%d %u %w', '%H:%M:%S %p %I', '%%Y=%Y %-m/%-d'];
/** date_diff parts with their largest result over dates of 2015-2024 (about 3,500 days). */
const DIFF_PARTS: readonly [string, number][] = [
  ['day', 4_000],
  ['week', 600],
  ['month', 130],
  ['quarter', 45],
  ['year', 12],
  ['decade', 2],
  ['hour', 96_000],
  ['minute', 5_760_000],
];

export class ScalarFunctionGenerator {
  constructor(private readonly rng: Rng) {}

  /** With some chance, a string function over `s` (a VARCHAR) or over one of `dates`. */
  varchar(s: ScalarOperand, dates: readonly ScalarOperand[], chance: number): ScalarResult | null {
    if (!this.rng.chance(chance)) return null;
    const kind = this.rng.weighted<string>([['split', 2], ['pad', 2], ['leftright', 2], ['replace', 3], ['date', dates.length > 0 ? 3 : 0]]);
    const r = (sql: string, nullable = s.nullable): ScalarResult => ({ sql, nullable, maxAbs: 0 });
    switch (kind) {
      case 'split':
        return r(`split_part(${s.sql}, '${this.rng.pick(SEPARATORS)}', ${this.rng.int(-3, 3)})`);
      case 'pad':
        return r(`${this.rng.pick(['lpad', 'rpad'])}(${s.sql}, ${this.rng.int(-1, 9)}, '${this.rng.pick(FILLS)}')`);
      case 'leftright':
        return r(`${this.rng.pick(['left', 'right'])}(${s.sql}, ${this.rng.int(-4, 5)})`);
      case 'replace': {
        const [pattern, group] = this.rng.pick(REGEX_PATTERNS);
        const repl = this.rng.pick(group && this.rng.chance(0.6) ? REPLACEMENTS_GROUP : REPLACEMENTS_PLAIN);
        const options = this.rng.pick(['', '', ", 'g'", ", 'i'", ", 'gi'"]);
        return r(`regexp_replace(${s.sql}, '${pattern}', '${repl}'${options})`);
      }
      default: {
        const d = this.date(dates);
        const fn = this.rng.weighted<string>([['strftime', 3], ['dayname', 1], ['monthname', 1]]);
        if (fn === 'strftime') return r(`strftime(${d.sql}, '${this.rng.pick(FORMATS)}')`, d.nullable);
        return r(`${fn}(${d.sql})`, d.nullable);
      }
    }
  }

  /** With some chance, date_diff(part, a, b) over two of `dates` (a BIGINT). */
  dateDiff(dates: readonly ScalarOperand[], chance: number): ScalarResult | null {
    if (dates.length === 0 || !this.rng.chance(chance)) return null;
    const a = this.date(dates);
    const b = this.date(dates);
    const [part, maxAbs] = this.rng.pick(DIFF_PARTS);
    return { sql: `date_diff('${part}', ${a.sql}, ${b.sql})`, nullable: a.nullable || b.nullable, maxAbs };
  }

  /** With some chance, make_date(...) from the fields of one of `dates`. */
  makeDate(dates: readonly ScalarOperand[], chance: number): ScalarResult | null {
    if (dates.length === 0 || !this.rng.chance(chance)) return null;
    const d = this.rng.pick(dates);
    // Day 29 to 31 may not exist in another year or month: a date's own day goes only with its
    // own year and month.
    if (this.rng.chance(0.4)) return { sql: `make_date(year(${d.sql}), month(${d.sql}), day(${d.sql}))`, nullable: d.nullable, maxAbs: 0 };
    const y = this.rng.chance(0.7) ? `year(${d.sql})` : String(this.rng.int(1999, 2030));
    const month = this.rng.chance(0.5) ? `month(${d.sql})` : String(this.rng.int(1, 12));
    const day = String(this.rng.int(1, 28));
    return { sql: `make_date(${y}, ${month}, ${day})`, nullable: d.nullable, maxAbs: 0 };
  }

  /** With some chance, regexp_matches(s, pattern[, 'i']). */
  regexpMatches(s: ScalarOperand, chance: number): ScalarResult | null {
    if (!this.rng.chance(chance)) return null;
    const [pattern] = this.rng.pick(REGEX_PATTERNS);
    return { sql: `regexp_matches(${s.sql}, '${pattern}'${this.rng.chance(0.3) ? ", 'i'" : ''})`, nullable: s.nullable, maxAbs: 0 };
  }

  /** One of `items`, drawn from this module's stream. */
  pickOperand(items: readonly ScalarOperand[]): ScalarOperand {
    return this.rng.pick(items);
  }

  /** A date column, or a timestamp made from one (date + a constant INTERVAL). */
  private date(dates: readonly ScalarOperand[]): ScalarOperand {
    const d = this.rng.pick(dates);
    if (this.rng.chance(0.6)) return d;
    return { sql: `(${d.sql} + INTERVAL '${this.rng.int(1, 2000)} minutes')`, nullable: d.nullable };
  }
}
