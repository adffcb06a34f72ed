// The delimited-file reader: PostgreSQL's CSV and text rules, .tbl trailing pipes, records
// straddling reads, every type, and error messages naming file, line and column.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { T, decimalType, type LogicalType } from '../../../common/types.js';
import { QuiverError } from '../../../common/errors.js';
import { getScalar, type Scalar } from '../../../common/vector.js';
import {
  type CsvOptions,
  type DelimitedColumn,
  csvDefaults,
  detectFormatFromPath,
  readDelimited,
  textDefaults,
} from '../../../exec/io/csv-reader.js';
import { parseTimestamp } from '../../../common/text-values.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quiver-csv-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let fileNo = 0;
async function file(content: string | Buffer, ext = '.csv'): Promise<string> {
  const path = join(dir, `f${fileNo++}${ext}`);
  await writeFile(path, content);
  return path;
}

const cols = (...specs: [string, LogicalType][]): DelimitedColumn[] => specs.map(([name, type]) => ({ name, type }));

async function readRows(path: string, columns: DelimitedColumn[], options: CsvOptions, batchSize?: number): Promise<Scalar[][]> {
  const rows: Scalar[][] = [];
  for await (const batch of readDelimited(path, columns, options, batchSize)) {
    expect(batch.columns.length).toBe(columns.length);
    for (let i = 0; i < batch.length; i++) rows.push(batch.columns.map((v) => getScalar(v, i)));
  }
  return rows;
}

// Every case runs with reads of 1, 2, 3, 5 and 64 bytes and the default, and with tiny batches,
// so fields, quotes, CR LF pairs and escapes straddle reads and batches at every position.
const CHUNKS = [1, 2, 3, 5, 64, undefined];
async function readAll(content: string | Buffer, columns: DelimitedColumn[], options: Partial<CsvOptions> = {}, ext = '.csv'): Promise<Scalar[][]> {
  const path = await file(content, ext);
  let first: Scalar[][] | undefined;
  for (const chunkSize of CHUNKS) {
    for (const batchSize of [1, 3, undefined]) {
      const rows = await readRows(path, columns, { ...csvDefaults(), ...options, chunkSize }, batchSize);
      if (first === undefined) first = rows;
      else expect(rows).toEqual(first);
    }
  }
  return first!;
}

async function readError(content: string, columns: DelimitedColumn[], options: Partial<CsvOptions> = {}, name = 'bad.csv'): Promise<QuiverError> {
  const path = join(dir, name);
  await writeFile(path, content);
  let message: string | undefined;
  for (const chunkSize of CHUNKS) {
    try {
      await readRows(path, columns, { ...csvDefaults(), ...options, chunkSize });
    } catch (e) {
      expect(e).toBeInstanceOf(QuiverError);
      const err = e as QuiverError;
      if (message === undefined) message = err.message;
      else expect(err.message).toBe(message); // the same error whatever the read size
      if (chunkSize === undefined) return err;
      continue;
    }
    throw new Error(`expected an error with chunk size ${chunkSize}`);
  }
  throw new Error('unreachable');
}

describe('CSV format (PostgreSQL rules)', () => {
  const ab = cols(['a', T.INTEGER], ['b', T.VARCHAR]);

  it('reads plain records', async () => {
    expect(await readAll('1,x\n2,y\n', ab)).toEqual([
      [1, 'x'],
      [2, 'y'],
    ]);
  });
  it('reads a last line without a newline', async () => {
    expect(await readAll('1,x\n2,y', ab)).toEqual([
      [1, 'x'],
      [2, 'y'],
    ]);
  });
  it('treats an unquoted empty field as NULL and a quoted one as the empty string', async () => {
    expect(await readAll('1,\n,""\n3,"a"\n', ab)).toEqual([
      [1, null],
      [null, ''],
      [3, 'a'],
    ]);
  });
  it('keeps delimiters, newlines and doubled quotes inside quotes', async () => {
    expect(await readAll('1,"a,b"\n2,"line1\nline2"\n3,"say ""hi"""\n4,""""\n', ab)).toEqual([
      [1, 'a,b'],
      [2, 'line1\nline2'],
      [3, 'say "hi"'],
      [4, '"'],
    ]);
  });
  it('accepts quotes opening and closing mid-field, as PostgreSQL', async () => {
    expect(await readAll('1,ab"c,d"e\n2,"x"y\n', ab)).toEqual([
      [1, 'abc,de'],
      [2, 'xy'],
    ]);
  });
  it('accepts CR LF and CR line endings', async () => {
    expect(await readAll('1,x\r\n2,"a\r\nb"\r\n3,z\r4,w', ab)).toEqual([
      [1, 'x'],
      [2, 'a\r\nb'],
      [3, 'z'],
      [4, 'w'],
    ]);
  });
  it('keeps leading and trailing spaces of text', async () => {
    expect(await readAll('1,  a b  \n 2 ," q "\n', ab)).toEqual([
      [1, '  a b  '],
      [2, ' q '],
    ]);
  });
  it('skips the header and a byte-order mark', async () => {
    expect(await readAll('\ufeffa,"b\nc"\n1,x\n', ab, { header: true })).toEqual([[1, 'x']]);
    expect(await readAll('\ufeff1,x\n', ab)).toEqual([[1, 'x']]);
    expect(await readAll('a,b\n', ab, { header: true })).toEqual([]);
  });
  it('reads an empty file', async () => {
    expect(await readAll('', ab)).toEqual([]);
  });
  it('skips blank lines for several columns, reads them as NULL for one', async () => {
    expect(await readAll('1,x\n\n2,y\r\n\r\n', ab)).toEqual([
      [1, 'x'],
      [2, 'y'],
    ]);
    expect(await readAll('1\n\n2\n', cols(['a', T.INTEGER]))).toEqual([[1], [null], [2]]);
  });
  it('matches a custom NULL string only when unquoted', async () => {
    expect(await readAll('1,NA\n2,"NA"\nNA,\n', ab, { nullString: 'NA' })).toEqual([
      [1, null],
      [2, 'NA'],
      [null, ''],
    ]);
  });
  it('honours a custom delimiter, quote and escape', async () => {
    expect(await readAll("1;'a;b'\n2;'it\\'s'\n3;'x\\\\y'\n4;'p\\q'\n", ab, { delimiter: ';', quote: "'", escape: '\\' })).toEqual([
      [1, 'a;b'],
      [2, "it's"],
      [3, 'x\\y'],
      [4, 'p\\q'],
    ]);
  });
  it('decodes UTF-8', async () => {
    expect(await readAll('1,héllo\n2,"日本,語"\n3,😀\n', ab)).toEqual([
      [1, 'héllo'],
      [2, '日本,語'],
      [3, '😀'],
    ]);
  });
  it('reads many rows across batches', async () => {
    const n = 1000;
    let text = '';
    for (let i = 0; i < n; i++) text += `${i},"v${i}"\n`;
    const path = await file(text);
    for (const [chunkSize, batchSize] of [
      [7, 64],
      [undefined, 100],
      [undefined, undefined],
    ] as const) {
      const rows = await readRows(path, ab, { ...csvDefaults(), chunkSize }, batchSize);
      expect(rows.length).toBe(n);
      expect(rows[n - 1]).toEqual([n - 1, `v${n - 1}`]);
      expect(rows.every((r, i) => r[0] === i && r[1] === `v${i}`)).toBe(true);
    }
    let sizes: number[] = [];
    for await (const b of readDelimited(path, ab, csvDefaults(), 300)) sizes.push(b.length);
    expect(sizes).toEqual([300, 300, 300, 100]);
    sizes = [];
    for await (const b of readDelimited(path, ab, csvDefaults(), 500)) sizes.push(b.length);
    expect(sizes).toEqual([500, 500]);
  });
  it('grows its buffer for a field larger than a read', async () => {
    const big = 'x'.repeat(100_000);
    const path = await file(`1,"${big}"\n2,${big}\n`);
    const rows = await readRows(path, ab, { ...csvDefaults(), chunkSize: 1000 });
    expect(rows).toEqual([
      [1, big],
      [2, big],
    ]);
  });
});

describe('.tbl files', () => {
  it('ignores the trailing delimiter dbgen writes', async () => {
    const columns = cols(['k', T.INTEGER], ['name', T.VARCHAR], ['price', decimalType(15, 2)]);
    expect(await readAll('1|Customer#1|711.56|\n2|Customer#2|121.65|\n', columns, detectFormatFromPath('x.tbl'), '.tbl')).toEqual([
      [1, 'Customer#1', 71156],
      [2, 'Customer#2', 12165],
    ]);
  });
  it('reads lines without the trailing delimiter too', async () => {
    const columns = cols(['k', T.INTEGER], ['s', T.VARCHAR]);
    expect(await readAll('1|a\n2|b|\n3||\n', columns, { delimiter: '|' }, '.tbl')).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, null],
    ]);
  });
  it('rejects a non-empty extra field', async () => {
    const e = await readError('1|a|x\n', cols(['k', T.INTEGER], ['s', T.VARCHAR]), { delimiter: '|' }, 'bad.tbl');
    expect(e.message).toMatch(/bad\.tbl line 1, column 3: extra data after the last expected column: the table has 2 columns$/);
  });
  it('reads plain records on the fast path and hands every other one to the general parser', async () => {
    // Plain records between ones the fast path gives up on: a NULL, '+', a leading zero run, 16
    // digits, a quoted field, CR LF, a non-numeric NULL string look-alike, a SMALLINT bound.
    const columns = cols(['i', T.INTEGER], ['s', T.VARCHAR], ['b', T.BIGINT], ['h', T.SMALLINT], ['d', T.DATE]);
    const content = [
      '-0|a|-12|32767|2024-02-29|',
      '|b|+7|-32768|1999-12-31|',
      '007|"c|d"|1234567890123456|0|2000-01-01|',
      '-2147483648|Ünï|9007199254740991|1|2000-01-02|\r',
      '2147483647||-0|2|2000-01-03',
      '5|e|6|7|2000-01-04|',
    ].join('\n') + '\n';
    const rows = await readAll(content, columns, { delimiter: '|' }, '.tbl');
    expect(rows).toEqual([
      [0, 'a', -12, 32767, 19782],
      [null, 'b', 7, -32768, 10956],
      [7, 'c|d', 1234567890123456, 0, 10957],
      [-2147483648, 'Ünï', 9007199254740991, 1, 10958],
      [2147483647, null, 0, 2, 10959],
      [5, 'e', 6, 7, 10960],
    ]);
    expect(Object.is(rows[4]![2], -0)).toBe(false);
  });
  it('reports a value the fast path cannot hold at its line and column', async () => {
    const e = await readError('1|2\n3|2147483648\n', cols(['a', T.INTEGER], ['b', T.INTEGER]), { delimiter: '|' }, 'bad.tbl');
    expect(e.message).toMatch(/bad\.tbl line 2, column 2 \(b\): .*out of range/);
    const short = await readError('1|2\n3\n', cols(['a', T.INTEGER], ['b', T.INTEGER]), { delimiter: '|' }, 'bad.tbl');
    expect(short.message).toMatch(/bad\.tbl line 2, column 2 \(b\): missing data/);
  });
  it('does not ignore a trailing comma in CSV', async () => {
    const e = await readError('1,a,\n', cols(['k', T.INTEGER], ['s', T.VARCHAR]));
    expect(e.message).toMatch(/bad\.csv line 1, column 3: extra data/);
  });
});

describe('text format (PostgreSQL COPY default)', () => {
  const ab = cols(['a', T.INTEGER], ['b', T.VARCHAR]);
  it('reads \\N as NULL and unescapes backslashes', async () => {
    expect(
      await readAll('1\tx\n\\N\t\\N\n3\t\n4\ta\\tb\\nc\\\\d\\\te\n5\t\\101\\x41\\x4a\\q\n', ab, textDefaults(), '.tsv'),
    ).toEqual([
      [1, 'x'],
      [null, null],
      [3, ''],
      [4, 'a\tb\nc\\d\te'],
      [5, 'AAJq'],
    ]);
  });
  it('keeps a backslash-escaped newline as data and counts the line', async () => {
    expect(await readAll('1\ta\\\nb\n2\tc\n', ab, textDefaults(), '.tsv')).toEqual([
      [1, 'a\nb'],
      [2, 'c'],
    ]);
    const e = await readError('1\ta\\\nb\nx\tc\n', ab, textDefaults(), 'bad.tsv');
    expect(e.message).toMatch(/bad\.tsv line 3, column 1 \(a\): invalid input for type INTEGER: "x"$/);
  });
  it('treats quotes as data', async () => {
    expect(await readAll('1\t"q"\n', ab, textDefaults(), '.tsv')).toEqual([[1, '"q"']]);
    expect(await readAll('1\t"q\n', ab, { ...textDefaults(), quote: '' }, '.tsv')).toEqual([[1, '"q']]);
  });
  it('stops at the end-of-data marker', async () => {
    expect(await readAll('1\tx\n\\.\n2\ty\n', ab, textDefaults(), '.tsv')).toEqual([[1, 'x']]);
  });
  it('rejects an empty field for a number, as PostgreSQL', async () => {
    const e = await readError('\tx\n', ab, textDefaults(), 'bad.tsv');
    expect(e.message).toMatch(/bad\.tsv line 1, column 1 \(a\): invalid input for type INTEGER: ""$/);
  });
});

describe('types', () => {
  it('converts every type, with fast and general paths agreeing', async () => {
    const columns = cols(
      ['bo', T.BOOLEAN],
      ['si', T.SMALLINT],
      ['i', T.INTEGER],
      ['bi', T.BIGINT],
      ['de', decimalType(10, 2)],
      ['db', T.DOUBLE],
      ['re', T.REAL],
      ['da', T.DATE],
      ['ts', T.TIMESTAMP],
      ['tz', T.TIMESTAMPTZ],
      ['s', T.VARCHAR],
    );
    const text = [
      't,1,2,3,1.5,2.5,0.25,2024-02-29,2024-02-29 10:11:12,2024-02-29T10:11:12Z,a',
      'no,-32768, -7 ,+9007199254740992,-0.005,1e3,-inf,1970-1-2,2024-02-29 10:11:12.5,2024-02-29 12:11:12+02,"b"',
      'ON,32767,2147483647,-9007199254740992,99999999.99,NaN,0.1,0001-01-01,1970-01-01,1970-01-01 00:00:00.000001,"""c"""',
      ',,,,,,,,,,',
    ].join('\n');
    const rows = await readAll(text, columns);
    const ts = parseTimestamp('2024-02-29 10:11:12');
    expect(rows).toEqual([
      [1, 1, 2, 3, 150, 2.5, 0.25, 19782, ts, ts, 'a'],
      [0, -32768, -7, 9007199254740992, -1, 1000, -Infinity, 1, ts + 500000, ts, 'b'],
      [1, 32767, 2147483647, -9007199254740992, 9999999999, NaN, 0.1, -719162, 0, 1, '"c"'],
      [null, null, null, null, null, null, null, null, null, null, null],
    ]);
  });
  it('parses doubles exactly as the general parser does', async () => {
    const values = ['0.1', '123456789012345', '1234567890.12345', '-0.000001', '3.14159265358979', '0.3', '99999999999999.9', '1.7976931348623157e308', '5e-324', '-0'];
    const rows = await readAll(values.join('\n') + '\n', cols(['d', T.DOUBLE]));
    expect(rows.map((r) => r[0])).toEqual(values.map(Number));
    expect(Object.is(rows[9]![0], -0)).toBe(true);
  });
  it('switches BIGINT and DECIMAL batches to BigInt64Array past 2^53', async () => {
    const columns = cols(['b', T.BIGINT], ['d', decimalType(18, 2)]);
    const path = await file('1,1.5\n9223372036854775807,9999999999999999.99\n-3,\n');
    const batches = [];
    for await (const b of readDelimited(path, columns, csvDefaults())) batches.push(b);
    expect(batches.length).toBe(1);
    const [b, d] = batches[0]!.columns;
    expect(b!.kind === 'flat' && b!.data instanceof BigInt64Array).toBe(true);
    expect(d!.kind === 'flat' && d!.data instanceof BigInt64Array).toBe(true);
    expect([0, 1, 2].map((i) => getScalar(b!, i))).toEqual([1n, 9223372036854775807n, -3n]);
    expect([0, 1, 2].map((i) => getScalar(d!, i))).toEqual([150n, 999999999999999999n, null]);
    const narrow = [];
    for await (const batch of readDelimited(await file('1,2\n'), columns, csvDefaults())) narrow.push(batch);
    const c0 = narrow[0]!.columns[0]!;
    expect(c0.kind === 'flat' && c0.data instanceof Float64Array).toBe(true);
  });
  it('rounds decimals on the general path', async () => {
    expect(await readAll('1.005\n-1.005\n2e1\n 3 \n', cols(['d', decimalType(10, 2)]))).toEqual([[101], [-101], [2000], [300]]);
  });
  it('rejects INTERVAL columns', async () => {
    const path = await file('1\n');
    await expect(readRows(path, cols(['i', T.INTERVAL]), csvDefaults())).rejects.toThrow(/column "i" has type INTERVAL, which cannot be read from a file/);
  });
});

describe('errors name the file, line and column', () => {
  const abc = cols(['a', T.INTEGER], ['b', T.INTEGER], ['c', T.VARCHAR]);
  it('an unparsable value', async () => {
    const e = await readError('1,2,x\n3,4,y\n5,x,z\n', abc);
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/bad\.csv line 3, column 2 \(b\): invalid input for type INTEGER: "x"$/);
  });
  it('counts physical lines, quoted newlines included', async () => {
    const e = await readError('1,2,"a\nb\nc"\n3,4,y\n5,,z\n6,1.5,w\n', abc);
    expect(e.message).toMatch(/bad\.csv line 6, column 2 \(b\): invalid input for type INTEGER: "1.5"$/);
  });
  it('the line a field starts on', async () => {
    const columns = cols(['a', T.INTEGER], ['b', T.VARCHAR], ['c', T.INTEGER]);
    const e = await readError('1,"a\nb",2\n3,"x\ny\nz",w\n', columns);
    expect(e.message).toMatch(/bad\.csv line 5, column 3 \(c\): invalid input for type INTEGER: "w"$/);
    const e2 = await readError('1,"a\nb",2\n3,"x\ny"\n', columns);
    expect(e2.message).toMatch(/bad\.csv line 3, column 3 \(c\): missing data: the line has 2 fields but the table has 3 columns$/);
  });
  it('out of range', async () => {
    const e = await readError('1,99999999999,x\n', abc);
    expect(e.message).toMatch(/bad\.csv line 1, column 2 \(b\): value "99999999999" is out of range for type INTEGER$/);
    const e2 = await readError('70000\n', cols(['s', T.SMALLINT]));
    expect(e2.message).toMatch(/bad\.csv line 1, column 1 \(s\): value "70000" is out of range for type SMALLINT$/);
    const e3 = await readError('1e30\n', cols(['d', decimalType(38, 0)]));
    expect(e3.message).toMatch(/bad\.csv line 1, column 1 \(d\): value "1e30" is out of range for 64-bit storage of type DECIMAL\(38,0\)$/);
    const e4 = await readError('1234.5\n', cols(['d', decimalType(5, 2)]));
    expect(e4.message).toMatch(/bad\.csv line 1, column 1 \(d\): numeric field overflow: "1234.5" has more than 3 integer digits for type DECIMAL\(5,2\)$/);
  });
  it('too few fields', async () => {
    const e = await readError('1,2,x\n3\n', abc);
    expect(e.message).toMatch(/bad\.csv line 2, column 2 \(b\): missing data: the line has 1 field but the table has 3 columns$/);
  });
  it('too many fields', async () => {
    const e = await readError('1,2,x,9\n', abc);
    expect(e.message).toMatch(/bad\.csv line 1, column 4: extra data after the last expected column: the table has 3 columns$/);
  });
  it('an unterminated quote', async () => {
    const e = await readError('1,2,x\n3,4,"abc\ndef\n', abc);
    expect(e.message).toMatch(/bad\.csv line 2, column 3 \(c\): unterminated quoted field: the quote opened on line 2 is never closed$/);
  });
  it('every type names itself', async () => {
    const cases: [LogicalType, string, string][] = [
      [T.BOOLEAN, 'maybe', 'invalid input for type BOOLEAN: "maybe"'],
      [T.BIGINT, '12a', 'invalid input for type BIGINT: "12a"'],
      [decimalType(5, 2), '1.2.3', 'invalid input for type DECIMAL(5,2): "1.2.3"'],
      [T.DOUBLE, 'abc', 'invalid input for type DOUBLE: "abc"'],
      [T.DATE, '2023-02-29', 'invalid input for type DATE: "2023-02-29"'],
      [T.TIMESTAMP, '2024-01-01 1', 'invalid input for type TIMESTAMP: "2024-01-01 1"'],
    ];
    for (const [type, text, message] of cases) {
      const e = await readError(`"${text}"\n`, cols(['v', type]));
      expect(e.message.endsWith(`bad.csv line 1, column 1 (v): ${message}`)).toBe(true);
    }
  });
  it('bad options and files', async () => {
    const path = await file('1\n');
    const one = cols(['a', T.INTEGER]);
    await expect(readRows(path, one, { ...csvDefaults(), delimiter: ';;' })).rejects.toThrow(/the delimiter must be a single one-byte character, got ";;"/);
    await expect(readRows(path, one, { ...csvDefaults(), delimiter: '"' })).rejects.toThrow(/the delimiter and the quote must differ/);
    await expect(readRows(join(dir, 'missing.csv'), one, csvDefaults())).rejects.toThrow(/cannot open .*missing\.csv/);
  });
});

describe('detectFormatFromPath', () => {
  it('gives defaults by extension', () => {
    expect(detectFormatFromPath('/x/a.csv')).toMatchObject({ format: 'csv', delimiter: ',', header: true, nullString: '' });
    expect(detectFormatFromPath('a.TSV')).toMatchObject({ format: 'text', delimiter: '\t', header: false, nullString: '\\N' });
    expect(detectFormatFromPath('lineorder.tbl')).toMatchObject({ format: 'csv', delimiter: '|', header: false });
    expect(detectFormatFromPath('data.txt')).toMatchObject({ format: 'csv', delimiter: ',', header: false });
  });
});
