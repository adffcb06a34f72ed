// The differential suite: seeded random queries over the small star schema, run on DuckDB and
// on Quiver, must return the same rows (cli/compare-results.ts says what "the same" means). The seed is
// printed; DIFF_SEED and DIFF_COUNT override it and the number of queries, DIFF_ONLY=3,17 runs
// only those query numbers (of the same sequence), to replay a failure. The test files call
// describeRandomQueries with the Quiver database to test (in memory, on disk).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkQuery } from './check-query.js';
import { DuckDbEngine } from './duckdb-engine.js';
import { countFeatures, featureShortfalls, generateQueries, type GeneratedQuery } from './query-generator.js';
import type { QuiverEngine } from './quiver-engine.js';
import { generateDataset, loadStatements } from './schema.js';

const DEFAULT_SEED = 20240611;
const DEFAULT_COUNT = 400;
/** Failure reports printed in full; the rest are listed by number. */
const REPORTS_SHOWN = 5;
/** DuckDB may fail a few valid queries with its own internal errors; more means a problem. */
const MAX_REFERENCE_LIMITATION_SHARE = 0.01;
/**
 * One Quiver query may take this long before Quiver cancels it (a failure of that query): DuckDB
 * answers each of these in well under a second.
 */
const QUERY_TIMEOUT_MS = 10_000;
/**
 * The whole run stops starting new queries after this long and fails, naming the slowest
 * queries: a slow engine gets a report instead of a vitest timeout. The file should take well
 * under a minute once the engine is decent.
 */
const RUN_BUDGET_MS = 240_000;
const TEST_TIMEOUT_MS = RUN_BUDGET_MS + QUERY_TIMEOUT_MS * 3;
/** Progress is printed every this many queries. */
const PROGRESS_EVERY = 100;

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got '${raw}'`);
  return n;
}

const SEED = intFromEnv('DIFF_SEED', DEFAULT_SEED);
const COUNT = intFromEnv('DIFF_COUNT', DEFAULT_COUNT);
const ONLY = (process.env.DIFF_ONLY ?? '')
  .split(',')
  .filter((s) => s.trim() !== '')
  .map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 0) throw new Error(`DIFF_ONLY must list query numbers like 3,17; got '${s}'`);
    return n;
  });

export function describeRandomQueries(label: string, openQuiver: (queryTimeoutMs: number) => Promise<QuiverEngine>, count = COUNT): void {
describe(`differential: ${count} random queries, Quiver ${label} vs DuckDB (DIFF_SEED=${SEED})`, () => {
  const data = generateDataset(SEED);
  const queries: GeneratedQuery[] = generateQueries(data, SEED, count);
  let duck: DuckDbEngine;
  let quiver: QuiverEngine;

  beforeAll(async () => {
    console.log(`differential random queries (${label}): DIFF_SEED=${SEED} DIFF_COUNT=${count}${ONLY.length ? ` DIFF_ONLY=${ONLY.join(',')}` : ''}`);
    duck = await DuckDbEngine.open();
    quiver = await openQuiver(QUERY_TIMEOUT_MS);
    for (const sql of loadStatements(data)) {
      await duck.exec(sql);
      await quiver.exec(sql);
    }
  });

  afterAll(async () => {
    await duck?.close();
    await quiver?.close();
  });

  it('covers the features the test promises', () => {
    const shortfalls = featureShortfalls(queries);
    expect(shortfalls, `feature counts: ${JSON.stringify(countFeatures(queries))}`).toEqual([]);
  });

  it('returns the same rows as DuckDB for every query', { timeout: TEST_TIMEOUT_MS }, async () => {
    const selected = ONLY.length > 0 ? queries.filter((q) => ONLY.includes(q.index)) : queries;
    const failures: { index: number; report: string }[] = [];
    const skipped: number[] = [];
    const slowest: { index: number; ms: number }[] = [];
    let empty = 0;
    let notRun = 0;
    const start = performance.now();
    for (const q of selected) {
      if (performance.now() - start > RUN_BUDGET_MS) {
        notRun = selected.length - slowest.length;
        break;
      }
      if (slowest.length > 0 && slowest.length % PROGRESS_EVERY === 0) {
        console.log(`differential: ${slowest.length} queries run, ${failures.length} failed, ${((performance.now() - start) / 1000).toFixed(1)} s`);
      }
      const t0 = performance.now();
      const r = await checkQuery(duck, quiver, q.sql, q.orderBy, `query #${q.index} (DIFF_SEED=${SEED})`);
      slowest.push({ index: q.index, ms: performance.now() - t0 });
      if (r.rows === 0) empty++;
      if (r.status === 'reference-limitation') skipped.push(q.index);
      else if (r.status !== 'agree') failures.push({ index: q.index, report: r.report });
    }
    slowest.sort((a, b) => b.ms - a.ms);
    console.log(
      `differential: ${slowest.length} of ${selected.length} queries run in ${((performance.now() - start) / 1000).toFixed(1)} s, ` +
        `${failures.length} failed, ${skipped.length} skipped (DuckDB limitation: ${skipped.join(', ') || 'none'}), ` +
        `${empty} with empty results; slowest: ${slowest
          .slice(0, 5)
          .map((s) => `#${s.index} ${s.ms.toFixed(0)} ms`)
          .join(', ')}`,
    );
    const summary =
      failures.length === 0
        ? ''
        : `${failures.length} of ${selected.length} queries disagree (numbers: ${failures.map((f) => f.index).join(', ')}). ` +
          `Replay one with DIFF_SEED=${SEED} DIFF_COUNT=${count} DIFF_ONLY=<number>.\n\n` +
          failures
            .slice(0, REPORTS_SHOWN)
            .map((f) => f.report)
            .join('\n\n');
    expect(failures.length, summary).toBe(0);
    expect(
      notRun,
      `${notRun} queries not run: the run passed its ${RUN_BUDGET_MS / 1000} s budget (slowest: ${slowest
        .slice(0, 10)
        .map((s) => `#${s.index} ${s.ms.toFixed(0)} ms`)
        .join(', ')})`,
    ).toBe(0);
    expect(skipped.length).toBeLessThanOrEqual(Math.max(1, Math.floor(selected.length * MAX_REFERENCE_LIMITATION_SHARE)));
  });
});
}
