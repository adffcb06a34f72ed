// The Parquet reader on files DuckDB writes: every type, NULLs, exact decimals and timestamps,
// conversions between types, several row groups, and errors naming file and column.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { T, decimalType, type LogicalType } from '../../../common/types.js';
import { QuiverError } from '../../../common/errors.js';
import { getScalar, type Scalar } from '../../../common/vector.js';
import { readParquet, type ParquetColumn } from '../../../exec/io/parquet-reader.js';
import { parseDate, parseTimestamp } from '../../../common/text-values.js';

let dir: string;
let instance: DuckDBInstance;
let conn: DuckDBConnection;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quiver-parquet-'));
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
});
afterAll(async () => {
  conn.closeSync();
  instance.closeSync();
  await rm(dir, { recursive: true, force: true });
});

let fileNo = 0;
async function parquet(select: string, options = ''): Promise<string> {
  const path = join(dir, `f${fileNo++}.parquet`);
  await conn.run(`COPY (${select}) TO '${path}' (FORMAT parquet${options})`);
  return path;
}

const cols = (...specs: [string, LogicalType][]): ParquetColumn[] => specs.map(([name, type]) => ({ name, type }));

async function readRows(path: string, columns: ParquetColumn[], batchSize?: number): Promise<Scalar[][]> {
  const rows: Scalar[][] = [];
  for await (const batch of readParquet(path, columns, batchSize)) {
    for (let i = 0; i < batch.length; i++) rows.push(batch.columns.map((v) => getScalar(v, i)));
  }
  return rows;
}

async function readError(path: string, columns: ParquetColumn[]): Promise<QuiverError> {
  try {
    await readRows(path, columns);
  } catch (e) {
    expect(e).toBeInstanceOf(QuiverError);
    return e as QuiverError;
  }
  throw new Error('expected an error');
}

const ts = parseTimestamp;

describe('readParquet', () => {
  it('reads every type with NULLs', async () => {
    const path = await parquet(`
      SELECT * FROM (VALUES
        (true, 1::SMALLINT, 2::INT, 3::BIGINT, 1.5::DOUBLE, 0.25::REAL, 'héllo', DATE '2024-02-29',
         TIMESTAMP '2024-02-29 10:11:12.123456', TIMESTAMPTZ '2024-02-29 10:11:12+00', 12.34::DECIMAL(9,2),
         -123456789012.3456::DECIMAL(18,4), 1.5::DECIMAL(38,2), 7::TINYINT, 8::UINTEGER),
        (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
        (false, (-32768)::SMALLINT, (-2147483648)::INT, 9223372036854775807::BIGINT, -0.0::DOUBLE, 'inf'::REAL, '',
         DATE '1969-12-31', TIMESTAMP '1969-12-31 23:59:59.999999', TIMESTAMPTZ '2000-01-01 00:00:00+02',
         -0.01::DECIMAL(9,2), 99999999999999.9999::DECIMAL(18,4), -12345678901234567890123456789012345.67::DECIMAL(38,2),
         (-128)::TINYINT, 4000000000::UINTEGER)
      ) t(bo, si, i, bi, d, r, s, da, ts, tz, d9, d18, d38, ti, ui)`);
    const columns = cols(
      ['bo', T.BOOLEAN],
      ['si', T.SMALLINT],
      ['i', T.INTEGER],
      ['bi', T.BIGINT],
      ['d', T.DOUBLE],
      ['r', T.REAL],
      ['s', T.VARCHAR],
      ['da', T.DATE],
      ['ts', T.TIMESTAMP],
      ['tz', T.TIMESTAMPTZ],
      ['d9', decimalType(9, 2)],
      ['d18', decimalType(18, 4)],
      ['d38', T.VARCHAR],
      ['ti', T.INTEGER],
      ['ui', T.BIGINT],
    );
    const rows = await readRows(path, columns);
    // Row 3's BIGINT and DECIMAL(18,4) values pass 2^53, so the batch holds those columns as bigints.
    expect(rows[0]).toEqual([
      1, 1, 2, 3n, 1.5, 0.25, 'héllo', parseDate('2024-02-29'), ts('2024-02-29 10:11:12.123456'), ts('2024-02-29 10:11:12'),
      1234, -1234567890123456n, '1.50', 7, 8,
    ]);
    expect(rows[1]).toEqual(Array(15).fill(null));
    expect(rows[2]).toEqual([
      0, -32768, -2147483648, 9223372036854775807n, -0, Infinity, '', -1, -1, ts('1999-12-31 22:00:00'),
      -1, 999999999999999999n, '-12345678901234567890123456789012345.67', -128, 4000000000,
    ]);
    expect(Object.is(rows[2]![4], -0)).toBe(true);
  });

  it('keeps decimals exact where doubles would not', async () => {
    const path = await parquet(`SELECT 0.1::DECIMAL(18,17) AS a, 12345678.90123456::DECIMAL(18,8) AS b, 9007199254740993::DECIMAL(18,0) AS c`);
    const rows = await readRows(path, cols(['a', decimalType(18, 17)], ['b', decimalType(18, 8)], ['c', decimalType(18, 0)]));
    expect(rows).toEqual([[10000000000000000n, 1234567890123456, 9007199254740993n]]);
  });

  it('reads millisecond, nanosecond and INT96 timestamps', async () => {
    const path = await parquet(
      `SELECT TIMESTAMP_MS '2024-01-01 10:00:00.123' AS ms, TIMESTAMP_NS '2024-01-01 10:00:00.123456789' AS ns,
              TIMESTAMP_NS '1969-12-31 23:59:59.9999995' AS neg`,
    );
    expect(await readRows(path, cols(['ms', T.TIMESTAMP], ['ns', T.TIMESTAMP], ['neg', T.TIMESTAMP]))).toEqual([
      [ts('2024-01-01 10:00:00.123'), ts('2024-01-01 10:00:00.123456'), -1],
    ]);
  });

  it('matches names case-insensitively and reads columns in the asked order', async () => {
    const path = await parquet(`SELECT 1 AS "Alpha", 'x' AS beta`);
    expect(await readRows(path, cols(['BETA', T.VARCHAR], ['alpha', T.INTEGER], ['Alpha', T.BIGINT]))).toEqual([['x', 1, 1]]);
  });

  it('streams row groups in batches', async () => {
    const path = await parquet(
      `SELECT i::INT AS i, CASE WHEN i % 7 = 0 THEN NULL ELSE 'v' || i END AS s, (i * 1.5)::DECIMAL(12,1) AS d FROM range(10000) t(i)`,
      ', ROW_GROUP_SIZE 2048',
    );
    const columns = cols(['i', T.INTEGER], ['s', T.VARCHAR], ['d', decimalType(12, 1)]);
    const sizes: number[] = [];
    const rows: Scalar[][] = [];
    for await (const batch of readParquet(path, columns, 1000)) {
      sizes.push(batch.length);
      for (let i = 0; i < batch.length; i++) rows.push(batch.columns.map((v) => getScalar(v, i)));
    }
    expect(sizes.every((n) => n <= 1000)).toBe(true);
    expect(sizes.length).toBeGreaterThan(10);
    expect(rows.length).toBe(10000);
    rows.forEach((r, i) => expect(r).toEqual([i, i % 7 === 0 ? null : `v${i}`, i * 15]));
  });

  it('converts between types as casts do', async () => {
    const path = await parquet(
      `SELECT '42' AS s_int, '2024-03-05' AS s_date, '2024-03-05 01:02:03' AS s_ts, '1.25' AS s_dec, 'yes' AS s_bool,
              2.5::DOUBLE AS d_int, 3.5::DOUBLE AS d_int2, 1.005::DOUBLE AS d_dec, 12.5::DECIMAL(9,1) AS dec_int,
              12.345::DECIMAL(9,3) AS dec_dec, 12.345::DECIMAL(9,3) AS dec_dbl, 5::INT AS i_dec, 5::BIGINT AS b_dbl,
              TIMESTAMP '2024-03-05 23:00:00' AS ts_date, DATE '2024-03-05' AS date_ts, true AS b_int,
              1.5::DOUBLE AS d_txt, DATE '2024-03-05' AS date_txt, TIMESTAMP '2024-03-05 01:02:03.5' AS ts_txt,
              -1.50::DECIMAL(9,2) AS dec_txt, 7::BIGINT AS big_txt, false AS bool_txt`,
    );
    const rows = await readRows(
      path,
      cols(
        ['s_int', T.INTEGER],
        ['s_date', T.DATE],
        ['s_ts', T.TIMESTAMP],
        ['s_dec', decimalType(9, 2)],
        ['s_bool', T.BOOLEAN],
        ['d_int', T.INTEGER],
        ['d_int2', T.BIGINT],
        ['d_dec', decimalType(9, 2)],
        ['dec_int', T.INTEGER],
        ['dec_dec', decimalType(9, 2)],
        ['dec_dbl', T.DOUBLE],
        ['i_dec', decimalType(9, 2)],
        ['b_dbl', T.DOUBLE],
        ['ts_date', T.DATE],
        ['date_ts', T.TIMESTAMP],
        ['b_int', T.INTEGER],
        ['d_txt', T.VARCHAR],
        ['date_txt', T.VARCHAR],
        ['ts_txt', T.VARCHAR],
        ['dec_txt', T.VARCHAR],
        ['big_txt', T.VARCHAR],
        ['bool_txt', T.VARCHAR],
      ),
    );
    expect(rows).toEqual([
      [
        42, parseDate('2024-03-05'), ts('2024-03-05 01:02:03'), 125, 1, 2, 4, 101, 13, 1235, 12.345, 500, 5,
        parseDate('2024-03-05'), ts('2024-03-05'), 1, '1.5', '2024-03-05', '2024-03-05 01:02:03.5', '-1.50', '7', 'false',
      ],
    ]);
  });

  it('reads an empty file', async () => {
    const path = await parquet(`SELECT 1::INT AS a WHERE false`);
    expect(await readRows(path, cols(['a', T.INTEGER]))).toEqual([]);
  });
});

describe('readParquet errors name the file and column', () => {
  it('a missing column', async () => {
    const path = await parquet(`SELECT 1 AS a, 2 AS b`);
    const e = await readError(path, cols(['c', T.INTEGER]));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toBe(`${path} has no column "c"; its columns are: a, b`);
  });
  it('a conversion that makes no sense', async () => {
    const path = await parquet(`SELECT DATE '2024-01-01' AS d`);
    const e = await readError(path, cols(['d', T.INTEGER]));
    expect(e.message).toBe(`${path} column "d": cannot convert Parquet DATE values to INTEGER`);
  });
  it('a value out of range', async () => {
    const path = await parquet(`SELECT i::BIGINT * 1000000000 AS v FROM range(4) t(i)`);
    const e = await readError(path, cols(['v', T.INTEGER]));
    expect(e.message).toBe(`${path} row 4, column "v": value 3000000000 is out of range for type INTEGER`);
    const u = await readError(await parquet(`SELECT 4000000000::UINTEGER AS u`), cols(['u', T.INTEGER]));
    expect(u.message).toMatch(/row 1, column "u": value 4000000000 is out of range for type INTEGER$/);
    const d = await readError(path, cols(['v', decimalType(10, 2)]));
    expect(d.message).toBe(`${path} row 2, column "v": numeric field overflow: the value has more than 8 integer digits for type DECIMAL(10,2)`);
  });
  it('an unparsable string', async () => {
    const path = await parquet(`SELECT * FROM (VALUES ('1'), ('x')) t(s)`);
    const e = await readError(path, cols(['s', T.INTEGER]));
    expect(e.message).toBe(`${path} row 2, column "s": invalid input for type INTEGER: "x"`);
  });
  it('nested columns', async () => {
    const path = await parquet(`SELECT [1, 2] AS l`);
    const e = await readError(path, cols(['l', T.VARCHAR]));
    expect(e.code).toBe('NOT_SUPPORTED');
    expect(e.message).toBe(`${path} column "l": Parquet nested (LIST, MAP, STRUCT) columns cannot be read`);
  });
  it('a file that is not Parquet', async () => {
    const path = join(dir, 'not.parquet');
    await writeFile(path, 'a,b\n1,2\n');
    const e = await readError(path, cols(['a', T.INTEGER]));
    expect(e.message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a readable Parquet file: `));
  });
  it('an unsupported compression codec', async () => {
    const path = await parquet(`SELECT 1::INT AS a`, ', COMPRESSION zstd');
    const e = await readError(path, cols(['a', T.INTEGER]));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/column "a": cannot read the Parquet data: .*ZSTD.*\(supported: uncompressed and snappy\)/);
  });
  it('a missing file', async () => {
    const e = await readError(join(dir, 'nope.parquet'), cols(['a', T.INTEGER]));
    expect(e.code).toBe('IO_ERROR');
  });
});
