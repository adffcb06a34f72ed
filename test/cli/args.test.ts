// Tests of the command-line parser and help text (cli/args.ts): every command's options, the
// errors for unknown commands, unknown options and missing values, and help that lists every
// option the parser accepts.

import { describe, expect, it } from 'vitest';
import { COMMANDS, type CliCommand, helpText, parseCommandLine, UsageError } from '../../cli/args.js';

/** The UsageError parseCommandLine throws for `argv`. */
function usageError(argv: string[]): UsageError {
  try {
    parseCommandLine(argv);
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
}

describe('quiver sql', () => {
  it('reads the database, the format, the read-only flag and the SQL', () => {
    expect(parseCommandLine(['sql', '--db', ':memory:', '--read-only', '--format', 'csv', 'SELECT 1'])).toEqual<CliCommand>({
      kind: 'sql',
      db: ':memory:',
      url: null,
      readOnly: true,
      format: 'csv',
      sql: 'SELECT 1',
    });
    expect(parseCommandLine(['sql', 'SELECT 1', '--db=./data', '-f', 'ndjson'])).toMatchObject({ db: './data', format: 'ndjson', sql: 'SELECT 1', readOnly: false });
    expect(parseCommandLine(['sql', '-fjson', '--db', 'x'])).toMatchObject({ format: 'json', sql: null });
  });

  it('defaults to the table format and no SQL (stdin or the shell)', () => {
    expect(parseCommandLine(['sql', '--db', ':memory:'])).toMatchObject({ format: 'table', sql: null });
  });

  it('takes SQL starting with a dash after --', () => {
    expect(parseCommandLine(['sql', '--db', ':memory:', '--', '-- note\nSELECT 1'])).toMatchObject({ sql: '-- note\nSELECT 1' });
  });

  it('accepts --url (the caller reports that server mode is not available yet)', () => {
    expect(parseCommandLine(['sql', '--url', 'http://127.0.0.1:8080'])).toMatchObject({ kind: 'sql', db: null, url: 'http://127.0.0.1:8080' });
  });

  it('names what is wrong', () => {
    expect(usageError(['sql', 'SELECT 1']).message).toMatch(/--db DIR/);
    expect(usageError(['sql', '--db', 'a', '--url', 'http://h:1']).message).toMatch(/either --db or --url/);
    expect(usageError(['sql', '--url', 'ftp://h']).message).toMatch(/http:\/\//);
    expect(usageError(['sql', '--db', 'a', '--format', 'xml']).message).toBe('unknown format "xml" for --format; use one of table, json, csv, tsv, ndjson');
    expect(usageError(['sql', '--db', 'a', 'SELECT', '1']).message).toMatch(/one argument, got 2/);
    expect(usageError(['sql', '--db', 'a', '--bogus']).message).toBe("unknown option --bogus for 'quiver sql'");
    expect(usageError(['sql', '--db', 'a', '--formt', 'json']).message).toBe("unknown option --formt for 'quiver sql' (did you mean --format?)");
    expect(usageError(['sql', '--db', 'a', '-x']).message).toBe("unknown option -x for 'quiver sql'");
    expect(usageError(['sql', '--db']).message).toBe('option --db needs a value: --db DIR');
    expect(usageError(['sql', '--db', '--format', 'json']).message).toBe('option --db needs a value: --db DIR');
    expect(usageError(['sql', '--db', 'a', '--read-only=yes']).message).toBe('option --read-only takes no value (got "yes")');
    expect(usageError(['sql', '--db', 'a', '--bogus']).hint()).toBe("Run 'quiver sql --help' for usage.");
  });
});

describe('quiver gen', () => {
  it('reads the scale factor and the output folder', () => {
    expect(parseCommandLine(['gen', 'ssb', '--sf', '0.01', '--out', '/tmp/x'])).toEqual({ kind: 'gen-ssb', sf: 0.01, out: '/tmp/x' });
    expect(parseCommandLine(['gen', 'ssb', '--out', 'd'])).toEqual({ kind: 'gen-ssb', sf: 1, out: 'd' });
  });

  it('names what is wrong', () => {
    expect(usageError(['gen', '--sf', '1', '--out', 'd']).message).toMatch(/quiver gen ssb/);
    expect(usageError(['gen', 'tpch', '--out', 'd']).message).toBe('unknown data set "tpch"; quiver gen knows: ssb');
    expect(usageError(['gen', 'ssb', '--sf', 'big', '--out', 'd']).message).toBe('--sf must be a number such as 1 or 0.01 (got "big")');
    expect(usageError(['gen', 'ssb', '--sf', '1']).message).toBe('an output folder is required: --out DIR');
  });
});

describe('commands, help and version', () => {
  it('routes --help, help and <command> --help', () => {
    expect(parseCommandLine(['--help'])).toEqual({ kind: 'help', topic: null });
    expect(parseCommandLine(['-h'])).toEqual({ kind: 'help', topic: null });
    expect(parseCommandLine(['help'])).toEqual({ kind: 'help', topic: null });
    expect(parseCommandLine(['help', 'sql'])).toEqual({ kind: 'help', topic: 'sql' });
    expect(parseCommandLine(['sql', '--help'])).toEqual({ kind: 'help', topic: 'sql' });
    expect(parseCommandLine(['gen', 'ssb', '-h'])).toEqual({ kind: 'help', topic: 'gen' });
    expect(parseCommandLine(['serve', '--help'])).toEqual({ kind: 'help', topic: 'serve' });
    expect(usageError(['help', 'nope']).message).toMatch(/no such command/);
  });

  it('routes --version', () => {
    expect(parseCommandLine(['--version'])).toEqual({ kind: 'version' });
    expect(parseCommandLine(['-V'])).toEqual({ kind: 'version' });
  });

  it('marks the commands of later versions as unavailable', () => {
    expect(parseCommandLine(['load', 'x.csv', '--db', 'd'])).toEqual({ kind: 'unavailable', command: 'load' });
  });

  it('reads quiver serve: --db required, port 8080 and host 127.0.0.1 by default', () => {
    expect(parseCommandLine(['serve', '--db', './quiver-data'])).toEqual({ kind: 'serve', db: './quiver-data', port: 8080, host: '127.0.0.1', demo: false, config: null });
    expect(parseCommandLine(['serve', '--db', ':memory:', '--port', '0', '--host', '0.0.0.0', '--demo'])).toEqual({ kind: 'serve', db: ':memory:', port: 0, host: '0.0.0.0', demo: true, config: null });
    expect(() => parseCommandLine(['serve'])).toThrow(/a database is required: --db DIR/);
    expect(() => parseCommandLine(['serve', '--db', 'd', '--port', '70000'])).toThrow(/--port must be a port number from 0 to 65535/);
    expect(parseCommandLine(['serve', '--db', 'd', '--config', 'q.json'])).toMatchObject({ kind: 'serve', config: 'q.json' });
  });

  it('parses bench ssb with its defaults and options', () => {
    expect(parseCommandLine(['bench', 'ssb'])).toEqual({ kind: 'bench-ssb', sf: 1, vs: 'duckdb', threads: null, runs: 5, dir: null, db: null, out: null });
    expect(
      parseCommandLine(['bench', 'ssb', '--sf', '0.01', '--vs', 'none', '--threads', '2', '--runs', '3', '--dir', 'data', '--db', 'q', '--out', 'res']),
    ).toEqual({ kind: 'bench-ssb', sf: 0.01, vs: null, threads: 2, runs: 3, dir: 'data', db: 'q', out: 'res' });
    expect(parseCommandLine(['bench', 'ssb', '--vs', 'duckdb']).kind).toBe('bench-ssb');
    expect(parseCommandLine(['bench', '--help'])).toEqual({ kind: 'help', topic: 'bench' });
  });

  it('rejects bad bench ssb options, naming them', () => {
    expect(usageError(['bench']).message).toBe('say which benchmark to run: quiver bench ssb --sf 1');
    expect(usageError(['bench', 'tpch']).message).toBe('unknown benchmark "tpch"; quiver bench knows: ssb');
    expect(usageError(['bench', 'ssb', '--vs', 'postgres']).message).toBe('--vs must be duckdb or none (got "postgres")');
    expect(usageError(['bench', 'ssb', '--threads', '0']).message).toBe('--threads must be a whole number of 1 or more (got "0")');
    expect(usageError(['bench', 'ssb', '--runs', '1.5']).message).toBe('--runs must be a whole number of 1 or more (got "1.5")');
    expect(usageError(['bench', 'ssb', '--sf', '-1']).message).toBe('--sf must be a number greater than 0 such as 1 or 0.01 (got "-1")');
    expect(usageError(['bench', 'ssb', '--sf', '0']).message).toBe('--sf must be a number greater than 0 such as 1 or 0.01 (got "0")');
    expect(usageError(['bench', 'ssb', '--dir', '']).message).toBe('--dir needs a folder name');
    expect(usageError(['bench', 'ssb', '--thread', '2']).message).toMatch(/did you mean --threads/);
    expect(usageError(['bench', 'ssb', '--vs', 'x']).hint()).toBe("Run 'quiver bench --help' for usage.");
  });

  it('rejects unknown commands and a missing command', () => {
    expect(usageError(['frobnicate']).message).toBe('unknown command "frobnicate"; the commands are sql, gen, serve, load, bench, help');
    expect(usageError(['sqll']).message).toMatch(/did you mean "sql"/);
    expect(usageError([]).message).toMatch(/no command given/);
    expect(usageError(['--db', 'x']).message).toMatch(/unknown option --db/);
    expect(usageError(['frobnicate']).hint()).toBe("Run 'quiver --help' for usage.");
  });

  it("lists every option and an example in each command's help", () => {
    for (const spec of COMMANDS) {
      const text = helpText(spec.name, '9.9.9');
      expect(text).toContain('Usage:');
      expect(text).toMatch(/Examples?:\n {2}quiver /);
      for (const o of spec.options) expect(text).toContain('--' + o.name);
    }
    expect(helpText('sql', '9.9.9')).toContain('table (default), json, csv, tsv or ndjson');
  });

  it('lists every command and an example of each in the overview', () => {
    const text = helpText(null, '9.9.9');
    expect(text).toContain('quiver 9.9.9');
    for (const spec of COMMANDS) {
      expect(text).toContain(`  ${spec.name} `);
      if (spec.name !== 'help') expect(text).toContain(spec.examples[0]!);
    }
    expect(text).toContain('--version');
  });
});
