// COPY t [(cols)] FROM 'file' [WITH] (options) through the embedded library, on small files
// written to a temp directory: PostgreSQL's CSV rules (a quoted empty field is '', an unquoted
// one is NULL), HEADER, DELIMITER, NULL, QUOTE, the text format (.tsv) and dbgen's .tbl, column
// lists, errors naming the file, line and column, and the table left unchanged by a failed COPY.
// A file large enough for parallel parsing into an on-disk table with a sort key: stored in the
// order one thread gives (ties in file order), and NOT NULL still names the row in the file.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Database } from '../../../index.js';
import { failure } from '../../expect-failure.js';

let dir: string;
let db: Database;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'quiver-copy-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  db = await Database.open(':memory:');
  await db.exec('CREATE TABLE c (id INTEGER, name VARCHAR, amount DECIMAL(8,2))');
});

/** Writes a file in the temp directory and returns its path as a SQL string literal body. */
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path.replace(/'/g, "''");
}

async function rows(sql: string): Promise<unknown[][]> {
  return (await db.query(sql)).rows();
}


describe('CSV', () => {
  it('reads a file with a header, quoted delimiters, and quoted vs unquoted empty fields', async () => {
    const path = file('header.csv', 'id,name,amount\n1,"a,b",1.50\n2,,2\n3,"",\n4,"say ""hi""",-0.5\n');
    expect(await rows(`COPY c FROM '${path}' (FORMAT csv, HEADER true)`)).toEqual([[4n]]);
    expect(await rows('SELECT id, name, name IS NULL, amount FROM c ORDER BY id')).toEqual([
      [1, 'a,b', false, '1.50'],
      [2, null, true, '2.00'],
      [3, '', false, null],
      [4, 'say "hi"', false, '-0.50'],
    ]);
  });

  it('has no header by default (as PostgreSQL), so a header line is a bad row', async () => {
    const path = file('noheader.csv', 'id,name,amount\n1,x,1\n');
    const e = await failure(db.query(`COPY c FROM '${path}'`));
    expect(e.message).toContain('line 1');
    expect(e.message).toContain('"id"');
    expect(await rows('SELECT count(*) FROM c')).toEqual([[0n]]);
  });

  it('accepts WITH and a bare HEADER option', async () => {
    const path = file('with.csv', 'id,name,amount\n7,w,7\n');
    await db.exec(`COPY c FROM '${path}' WITH (HEADER)`);
    expect(await rows('SELECT id, name FROM c')).toEqual([[7, 'w']]);
  });

  it('keeps quoted newlines and reads CRLF line endings and a byte-order mark', async () => {
    const path = file('crlf.csv', '\uFEFF1,"two\nlines",1\r\n2,plain,2\r\n');
    await db.exec(`COPY c FROM '${path}' (FORMAT csv)`);
    expect(await rows('SELECT id, name FROM c ORDER BY id')).toEqual([[1, 'two\nlines'], [2, 'plain']]);
  });

  it('takes DELIMITER, NULL and QUOTE options', async () => {
    const semi = file('semi.txt', "1;'a;b';NA\n2;NA;3.25\n");
    await db.exec(`COPY c FROM '${semi}' (FORMAT csv, DELIMITER ';', NULL 'NA', QUOTE '''')`);
    expect(await rows('SELECT id, name, amount FROM c ORDER BY id')).toEqual([[1, 'a;b', null], [2, null, '3.25']]);
  });

  it('fills the columns of a column list and leaves the others NULL', async () => {
    const path = file('cols.csv', 'x,5\ny,6\n');
    expect(await rows(`COPY c (name, id) FROM '${path}'`)).toEqual([[2n]]);
    expect(await rows('SELECT id, name, amount FROM c ORDER BY id')).toEqual([[5, 'x', null], [6, 'y', null]]);
  });

  it('reads more rows than one batch holds', async () => {
    const n = 70_000;
    const lines: string[] = [];
    for (let i = 0; i < n; i++) lines.push(`${i},n${i % 10},${i % 100}.25`);
    const path = file('many.csv', lines.join('\n') + '\n');
    await db.exec(`COPY c FROM '${path}'`);
    expect(await rows('SELECT count(*), sum(id), count(DISTINCT name), max(amount) FROM c')).toEqual([[70000n, 2449965000n, 10n, '99.25']]);
  });
});

describe('text format and .tbl files', () => {
  it('reads .tsv as PostgreSQL text format: tabs, backslash escapes, \\N for NULL', async () => {
    await db.exec('CREATE TABLE ts (k INTEGER, s VARCHAR, n INTEGER)');
    const path = file('data.tsv', '1\tx\\ty\t\\N\n2\t\t5\n3\tback\\\\slash\t6\n');
    await db.exec(`COPY ts FROM '${path}'`);
    expect(await rows('SELECT k, s, n FROM ts ORDER BY k')).toEqual([
      [1, 'x\ty', null],
      [2, '', 5],
      [3, 'back\\slash', 6],
    ]);
  });

  it('reads dbgen .tbl files with their trailing delimiter', async () => {
    await db.exec('CREATE TABLE tb (k INTEGER, s VARCHAR, d DATE, p DECIMAL(12,2))');
    const path = file('part.tbl', '1|x|2024-01-01|10.50|\n2|y y|2024-02-29|0.01|\n');
    await db.exec(`COPY tb FROM '${path}'`);
    expect(await rows('SELECT k, s, d, p FROM tb ORDER BY k')).toEqual([
      [1, 'x', '2024-01-01', '10.50'],
      [2, 'y y', '2024-02-29', '0.01'],
    ]);
  });

  it('takes FORMAT text with a NULL string', async () => {
    await db.exec('CREATE TABLE ts (k INTEGER, s VARCHAR)');
    const path = file('nulls.txt', '1\t-\n2\tz\n');
    await db.exec(`COPY ts FROM '${path}' (FORMAT text, NULL '-')`);
    expect(await rows('SELECT k, s FROM ts ORDER BY k')).toEqual([[1, null], [2, 'z']]);
  });
});

describe('errors leave the table unchanged', () => {
  beforeEach(async () => {
    await db.exec("INSERT INTO c VALUES (100, 'kept', 1)");
  });

  it('names the file, line and column of a bad value', async () => {
    const path = file('bad.csv', '1,ok,1\n2,bad,notanumber\n');
    const e = await failure(db.query(`COPY c FROM '${path}'`));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toContain(path);
    expect(e.message).toContain('line 2');
    expect(e.message).toContain('column 3');
    expect(e.message).toContain('amount');
    expect(e.message).toContain('"notanumber"');
    expect(await rows('SELECT id, name FROM c')).toEqual([[100, 'kept']]);
  });

  it('reports extra and missing fields', async () => {
    const extra = file('extra.csv', '1,a,1,surplus\n');
    expect((await failure(db.query(`COPY c FROM '${extra}'`))).message).toContain('line 1');
    const missing = file('missing.csv', '1,a\n');
    expect((await failure(db.query(`COPY c FROM '${missing}'`))).message).toContain('line 1');
    expect(await rows('SELECT count(*) FROM c')).toEqual([[1n]]);
  });

  it('reports an unterminated quote', async () => {
    const path = file('quote.csv', '1,"open,1\n2,b,2\n');
    const e = await failure(db.query(`COPY c FROM '${path}'`));
    expect(e.message).toMatch(/quote/);
    expect(await rows('SELECT count(*) FROM c')).toEqual([[1n]]);
  });

  it('reports a value out of range for the column type', async () => {
    await db.exec('CREATE TABLE small (s SMALLINT)');
    const path = file('range.csv', '1\n40000\n');
    const e = await failure(db.query(`COPY small FROM '${path}'`));
    expect(e.message).toContain('line 2');
    expect(await rows('SELECT count(*) FROM small')).toEqual([[0n]]);
  });

  it('enforces NOT NULL, naming the row', async () => {
    await db.exec('CREATE TABLE nn (a INTEGER NOT NULL, b VARCHAR)');
    const path = file('nn.csv', '1,x\n,y\n');
    const e = await failure(db.query(`COPY nn FROM '${path}'`));
    expect(e.code).toBe('CONSTRAINT_ERROR');
    expect(e.message).toContain('"a"');
    expect(e.message).toContain('row 2');
    expect(await rows('SELECT count(*) FROM nn')).toEqual([[0n]]);
  });

  it('reports a missing file, an unknown table or column, and bad options', async () => {
    expect((await failure(db.query(`COPY c FROM '${join(dir, 'nope.csv')}'`))).code).toBe('IO_ERROR');
    const path = file('ok.csv', '1,a,1\n');
    expect((await failure(db.query(`COPY nope FROM '${path}'`))).code).toBe('CATALOG_ERROR');
    expect((await failure(db.query(`COPY c (id, nope) FROM '${path}'`))).message).toContain('nope');
    expect((await failure(db.query(`COPY c FROM '${path}' (FORMAT xml)`))).message).toContain('xml');
    expect((await failure(db.query(`COPY c FROM '${path}' (DELIMITER 'ab')`))).message).toContain('delimiter');
    expect(await rows('SELECT count(*) FROM c')).toEqual([[1n]]);
  });

  describe('a file parsed in parallel into a sorted table on disk', () => {
    // Past PARALLEL_MIN_BYTES (8 MiB), so worker threads parse it and sort their ranges.
    const count = 260_000;
    const keyOf = (i: number): number => (i * 7919) % 300;
    function big(name: string, nullAt = -1): string {
      const modes = ['AIR', 'RAIL', 'SHIP', 'TRUCK', 'MAIL'];
      const lines: string[] = [];
      for (let i = 0; i < count; i++) lines.push(`${keyOf(i)}|${modes[i % 5]}|${i === nullAt ? '' : i}|padding to make the file large|`);
      return file(name, lines.join('\n') + '\n');
    }
    let disk: Database;
    beforeEach(async () => {
      disk = await Database.open(mkdtempSync(join(dir, 'db-')));
      await disk.exec('SET threads = 1');
    });
    afterEach(async () => {
      await disk.close();
    });

    it('stores the rows sorted by the key, ties in file order, as one thread would', async () => {
      await disk.exec('CREATE TABLE s (k INTEGER, mode VARCHAR, n INTEGER, pad VARCHAR) ORDER BY (k)');
      await disk.exec(`COPY s FROM '${big('big.tbl')}'`);
      // The stable sort of the file by k: for each key, its rows in file order.
      const expected: number[] = [];
      const byKey = Array.from({ length: 300 }, () => [] as number[]);
      for (let i = 0; i < count; i++) byKey[keyOf(i)]!.push(i);
      for (const rows of byKey) expected.push(...rows);
      const stored = (await disk.query('SELECT k, n, mode FROM s')).rows();
      expect(stored.length).toBe(count);
      let wrong = 0;
      for (let r = 0; r < count; r++) {
        const [k, n, mode] = stored[r] as [number, number, string];
        if (n !== expected[r] || k !== keyOf(n) || mode !== ['AIR', 'RAIL', 'SHIP', 'TRUCK', 'MAIL'][n % 5]) wrong++;
      }
      expect(wrong).toBe(0);
    });

    it('keeps the file order in a table in memory or in a transaction (nothing sorts them there)', async () => {
      const path = big('order.tbl');
      const mem = await Database.open(':memory:');
      try {
        await mem.exec('CREATE TABLE s (k INTEGER, mode VARCHAR, n INTEGER, pad VARCHAR) ORDER BY (k)');
        await mem.exec(`COPY s FROM '${path}'`);
        const ns = (await mem.query('SELECT n FROM s')).rows().map((r) => r[0] as number);
        expect(ns.length).toBe(count);
        expect(ns.every((n, i) => n === i)).toBe(true);
      } finally {
        await mem.close();
      }
      await disk.exec(`CREATE TABLE s (k INTEGER, mode VARCHAR, n INTEGER, pad VARCHAR) ORDER BY (k); BEGIN; COPY s FROM '${path}'`);
      const ns = (await disk.query('SELECT n FROM s')).rows().map((r) => r[0] as number);
      await disk.exec('ROLLBACK');
      expect(ns.every((n, i) => n === i)).toBe(true);
    });

    it('names the row of a NULL in a NOT NULL column by its place in the file, and loads nothing', async () => {
      await disk.exec('CREATE TABLE s (k INTEGER, mode VARCHAR, n INTEGER NOT NULL, pad VARCHAR) ORDER BY (k)');
      const e = await failure(disk.query(`COPY s FROM '${big('null.tbl', 200_000)}'`));
      expect(e.code).toBe('CONSTRAINT_ERROR');
      expect(e.message).toContain('row 200001');
      expect((await disk.query('SELECT count(*) FROM s')).rows()).toEqual([[0n]]);
    });
  });
});
