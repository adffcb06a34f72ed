// The sqllogictest runner against a scripted fake engine: applicability, statement and query
// checks, sorting, hashing, labels, halts, timeouts; and, where the corpus is present, results
// computed here from the corpus's own data that must reproduce the corpus's md5 hashes.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSlt } from './parser.js';
import { hashValues, runSlt, sortValues, type SltExecutor, type SltResult } from './runner.js';

const CORPUS_DIR = fileURLToPath(new URL('../../../shared/sqllogictest/', import.meta.url));

/** A fake engine that answers each SQL text from a script and records what it ran. */
class ScriptedExecutor implements SltExecutor {
  readonly executed: string[] = [];
  constructor(private readonly answers: ReadonlyMap<string, SltResult | Error | 'hang'>) {}

  execute(sql: string): Promise<SltResult> {
    this.executed.push(sql);
    const answer = this.answers.get(sql);
    if (answer === 'hang') return new Promise<SltResult>(() => {});
    if (answer === undefined) return Promise.reject(new Error(`no such table in the fake for: ${sql}`));
    if (answer instanceof Error) return Promise.reject(answer);
    return Promise.resolve(answer);
  }
}

const EMPTY: SltResult = { columns: [], rows: [] };
const ints = (...rows: number[][]): SltResult => ({
  columns: (rows[0] ?? []).map((_, i) => ({ name: `c${i}`, type: 'INTEGER' })),
  rows,
});

async function run(text: string, answers: [string, SltResult | Error | 'hang'][], timeoutMs?: number) {
  const executor = new ScriptedExecutor(new Map(answers));
  const options = timeoutMs === undefined ? { file: 't.test' } : { file: 't.test', timeoutMs };
  const report = await runSlt(parseSlt(text, 't.test'), executor, options);
  return { report, executed: executor.executed };
}

describe('statements', () => {
  it('passes statement ok when it runs and fails it with the error message otherwise', async () => {
    const { report } = await run('statement ok\nCREATE A\n\nstatement ok\nCREATE B\n', [['CREATE A', EMPTY]]);
    expect(report.outcomes.map((o) => o.passed)).toEqual([true, false]);
    expect(report.outcomes[1]!.reason).toBe('statement failed: no such table in the fake for: CREATE B');
  });

  it('passes statement error when the statement fails, and checks a DuckDB-style message', async () => {
    const text = [
      'statement error\nBAD 1',
      'statement error\nGOOD',
      'statement error\nBAD 2\n----\ndivision by zero',
      'statement error\nBAD 3\n----\nsyntax error',
    ].join('\n\n');
    const { report } = await run(text, [
      ['BAD 1', new Error('whatever')],
      ['GOOD', EMPTY],
      ['BAD 2', new Error('OVERFLOW: division by zero in x/0')],
      ['BAD 3', new Error('unknown column "q"')],
    ]);
    expect(report.outcomes.map((o) => o.passed)).toEqual([true, false, true, false]);
    expect(report.outcomes[1]!.reason).toBe('statement succeeded but an error was expected');
    expect(report.outcomes[3]!.reason).toBe('error message "unknown column \\"q\\"" does not contain "syntax error"');
  });
});

describe('queries', () => {
  it('compares formatted values in order for nosort and names the first difference', async () => {
    const text = 'query II nosort\nQ1\n----\n1\n2\n3\n4\n\nquery II nosort\nQ2\n----\n1\n2\n3\n4\n';
    const { report } = await run(text, [
      ['Q1', ints([1, 2], [3, 4])],
      ['Q2', ints([1, 2], [4, 3])],
    ]);
    expect(report.passed).toBe(1);
    expect(report.outcomes[1]!.reason).toBe('4 values; first difference at row 2, column 1: expected 3, got 4');
  });

  it('fails on a different number of values or columns', async () => {
    const text = 'query I nosort\nQ1\n----\n1\n2\n\nquery II nosort\nQ2\n----\n1\n2\n';
    const { report } = await run(text, [
      ['Q1', ints([1])],
      ['Q2', ints([1])],
    ]);
    expect(report.outcomes[0]!.reason).toBe('expected 2 values, got 1; missing 2');
    expect(report.outcomes[1]!.reason).toBe('expected 2 columns (II), got 1');
  });

  it('sorts rows as strings, column by column, for rowsort (expected rows in any order)', async () => {
    const result: SltResult = {
      columns: [
        { name: 'n', type: 'INTEGER' },
        { name: 's', type: 'VARCHAR' },
      ],
      rows: [
        [9, 'b'],
        [10, 'z'],
        [null, 'a'],
        [9, 'a'],
      ],
    };
    // As strings "10" < "9" < "NULL".
    const text = 'query IT rowsort\nQ1\n----\n10\nz\n9\na\n9\nb\nNULL\na\n\nquery IT rowsort\nQ1\n----\n9\nb\nNULL\na\n10\nz\n9\na\n';
    const { report } = await run(text, [['Q1', result]]);
    expect(report.outcomes.map((o) => o.passed)).toEqual([true, true]);
    expect(sortValues([['9', 'b'], ['10', 'z'], ['NULL', 'a'], ['9', 'a']], 'rowsort')).toEqual(
      ['10', 'z', '9', 'a', '9', 'b', 'NULL', 'a'],
    );
  });

  it('sorts all values for valuesort', async () => {
    const { report } = await run('query II valuesort\nQ\n----\n1\n12\n2\n3\n', [['Q', ints([3, 12], [2, 1])]]);
    expect(report.passed).toBe(1);
  });

  it('reads one row per line with tab-separated values', async () => {
    const { report } = await run('query IT nosort\nQ\n----\n1\tx\n2\t(empty)\n', [
      ['Q', { columns: [{ name: 'a', type: 'INTEGER' }, { name: 'b', type: 'VARCHAR' }], rows: [[1, 'x'], [2, '']] }],
    ]);
    expect(report.passed).toBe(1);
  });

  it('compares the count and md5 of a hashed block', async () => {
    // md5 of "1\n2\n3\n" and of "NULL\n(empty)\n", computed with md5sum.
    const text = [
      'query I nosort\nQ\n----\n3 values hashing to c0710d6b4f15dfa88f600b0e6b624077',
      'query T nosort\nQT\n----\n2 values hashing to 14ad0be6c1ebb606277cbbb8e0bcc287',
      'query I nosort\nQ\n----\n4 values hashing to c0710d6b4f15dfa88f600b0e6b624077',
      'query I nosort\nQ\n----\n3 values hashing to 00000000000000000000000000000000',
    ].join('\n\n');
    const { report } = await run(text, [
      ['Q', ints([1], [2], [3])],
      ['QT', { columns: [{ name: 't', type: 'VARCHAR' }], rows: [[null], ['']] }],
    ]);
    expect(report.outcomes.map((o) => o.passed)).toEqual([true, true, false, false]);
    expect(report.outcomes[2]!.reason).toBe('expected 4 values, got 3: 1 2 3');
    expect(report.outcomes[3]!.reason).toBe(
      '3 values, but they hash to c0710d6b4f15dfa88f600b0e6b624077, not 00000000000000000000000000000000',
    );
    expect(hashValues(['1', '2', '3'])).toBe('c0710d6b4f15dfa88f600b0e6b624077');
  });

  it('requires queries sharing a label to give the same result', async () => {
    const text = [
      'query I nosort label-1\nA\n----\n1',
      'query I nosort label-1\nB\n----\n1',
      'query I nosort label-1\nC\n----\n1',
    ].join('\n\n');
    const { report } = await run(text, [
      ['A', ints([1])],
      ['B', ints([1])],
      ['C', ints([2])],
    ]);
    expect(report.outcomes.map((o) => o.passed)).toEqual([true, true, false]);
    expect(report.outcomes[2]!.reason).toBe('result differs from that of line 1 (same label label-1)');
  });

  it('reports a failing query with its error message', async () => {
    const { report } = await run('query I nosort\nQ\n----\n1\n', [['Q', new Error('boom')]]);
    expect(report.outcomes[0]).toMatchObject({ passed: false, reason: 'query failed: boom', line: 1, sql: 'Q' });
  });

  it('fails a statement that exceeds the timeout and moves on', async () => {
    const { report } = await run('query I nosort\nSLOW\n----\n1\n\nstatement ok\nNEXT\n', [
      ['SLOW', 'hang'],
      ['NEXT', EMPTY],
    ], 20);
    expect(report.outcomes[0]).toMatchObject({ passed: false, reason: 'query timed out after 20 ms' });
    expect(report.outcomes[1]!.passed).toBe(true);
  });
});

describe('which records apply', () => {
  it('runs records for postgresql or quiver, and ones skipped only for other engines', async () => {
    const text = [
      'onlyif mysql\nstatement ok\nMYSQL',
      'skipif postgresql\nstatement ok\nNOT PG',
      'skipif quiver\nstatement ok\nNOT QUIVER',
      'skipif mysql\nstatement ok\nNOT MYSQL',
      'onlyif postgresql\nstatement ok\nPG',
      'onlyif quiver\nstatement ok\nQUIVER',
      'skipif mysql\nskipif postgresql\nstatement ok\nNEITHER',
      'hash-threshold 8',
      'statement ok\nALL',
    ].join('\n\n');
    const answers: [string, SltResult][] = ['NOT MYSQL', 'PG', 'QUIVER', 'ALL'].map((s) => [s, EMPTY]);
    const { report, executed } = await run(text, answers);
    expect(executed).toEqual(['NOT MYSQL', 'PG', 'QUIVER', 'ALL']);
    expect(report).toMatchObject({ applicable: 4, passed: 4, failed: 0, notApplicable: 4, afterHalt: 0 });
  });

  it('stops at a halt that applies and ignores one that does not', async () => {
    const text = [
      'onlyif mssql\nhalt',
      'statement ok\nA',
      'skipif sqlite\nhalt',
      'statement ok\nB',
      'onlyif mysql\nstatement ok\nC',
    ].join('\n\n');
    const { report, executed } = await run(text, [['A', EMPTY]]);
    expect(executed).toEqual(['A']);
    expect(report).toMatchObject({ applicable: 1, passed: 1, haltedAt: 8, afterHalt: 1, notApplicable: 1 });
  });

  it('goes on after a failing record', async () => {
    const text = 'statement ok\nCREATE\n\nquery I nosort\nQ\n----\n1\n\nstatement ok\nLAST\n';
    const { report, executed } = await run(text, [['LAST', EMPTY]]);
    expect(executed).toEqual(['CREATE', 'Q', 'LAST']);
    expect(report).toMatchObject({ applicable: 3, passed: 1, failed: 2 });
  });
});

/** The rows of t1 as the corpus file inserts them: `INSERT INTO t1(cols) VALUES(vals)`. */
function insertedRows(text: string): Map<string, number | null>[] {
  const rows: Map<string, number | null>[] = [];
  for (const m of text.matchAll(/^INSERT INTO t1\(([a-e,]+)\) VALUES\(([0-9NUL,]+)\)/gm)) {
    const cols = m[1]!.split(',');
    const vals = m[2]!.split(',');
    rows.push(new Map(cols.map((c, i) => [c, vals[i] === 'NULL' ? null : Number(vals[i])])));
  }
  return rows;
}

/** A fake engine answering one query with rows computed here from the corpus's data. */
function computedExecutor(sql: string, rows: (number | null)[][]): SltExecutor {
  return {
    execute(text) {
      if (text !== sql) return Promise.resolve(EMPTY);
      const width = rows[0]?.length ?? 0;
      const columns = Array.from({ length: width }, (_, i) => ({ name: `c${i}`, type: 'INTEGER' }));
      return Promise.resolve({ columns, rows });
    },
  };
}

async function runCorpusQuery(file: string, sqlStart: string, compute: (t1: Map<string, number | null>[]) => (number | null)[][]) {
  const text = readFileSync(CORPUS_DIR + file, 'utf8');
  const records = parseSlt(text, file);
  const query = records.find((r) => r.kind === 'query' && r.sql.startsWith(sqlStart));
  if (query === undefined || query.kind !== 'query') throw new Error(`${file}: no query starting with ${sqlStart}`);
  expect(query.expected.kind).toBe('hash');
  const report = await runSlt([query], computedExecutor(query.sql, compute(insertedRows(text))), { file });
  return report.outcomes[0]!;
}

describe.skipIf(!existsSync(CORPUS_DIR))('md5 hashes of the corpus', () => {
  // Null-propagating arithmetic, as SQL does it.
  const add = (...xs: (number | null)[]) => (xs.some((x) => x === null) ? null : xs.reduce<number>((s, x) => s + x!, 0));
  const mul = (k: number, x: number | null) => (x === null ? null : k * x);

  it('select1.test: a two-column nosort result (integer division included)', async () => {
    const outcome = await runCorpusQuery('select1.test', 'SELECT a+b*2+c*3+d*4+e*5,\n       (a+b+c+d+e)/5', (t1) =>
      t1
        .map((r) => {
          const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map((k) => r.get(k)!) as number[];
          return [a! + b! * 2 + c! * 3 + d! * 4 + e! * 5, Math.trunc((a! + b! + c! + d! + e!) / 5)];
        })
        .sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]!),
    );
    expect(outcome).toMatchObject({ passed: true });
  });

  it('select2.test: a rowsort result with NULLs, sorted as strings', async () => {
    const outcome = await runCorpusQuery('select2.test', 'SELECT CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END', (t1) => {
      const cs = t1.map((r) => r.get('c')!).filter((c) => c !== null);
      const avg = cs.reduce((s, c) => s + c, 0) / cs.length;
      return t1.map((r) => {
        const c = r.get('c')!;
        return [c !== null && c > avg ? mul(2, r.get('a')!) : mul(10, r.get('b')!)];
      });
    });
    expect(outcome).toMatchObject({ passed: true });
  });

  it('select2.test: a seven-column rowsort result with NULLs', async () => {
    const outcome = await runCorpusQuery('select2.test', 'SELECT e,\n       abs(a),\n       b,\n       abs(b-c)', (t1) =>
      t1
        .filter((r) => r.get('a') !== null && r.get('b') !== null && r.get('a')! > r.get('b')!)
        .map((r) => {
          const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map((k) => r.get(k)!);
          const bc = c === null ? null : Math.abs(b! - c);
          const kind = a! < b! - 3 ? 111 : a! <= b! ? 222 : a! < b! + 3 ? 333 : 444;
          return [e!, Math.abs(a!), b!, bc, kind, add(a!, mul(2, b!)), add(a!, mul(2, b!), mul(3, c!), mul(4, d!))];
        }),
    );
    expect(outcome).toMatchObject({ passed: true });
  });
});
