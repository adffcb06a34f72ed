// What the differential tests need from a SQL engine, so DuckDB and Quiver (and two DuckDB
// copies, when the comparator itself is checked) are driven the same way. The result types are
// defined beside the comparison (cli/compare-results.ts), which `quiver bench ssb` uses too.

import type { ResultColumn, ResultSet } from '../../cli/compare-results.js';

export type { ResultColumn, ResultSet };

export interface SqlEngine {
  readonly name: string;
  /** Runs one or more statements and ignores their results. */
  exec(sql: string): Promise<void>;
  query(sql: string): Promise<ResultSet>;
  /** The engine's plan for a query, as text (for failure reports). */
  explain(sql: string): Promise<string>;
  close(): Promise<void>;
}
