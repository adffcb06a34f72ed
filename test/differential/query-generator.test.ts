// The query generator on its own, against DuckDB only: it must be deterministic, produce only
// queries DuckDB accepts (a rejected query is a generator bug, not an engine difference), cover
// the features the differential test promises, and not produce mostly empty results.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AggregateFunctionGenerator } from './aggregate-function-generator.js';
import { DuckDbEngine } from './duckdb-engine.js';
import { featureShortfalls, generateQueries } from './query-generator.js';
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

  it('leaves the queries that use no median, quantile or string_agg as they were before those came', () => {
    const withThem = generateQueries(data, SEED, COUNT);
    const off = [
      vi.spyOn(AggregateFunctionGenerator.prototype, 'continuous').mockReturnValue(null),
      vi.spyOn(AggregateFunctionGenerator.prototype, 'discrete').mockReturnValue(null),
      vi.spyOn(AggregateFunctionGenerator.prototype, 'stringAggLength').mockReturnValue(null),
    ];
    let without: string[];
    try {
      without = generateQueries(data, SEED, COUNT).map((q) => q.sql);
    } finally {
      for (const spy of off) spy.mockRestore();
    }
    const users = withThem.filter((q) => q.features.median || q.features.quantileCont || q.features.quantileDisc || q.features.stringAgg);
    expect(users.length).toBeGreaterThan(0);
    for (const q of withThem) {
      const uses = users.includes(q);
      expect(q.sql !== without[q.index], `#${q.index} ${uses ? 'uses one of them, yet is' : 'uses none, yet is not'} the query without them`).toBe(uses);
    }
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
