// Runs parsed sqllogictest records (parser.ts) against an SQL engine behind SltExecutor, in file
// order, and reports per record whether it passed and, if not, why. The runner goes on after a
// failing record (a failed CREATE TABLE then fails what depends on it; that is expected).
//
// Which records apply: Quiver follows PostgreSQL's semantics, so a record applies unless it is
// `onlyif X` for an X other than postgresql/quiver, or `skipif postgresql` / `skipif quiver`
// (../shared/sqllogictest/README.md). `halt` and `hash-threshold` are controls, not counted.
// A query result is formatted per column letter (format.ts), sorted as SQLite's runner sorts
// (rows compared column by column with strcmp, or all values), and compared with the expected
// values or with their count and md5 (each value followed by "\n"). Queries sharing a label
// must give the same md5, as in SQLite's runner.

import { createHash } from 'node:crypto';
import { formatValue, type SltTypeLetter } from './format.js';
import type { SltCondition, SltQuery, SltRecord, SltSortMode, SltStatement } from './parser.js';

/** One statement's result: column names and engine type names ('INTEGER', 'DECIMAL(p,s)'...). */
export interface SltResult {
  columns: { name: string; type: string }[];
  rows: unknown[][];
}

/** An SQL engine. execute MUST run exactly one statement and reject if it fails. */
export interface SltExecutor {
  execute(sql: string): Promise<SltResult>;
}

/** The engine names a record's skipif/onlyif may mean us by. */
export const QUIVER_ENGINE_NAMES: readonly string[] = ['quiver', 'postgresql'];

/** One statement or query that applied to the engine. */
export interface SltOutcome {
  readonly line: number;
  readonly sql: string;
  readonly passed: boolean;
  /** Why it failed: expected vs got, the first difference, or the error message. */
  readonly reason?: string;
}

export interface SltFileReport {
  readonly file: string;
  /** Statements and queries that apply and were run; equals outcomes.length. */
  readonly applicable: number;
  readonly passed: number;
  readonly failed: number;
  /** Statements and queries skipped by their skipif/onlyif conditions. */
  readonly notApplicable: number;
  /** Statements and queries that would apply but come after a `halt` that applies. */
  readonly afterHalt: number;
  /** Line of the `halt` that stopped the file early, if one did. */
  readonly haltedAt?: number;
  readonly outcomes: readonly SltOutcome[];
}

export interface SltRunOptions {
  /** Names the file in reports. */
  readonly file: string;
  /** A statement or query that takes longer fails with a timeout and the run moves on. */
  readonly timeoutMs?: number;
  /** Engine names for skipif/onlyif; QUIVER_ENGINE_NAMES by default. */
  readonly engineNames?: readonly string[];
}

export const DEFAULT_TIMEOUT_MS = 10_000;
/** How much of a statement a failure line shows. */
const SQL_IN_MESSAGES = 160;
/** How much of a value a difference shows. */
const VALUE_IN_MESSAGES = 60;

/** Whether a record with these conditions applies to an engine known by `names`. */
export function applies(conditions: readonly SltCondition[], names: readonly string[] = QUIVER_ENGINE_NAMES): boolean {
  for (const c of conditions) {
    const ours = names.includes(c.engine);
    if (c.kind === 'onlyif' && !ours) return false;
    if (c.kind === 'skipif' && ours) return false;
  }
  return true;
}

class SltTimeoutError extends Error {}

/**
 * Runs one statement with a timer. The timer can only fire while the engine awaits something:
 * a query that never yields the event loop cannot be interrupted from here (and one that timed
 * out may still be running in the background; its result is ignored).
 */
async function executeWithTimeout(executor: SltExecutor, sql: string, timeoutMs: number): Promise<SltResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SltTimeoutError(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([executor.execute(sql), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/** Runs the records of one file in order. Never throws for a failing record. */
export async function runSlt(
  records: readonly SltRecord[],
  executor: SltExecutor,
  options: SltRunOptions,
): Promise<SltFileReport> {
  const names = options.engineNames ?? QUIVER_ENGINE_NAMES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const labels = new Map<string, { hash: string; line: number }>();
  const outcomes: SltOutcome[] = [];
  let passed = 0;
  let notApplicable = 0;
  let afterHalt = 0;
  let haltedAt: number | undefined;
  for (const record of records) {
    const runnable = record.kind === 'statement' || record.kind === 'query';
    if (!applies(record.conditions, names)) {
      if (runnable) notApplicable++;
      continue;
    }
    if (haltedAt !== undefined) {
      if (runnable) afterHalt++;
      continue;
    }
    if (record.kind === 'halt') {
      haltedAt = record.line;
      continue;
    }
    if (record.kind === 'hash-threshold') continue;
    const outcome =
      record.kind === 'statement'
        ? await runStatement(record, executor, timeoutMs)
        : await runQuery(record, executor, timeoutMs, labels);
    if (outcome.passed) passed++;
    outcomes.push(outcome);
  }
  const counts = { applicable: outcomes.length, passed, failed: outcomes.length - passed, notApplicable, afterHalt };
  const report = { file: options.file, ...counts, outcomes };
  return haltedAt === undefined ? report : { ...report, haltedAt };
}

/** One line for a failed record: where, what SQL (shortened), why. */
export function describeFailure(file: string, outcome: SltOutcome): string {
  const sql = outcome.sql.replace(/\s+/g, ' ');
  const reason = (outcome.reason ?? 'failed').replace(/\s*\n\s*/g, ' ');
  return `${file}:${outcome.line}: ${clip(sql, SQL_IN_MESSAGES)} -- ${reason}`;
}

async function runStatement(record: SltStatement, executor: SltExecutor, timeoutMs: number): Promise<SltOutcome> {
  const { line, sql } = record;
  try {
    await executeWithTimeout(executor, sql, timeoutMs);
  } catch (e) {
    const message = errorText(e);
    if (e instanceof SltTimeoutError) return { line, sql, passed: false, reason: `statement ${message}` };
    if (!record.expectError) return { line, sql, passed: false, reason: `statement failed: ${message}` };
    if (record.errorMessage !== undefined && !message.includes(record.errorMessage)) {
      return {
        line,
        sql,
        passed: false,
        reason: `error message ${JSON.stringify(message)} does not contain ${JSON.stringify(record.errorMessage)}`,
      };
    }
    return { line, sql, passed: true };
  }
  if (record.expectError) return { line, sql, passed: false, reason: 'statement succeeded but an error was expected' };
  return { line, sql, passed: true };
}

/** Formats every value of a result, row by row, per the query's column letters. */
export function formatResult(result: SltResult, types: string): string[][] {
  const width = result.columns.length;
  const letters = types.split('') as SltTypeLetter[];
  const columnTypes = result.columns.map((c) => c.type);
  const out: string[][] = new Array<string[]>(result.rows.length);
  for (let r = 0; r < result.rows.length; r++) {
    const row = result.rows[r]!;
    if (row.length !== width) {
      throw new Error(`row ${r + 1} has ${row.length} values but the result has ${width} columns`);
    }
    const formatted = new Array<string>(width);
    for (let c = 0; c < width; c++) formatted[c] = formatValue(row[c], letters[c]!, columnTypes[c]!);
    out[r] = formatted;
  }
  return out;
}

/** strcmp on formatted values (all printable ASCII, so code-unit order is byte order). */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** SQLite's rowCompare: the first column that differs decides. */
function compareRows(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareStrings(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return 0;
}

/** The values of formatted rows in the order the sort mode asks for. */
export function sortValues(rows: readonly (readonly string[])[], mode: SltSortMode): string[] {
  if (mode === 'rowsort') return [...rows].sort(compareRows).flat();
  const values = rows.flat();
  if (mode === 'valuesort') values.sort(compareStrings);
  return values;
}

/** md5 of every value followed by "\n", as in SQLite's runner. */
export function hashValues(values: readonly string[]): string {
  const md5 = createHash('md5');
  for (const v of values) {
    md5.update(v);
    md5.update('\n');
  }
  return md5.digest('hex');
}

/** Cuts long SQL or values down for a failure message. */
function clip(s: string, max = VALUE_IN_MESSAGES): string {
  return s.length > max ? `${s.slice(0, max)}...` : s;
}

function describeDifference(expected: readonly string[], got: readonly string[], width: number): string {
  const counts =
    expected.length === got.length ? `${got.length} values` : `expected ${expected.length} values, got ${got.length}`;
  const n = Math.min(expected.length, got.length);
  for (let i = 0; i < n; i++) {
    if (expected[i] !== got[i]) {
      const where = `row ${Math.floor(i / width) + 1}, column ${(i % width) + 1}`;
      return `${counts}; first difference at ${where}: expected ${clip(expected[i]!)}, got ${clip(got[i]!)}`;
    }
  }
  const extra = expected.length > got.length ? `missing ${clip(expected.slice(n, n + width).join(' '))}` : `extra ${clip(got.slice(n, n + width).join(' '))}`;
  return `${counts}; ${extra}`;
}

async function runQuery(
  record: SltQuery,
  executor: SltExecutor,
  timeoutMs: number,
  labels: Map<string, { hash: string; line: number }>,
): Promise<SltOutcome> {
  const { line, sql, types } = record;
  let result: SltResult;
  try {
    result = await executeWithTimeout(executor, sql, timeoutMs);
  } catch (e) {
    const prefix = e instanceof SltTimeoutError ? 'query' : 'query failed:';
    return { line, sql, passed: false, reason: `${prefix} ${errorText(e)}` };
  }
  const width = types.length;
  if (result.columns.length !== width) {
    return { line, sql, passed: false, reason: `expected ${width} columns (${types}), got ${result.columns.length}` };
  }
  let got: string[];
  try {
    got = sortValues(formatResult(result, types), record.sort);
  } catch (e) {
    return { line, sql, passed: false, reason: `malformed result: ${errorText(e)}` };
  }
  const hash = hashValues(got);
  if (record.label !== undefined) {
    const first = labels.get(record.label);
    if (first === undefined) labels.set(record.label, { hash, line });
    else if (first.hash !== hash) {
      return { line, sql, passed: false, reason: `result differs from that of line ${first.line} (same label ${record.label})` };
    }
  }
  const expected = record.expected;
  if (expected.kind === 'hash') {
    if (got.length !== expected.count) {
      return { line, sql, passed: false, reason: `expected ${expected.count} values, got ${got.length}: ${clip(got.join(' '))}` };
    }
    if (hash !== expected.hash) {
      return { line, sql, passed: false, reason: `${got.length} values, but they hash to ${hash}, not ${expected.hash}` };
    }
    return { line, sql, passed: true };
  }
  if (expected.values.length % width !== 0) {
    return {
      line,
      sql,
      passed: false,
      reason: `the expected block has ${expected.values.length} values, not a multiple of ${width} columns`,
    };
  }
  // The expected values go through the same sort (a no-op for the corpus, whose expected
  // blocks are written sorted; hand-written files may list rowsort rows in any order).
  const want = record.sort === 'nosort' ? expected.values : sortValues(chunk(expected.values, width), record.sort);
  if (want.length !== got.length || want.some((v, i) => v !== got[i])) {
    return { line, sql, passed: false, reason: describeDifference(want, got, width) };
  }
  return { line, sql, passed: true };
}

function chunk(values: readonly string[], width: number): string[][] {
  const rows: string[][] = [];
  for (let i = 0; i < values.length; i += width) rows.push(values.slice(i, i + width));
  return rows;
}
