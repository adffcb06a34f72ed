// read_csv, read_ndjson and read_parquet (sql/table-functions/read-*.ts) on small files in a temp
// directory: the CSV sniffer's delimiter, header and type detection; options named as DuckDB's;
// NDJSON detection (missing keys, nested values, exact long integers); the footer schema of
// Parquet files; and the errors, which name the file (and the line for a bad record).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Database } from '../../../index.js';
import { failure } from '../../expect-failure.js';

let dir: string;
let db: Database;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'quiver-read-files-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  db = await Database.open(':memory:');
});

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path.replace(/'/g, "''");
}

async function rows(sql: string): Promise<unknown[][]> {
  return (await db.query(sql)).rows();
}

/** Column names and types of a query, as `name TYPE`. */
async function schema(sql: string): Promise<string[]> {
  const r = await db.query(sql);
  return r.names.map((n, i) => `${n} ${typeName(r.types[i]!)}`);
}

function typeName(t: { id: string; precision?: number; scale?: number }): string {
  return t.id === 'DECIMAL' ? `DECIMAL(${t.precision},${t.scale})` : t.id;
}


describe('read_csv', () => {
  it('detects a header and the types BIGINT, DOUBLE, BOOLEAN, DATE, TIMESTAMP and VARCHAR', async () => {
    const p = file('types.csv', 'id,score,ok,day,at,name\n1,1.5,true,2024-01-31,2024-01-31 10:00:00,"a,b"\n-2,2,FALSE,2024-02-29,2024-02-29T11:30:15.5,\n');
    expect(await schema(`SELECT * FROM read_csv('${p}')`)).toEqual(['id BIGINT', 'score DOUBLE', 'ok BOOLEAN', 'day DATE', 'at TIMESTAMP', 'name VARCHAR']);
    expect(await rows(`SELECT id, score, ok, CAST(day AS VARCHAR), CAST(at AS VARCHAR), name FROM read_csv('${p}') ORDER BY id`)).toEqual([
      [-2n, 2, false, '2024-02-29', '2024-02-29 11:30:15.5', null],
      [1n, 1.5, true, '2024-01-31', '2024-01-31 10:00:00', 'a,b'],
    ]);
  });

  it('reads a file without a header with columns column0, column1, ...', async () => {
    const p = file('nohead.csv', '1,x\n2,y\n');
    expect(await schema(`SELECT * FROM read_csv('${p}')`)).toEqual(['column0 BIGINT', 'column1 VARCHAR']);
    expect(await rows(`SELECT * FROM read_csv('${p}')`)).toEqual([[1n, 'x'], [2n, 'y']]);
    const wide = file('wide.csv', Array.from({ length: 11 }, (_, i) => i).join(',') + '\n');
    expect((await db.query(`SELECT * FROM read_csv('${wide}')`)).names.slice(0, 2)).toEqual(['column00', 'column01']);
  });

  it('takes an all-text first record as the header when its values are distinct and non-empty', async () => {
    const p = file('text.csv', 'city,country\nParis,France\nLyon,France\n');
    expect(await rows(`SELECT * FROM read_csv('${p}')`)).toEqual([['Paris', 'France'], ['Lyon', 'France']]);
    const q = file('text2.csv', 'a,a\nb,c\n');
    expect(await rows(`SELECT count(*) FROM read_csv('${q}')`)).toEqual([[2n]]);
  });

  it('detects the delimiters |, ; and tab', async () => {
    for (const [name, d] of [['pipe', '|'], ['semi', ';'], ['tab', '\t']] as const) {
      const p = file(`${name}.csv`, `a${d}b${d}c\n1${d}2.5${d}x\n3${d}4${d}y\n`);
      expect(await rows(`SELECT a, b, c FROM read_csv('${p}')`)).toEqual([[1n, 2.5, 'x'], [3n, 4, 'y']]);
    }
  });

  it('widens types over the sample: integers then fractions are DOUBLE, then text is VARCHAR', async () => {
    const p = file('widen.csv', 'a,b\n1,1\n2.5,x\n');
    expect(await schema(`SELECT * FROM read_csv('${p}')`)).toEqual(['a DOUBLE', 'b VARCHAR']);
  });

  it('follows the options header, delim/sep, quote, nullstr and auto_detect', async () => {
    const p = file('opts.txt', "k;'v;w'\n1;NA\n");
    expect(await rows(`SELECT * FROM read_csv('${p}', header = false, sep = ';', quote = '''', nullstr = 'NA')`)).toEqual([
      ['k', 'v;w'],
      ['1', null],
    ]);
    expect(await rows(`SELECT * FROM read_csv('${p}', header := true, delim => ';', quote = '''', nullstr = 'NA')`)).toEqual([[1n, null]]);
    const q = file('plain.csv', 'a,b\n1,2\n');
    expect(await schema(`SELECT * FROM read_csv('${q}', auto_detect = false, header = true)`)).toEqual(['a VARCHAR', 'b VARCHAR']);
  });

  it('rejects unknown options, the columns option and non-files, naming them', async () => {
    const p = file('e.csv', 'a\n1\n');
    expect((await failure(db.query(`SELECT * FROM read_csv('${p}', delimitr = ',')`))).message).toMatch(/no option "delimitr"/);
    expect((await failure(db.query(`SELECT * FROM read_csv('${p}', columns = 'a')`))).message).toMatch(/columns option is not supported/);
    const missing = join(dir, 'missing.csv');
    expect((await failure(db.query(`SELECT * FROM read_csv('${missing}')`))).message).toBe(`read_csv: file "${missing}" does not exist`);
    const sub = join(dir, 'sub.csv');
    mkdirSync(sub);
    expect((await failure(db.query(`SELECT * FROM read_csv('${sub}')`))).message).toMatch(/is a directory/);
    expect((await failure(db.query(`SELECT * FROM read_csv(42)`))).message).toMatch(/file path as a string/);
  });

  it('names the file and line of a record that does not match', async () => {
    const p = file('bad.csv', 'a,b\n1,2\n3\n');
    const e = await failure(db.query(`SELECT * FROM read_csv('${p}')`));
    expect(e.message).toContain(p);
    expect(e.message).toMatch(/line 3/);
  });
});

describe('read_ndjson', () => {
  it('detects columns in first-seen order, NULL for missing keys, nested values as JSON text', async () => {
    const p = file('a.ndjson', '{"a":1,"b":"x","c":1.5,"d":"2024-01-01"}\n\n{"a":2,"c":2,"e":true,"n":{"k":[1,2]}}\n');
    expect(await schema(`SELECT * FROM read_ndjson('${p}')`)).toEqual(['a BIGINT', 'b VARCHAR', 'c DOUBLE', 'd DATE', 'e BOOLEAN', 'n VARCHAR']);
    expect(await rows(`SELECT a, b, c, CAST(d AS VARCHAR), e, n FROM read_ndjson('${p}')`)).toEqual([
      [1n, 'x', 1.5, '2024-01-01', null, null],
      [2n, null, 2, null, true, '{"k":[1,2]}'],
    ]);
  });

  it('reads integers beyond 2^53 exactly', async () => {
    const p = file('big.ndjson', '{"v":9007199254740993,"f":1.12345678901234567}\n{"v":-9223372036854775808,"f":2}\n');
    expect(await schema(`SELECT * FROM read_ndjson('${p}')`)).toEqual(['v BIGINT', 'f DOUBLE']);
    expect(await rows(`SELECT v, f FROM read_ndjson('${p}')`)).toEqual([
      [9007199254740993n, 1.1234567890123457],
      [-9223372036854775808n, 2],
    ]);
  });

  it('names the file and line of a malformed line or a value of the wrong kind', async () => {
    const p = file('bad.ndjson', '{"a":1}\n{"a":2\n');
    const e = await failure(db.query(`SELECT * FROM read_ndjson('${p}')`));
    expect(e.message).toMatch(new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} line 2: not valid JSON`));
    const q = file('arr.ndjson', '{"a":1}\n[1]\n');
    expect((await failure(db.query(`SELECT * FROM read_ndjson('${q}')`))).message).toMatch(/line 2: expected a JSON object/);
  });
});

describe('read_parquet', () => {
  it('reads the columns and types of a file written by COPY TO', async () => {
    await db.exec("CREATE TABLE t (i INTEGER, s VARCHAR, d DECIMAL(9,3))");
    await db.exec("INSERT INTO t VALUES (1, 'x', 1.5), (NULL, NULL, NULL)");
    const p = join(dir, 't.parquet');
    await db.exec(`COPY t TO '${p}'`);
    expect(await schema(`SELECT * FROM read_parquet('${p}')`)).toEqual(['i INTEGER', 's VARCHAR', 'd DECIMAL(9,3)']);
    expect(await rows(`SELECT * FROM read_parquet('${p}')`)).toEqual([[1, 'x', '1.500'], [null, null, null]]);
  });

  it('says a file that is not Parquet is not readable, naming it', async () => {
    const p = file('not.parquet', 'hello');
    expect((await failure(db.query(`SELECT * FROM read_parquet('${p}')`))).message).toBe(`${p} is not a readable Parquet file: it is too short`);
    const q = file('not2.parquet', 'hello, world');
    expect((await failure(db.query(`SELECT * FROM read_parquet('${q}')`))).message).toBe(`${q} is not a readable Parquet file: it does not end in PAR1`);
  });
});
