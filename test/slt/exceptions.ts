// The exception list of the SQLite corpus (test/slt/exceptions.json): records where Quiver
// deliberately gives another answer than the corpus expects (../shared/sqllogictest/README.md
// names them). Each entry names a record by file and line and repeats its SQL, so an entry that
// no longer points at the record it meant is caught. The list may only shrink.

import { readFileSync } from 'node:fs';
import type { SltRecord } from './parser.js';
import { applies } from './runner.js';

export interface SltException {
  readonly file: string;
  /** Line of the record's `query` or `statement` command. */
  readonly line: number;
  readonly sql: string;
  /** Why Quiver differs. */
  readonly why: string;
}

/** Reads and checks an exception file: {"exceptions": [{file, line, sql, why}, ...]}. */
export function readExceptions(path: string): SltException[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read the exception list ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const list = (data as { exceptions?: unknown } | null)?.exceptions;
  if (!Array.isArray(list)) throw new Error(`${path}: expected {"exceptions": [{"file", "line", "sql", "why"}, ...]}`);
  return list.map((entry: unknown, i) => {
    const e = entry as Partial<Record<keyof SltException, unknown>> | null;
    if (
      e === null ||
      typeof e !== 'object' ||
      typeof e.file !== 'string' ||
      typeof e.line !== 'number' ||
      !Number.isInteger(e.line) ||
      typeof e.sql !== 'string' ||
      typeof e.why !== 'string' ||
      e.why.trim() === ''
    ) {
      throw new Error(`${path}: entry ${i + 1} needs "file" (string), "line" (integer), "sql" and a non-empty "why"`);
    }
    return { file: e.file, line: e.line, sql: e.sql, why: e.why };
  });
}

/**
 * Problems with the entries for one file: each MUST name a statement or query that applies to
 * Quiver, at that line, with that SQL. Returns one message per bad entry.
 */
export function checkExceptions(exceptions: readonly SltException[], file: string, records: readonly SltRecord[]): string[] {
  const problems: string[] = [];
  for (const ex of exceptions) {
    if (ex.file !== file) continue;
    const record = records.find((r) => r.line === ex.line);
    if (record === undefined || (record.kind !== 'query' && record.kind !== 'statement')) {
      problems.push(`${file}:${ex.line} is listed as an exception but no statement or query starts there`);
    } else if (!applies(record.conditions)) {
      problems.push(`${file}:${ex.line} is listed as an exception but does not apply to Quiver`);
    } else if (record.sql !== ex.sql) {
      problems.push(`${file}:${ex.line} is listed as an exception for ${JSON.stringify(ex.sql)} but holds ${JSON.stringify(record.sql)}`);
    }
  }
  return problems;
}
