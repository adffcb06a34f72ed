// Differential test on the Star Schema Benchmark: the project's generator (cli/gen-ssb.ts) writes
// the .tbl files at a tiny scale factor, both engines load them with COPY into the tables of
// ../shared/ssb/schema.sql, and the 13 standard queries must return the same rows in both.
//
// At SF 0.01 q3.3 and q3.4 select nothing (both ask for two particular cities on the customer
// and the supplier side, and there are only 20 suppliers), so queries empty at that scale run
// again at SF 0.05, where q3.3 has rows. q3.4 (the same cities in one month) stays empty below
// SF 0.2 with this generator; it is still compared (both engines must return no rows), and it is
// the one query allowed to be empty.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSsb } from '../../cli/gen-ssb.js';
import { duckDbCopyTbl, quiverCopyTbl, readSsbQueries, readSsbSchema, ssbDir, ssbOrderKeys, type SsbQuery, withoutSortKeys } from '../../cli/ssb-files.js';
import { checkQuery } from './check-query.js';
import { DuckDbEngine } from './duckdb-engine.js';
import type { SqlEngine } from './engine.js';
import { QuiverEngine } from './quiver-engine.js';

const SMALL_SF = 0.01;
const LARGER_SF = 0.05;
const SSB_QUERY_COUNT = 13;
/** Queries known to select no rows at LARGER_SF with this generator (see the top comment). */
const EMPTY_AT_LARGER_SF = new Set(['q3.4']);

interface LoadedSsb {
  dir: string;
  duck: DuckDbEngine;
  quiver: QuiverEngine;
}

async function loadSsb(sf: number): Promise<LoadedSsb> {
  const dir = mkdtempSync(join(tmpdir(), `quiver-ssb-${sf}-`));
  const files = await generateSsb({ sf, outDir: dir });
  const schema = readSsbSchema();
  const duck = await DuckDbEngine.open();
  const quiver = await QuiverEngine.open();
  await duck.exec(withoutSortKeys(schema));
  await quiver.exec(schema);
  for (const f of files) {
    await duck.exec(duckDbCopyTbl(f.table, f.file));
    await quiver.exec(quiverCopyTbl(f.table, f.file));
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
  const r = await checkQuery(s.duck, s.quiver, q.sql, ssbOrderKeys(q.sql, ref.columns), `SSB ${q.name} at SF ${sf}`);
  expect(r.status, r.report).toBe('agree');
  return r.rows;
}

describe('differential: SSB queries, Quiver vs DuckDB', () => {
  const queries = readSsbQueries();
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

  it(`finds the ${SSB_QUERY_COUNT} SSB queries in ${ssbDir()}`, () => {
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
