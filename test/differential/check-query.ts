// Runs one query on the reference engine and on the engine under test and says whether they
// agree; on a disagreement it returns the full report (query, both results, the plan).

import { compareResults, mismatchReport } from '../../cli/compare-results.js';
import type { ResultSet, SqlEngine } from './engine.js';
import type { OrderKey } from './query-generator.js';

/** DuckDB's overflow errors. */
const OVERFLOW_RE = /Out of Range Error|overflow/i;

export type CheckStatus =
  /** Both engines returned the same rows. */
  | 'agree'
  /** The engines disagree, or the engine under test failed. */
  | 'mismatch'
  /** The reference rejected a valid query with an internal error or an unimplemented feature. */
  | 'reference-limitation'
  /** The reference rejected the query: the query itself (or its generator) is wrong. */
  | 'reference-error';

export interface CheckResult {
  status: CheckStatus;
  /** The failure report (query, both results, plan); empty when the engines agree. */
  report: string;
  /** Rows in the reference result (-1 when it failed). */
  rows: number;
}

/**
 * DuckDB's own bugs and gaps ("INTERNAL Error: Attempted to access index 2 within vector of
 * size 2", "Not implemented Error: Unsupported join type for flattening correlated subquery")
 * say nothing about Quiver: such queries are counted and skipped, not failed.
 */
const REFERENCE_LIMITATION_RE = /^(INTERNAL Error|Not implemented Error)/;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function checkQuery(
  reference: SqlEngine,
  tested: SqlEngine,
  sql: string,
  orderBy: readonly OrderKey[] | null,
  title: string,
): Promise<CheckResult> {
  let expected: ResultSet | null = null;
  let expectedError: string | null = null;
  let actual: ResultSet | null = null;
  let actualError: string | null = null;
  try {
    expected = await reference.query(sql);
  } catch (e) {
    expectedError = message(e);
  }
  try {
    actual = await tested.query(sql);
  } catch (e) {
    actualError = message(e);
  }
  let status: CheckStatus = 'mismatch';
  let reason: string | null;
  if (expectedError !== null && actualError !== null && OVERFLOW_RE.test(expectedError) && /out of range/i.test(actualError)) {
    // Both engines reject the query with an arithmetic overflow (a generated constant such as
    // 100000 * 100000): they agree.
    return { status: 'agree', report: '', rows: -1 };
  }
  if (expectedError !== null) {
    status = REFERENCE_LIMITATION_RE.test(expectedError) ? 'reference-limitation' : 'reference-error';
    reason =
      status === 'reference-limitation'
        ? `${reference.name} cannot run the query (its own limitation); skipped`
        : `${reference.name} rejected the query, so the test itself is wrong (query generator or query file)`;
  } else if (actualError !== null) {
    reason = `${tested.name} failed where ${reference.name} succeeded`;
  } else {
    reason = compareResults(expected as ResultSet, actual as ResultSet, orderBy);
  }
  const rows = expected ? expected.rows.length : -1;
  if (reason === null) return { status: 'agree', report: '', rows };
  let plan: string | null = null;
  if (status === 'mismatch') {
    try {
      plan = await tested.explain(sql);
    } catch (e) {
      plan = `EXPLAIN failed: ${message(e)}`;
    }
  }
  const report = mismatchReport({
    title,
    sql,
    reason,
    expected,
    expectedError,
    actual,
    actualError,
    plan,
    expectedName: reference.name,
    actualName: tested.name,
  });
  return { status, report, rows };
}
