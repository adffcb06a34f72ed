// Window functions for the differential query generator: ranking (row_number, rank, dense_rank,
// percent_rank, ntile), navigation (lag, lead with offsets and per-row defaults, first_value,
// last_value) and aggregates OVER (PARTITION BY ... ORDER BY ... [ROWS | RANGE frame]), plus
// QUALIFY. It draws from its own Rng, so queries of a seed that get no windows stay what they
// were before windows existed.
//
// Answers must not depend on how an engine orders ties, so:
// - functions that see row positions (row_number, ntile, lag, lead, first_value, last_value,
//   aggregates over ROWS frames) order by EVERY column of the FROM clause: rows that still tie are
//   identical, and swapping identical rows changes no output row. A query has at most one such
//   function (select list and QUALIFY together): two could pair their values differently over
//   identical rows;
// - inexact DOUBLE columns (computed with a division; engines may differ in the last bit) come
//   last in those orders and are never partition keys or other order keys;
// - rank, dense_rank, percent_rank and aggregates over the default RANGE frame (peers included)
//   depend only on the order keys' values, so they may order by any columns;
// - RANGE frames with offsets order by one integer column, and only aggregates use them.
// Every ORDER BY spells out NULLS FIRST / LAST (the engines' defaults differ on DESC).

import type { Rng } from './rng.js';

export interface WindowColumn {
  sql: string;
  /** The generator's type name: int, bigint, decimal, double, varchar, date, timestamp, bool. */
  type: string;
  /** SUM and AVG over it cannot overflow (the generator's bounds). */
  summable: boolean;
  /** A DOUBLE computed with a division. */
  inexact: boolean;
}

export interface WindowExpr {
  sql: string;
  /** The result is a DOUBLE (it cannot be a LIMIT's tie-breaker). */
  double: boolean;
}

export class WindowGenerator {
  /** Columns usable as partition and order keys (exact values). */
  private readonly keys: readonly WindowColumn[];
  /** A function that sees row positions was generated (at most one per query). */
  private positional = false;

  constructor(private readonly rng: Rng, private readonly cols: readonly WindowColumn[]) {
    const exact = cols.filter((c) => !c.inexact);
    this.keys = exact.length > 0 ? exact : cols;
  }

  private orderItem(c: WindowColumn): string {
    return `${c.sql}${this.rng.chance(0.4) ? ' DESC' : ' ASC'} NULLS ${this.rng.chance(0.5) ? 'FIRST' : 'LAST'}`;
  }

  /** ORDER BY over every column (a total order up to identical rows). */
  private totalOrder(): string {
    const exact = this.rng.shuffle(this.cols.filter((c) => !c.inexact));
    const inexact = this.cols.filter((c) => c.inexact);
    return `ORDER BY ${[...exact, ...inexact].map((c) => this.orderItem(c)).join(', ')}`;
  }

  private partialOrder(): string {
    return `ORDER BY ${this.rng.sample(this.keys, this.rng.int(1, Math.min(2, this.keys.length))).map((c) => this.orderItem(c)).join(', ')}`;
  }

  private partition(): string {
    const n = this.rng.weighted<number>([[0, 3], [1, 5], [2, 2]]);
    if (n === 0) return '';
    return `PARTITION BY ${this.rng.sample(this.keys, Math.min(n, this.keys.length)).map((c) => c.sql).join(', ')} `;
  }

  /** A ROWS frame (positional) or none (the default RANGE frame, peers included). */
  private rowsFrame(): string {
    if (this.positional) return '';
    const frame = this.anyRowsFrame();
    if (frame !== '') this.positional = true;
    return frame;
  }

  private anyRowsFrame(): string {
    const a = this.rng.int(0, 3);
    const b = this.rng.int(0, 3);
    return this.rng.pick([
      '',
      ` ROWS BETWEEN ${a} PRECEDING AND ${b} FOLLOWING`,
      ` ROWS BETWEEN UNBOUNDED PRECEDING AND ${a} PRECEDING`,
      ` ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW`,
      ` ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING`,
      ` ROWS BETWEEN ${b} FOLLOWING AND UNBOUNDED FOLLOWING`,
      ` ROWS BETWEEN ${Math.min(a, b)} FOLLOWING AND ${Math.max(a, b)} FOLLOWING`,
      ` ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING`,
      ` ROWS ${a} PRECEDING`,
    ]);
  }

  /** One window expression. */
  expr(): WindowExpr {
    const free = this.positional ? 0 : 1;
    const kind = this.rng.weighted<'rank' | 'position' | 'nav' | 'agg' | 'range'>([
      ['rank', 3],
      ['position', 2 * free],
      ['nav', 3 * free],
      ['agg', 5],
      ['range', 2],
    ]);
    const part = this.partition();
    switch (kind) {
      case 'rank': {
        const fn = this.rng.pick(['rank', 'dense_rank', 'percent_rank']);
        return { sql: `${fn}() OVER (${part}${this.partialOrder()})`, double: fn === 'percent_rank' };
      }
      case 'position': {
        this.positional = true;
        const fn = this.rng.pick(['row_number()', `ntile(${this.rng.int(1, 5)})`]);
        return { sql: `${fn} OVER (${part}${this.totalOrder()})`, double: false };
      }
      case 'nav': {
        this.positional = true;
        const c = this.rng.pick(this.cols);
        const fn = this.rng.pick(['lag', 'lead', 'first_value', 'last_value']);
        let call: string;
        if (fn === 'lag' || fn === 'lead') {
          const form = this.rng.int(0, 2);
          const same = this.cols.filter((d) => d.type === c.type);
          call = form === 0 ? `${fn}(${c.sql})` : form === 1 ? `${fn}(${c.sql}, ${this.rng.int(0, 3)})` : `${fn}(${c.sql}, ${this.rng.int(1, 3)}, ${this.rng.pick(same).sql})`;
          return { sql: `${call} OVER (${part}${this.totalOrder()})`, double: c.type === 'double' };
        }
        return { sql: `${fn}(${c.sql}) OVER (${part}${this.totalOrder()}${this.anyRowsFrame()})`, double: c.type === 'double' };
      }
      case 'agg':
      case 'range': {
        const { call, double } = this.aggregateCall();
        if (kind === 'range') {
          const keys = this.keys.filter((c) => c.type === 'int' || c.type === 'bigint');
          if (keys.length > 0) {
            const key = this.rng.pick(keys);
            const off = () => this.rng.pick([0, 1, 2, 5, 10, 100]);
            const start = this.rng.pick([`${off()} PRECEDING`, 'UNBOUNDED PRECEDING', 'CURRENT ROW']);
            const end = this.rng.pick([`${off()} FOLLOWING`, 'UNBOUNDED FOLLOWING', 'CURRENT ROW']);
            const frame = start.endsWith('PRECEDING') || end.endsWith('FOLLOWING') ? `RANGE BETWEEN ${start} AND ${end}` : `RANGE BETWEEN ${off()} PRECEDING AND ${off()} FOLLOWING`;
            return { sql: `${call} OVER (${part}ORDER BY ${this.orderItem(key)} ${frame})`, double };
          }
        }
        const order = this.rng.weighted<'none' | 'partial' | 'total'>([['none', 2], ['partial', 2], ['total', 3]]);
        if (order === 'none') return { sql: `${call} OVER (${part.trimEnd()})`, double };
        if (order === 'partial') return { sql: `${call} OVER (${part}${this.partialOrder()})`, double };
        return { sql: `${call} OVER (${part}${this.totalOrder()}${this.rowsFrame()})`, double };
      }
    }
  }

  private aggregateCall(): { call: string; double: boolean } {
    const summable = this.cols.filter((c) => c.summable);
    const ordered = this.cols.filter((c) => c.type !== 'bool');
    const fn = this.rng.weighted<string>([
      ['count(*)', 2],
      ['count', 2],
      ['sum', summable.length > 0 ? 3 : 0],
      ['avg', summable.length > 0 ? 2 : 0],
      ['min', ordered.length > 0 ? 2 : 0],
      ['max', ordered.length > 0 ? 2 : 0],
    ]);
    if (fn === 'count(*)') return { call: 'count(*)', double: false };
    if (fn === 'count') return { call: `count(${this.rng.pick(this.cols).sql})`, double: false };
    if (fn === 'sum' || fn === 'avg') {
      const c = this.rng.pick(summable);
      return { call: `${fn}(${c.sql})`, double: fn === 'avg' || c.type === 'double' };
    }
    const c = this.rng.pick(ordered);
    return { call: `${fn}(${c.sql})`, double: c.type === 'double' };
  }

  /** A QUALIFY condition on a window function. */
  qualify(): string {
    const part = this.partition();
    const positional = this.positional;
    return this.rng.pick([
      positional ? `rank() OVER (${part}${this.partialOrder()}) <= 2` : `row_number() OVER (${part}${this.totalOrder()}) <= ${this.rng.int(1, 3)}`,
      `rank() OVER (${part}${this.partialOrder()}) = 1`,
      `count(*) OVER (${part.trimEnd()}) > ${this.rng.int(1, 3)}`,
      `dense_rank() OVER (${part}${this.partialOrder()}) <= 2`,
    ]);
  }
}
