// Differential test on the Star Schema Benchmark: the project's generator (cli/gen-ssb.ts) writes
// the .tbl files at a tiny scale factor, both engines load them with COPY into the tables of
// ../shared/ssb/schema.sql, and the 13 standard queries must return the same rows in both.
//
// At SF 0.01 q3.3 and q3.4 select nothing (both ask for two particular cities on the customer
// and the supplier side, and there are only 20 suppliers), so queries empty at that scale run
// again at SF 0.05, where q3.3 has rows. q3.4 (the same cities in one month) stays empty below
// SF 0.2 with this generator; it is still compared (both engines must return no rows), and it is
// the one query allowed to be empty.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSsb } from '../../cli/gen-ssb.js';
import { checkQuery } from './check-query.js';
import { DuckDbEngine } from './duckdb-engine.js';
import type { ResultColumn, SqlEngine } from './engine.js';
import type { OrderKey } from './query-generator.js';
import { QuiverEngine } from './quiver-engine.js';

const SSB_DIR = fileURLToPath(new URL('../../../shared/ssb/', import.meta.url));
const SMALL_SF = 0.01;
const LARGER_SF = 0.05;
const SSB_QUERY_COUNT = 13;
/** Queries known to select no rows at LARGER_SF with this generator (see the top comment). */
const EMPTY_AT_LARGER_SF = new Set(['q3.4']);

interface SsbQuery {
  name: string;
  sql: string;
}

function readQueries(): SsbQuery[] {
  if (!existsSync(join(SSB_DIR, 'schema.sql'))) {
    throw new Error(`SSB schema and queries not found in ${SSB_DIR}: they live in ../shared/ssb beside the repository`);
  }
  const files = readdirSync(SSB_DIR)
    .filter((f) => /^q\d\.\d\.sql$/.test(f))
    .sort();
  return files.map((f) => ({ name: f.replace(/\.sql$/, ''), sql: readFileSync(join(SSB_DIR, f), 'utf8').trim().replace(/;$/, '') }));
}

/** DuckDB has no table sort key: drop the `ORDER BY (...)` after a CREATE TABLE's column list. */
function schemaForDuckDb(schema: string): string {
  const out = schema.replace(/\)\s*ORDER BY\s*\([^)]*\)\s*;/gi, ');');
  if (/\)\s*ORDER BY/i.test(out)) throw new Error('SSB schema: a table ORDER BY clause was not removed for DuckDB');
  return out;
}

/**
 * The ORDER BY of an SSB query as output column positions: each item names an output column
 * (an alias or a selected column), found among the reference result's column names.
 */
function orderKeysOf(sql: string, columns: ResultColumn[]): OrderKey[] | null {
  const m = /\border\s+by\s+([\s\S]*)$/i.exec(sql);
  if (!m) return null;
  return m[1].split(',').map((item) => {
    const parts = item.trim().split(/\s+/);
    const name = parts[0].toLowerCase();
    const desc = parts[1]?.toLowerCase() === 'desc';
    const column = columns.findIndex((c) => c.name.toLowerCase() === name);
    if (column < 0) throw new Error(`SSB query ORDER BY item '${item.trim()}' names no output column (${columns.map((c) => c.name).join(', ')})`);
    return { column, desc, nullsFirst: desc };
  });
}

interface LoadedSsb {
  dir: string;
  duck: DuckDbEngine;
  quiver: QuiverEngine;
}

async function loadSsb(sf: number): Promise<LoadedSsb> {
  const dir = mkdtempSync(join(tmpdir(), `quiver-ssb-${sf}-`));
  const files = await generateSsb({ sf, outDir: dir });
  const schema = readFileSync(join(SSB_DIR, 'schema.sql'), 'utf8');
  const duck = await DuckDbEngine.open();
  const quiver = await QuiverEngine.open();
  await duck.exec(schemaForDuckDb(schema));
  await quiver.exec(schema);
  for (const f of files) {
    // .tbl files have no header and no quoting; every line ends with a '|' (DuckDB's COPY
    // ignores that empty last field).
    await duck.exec(`COPY ${f.table} FROM '${f.file}' (DELIMITER '|', QUOTE '', ESCAPE '', HEADER false)`);
    await quiver.exec(`COPY ${f.table} FROM '${f.file}' (DELIMITER '|')`);
  }
  for (const f of files) {
    for (const engine of [duck, quiver] as SqlEngine[]) {
      const r = await engine.query(`SELECT count(*) FROM ${f.table}`);
      expect(Number(r.rows[0][0]), `${engine.name}: rows of ${f.table} at SF ${sf}`).toBe(f.rows);
    }
  }
  return { dir, duck, quiver };
}

async function closeSsb(s: LoadedSsb | undefined): Promise<void> {
  if (!s) return;
  await s.duck.close();
  await s.quiver.close();
  rmSync(s.dir, { recursive: true, force: true });
}

async function compareQuery(s: LoadedSsb, q: SsbQuery, sf: number): Promise<number> {
  // The ORDER BY keys are output positions of the reference result.
  const ref = await s.duck.query(q.sql);
  const r = await checkQuery(s.duck, s.quiver, q.sql, orderKeysOf(q.sql, ref.columns), `SSB ${q.name} at SF ${sf}`);
  expect(r.status, r.report).toBe('agree');
  return r.rows;
}

describe('differential: SSB queries, Quiver vs DuckDB', () => {
  const queries = readQueries();
  const emptyAtSmallSf: SsbQuery[] = [];
  let small: LoadedSsb | undefined;
  let larger: LoadedSsb | undefined;

  beforeAll(async () => {
    small = await loadSsb(SMALL_SF);
  });

  afterAll(async () => {
    await closeSsb(small);
    await closeSsb(larger);
  });

  it(`finds the ${SSB_QUERY_COUNT} SSB queries in ${SSB_DIR}`, () => {
    expect(queries.map((q) => q.name)).toHaveLength(SSB_QUERY_COUNT);
  });

  it.each(queries.map((q) => [q.name, q] as const))(`%s agrees at SF ${SMALL_SF}`, async (_name, q) => {
    const rows = await compareQuery(small as LoadedSsb, q, SMALL_SF);
    if (rows === 0) emptyAtSmallSf.push(q);
  });

  it(`runs the queries empty at SF ${SMALL_SF} again at SF ${LARGER_SF}, where they select rows`, async () => {
    if (emptyAtSmallSf.length === 0) return;
    larger = await loadSsb(LARGER_SF);
    const stillEmpty: string[] = [];
    for (const q of emptyAtSmallSf) {
      const rows = await compareQuery(larger, q, LARGER_SF);
      if (rows === 0 && !EMPTY_AT_LARGER_SF.has(q.name)) stillEmpty.push(q.name);
    }
    expect(stillEmpty, `SSB queries selecting no rows at SF ${LARGER_SF}: the test proves little for them`).toEqual([]);
  });
});
