// Quiver, through its embedded API, as the engine under test of the differential tests.

import { Database } from '../../index.js';
import type { OpenOptions } from '../../sql/database.js';
import type { ResultSet, SqlEngine } from './engine.js';

export interface QuiverEngineOptions {
  /** Cancels a query after this long (Quiver's own timeout), so one slow query cannot hang a run. */
  queryTimeoutMs?: number;
}

export class QuiverEngine implements SqlEngine {
  readonly name = 'Quiver';

  private constructor(
    private readonly db: Database,
    private readonly options: QuiverEngineOptions,
  ) {}

  static async open(path = ':memory:', options: QuiverEngineOptions = {}, dbOptions: OpenOptions = {}): Promise<QuiverEngine> {
    return new QuiverEngine(await Database.open(path, dbOptions), options);
  }

  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }

  async query(sql: string): Promise<ResultSet> {
    const r = await this.db.query(sql, [], { timeoutMs: this.options.queryTimeoutMs });
    return { columns: r.schema.map((c) => ({ name: c.name, type: c.type })), rows: r.rows() };
  }

  async explain(sql: string): Promise<string> {
    const r = await this.db.query(`EXPLAIN ${sql}`, [], { timeoutMs: this.options.queryTimeoutMs });
    return r
      .rows()
      .map((row) => row.map(String).join(' '))
      .join('\n');
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
