// COPY t TO 'file' and COPY (query) TO 'file' (sql/copy-to.ts) in CSV, NDJSON and Parquet: round
// trips (COPY TO, then COPY FROM and read_csv / read_ndjson / read_parquet give the same rows,
// NULLs, empty strings, quotes, delimiters and line ends included; a fast-check property over
// random text), the format by extension and the options, DuckDB's NDJSON values, and atomic
// writes: a COPY TO that fails leaves no file (and an old file as it was) and no temp file.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Database } from '../../../index.js';
import { failure } from '../../expect-failure.js';

const SCHEMA = 'i INTEGER, b BIGINT, d DECIMAL(10,2), x DOUBLE, s VARCHAR, dt DATE, ts TIMESTAMP, ok BOOLEAN';
const VALUES = `(1, 9007199254740993, 1.50, 0.1, 'a,"b"', DATE '2024-01-01', TIMESTAMP '2024-01-01 10:00:00.123456', true),
  (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (3, -5, -2.25, 1e300, '', DATE '1969-12-31', TIMESTAMP '1960-01-01 00:00:00', false),
  (4, 0, 0, -0.5, 'line
break', DATE '2000-02-29', TIMESTAMP '2000-02-29 23:59:59', true)`;

let dir: string;
let db: Database;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'quiver-copy-to-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  db = await Database.open(':memory:');
  await db.exec(`CREATE TABLE t (${SCHEMA})`);
  await db.exec(`INSERT INTO t VALUES ${VALUES}`);
  await db.exec(`CREATE TABLE u (${SCHEMA})`);
});

async function rows(sql: string): Promise<unknown[][]> {
  return (await db.query(sql)).rows();
}


const ALL = 'SELECT * FROM t ORDER BY i NULLS LAST';
const ALL_U = 'SELECT * FROM u ORDER BY i NULLS LAST';

describe('round trips', () => {
  it('CSV: COPY FROM and read_csv read back what COPY TO wrote', async () => {
    const p = join(dir, 'rt.csv');
    expect(await rows(`COPY t TO '${p}' (HEADER)`)).toEqual([[4n]]);
    expect(readFileSync(p, 'utf8').split('\n')[0]).toBe('i,b,d,x,s,dt,ts,ok');
    await db.exec(`COPY u FROM '${p}' (HEADER)`);
    expect(await rows(ALL_U)).toEqual(await rows(ALL));
    await db.exec('DELETE FROM u');
    await db.exec(`INSERT INTO u SELECT * FROM read_csv('${p}')`);
    expect(await rows(ALL_U)).toEqual(await rows(ALL));
  });

  it('NDJSON: read_ndjson reads back what COPY TO wrote', async () => {
    const p = join(dir, 'rt.ndjson');
    await db.exec(`COPY t TO '${p}'`);
    await db.exec(`INSERT INTO u SELECT * FROM read_ndjson('${p}')`);
    expect(await rows(ALL_U)).toEqual(await rows(ALL));
  });

  it('Parquet: COPY FROM and read_parquet read back what COPY TO wrote', async () => {
    const p = join(dir, 'rt.parquet');
    await db.exec(`COPY t TO '${p}' (FORMAT parquet)`);
    await db.exec(`COPY u FROM '${p}'`);
    expect(await rows(ALL_U)).toEqual(await rows(ALL));
    expect(await rows(`SELECT * FROM read_parquet('${p}') ORDER BY i NULLS LAST`)).toEqual(await rows(ALL));
  });

  it('Parquet: more rows than one row group, from a query', async () => {
    const p = join(dir, 'big.parquet');
    expect(await rows(`COPY (SELECT generate_series AS n, CAST(generate_series AS VARCHAR) AS s FROM generate_series(1, 300000)) TO '${p}'`)).toEqual([[300000n]]);
    expect(await rows(`SELECT count(*), sum(n), min(s), max(s) FROM read_parquet('${p}')`)).toEqual([[300000n, 45000150000n, '1', '99999']]);
  });

  it('CSV: any text survives COPY TO and COPY FROM (property)', async () => {
    await db.exec('CREATE TABLE p (k INTEGER, s VARCHAR)');
    await db.exec('CREATE TABLE q (k INTEGER, s VARCHAR)');
    const text = fc.option(fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', '|', 'é', '\\', 'N') }), { nil: null });
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(text, { maxLength: 8 }), fc.constantFrom(',', '|', ';'), async (values, delimiter) => {
        await db.exec('DELETE FROM p');
        await db.exec('DELETE FROM q');
        for (let k = 0; k < values.length; k++) {
          const v = values[k];
          await db.exec(`INSERT INTO p VALUES (${k}, ${v === null || v === undefined ? 'NULL' : `'${v.replace(/'/g, "''")}'`})`);
        }
        const path = join(dir, `prop${round++}.csv`);
        await db.exec(`COPY p TO '${path}' (FORMAT csv, HEADER, DELIMITER '${delimiter}')`);
        await db.exec(`COPY q FROM '${path}' (FORMAT csv, HEADER, DELIMITER '${delimiter}')`);
        expect(await rows('SELECT * FROM q ORDER BY k')).toEqual(await rows('SELECT * FROM p ORDER BY k'));
      }),
      { numRuns: 40, seed: 4242 },
    );
  });
});

describe('formats and options', () => {
  it('writes NDJSON values as DuckDB does: exact numbers, text for dates, null', async () => {
    const p = join(dir, 'v.json');
    await db.exec(`COPY (SELECT * FROM t WHERE i < 3 OR i IS NULL ORDER BY i NULLS LAST) TO '${p}'`);
    expect(readFileSync(p, 'utf8')).toBe(
      '{"i":1,"b":9007199254740993,"d":1.50,"x":0.1,"s":"a,\\"b\\"","dt":"2024-01-01","ts":"2024-01-01 10:00:00.123456","ok":true}\n' +
        '{"i":null,"b":null,"d":null,"x":null,"s":null,"dt":null,"ts":null,"ok":null}\n',
    );
  });

  it('writes CSV with PostgreSQL quoting, the delimiter and header as asked, a column list', async () => {
    const p = join(dir, 'o.txt');
    await db.exec(`COPY t (s, i) TO '${p}' (FORMAT csv, DELIMITER '|')`);
    expect(readFileSync(p, 'utf8')).toBe('"a,""b"""|1\n|\n""|3\n"line\nbreak"|4\n');
    const q = join(dir, 'h.csv');
    await db.exec(`COPY (SELECT 1 AS "x y", 'v' AS z) TO '${q}'`);
    expect(readFileSync(q, 'utf8')).toBe('1,v\n');
    await db.exec(`COPY (SELECT 1 AS "x y", ' v' AS z) TO '${q}' (FORMAT csv, HEADER)`);
    expect(readFileSync(q, 'utf8')).toBe('x y,z\n1," v"\n');
  });

  it('rejects unknown formats and options, the text format, and COPY (query) FROM', async () => {
    expect((await failure(db.exec(`COPY t TO '${join(dir, 'x.csv')}' (FORMAT xml)`))).message).toMatch(/cannot write FORMAT xml/);
    expect((await failure(db.exec(`COPY t TO '${join(dir, 'x.csv')}' (COMPRESSION gzip)`))).message).toMatch(/no option "compression"/);
    expect((await failure(db.exec(`COPY t TO '${join(dir, 'x.tsv')}'`))).message).toMatch(/text format/);
    expect((await failure(db.exec(`COPY t TO '${join(dir, 'x.ndjson')}' (HEADER)`))).message).toMatch(/does not apply to FORMAT ndjson/);
    expect((await failure(db.exec(`COPY (SELECT 1) FROM '${join(dir, 'x.csv')}'`))).code).toBe('SYNTAX_ERROR');
    expect((await failure(db.exec(`COPY (SELECT INTERVAL 1 DAY AS i) TO '${join(dir, 'x.parquet')}'`))).code).toBe('NOT_SUPPORTED');
    expect((await failure(db.exec(`COPY t TO '${dir}'`))).message).toMatch(/is a directory/);
    expect((await failure(db.exec(`COPY t TO '${join(dir, 'no', 'such', 'x.csv')}'`))).code).toBe('IO_ERROR');
  });
});

describe('atomic writes', () => {
  it('a COPY TO that fails midway leaves the old file as it was and no temp file', async () => {
    const p = join(dir, 'atomic', 'keep.csv');
    rmSync(join(dir, 'atomic'), { recursive: true, force: true });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'atomic'));
    writeFileSync(p, 'old contents\n');
    // The cast fails in the second batch, after the first (over 1 MiB, flushed) was written.
    const q = `COPY (SELECT CAST(CASE WHEN generate_series < 100000 THEN '1' ELSE 'x' END AS INTEGER) AS v, '${'pad'.repeat(20)}' AS pad FROM generate_series(1, 100001)) TO '${p}'`;
    await failure(db.exec(q));
    expect(readFileSync(p, 'utf8')).toBe('old contents\n');
    const fresh = join(dir, 'atomic', 'new.ndjson');
    await failure(db.exec(q.replace(p, fresh)));
    expect(readdirSync(join(dir, 'atomic'))).toEqual(['keep.csv']);
  });
});
