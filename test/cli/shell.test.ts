// Tests of the interactive shell (cli/shell.ts): statement splitting and accumulation over lines,
// the dot commands, the history file, and whole sessions driven through streams: one against a
// real in-memory database, and terminal sessions where Ctrl+C clears the input or cancels the
// running query through its AbortSignal.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { QuiverError } from '../../common/errors.js';
import { T } from '../../common/types.js';
import { makeBatch } from '../../common/batch.js';
import { flatVector } from '../../common/vector.js';
import { QueryResult } from '../../sql/result.js';
import { Database } from '../../sql/database.js';
import {
  defaultHistoryPath,
  HistoryFile,
  parseDotCommand,
  PROMPT,
  CONTINUATION_PROMPT,
  runShell,
  type ShellOptions,
  splitStatements,
  StatementBuffer,
} from '../../cli/shell.js';

describe('splitStatements', () => {
  it('splits at semicolons and keeps the unfinished rest', () => {
    expect(splitStatements('SELECT 1; SELECT 2;\n')).toEqual({ statements: ['SELECT 1;', 'SELECT 2;'], rest: '', pending: false });
    expect(splitStatements('SELECT 1; SELECT\n  2')).toEqual({ statements: ['SELECT 1;'], rest: ' SELECT\n  2', pending: true });
  });

  it('ignores semicolons inside strings, quoted identifiers and comments', () => {
    const text = `SELECT 'a;b', 'it''s;', "x;""y" -- c;\n/* ; */ FROM t;`;
    expect(splitStatements(text)).toEqual({ statements: [text], rest: '', pending: false });
  });

  it('waits for an open quote or block comment to close', () => {
    expect(splitStatements("SELECT 'abc;\n").pending).toBe(true);
    expect(splitStatements('SELECT "a;\n').pending).toBe(true);
    expect(splitStatements('/* x; \n').pending).toBe(true);
    expect(splitStatements("SELECT 'it''s'").pending).toBe(true);
  });

  it('drops empty statements and trailing comments', () => {
    expect(splitStatements(';;  ;\n')).toEqual({ statements: [], rest: '', pending: false });
    expect(splitStatements('SELECT 1; -- done;\n')).toEqual({ statements: ['SELECT 1;'], rest: '', pending: false });
    expect(splitStatements('-- only a comment\n')).toEqual({ statements: [], rest: '', pending: false });
    expect(splitStatements('SELECT 1; /* note */\n')).toEqual({ statements: ['SELECT 1;'], rest: '', pending: false });
  });
});

describe('StatementBuffer', () => {
  it('accumulates lines until a statement ends', () => {
    const b = new StatementBuffer();
    expect(b.push('SELECT')).toEqual([]);
    expect(b.pending).toBe(true);
    expect(b.push('  sum(a)')).toEqual([]);
    expect(b.push('FROM t; SELECT')).toEqual(['SELECT\n  sum(a)\nFROM t;']);
    expect(b.pending).toBe(true);
    expect(b.push('2;')).toEqual(['SELECT\n2;']);
    expect(b.pending).toBe(false);
  });

  it('keeps line breaks inside a string that spans lines', () => {
    const b = new StatementBuffer();
    expect(b.push("SELECT 'one")).toEqual([]);
    expect(b.push("two';")).toEqual(["SELECT 'one\ntwo';"]);
  });

  it('ends a line comment at the line end', () => {
    const b = new StatementBuffer();
    expect(b.push('SELECT 1 -- the answer;')).toEqual([]);
    expect(b.push(';')).toEqual(['SELECT 1 -- the answer;\n;']);
  });

  it('forgets everything on clear()', () => {
    const b = new StatementBuffer();
    b.push('SELECT');
    b.clear();
    expect(b.pending).toBe(false);
    expect(b.push('SELECT 2;')).toEqual(['SELECT 2;']);
  });
});

describe('parseDotCommand', () => {
  it('reads the commands and their arguments', () => {
    expect(parseDotCommand('.help')).toEqual({ kind: 'help' });
    expect(parseDotCommand('  .tables ')).toEqual({ kind: 'tables' });
    expect(parseDotCommand('.quit')).toEqual({ kind: 'quit' });
    expect(parseDotCommand('.exit')).toEqual({ kind: 'quit' });
    expect(parseDotCommand('.format')).toEqual({ kind: 'format', format: null });
    expect(parseDotCommand('.format csv')).toEqual({ kind: 'format', format: 'csv' });
    expect(parseDotCommand('.timer off')).toEqual({ kind: 'timer', on: false });
  });

  it('names what is wrong', () => {
    expect(() => parseDotCommand('.tabels')).toThrow('unknown command .tabels; type .help for the commands');
    expect(() => parseDotCommand('.format xml')).toThrow('unknown format "xml"; use one of table, json, csv, tsv, ndjson');
    expect(() => parseDotCommand('.timer maybe')).toThrow('.timer takes on or off (got "maybe")');
    expect(() => parseDotCommand('.quit now')).toThrow('.quit takes no argument (got "now")');
  });
});

describe('HistoryFile', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'quiver-history-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the newest lines first and trims the file to the limit', async () => {
    const path = join(dir, 'history');
    await writeFile(path, 'one\n\ntwo\nthree\nfour\n');
    const h = new HistoryFile(path, () => undefined, 3);
    expect(await h.load()).toEqual(['four', 'three', 'two']);
    expect(await readFile(path, 'utf8')).toBe('two\nthree\nfour\n');
    await h.append(['five', '  ', 'six']);
    expect(await readFile(path, 'utf8')).toBe('two\nthree\nfour\nfive\nsix\n');
    await h.trim();
    expect(await readFile(path, 'utf8')).toBe('four\nfive\nsix\n');
  });

  it('starts empty without a file, and warns once and goes on when it cannot write', async () => {
    const warnings: string[] = [];
    const h = new HistoryFile(join(dir, 'missing-folder', 'history'), (m) => warnings.push(m));
    expect(await h.load()).toEqual([]);
    await h.append(['SELECT 1;']);
    await h.append(['SELECT 2;']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^warning: cannot write the history file .*missing-folder.*history is off/);
  });

  it('lives in ~/.quiver_history unless QUIVER_HISTORY says otherwise', () => {
    expect(defaultHistoryPath({})).toMatch(/\.quiver_history$/);
    expect(defaultHistoryPath({ QUIVER_HISTORY: '/tmp/h' })).toBe('/tmp/h');
    expect(defaultHistoryPath({ QUIVER_HISTORY: '' })).toBeNull();
  });
});

/** Collects what a stream receives. */
function collect(stream: PassThrough): { text: () => string } {
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => (text += chunk));
  return { text: () => text };
}

/** Resolves once `check()` holds, polling; fails after a few seconds. */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('a shell session over pipes', () => {
  it('runs statements across lines, dot commands and errors against a real database', async () => {
    const db = await Database.open(':memory:');
    const input = new PassThrough();
    const output = new PassThrough();
    const errors = new PassThrough();
    const out = collect(output);
    const err = collect(errors);
    const session = runShell({ db, format: 'table', input, output, errorOutput: errors, terminal: false, historyPath: null, banner: 'hello\n' });
    input.end(
      [
        '.timer off',
        'CREATE TABLE t(a INT);',
        'INSERT INTO t VALUES (1), (2);',
        'SELECT',
        '  sum(a) AS total',
        'FROM t;',
        '.tables',
        '.format csv',
        "SELECT 'x;y' AS s; SELEC 1;",
        '.nope',
        '.quit',
        'SELECT 99;',
      ].join('\n') + '\n',
    );
    await session;
    await db.close();
    // Piped lines arrive at once; the prompt shows again only when all their work is done.
    expect(out.text()).toBe(
      'hello\n' +
        PROMPT +
        'OK\n' +
        ' count\n-------\n     2\n(1 row)\n' +
        ' total\n-------\n     3\n(1 row)\n' +
        ' name\n------\n t\n(1 row)\n' +
        's\nx;y\n',
    );
    // The parser's wording may change; what matters is the message, its position, and the order.
    expect(err.text()).toMatch(/^Error: syntax error at or near "SELEC".* \(line 1, column 1\)\nError: unknown command \.nope; type \.help for the commands\n$/);
  });

  it('prints the help and the time of each statement', async () => {
    const db = await Database.open(':memory:');
    const input = new PassThrough();
    const output = new PassThrough();
    const out = collect(output);
    const session = runShell({ db, format: 'json', input, output, errorOutput: new PassThrough(), terminal: false, historyPath: null, banner: '' });
    input.end('.help\nSELECT 1 AS one;\n.format\n.timer\n');
    await session;
    await db.close();
    const text = out.text();
    expect(text).toContain('.tables           List the tables (SHOW TABLES)');
    expect(text).toMatch(/\{"columns":\[\{"name":"one","type":"INTEGER"\}\],"rows":\[\[1\]\],.*\}\nTime: \d+\.\d+ (ms|s)\n/);
    expect(text).toContain('format: json\n');
    expect(text).toContain('timer: on\n');
  });
});

describe('a terminal session', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'quiver-shell-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A database whose queries run until cancelled, except `SELECT 1;` which answers at once. */
  function slowDb(calls: string[]): ShellOptions['db'] {
    return {
      query(sql: string, _params?: readonly unknown[], options?: { signal?: AbortSignal }) {
        calls.push(sql);
        if (sql === 'SELECT 1;') {
          return Promise.resolve(new QueryResult(['x'], [T.INTEGER], [makeBatch([flatVector(T.INTEGER, Int32Array.of(1))], 1)]));
        }
        return new Promise<QueryResult>((_resolve, reject) => {
          const signal = options!.signal!;
          signal.addEventListener('abort', () => reject(new QuiverError('CANCELLED', (signal.reason as Error).message)));
        });
      },
    };
  }

  it('cancels the running query on Ctrl+C, clears the input on Ctrl+C, keeps history, and leaves on Ctrl+D', async () => {
    const historyPath = join(dir, 'history');
    await writeFile(historyPath, 'SELECT 0;\n');
    const calls: string[] = [];
    const input = new PassThrough();
    const output = new PassThrough();
    const errors = new PassThrough();
    const out = collect(output);
    const err = collect(errors);
    const session = runShell({ db: slowDb(calls), format: 'csv', input, output, errorOutput: errors, terminal: true, historyPath, banner: '' });

    input.write('SELECT slow; SELECT 1;\r');
    await until(() => calls.length === 1, 'the query to start');
    input.write('\x03'); // Ctrl+C while the query runs: cancels it and drops the SELECT 1 behind it
    await until(() => err.text().includes('Error'), 'the cancellation');
    expect(err.text()).toBe('Error: query cancelled (Ctrl+C)\n');

    input.write('SELECT\r'); // an unfinished statement...
    await until(() => out.text().includes(CONTINUATION_PROMPT), 'the continuation prompt');
    input.write('\x03'); // ...that Ctrl+C throws away
    expect(out.text()).toContain('^C\n');
    input.write('SELECT 1;\r');
    await until(() => out.text().includes('Time: '), 'the result');
    expect(calls).toEqual(['SELECT slow;', 'SELECT 1;']);
    expect(out.text()).toMatch(/x\n1\nTime: \d/);

    input.write('\x04'); // Ctrl+D on an empty line leaves
    await session;
    expect(await readFile(historyPath, 'utf8')).toBe('SELECT 0;\nSELECT slow; SELECT 1;\nSELECT 1;\n');
  });
});
