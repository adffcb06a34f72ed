// Tests of the command line's result formats (sql/result-format.ts) on hand-built QueryResults: the
// exact text of table, json, ndjson and csv for every value kind, NULLs, selections, constant and
// dictionary vectors, exact 64-bit integers, CSV quoting, wide characters, and chunked output.

import { describe, expect, it } from 'vitest';
import { makeBatch } from '../../common/batch.js';
import { T, decimalType } from '../../common/types.js';
import { constantVector, flatVector, type DictionaryVector, type Vector } from '../../common/vector.js';
import { QueryResult } from '../../sql/result.js';
import { csvField, displayWidth, formatResult, writeResult } from '../../sql/result-format.js';

const DAY_2020_01_02 = 18263;
const DAY_1999_12_31 = 10956;
/** 2024-02-29 13:45:30.123 UTC in microseconds. */
const TS = 1709214330123000;

/** One result of every common type: two batches, the second with a selection vector. */
function sample(): QueryResult {
  const types = [T.INTEGER, T.VARCHAR, decimalType(10, 2), T.DATE, T.DOUBLE, T.BIGINT, T.BOOLEAN, T.TIMESTAMP];
  const names = ['id', 'name', 'price', 'day', 'ratio', 'big', 'ok', 'at'];
  const first = makeBatch(
    [
      flatVector(T.INTEGER, Int32Array.of(1, 22)),
      flatVector(T.VARCHAR, ['plain', 'x'], Uint8Array.of(1, 0)),
      flatVector(decimalType(10, 2), Float64Array.of(150, -25)),
      flatVector(T.DATE, Int32Array.of(DAY_2020_01_02, 0), Uint8Array.of(1, 0)),
      flatVector(T.DOUBLE, Float64Array.of(0.5, 1e300)),
      flatVector(T.BIGINT, Float64Array.of(1000, -7)),
      flatVector(T.BOOLEAN, Uint8Array.of(1, 0)),
      flatVector(T.TIMESTAMP, Float64Array.of(TS, 0), Uint8Array.of(1, 0)),
    ],
    2,
  );
  // Rows 0 and 2 of three are selected; the name column is a dictionary, the flag a constant.
  const names2: DictionaryVector = {
    kind: 'dictionary',
    type: T.VARCHAR,
    length: 3,
    codes: Int32Array.of(1, 0, 1),
    dictionary: flatVector(T.VARCHAR, ['skipped', 'say "hi", ok']),
  };
  const second = makeBatch(
    [
      flatVector(T.INTEGER, Int32Array.of(3, 99, -4)),
      names2,
      flatVector(decimalType(10, 2), Float64Array.of(5, 0, 0), Uint8Array.of(1, 1, 0)),
      flatVector(T.DATE, Int32Array.of(DAY_1999_12_31, 0, DAY_1999_12_31)),
      flatVector(T.DOUBLE, Float64Array.of(-0.25, 0, 3), Uint8Array.of(1, 1, 0)),
      flatVector(T.BIGINT, Float64Array.of(2, 0, 3)),
      constantVector(T.BOOLEAN, 1, 3),
      flatVector(T.TIMESTAMP, Float64Array.of(0, 0, TS)),
    ],
    3,
    Int32Array.of(0, 2),
  );
  return new QueryResult(names, types, [first, second], { rowsRead: 10, bytesRead: 320, elapsedMs: 1.23456 });
}

describe('table format', () => {
  it('aligns columns, right-aligns numbers, shows NULL and counts the rows', async () => {
    expect(await formatResult(sample(), 'table')).toBe(
      [
        ' id | name         | price | day        |  ratio |  big | ok    | at',
        '----+--------------+-------+------------+--------+------+-------+-------------------------',
        '  1 | plain        |  1.50 | 2020-01-02 |    0.5 | 1000 | true  | 2024-02-29 13:45:30.123',
        ' 22 | NULL         | -0.25 | NULL       | 1e+300 |   -7 | false | NULL',
        '  3 | say "hi", ok |  0.05 | 1999-12-31 |  -0.25 |    2 | true  | 1970-01-01 00:00:00',
        ' -4 | say "hi", ok |  NULL | 1999-12-31 |   NULL |    3 | true  | 2024-02-29 13:45:30.123',
        '(4 rows)',
        '',
      ].join('\n'),
    );
  });

  it('says "(1 row)" for one row and prints a header for no rows', async () => {
    const one = new QueryResult(['n'], [T.INTEGER], [makeBatch([flatVector(T.INTEGER, Int32Array.of(7))], 1)]);
    expect(await formatResult(one, 'table')).toBe(' n\n---\n 7\n(1 row)\n');
    const none = new QueryResult(['name', 'n'], [T.VARCHAR, T.INTEGER], []);
    expect(await formatResult(none, 'table')).toBe(' name | n\n------+---\n(0 rows)\n');
  });

  it('prints OK for a statement without columns', async () => {
    expect(await formatResult(new QueryResult([], [], []), 'table')).toBe('OK\n');
  });

  it('counts wide characters as two cells and escapes control characters', async () => {
    const r = new QueryResult(['s', 'n'], [T.VARCHAR, T.INTEGER], [makeBatch([flatVector(T.VARCHAR, ['日本', 'a\nb\tc']), flatVector(T.INTEGER, Int32Array.of(1, 2))], 2)]);
    expect(await formatResult(r, 'table')).toBe([' s       | n', '---------+---', ' 日本    | 1', ' a\\nb\\tc | 2', '(2 rows)', ''].join('\n'));
  });
});

describe('json format', () => {
  it('is the JSON answer of DESIGN.md, BIGINT and DECIMAL as strings', async () => {
    const text = await formatResult(sample(), 'json');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toBe(
      '{"columns":[{"name":"id","type":"INTEGER"},{"name":"name","type":"VARCHAR"},{"name":"price","type":"DECIMAL(10,2)"},' +
        '{"name":"day","type":"DATE"},{"name":"ratio","type":"DOUBLE"},{"name":"big","type":"BIGINT"},{"name":"ok","type":"BOOLEAN"},' +
        '{"name":"at","type":"TIMESTAMP"}],"rows":[' +
        '[1,"plain","1.50","2020-01-02",0.5,"1000",true,"2024-02-29T13:45:30.123Z"],' +
        '[22,null,"-0.25",null,1e+300,"-7",false,null],' +
        '[3,"say \\"hi\\", ok","0.05","1999-12-31",-0.25,"2",true,"1970-01-01T00:00:00.000Z"],' +
        '[-4,"say \\"hi\\", ok",null,"1999-12-31",null,"3",true,"2024-02-29T13:45:30.123Z"]' +
        '],"stats":{"rows_read":10,"bytes_read":320,"elapsed_ms":1.235}}\n',
    );
    const parsed = JSON.parse(text) as { rows: unknown[][] };
    expect(parsed.rows).toHaveLength(4);
  });

  it('keeps 64-bit integers exact and writes non-finite doubles as strings', async () => {
    const big = BigInt(2) ** BigInt(53) + BigInt(1);
    const r = new QueryResult(
      ['b', 'd', 'x'],
      [T.BIGINT, decimalType(18, 4), T.DOUBLE],
      [makeBatch([flatVector(T.BIGINT, BigInt64Array.of(big, -big)), flatVector(decimalType(18, 4), BigInt64Array.of(big, BigInt(-1))), flatVector(T.DOUBLE, Float64Array.of(NaN, -Infinity))], 2)],
    );
    const parsed = JSON.parse(await formatResult(r, 'json')) as { rows: unknown[][] };
    expect(parsed.rows).toEqual([
      ['9007199254740993', '900719925474.0993', 'NaN'],
      ['-9007199254740993', '-0.0001', '-Infinity'],
    ]);
  });

  it('writes an empty answer for a statement without columns', async () => {
    expect(await formatResult(new QueryResult([], [], []), 'json')).toBe('{"columns":[],"rows":[],"stats":{"rows_read":0,"bytes_read":0,"elapsed_ms":0}}\n');
  });

  it('formats constant INTERVAL and NULL-typed columns', async () => {
    const r = new QueryResult(['i', 'n'], [T.INTERVAL, T.NULL], [makeBatch([constantVector(T.INTERVAL, { months: 14, days: 3, micros: 0 }, 2), constantVector(T.NULL, null, 2)], 2)]);
    expect(await formatResult(r, 'ndjson')).toBe('{"i":"1 year 2 mons 3 days","n":null}\n'.repeat(2));
    expect(await formatResult(r, 'csv')).toBe('i,n\n1 year 2 mons 3 days,\n1 year 2 mons 3 days,\n');
  });
});

describe('ndjson format', () => {
  it('writes one object per row keyed by column name', async () => {
    expect(await formatResult(sample(), 'ndjson')).toBe(
      [
        '{"id":1,"name":"plain","price":"1.50","day":"2020-01-02","ratio":0.5,"big":"1000","ok":true,"at":"2024-02-29T13:45:30.123Z"}',
        '{"id":22,"name":null,"price":"-0.25","day":null,"ratio":1e+300,"big":"-7","ok":false,"at":null}',
        '{"id":3,"name":"say \\"hi\\", ok","price":"0.05","day":"1999-12-31","ratio":-0.25,"big":"2","ok":true,"at":"1970-01-01T00:00:00.000Z"}',
        '{"id":-4,"name":"say \\"hi\\", ok","price":null,"day":"1999-12-31","ratio":null,"big":"3","ok":true,"at":"2024-02-29T13:45:30.123Z"}',
        '',
      ].join('\n'),
    );
  });

  it('writes nothing for no rows', async () => {
    expect(await formatResult(new QueryResult(['a'], [T.INTEGER], []), 'ndjson')).toBe('');
  });
});

describe('csv format', () => {
  it('writes a header, quotes as RFC 4180 and leaves NULL fields empty', async () => {
    expect(await formatResult(sample(), 'csv')).toBe(
      [
        'id,name,price,day,ratio,big,ok,at',
        '1,plain,1.50,2020-01-02,0.5,1000,true,2024-02-29 13:45:30.123',
        '22,,-0.25,,1e+300,-7,false,',
        '3,"say ""hi"", ok",0.05,1999-12-31,-0.25,2,true,1970-01-01 00:00:00',
        '-4,"say ""hi"", ok",,1999-12-31,,3,true,2024-02-29 13:45:30.123',
        '',
      ].join('\n'),
    );
  });

  it('tells an empty string from NULL and quotes line breaks', async () => {
    const r = new QueryResult(['a,b', 's'], [T.INTEGER, T.VARCHAR], [makeBatch([flatVector(T.INTEGER, Int32Array.of(1, 2, 3)), flatVector(T.VARCHAR, ['', 'x', 'two\nlines\r'], Uint8Array.of(1, 0, 1))], 3)]);
    expect(await formatResult(r, 'csv')).toBe('"a,b",s\n1,""\n2,\n3,"two\nlines\r"\n');
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a"b')).toBe('"a""b"');
  });

  it('writes nothing for a statement without columns', async () => {
    expect(await formatResult(new QueryResult([], [], []), 'csv')).toBe('');
  });
});

describe('output in chunks', () => {
  it('hands large results to the sink in bounded chunks and waits for it', async () => {
    const rows = 50_000;
    const values = new Int32Array(rows);
    for (let i = 0; i < rows; i++) values[i] = i;
    const columns: Vector[] = [flatVector(T.INTEGER, values), constantVector(T.VARCHAR, 'same text', rows)];
    const r = new QueryResult(['i', 's'], [T.INTEGER, T.VARCHAR], [makeBatch(columns, rows)]);
    const chunks: string[] = [];
    let pending = 0;
    await writeResult(r, 'csv', {
      write: async (chunk) => {
        expect(pending).toBe(0); // never called again before the previous write finished
        pending++;
        await new Promise((resolve) => setImmediate(resolve));
        pending--;
        chunks.push(chunk);
      },
    });
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) expect(c.length).toBeLessThan((1 << 16) + 100);
    const text = chunks.join('');
    expect(text).toBe(await formatResult(r, 'csv'));
    const lines = text.split('\n');
    expect(lines[0]).toBe('i,s');
    expect(lines[rows]).toBe(`${rows - 1},same text`);
  });
});

describe('displayWidth', () => {
  it('counts terminal cells', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('日本語')).toBe(6);
    expect(displayWidth('e\u0301')).toBe(1); // e + combining acute accent
    expect(displayWidth('né')).toBe(2);
  });
});
