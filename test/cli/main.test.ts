// End-to-end tests of the `quiver` command (cli/main.ts) run as a real child process from the
// compiled dist/cli/main.js: every output format of a real query, SQL errors with their line and
// column and no stack trace, SQL piped on stdin, help and version, unknown commands and options,
// the commands this version does not have yet, and `gen ssb`.
//
// dist/ is built once here when it is missing or older than the sources (CI builds it in
// `npm ci`). tsc's exit code is ignored: it still emits when some file elsewhere has a type
// error, and a broken build shows up as failing tests.

import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
/** The folders tsconfig.build.json compiles. */
const SOURCE_DIRS = ['common', 'storage', 'exec', 'sql', 'server', 'cli', 'bench'];

function newestSourceTime(): number {
  let newest = statSync(join(ROOT, 'index.ts')).mtimeMs;
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const d of SOURCE_DIRS) walk(join(ROOT, d));
  return newest;
}

beforeAll(() => {
  if (existsSync(MAIN) && statSync(MAIN).mtimeMs >= newestSourceTime()) return;
  spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'ignore' });
  if (!existsSync(MAIN)) throw new Error('building dist/ with tsc -p tsconfig.build.json did not produce dist/cli/main.js');
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `quiver ...args`, with `input` piped to stdin (an empty pipe when absent). */
function quiver(args: string[], input = ''): Run {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: ROOT, input, encoding: 'utf8', timeout: 60_000, env: { ...process.env, QUIVER_HISTORY: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** No stack frames ("    at f (file:line)") and no Node error banners. */
function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/^\s+at /m);
  expect(text).not.toMatch(/node:internal|Node\.js v\d/);
}

const SETUP =
  "CREATE TABLE t (a INT, b VARCHAR, c DECIMAL(10,2), d DATE); " +
  "INSERT INTO t VALUES (1, 'x', 1.5, '2020-01-02'), (2, NULL, NULL, NULL), (3, 'say \"hi\", ok', -0.25, '1999-12-31'); ";
const QUERY = SETUP + 'SELECT a, b, c, d, CAST(a AS BIGINT) * 1000 AS big FROM t ORDER BY a';

describe('quiver sql', () => {
  it('prints the last result as a table', () => {
    const r = quiver(['sql', '--db', ':memory:', 'CREATE TABLE t(a INT); INSERT INTO t VALUES (1),(2); SELECT sum(a) FROM t']);
    expect(r).toEqual({ code: 0, stdout: ' sum\n-----\n   3\n(1 row)\n', stderr: '' });
  });

  it('prints every value kind in the table format', () => {
    const r = quiver(['sql', '--db', ':memory:', '--format', 'table', QUERY]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        ' a | b            |     c | d          |  big',
        '---+--------------+-------+------------+------',
        ' 1 | x            |  1.50 | 2020-01-02 | 1000',
        ' 2 | NULL         |  NULL | NULL       | 2000',
        ' 3 | say "hi", ok | -0.25 | 1999-12-31 | 3000',
        '(3 rows)',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(0);
  });

  it('prints the JSON answer with BIGINT and DECIMAL as strings', () => {
    const r = quiver(['sql', '--db', ':memory:', '--format', 'json', QUERY]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^\{"columns":\[\{"name":"a","type":"INTEGER"\},\{"name":"b","type":"VARCHAR"\},\{"name":"c","type":"DECIMAL\(10,2\)"\},\{"name":"d","type":"DATE"\},\{"name":"big","type":"BIGINT"\}\],"rows":\[\[1,"x","1.50","2020-01-02","1000"\],\[2,null,null,null,"2000"\],\[3,"say \\"hi\\", ok","-0.25","1999-12-31","3000"\]\],"stats":\{"rows_read":3,"bytes_read":\d+,"elapsed_ms":[\d.]+\}\}\n$/,
    );
    const answer = JSON.parse(r.stdout) as { stats: Record<string, unknown> };
    expect(Object.keys(answer.stats)).toEqual(['rows_read', 'bytes_read', 'elapsed_ms']);
  });

  it('prints one JSON object per row as ndjson', () => {
    const r = quiver(['sql', '--db', ':memory:', '--format', 'ndjson', QUERY]);
    expect(r).toEqual({
      code: 0,
      stdout:
        '{"a":1,"b":"x","c":"1.50","d":"2020-01-02","big":"1000"}\n' +
        '{"a":2,"b":null,"c":null,"d":null,"big":"2000"}\n' +
        '{"a":3,"b":"say \\"hi\\", ok","c":"-0.25","d":"1999-12-31","big":"3000"}\n',
      stderr: '',
    });
  });

  it('prints CSV with a header, RFC 4180 quoting and NULL as an empty field', () => {
    const r = quiver(['sql', '--db', ':memory:', '--format', 'csv', QUERY]);
    expect(r).toEqual({ code: 0, stdout: 'a,b,c,d,big\n1,x,1.50,2020-01-02,1000\n2,,,,2000\n3,"say ""hi"", ok",-0.25,1999-12-31,3000\n', stderr: '' });
  });

  it('prints OK after a statement without a result', () => {
    expect(quiver(['sql', '--db', ':memory:', 'CREATE TABLE t (a INT)'])).toEqual({ code: 0, stdout: 'OK\n', stderr: '' });
  });

  it('reports a syntax error with its line and column, exit code 1 and no stack trace', () => {
    const r = quiver(['sql', '--db', ':memory:', 'SELECT 1;\nSELECT a FROM FROM t']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Error: syntax error .*\(line 2, column \d+\)\n$/);
    expectNoStackTrace(r.stderr);
  });

  it('reports an unknown table and stops at the failing statement', () => {
    const r = quiver(['sql', '--db', ':memory:', 'SELECT * FROM nosuch; SELECT 1']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Error: .*nosuch.* \(line 1, column \d+\)\n$/);
  });

  it('keeps an on-disk database between runs, deletes included, and reports errors without a stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quiver-cli-db-'));
    try {
      const db = join(dir, 'data');
      expect(quiver(['sql', '--db', db, 'CREATE TABLE t (a INT); INSERT INTO t VALUES (4), (5)']).code).toBe(0);
      expect(quiver(['sql', '--db', db, '--format', 'csv', 'SELECT sum(a) AS s FROM t'])).toEqual({ code: 0, stdout: 's\n9\n', stderr: '' });
      expect(quiver(['sql', '--db', db, '--format', 'csv', 'DELETE FROM t WHERE a = 4'])).toEqual({ code: 0, stdout: 'count\n1\n', stderr: '' });
      expect(quiver(['sql', '--db', db, '--format', 'csv', 'SELECT sum(a) AS s FROM t'])).toEqual({ code: 0, stdout: 's\n5\n', stderr: '' });
      const r = quiver(['sql', '--db', db, 'DELETE FROM nope']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^Error: .*"nope".*\n$/);
      expectNoStackTrace(r.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the SQL from stdin when it is piped', () => {
    const r = quiver(['sql', '--db', ':memory:', '--format', 'csv'], 'CREATE TABLE t (a INT);\nINSERT INTO t VALUES (4), (5);\nSELECT a * 2 AS twice FROM t ORDER BY a;\n');
    expect(r).toEqual({ code: 0, stdout: 'twice\n8\n10\n', stderr: '' });
  });

  it('refuses an empty script', () => {
    const r = quiver(['sql', '--db', ':memory:'], '  \n');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Error: no SQL given/);
  });

  it('does not fake the server mode', () => {
    const r = quiver(['sql', '--url', 'http://127.0.0.1:8080', 'SELECT 1']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Error: server mode \(--url\) is not available in this version/);
  });

  it('rejects an unknown format or option with a hint, exit code 2', () => {
    const format = quiver(['sql', '--db', ':memory:', '--format', 'xml', 'SELECT 1']);
    expect(format).toEqual({ code: 2, stdout: '', stderr: 'Error: unknown format "xml" for --format; use one of table, json, csv, tsv, ndjson\nRun \'quiver sql --help\' for usage.\n' });
    const option = quiver(['sql', '--db', ':memory:', '--limit', '3', 'SELECT 1']);
    expect(option).toEqual({ code: 2, stdout: '', stderr: "Error: unknown option --limit for 'quiver sql'\nRun 'quiver sql --help' for usage.\n" });
  });
});

describe('help, version and commands', () => {
  it('prints the version of package.json', () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(quiver(['--version'])).toEqual({ code: 0, stdout: version + '\n', stderr: '' });
  });

  it('prints the overview with every command', () => {
    const r = quiver(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['sql', 'gen', 'serve', 'load', 'bench']) expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    expect(r.stdout).toContain('quiver sql --db :memory:');
  });

  it('prints the same command help three ways', () => {
    const help = quiver(['help', 'sql']);
    expect(help.code).toBe(0);
    for (const option of ['--db DIR', '--url URL', '--read-only', '--format FORMAT', '--help']) expect(help.stdout).toContain(option);
    expect(quiver(['sql', '--help'])).toEqual(help);
    expect(quiver(['sql', '-h'])).toEqual(help);
  });

  it('rejects an unknown command, exit code 2', () => {
    expect(quiver(['query'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'Error: unknown command "query"; the commands are sql, gen, serve, load, bench, help\nRun \'quiver --help\' for usage.\n',
    });
    expect(quiver([]).code).toBe(2);
  });

  it('says which commands are not available yet, exit code 2', () => {
    for (const args of [['load', 'x.csv', '--db', ':memory:']]) {
      const r = quiver(args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^Error: 'quiver ${args[0]}' is not available in this version \\(.*\\) yet; .*\\n$`));
    }
  });
});

describe('quiver bench', () => {
  it('explains itself in --help: what it measures, every option, where the results go', () => {
    const r = quiver(['bench', '--help']);
    expect(r.code).toBe(0);
    for (const option of ['--sf N', '--vs ENGINE', '--threads N', '--runs R', '--dir DIR', '--db DIR', '--out DIR']) expect(r.stdout).toContain(option);
    expect(r.stdout).toContain('quiver bench ssb --sf 1');
    expect(r.stdout).toMatch(/one thread/);
    expect(quiver(['bench', 'ssb', '-h'])).toEqual(r);
  });

  it('refuses a bad option with exit code 2 before loading anything', () => {
    expect(quiver(['bench', 'ssb', '--vs', 'postgres'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'Error: --vs must be duckdb or none (got "postgres")\nRun \'quiver bench --help\' for usage.\n',
    });
  });

  it('reports a scale factor gen ssb cannot make as an error, exit code 1', () => {
    const r = quiver(['bench', 'ssb', '--sf', '5000']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: gen ssb: the scale factor must be a number greater than 0 and at most 1000 \(got 5000\)/);
  });
});

describe('quiver gen ssb', () => {
  it('writes the five tables and prints only the summary when stdout is not a terminal', async () => {
    const out = await mkdtemp(join(tmpdir(), 'quiver-cli-ssb-'));
    try {
      const r = quiver(['gen', 'ssb', '--sf', '0.001', '--out', out]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe(`SSB at SF 0.001 in ${out}:`);
      expect(lines.slice(1, 6).map((l) => l.trim().split(/\s+/)[0])).toEqual(['customer', 'supplier', 'part', 'date', 'lineorder']);
      expect(lines[1]).toMatch(/^ {2}customer +30 rows +[\d.]+ KiB +customer\.tbl$/);
      expect(lines[4]).toMatch(/^ {2}date +2,556 rows +[\d.]+ KiB +date\.tbl$/);
      expect(lines[6]).toMatch(/^[\d,]+ rows, [\d.]+ (KiB|MiB) in [\d.]+ s$/);
      expect(r.stdout).not.toContain('\r');
      expect((await readdir(out)).sort()).toEqual(['customer.tbl', 'date.tbl', 'lineorder.tbl', 'part.tbl', 'supplier.tbl']);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('rejects a bad scale factor before writing anything', async () => {
    const out = join(tmpdir(), `quiver-cli-ssb-none-${process.pid}`);
    const r = quiver(['gen', 'ssb', '--sf', '0', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: gen ssb: the scale factor must be/);
    expect(existsSync(out)).toBe(false);
    expect(quiver(['gen', 'ssb', '--sf', 'x', '--out', out]).code).toBe(2);
  });
});
