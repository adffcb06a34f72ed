// Connects the sqllogictest runner to Quiver's embedded library: a fresh in-memory database per
// test file, each statement sent through `db.query`, the result handed over as the library
// gives it (schema of {name, type} and rows of JS values).

import { readFileSync } from 'node:fs';
import { Database } from '../../index.js';
import { parseSlt, type SltRecord } from './parser.js';
import { DEFAULT_TIMEOUT_MS, runSlt, type SltExecutor, type SltFileReport } from './runner.js';

/** Where a session's database lives: in memory (default), or in a directory on disk with a
 *  given memtable size (tiny, so statements cross checkpoints and parts). */
export interface SltStorage {
  dir?: string;
  memtableRows?: number;
  blockRows?: number;
  compaction?: 'auto' | 'eager' | 'off';
}

export interface QuiverSltSession {
  readonly executor: SltExecutor;
  close(): Promise<void>;
}

/**
 * Opens a fresh in-memory database. Each statement also gets the engine's own timeout: the
 * database runs statements one after another, so a runaway statement that the runner's guard
 * gave up on would otherwise hold up every statement after it.
 */
export async function openQuiverSession(timeoutMs = DEFAULT_TIMEOUT_MS, storage: SltStorage = {}): Promise<QuiverSltSession> {
  const { dir, ...sizes } = storage;
  const db = await Database.open(dir ?? ':memory:', sizes);
  const executor: SltExecutor = {
    async execute(sql) {
      const r = await db.query(sql, [], { timeoutMs });
      return { columns: r.schema.map((c) => ({ name: c.name, type: c.type })), rows: r.rows() };
    },
  };
  return { executor, close: () => db.close() };
}

/** Parses one .test file and runs it against a fresh in-memory Quiver database. */
export async function runSltFileOnQuiver(
  path: string,
  file: string,
  timeoutMs = DEFAULT_TIMEOUT_MS,
  storage: SltStorage = {},
): Promise<{ records: SltRecord[]; report: SltFileReport }> {
  const records = parseSlt(readFileSync(path, 'utf8'), file);
  const session = await openQuiverSession(timeoutMs, storage);
  try {
    const report = await runSlt(records, session.executor, { file, timeoutMs });
    return { records, report };
  } finally {
    await session.close();
  }
}
