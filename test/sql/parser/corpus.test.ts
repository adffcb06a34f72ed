// Parses every SQL text of the SQLite sqllogictest corpus (../shared/sqllogictest, next to the
// repository) that applies to a PostgreSQL-flavoured engine: all records except those marked
// `onlyif <another engine>`. Records expecting success must all parse; `statement error`
// records may fail. Only parsing is checked here: results are the SQL logic test runner's job.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { QuiverError } from '../../../common/errors.js';
import { parseSql } from '../../../sql/parser/index.js';

const CORPUS_DIR = fileURLToPath(new URL('../../../../shared/sqllogictest', import.meta.url));
/** Engines whose dialect we follow: records only for them apply too. */
const OUR_ENGINES = new Set(['postgresql', 'quiver']);

interface SqlRecord {
  file: string;
  /** 1-based line of the record's header (statement/query). */
  line: number;
  sql: string;
  expectError: boolean;
  /** `skipif postgresql` / `skipif quiver`: PostgreSQL itself does not run it. */
  skippedByPostgres: boolean;
}

/** Splits a sqllogictest file into its records and keeps those that apply to us. */
function readRecords(file: string, text: string): { records: SqlRecord[]; otherEngine: number } {
  const lines = text.split(/\r?\n/);
  const records: SqlRecord[] = [];
  let otherEngine = 0;
  let i = 0;
  while (i < lines.length) {
    // Skip blank lines between records.
    while (i < lines.length && lines[i]!.trim() === '') i++;
    let onlyOther = false;
    let skippedByPostgres = false;
    let header: string | undefined;
    let headerLine = 0;
    while (i < lines.length && lines[i]!.trim() !== '') {
      const line = lines[i]!.trim();
      i++;
      if (line.startsWith('#')) continue;
      const [word, engine] = line.split(/\s+/);
      if (word === 'onlyif') {
        if (!OUR_ENGINES.has(engine ?? '')) onlyOther = true;
      } else if (word === 'skipif') {
        if (OUR_ENGINES.has(engine ?? '')) skippedByPostgres = true;
      } else {
        header = line;
        headerLine = i;
        break;
      }
    }
    if (header === undefined) continue;
    const sqlLines: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '' && lines[i]!.trim() !== '----') sqlLines.push(lines[i++]!);
    // Skip the expected results, up to the blank line that ends the record.
    while (i < lines.length && lines[i]!.trim() !== '') i++;
    const kind = header.split(/\s+/)[0];
    // `halt` ends the file for the engines it applies to (evidence_slt_lang_aggfunc.test
    // halts for everything but SQLite before its SQLite-only part).
    if (kind === 'halt' && !onlyOther && !skippedByPostgres) break;
    if (kind !== 'statement' && kind !== 'query') continue;
    if (onlyOther) {
      otherEngine++;
      continue;
    }
    records.push({
      file,
      line: headerLine,
      sql: sqlLines.join('\n'),
      expectError: header.startsWith('statement error'),
      skippedByPostgres,
    });
  }
  return { records, otherEngine };
}

const corpusExists = existsSync(CORPUS_DIR);
if (!corpusExists) console.warn(`sqllogictest corpus not found at ${CORPUS_DIR}: corpus parse test skipped`);

describe.skipIf(!corpusExists)('parsing the sqllogictest corpus', () => {
  it('parses every record that expects success', () => {
    const files = readdirSync(CORPUS_DIR)
      .filter((f) => f.endsWith('.test'))
      .sort();
    expect(files.length).toBeGreaterThan(0);
    let total = 0;
    let parsed = 0;
    let otherEngine = 0;
    let expectErrorParsed = 0;
    let expectErrorTotal = 0;
    let skippedByPostgres = 0;
    const failures: string[] = [];
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    for (const file of files) {
      const { records, otherEngine: other } = readRecords(file, readFileSync(join(CORPUS_DIR, file), 'utf8'));
      otherEngine += other;
      for (const record of records) {
        total++;
        if (record.skippedByPostgres) skippedByPostgres++;
        if (record.expectError) expectErrorTotal++;
        try {
          parseSql(record.sql);
          parsed++;
          if (record.expectError) expectErrorParsed++;
        } catch (e) {
          if (!(e instanceof QuiverError) || e.code === 'INTERNAL_ERROR') throw e;
          if (!record.expectError) failures.push(`${record.file}:${record.line}: ${e.describe()}\n    ${record.sql}`);
        }
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStarted);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    console.log(
      `sqllogictest corpus: ${parsed} of ${total} records parse in ${seconds.toFixed(2)} s (${cpuSeconds.toFixed(2)} s CPU) ` +
        `(${expectErrorTotal} expect an error, of which ${expectErrorParsed} parse; ` +
        `${skippedByPostgres} are skipif postgresql; ${otherEngine} records for other engines left out)`,
    );
    expect(failures.slice(0, 20)).toEqual([]);
  });
});
