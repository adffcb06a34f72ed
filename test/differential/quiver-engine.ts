// Quiver, through its embedded API, as the engine under test of the differential tests.

import { Database } from '../../index.js';
import { typeToString, type LogicalType } from '../../common/types.js';
import type { ResultSet, SqlEngine } from './engine.js';

function typeName(t: unknown): string {
  if (typeof t === 'string') return t;
  if (t !== null && typeof t === 'object' && 'id' in t) return typeToString(t as LogicalType);
  return String(t);
}

export class QuiverEngine implements SqlEngine {
  readonly name = 'Quiver';

  private constructor(private readonly db: Database) {}

  static async open(path = ':memory:'): Promise<QuiverEngine> {
    return new QuiverEngine(await Database.open(path));
  }

  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }

  async query(sql: string): Promise<ResultSet> {
    const r = await this.db.query(sql);
    const columns = r.schema.map((c: { name: string; type: unknown }) => ({ name: c.name, type: typeName(c.type) }));
    return { columns, rows: r.rows() as unknown[][] };
  }

  async explain(sql: string): Promise<string> {
    const r = await this.db.query(`EXPLAIN ${sql}`);
    return (r.rows() as unknown[][]).map((row) => row.map(String).join(' ')).join('\n');
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
