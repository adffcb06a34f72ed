// Differential checks of the table functions against DuckDB: random generate_series / range
// calls (integers with any signs of start, stop and step; DATE and TIMESTAMP with day, month and
// hour intervals, forwards and backwards) must give the same rows; and files written by one
// engine must read the same in both: DuckDB's CSV (sniffed by read_csv) and Parquet, and Quiver's
// COPY TO CSV and Parquet read by DuckDB. DIFF_SEED picks the seed (default 1), DIFF_COUNT the
// number of random series (default 60).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareResults } from '../../cli/compare-results.js';
import { DuckDbEngine } from './duckdb-engine.js';
import { QuiverEngine } from './quiver-engine.js';
import { Rng } from './rng.js';

const SEED = Number(process.env.DIFF_SEED ?? 1);
const COUNT = Number(process.env.DIFF_COUNT ?? 60);

let duck: DuckDbEngine;
let quiver: QuiverEngine;
let dir: string;

beforeAll(async () => {
  duck = await DuckDbEngine.open();
  quiver = await QuiverEngine.open();
  dir = mkdtempSync(join(tmpdir(), 'quiver-diff-tf-'));
});
afterAll(async () => {
  await duck.close();
  await quiver.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Both engines' answers to `sql` agree (rows in order: every query orders its rows). */
async function agree(sql: string, ordered = true): Promise<void> {
  const expected = await duck.query(sql);
  const actual = await quiver.query(sql);
  const diff = compareResults(expected, actual, ordered ? expected.columns.map((_, column) => ({ column, desc: false, nullsFirst: false })) : null);
  expect(diff, `${sql}\n${diff}`).toBeNull();
}

function seriesQuery(rng: Rng): string {
  const fn = rng.pick(['generate_series', 'range']);
  if (rng.chance(0.6)) {
    const start = rng.int(-50, 50);
    const stop = rng.int(-50, 50);
    let step = rng.int(-7, 7);
    if (step === 0) step = 1;
    const args = rng.chance(0.15) ? `${stop}` : rng.chance(0.3) ? `${start}, ${stop}` : `${start}, ${stop}, ${step}`;
    return `SELECT ${fn} FROM ${fn}(${args}) ORDER BY 1`;
  }
  const day = () => `${rng.int(2023, 2025)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
  const [a, b] = [day(), day()];
  const back = a > b;
  const unit = rng.pick(['DAY', 'MONTH', 'HOUR']);
  const n = rng.int(1, unit === 'HOUR' ? 400 : 20) * (back ? -1 : 1);
  const ts = rng.chance(0.5);
  const lit = (d: string) => (ts ? `TIMESTAMP '${d} ${String(rng.int(0, 23)).padStart(2, '0')}:30:00'` : `DATE '${d}'`);
  return `SELECT CAST(${fn} AS VARCHAR) FROM ${fn}(${lit(a)}, ${lit(b)}, INTERVAL '${n} ${unit}') ORDER BY ${fn}`;
}

describe('generate_series and range agree with DuckDB', () => {
  it(`${COUNT} random series (seed ${SEED})`, async () => {
    const rng = new Rng(SEED);
    for (let i = 0; i < COUNT; i++) await agree(seriesQuery(rng));
    await agree('SELECT count(*), sum(generate_series), min(generate_series), max(generate_series) FROM generate_series(-100000, 100000, 3)', false);
  });
});

describe('files written by one engine read the same in both', () => {
  const make = `SELECT i, i * 7 - 3 AS n, CAST(i AS DOUBLE) / 8 AS x, CAST(i * 1.25 AS DECIMAL(12,2)) AS d,
      CASE WHEN i % 5 = 0 THEN NULL ELSE 'v,' || CAST(i AS VARCHAR) || '"' END AS s,
      DATE '2024-01-01' + CAST(i AS INTEGER) AS dt, i % 2 = 0 AS b
    FROM generate_series(1, 3000) t(i)`;

  it('a CSV written by DuckDB (with a header) is sniffed and read alike', async () => {
    const p = join(dir, 'duck.csv');
    await duck.exec(`COPY (${make}) TO '${p}' (HEADER, DELIMITER ';')`);
    await agree(`SELECT * FROM read_csv('${p}') ORDER BY i`);
  });

  it('a Parquet file written by DuckDB reads alike', async () => {
    const p = join(dir, 'duck.parquet');
    await duck.exec(`COPY (${make}) TO '${p}' (FORMAT parquet)`);
    await agree(`SELECT * FROM read_parquet('${p}') ORDER BY i`);
  });

  it('CSV and Parquet written by Quiver read the same in DuckDB', async () => {
    for (const [name, options] of [['q.csv', '(FORMAT csv, HEADER)'], ['q.parquet', '(FORMAT parquet)']]) {
      const p = join(dir, name!);
      await quiver.exec(`COPY (${make}) TO '${p}' ${options}`);
      const expected = await quiver.query(`${make} ORDER BY i`);
      const actual = await duck.query(`SELECT * FROM '${p}' ORDER BY i`);
      const diff = compareResults(expected, actual, null);
      expect(diff, `${name}: ${diff}`).toBeNull();
    }
  });
});
