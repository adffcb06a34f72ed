// DuckDB as the reference engine of the differential tests, set up with the dialect choices of
// DESIGN.md (cli/duckdb-reference.ts: integer division truncates, NULLs sort as larger than every
// value, as PostgreSQL and Quiver).

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { DUCKDB_SETTINGS, plainDuckDbValue } from '../../cli/duckdb-reference.js';
import type { ResultSet, SqlEngine } from './engine.js';

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
    const rows = reader.getRows().map((row) => row.map(plainDuckDbValue));
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
