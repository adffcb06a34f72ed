// DuckDB as the reference engine of the differential tests, set up with the dialect choices of
// DESIGN.md: integer division truncates (`SET integer_division = true`) and NULLs sort as larger
// than every value (`nulls_last_on_asc_first_on_desc`, as PostgreSQL and Quiver).

import {
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBInstance,
  DuckDBTimestampValue,
  type DuckDBConnection,
} from '@duckdb/node-api';
import type { ResultSet, SqlEngine } from './engine.js';

export const DUCKDB_SETTINGS = [
  'SET integer_division = true',
  "SET default_null_order = 'nulls_last_on_asc_first_on_desc'",
];

/** A DuckDB value as the plain JS value Quiver's API would give for it. */
function plainValue(v: unknown): unknown {
  if (v === null || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string' || typeof v === 'boolean') {
    return v;
  }
  if (v instanceof DuckDBDecimalValue || v instanceof DuckDBDateValue || v instanceof DuckDBTimestampValue) {
    return v.toString();
  }
  const name = typeof v === 'object' && v !== null ? v.constructor.name : typeof v;
  throw new Error(`DuckDB returned a value of a kind the differential tests do not compare: ${name}`);
}

export class DuckDbEngine implements SqlEngine {
  readonly name = 'DuckDB';

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
  ) {}

  /** An in-memory DuckDB with the differential settings; `threads` is DuckDB's thread count. */
  static async open(options: { threads?: number } = {}): Promise<DuckDbEngine> {
    const config: Record<string, string> = {};
    if (options.threads !== undefined) config.threads = String(options.threads);
    const instance = await DuckDBInstance.create(':memory:', config);
    const conn = await instance.connect();
    for (const s of DUCKDB_SETTINGS) await conn.run(s);
    return new DuckDbEngine(instance, conn);
  }

  async exec(sql: string): Promise<void> {
    await this.conn.run(sql);
  }

  async query(sql: string): Promise<ResultSet> {
    const reader = await this.conn.runAndReadAll(sql);
    const names = reader.columnNames();
    const types = reader.columnTypes();
    const columns = names.map((name, i) => ({ name, type: types[i].toString() }));
    const rows = reader.getRows().map((row) => row.map(plainValue));
    return { columns, rows };
  }

  async explain(sql: string): Promise<string> {
    const r = await this.query(`EXPLAIN ${sql}`);
    return r.rows.map((row) => row.map(String).join('\n')).join('\n');
  }

  async close(): Promise<void> {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
