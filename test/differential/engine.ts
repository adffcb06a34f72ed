// What the differential tests need from a SQL engine, so DuckDB and Quiver (and two DuckDB
// copies, when the comparator itself is checked) are driven the same way.

export interface ResultColumn {
  name: string;
  /** The engine's type name: 'INTEGER', 'DECIMAL(38,2)', 'HUGEINT', 'DOUBLE', 'DATE'... */
  type: string;
}

/**
 * A query result as plain JS values: numbers, bigints, strings (DECIMAL as exact digits, DATE
 * as 'YYYY-MM-DD', TIMESTAMP as text), booleans and null.
 */
export interface ResultSet {
  columns: ResultColumn[];
  rows: unknown[][];
}

export interface SqlEngine {
  readonly name: string;
  /** Runs one or more statements and ignores their results. */
  exec(sql: string): Promise<void>;
  query(sql: string): Promise<ResultSet>;
  /** The engine's plan for a query, as text (for failure reports). */
  explain(sql: string): Promise<string>;
  close(): Promise<void>;
}
