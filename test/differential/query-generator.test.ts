// The query generator on its own, against DuckDB only: it must be deterministic, produce only
// queries DuckDB accepts (a rejected query is a generator bug, not an engine difference), cover
// the features the differential test promises, and not produce mostly empty results.

import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import { AggregateFunctionGenerator } from './aggregate-function-generator.js';
import { ArgMinMaxGenerator } from './arg-min-max-generator.js';
import { BoolAggregateGenerator } from './bool-aggregate-generator.js';
import { DatePartGenerator } from './date-part-generator.js';
import { DuckDbEngine } from './duckdb-engine.js';
import { GreatestLeastGenerator } from './greatest-least-generator.js';
import { PositionGenerator } from './position-generator.js';
import { featureShortfalls, generateQueries, type QueryFeatures } from './query-generator.js';
import { generateDataset, loadStatements } from './schema.js';

const SEED = 20240611;
const COUNT = 400;
/** Above this share of empty results the queries would prove little. */
const MAX_EMPTY_SHARE = 0.35;
/** DuckDB's own internal errors on valid queries: a handful at most. */
const MAX_REFERENCE_LIMITATIONS = 4;

describe('query generator', () => {
  const data = generateDataset(SEED);
  let duck: DuckDbEngine;

  beforeAll(async () => {
    duck = await DuckDbEngine.open();
    for (const sql of loadStatements(data)) await duck.exec(sql);
  });

  afterAll(async () => {
    await duck?.close();
  });

  it('makes the same data and queries from the same seed, other queries from another', () => {
    expect(generateDataset(SEED)).toEqual(data);
    const a = generateQueries(data, SEED, 50).map((q) => q.sql);
    const b = generateQueries(generateDataset(SEED), SEED, 50).map((q) => q.sql);
    expect(b).toEqual(a);
    const c = generateQueries(data, SEED + 1, 50).map((q) => q.sql);
    expect(c).not.toEqual(a);
  });

  /**
   * The queries of SEED with the given generator methods drawing nothing, against those with them:
   * exactly the queries that use one of their functions may differ (each draws from its own
   * stream and keeps the main generator's choices as they were).
   */
  function expectOnlyUsersChange(turnOff: () => MockInstance[], uses: (f: QueryFeatures) => boolean): void {
    const withThem = generateQueries(data, SEED, COUNT);
    const off = turnOff();
    let without: string[];
    try {
      without = generateQueries(data, SEED, COUNT).map((q) => q.sql);
    } finally {
      for (const spy of off) spy.mockRestore();
    }
    const users = withThem.filter((q) => uses(q.features));
    expect(users.length).toBeGreaterThan(0);
    for (const q of withThem) {
      const used = users.includes(q);
      expect(q.sql !== without[q.index], `#${q.index} ${used ? 'uses one of them, yet is' : 'uses none, yet is not'} the query without them`).toBe(used);
    }
  }

  it('leaves the queries that use no median, quantile or string_agg as they were before those came', () => {
    expectOnlyUsersChange(
      () => [
        vi.spyOn(AggregateFunctionGenerator.prototype, 'continuous').mockReturnValue(null),
        vi.spyOn(AggregateFunctionGenerator.prototype, 'discrete').mockReturnValue(null),
        vi.spyOn(AggregateFunctionGenerator.prototype, 'stringAggLength').mockReturnValue(null),
      ],
      (f) => f.median || f.quantileCont || f.quantileDisc || f.stringAgg,
    );
  });

  it('leaves the queries that use no greatest/least, date_part, position, bool_and/or or arg_min/max as they were', () => {
    expectOnlyUsersChange(
      () => [
        vi.spyOn(GreatestLeastGenerator.prototype, 'number').mockReturnValue(null),
        vi.spyOn(GreatestLeastGenerator.prototype, 'ordered').mockReturnValue(null),
        vi.spyOn(DatePartGenerator.prototype, 'datePart').mockReturnValue(null),
        vi.spyOn(PositionGenerator.prototype, 'position').mockReturnValue(null),
        vi.spyOn(BoolAggregateGenerator.prototype, 'aggregate').mockReturnValue(null),
        vi.spyOn(BoolAggregateGenerator.prototype, 'guard').mockReturnValue(null),
        vi.spyOn(BoolAggregateGenerator.prototype, 'having').mockReturnValue(null),
        vi.spyOn(ArgMinMaxGenerator.prototype, 'argMinMax').mockReturnValue(null),
      ],
      (f) => f.greatest || f.least || f.datePart || f.strpos || f.boolAnd || f.boolOr || f.argMin || f.argMax,
    );
  });

  it('keeps each of the later functions independent of the others', () => {
    // Turning one module off changes only the queries that use its functions.
    expectOnlyUsersChange(() => [vi.spyOn(ArgMinMaxGenerator.prototype, 'argMinMax').mockReturnValue(null)], (f) => f.argMin || f.argMax);
    expectOnlyUsersChange(
      () => [vi.spyOn(GreatestLeastGenerator.prototype, 'number').mockReturnValue(null), vi.spyOn(GreatestLeastGenerator.prototype, 'ordered').mockReturnValue(null)],
      (f) => f.greatest || f.least,
    );
  });

  it('covers every feature the differential test promises', () => {
    expect(featureShortfalls(generateQueries(data, SEED, COUNT))).toEqual([]);
  });

  it('produces only queries DuckDB runs, with mostly non-empty results', async () => {
    const queries = generateQueries(data, SEED, COUNT);
    const rejected: string[] = [];
    const limitations: string[] = [];
    let empty = 0;
    for (const q of queries) {
      try {
        const r = await duck.query(q.sql);
        if (r.rows.length === 0) empty++;
        if (q.orderBy) for (const k of q.orderBy) expect(k.column).toBeLessThan(r.columns.length);
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        const line = `#${q.index}: ${msg.split('\n')[0]}\n  ${q.sql}`;
        if (/^(INTERNAL Error|Not implemented Error)/.test(msg)) limitations.push(line);
        else rejected.push(line);
      }
    }
    expect(rejected, rejected.slice(0, 5).join('\n')).toEqual([]);
    expect(limitations.length, limitations.join('\n')).toBeLessThanOrEqual(MAX_REFERENCE_LIMITATIONS);
    expect(empty).toBeLessThanOrEqual(COUNT * MAX_EMPTY_SHARE);
  });
});
