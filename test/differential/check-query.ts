// Runs one query on the reference engine and on the engine under test and says whether they
// agree; on a disagreement it returns the full report (query, both results, the plan).

import { compareResults, mismatchReport } from './compare.js';
import type { ResultSet, SqlEngine } from './engine.js';
import type { OrderKey } from './query-generator.js';

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * null when both engines return the same rows (compareResults' rules); otherwise the failure
 * report. An error on either side alone is a failure; so is an error on the reference side
 * (a generated query the reference rejects is a generator bug).
 */
export async function checkQuery(
  reference: SqlEngine,
  tested: SqlEngine,
  sql: string,
  orderBy: readonly OrderKey[] | null,
  title: string,
): Promise<string | null> {
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
  let reason: string | null;
  if (expectedError !== null) {
    reason = `${reference.name} rejected the query, so the test itself is wrong (query generator or query file)`;
  } else if (actualError !== null) {
    reason = `${tested.name} failed where ${reference.name} succeeded`;
  } else {
    reason = compareResults(expected as ResultSet, actual as ResultSet, orderBy);
  }
  if (reason === null) return null;
  let plan: string | null = null;
  try {
    plan = await tested.explain(sql);
  } catch (e) {
    plan = `EXPLAIN failed: ${message(e)}`;
  }
  return mismatchReport({
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
}
