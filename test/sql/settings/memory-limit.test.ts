// SET memory_limit (exec/memory.ts, sql/settings.ts): a query whose join build side, sort,
// window or GROUP BY holds more than the limit fails with OUT_OF_MEMORY, saying what held the
// memory and how to raise it; nothing is left held, so the next query runs; the limit is a
// setting like the others (SHOW, RESET, quiver_settings()).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../../sql/database.js';
import { failure } from '../../expect-failure.js';
import { formatBytes, MemoryTracker, parseBytes } from '../../../exec/memory.js';

describe('memory_limit', () => {
  let db: Database;

  beforeAll(async () => {
    db = await Database.open(':memory:');
    await db.exec("CREATE TABLE t AS SELECT i AS k, i % 100 AS g, 'row ' || i AS s FROM generate_series(1, 200000) x(i)");
  });

  afterAll(() => db.close());

  it('is a setting: SHOW, SET with units, RESET, quiver_settings()', async () => {
    const initial = (await db.query('SHOW memory_limit')).rows()[0]![0] as string;
    expect(initial).toMatch(/^\d+\.\d (KiB|MiB|GiB|TiB)$/);
    await db.exec("SET memory_limit = '512MB'");
    expect((await db.query('SHOW memory_limit')).rows()).toEqual([['488.3 MiB']]);
    await db.exec("SET memory_limit TO '2GiB'");
    expect((await db.query("SELECT value FROM quiver_settings() WHERE name = 'memory_limit'")).rows()).toEqual([['2.0 GiB']]);
    expect((await failure(db.exec("SET memory_limit = 'lots'"))).message).toMatch(/invalid value for setting memory_limit: use a size such as '512MB'/);
    await db.exec('RESET memory_limit');
    expect((await db.query('SHOW memory_limit')).rows()).toEqual([[initial]]);
  });

  it('fails a query over the limit with OUT_OF_MEMORY, and the next query runs', async () => {
    await db.exec("SET memory_limit = '1MB'");
    const join = await failure(db.query('SELECT count(*) FROM t a JOIN t b ON a.k = b.k'));
    expect(join.code).toBe('OUT_OF_MEMORY');
    expect(join.message).toMatch(/the rows held for a join holds [\d.]+ (KiB|MiB) .*SET memory_limit/);
    expect((await failure(db.query('SELECT s FROM t ORDER BY s DESC'))).message).toMatch(/the rows held for ORDER BY/);
    expect((await failure(db.query('SELECT k, count(*) FROM t GROUP BY k'))).message).toMatch(/the groups of GROUP BY/);
    expect((await failure(db.query('SELECT k, row_number() OVER (ORDER BY s) FROM t'))).message).toMatch(/a window function/);
    // Small enough: runs under the same limit, and so does everything after a failure.
    expect((await db.query('SELECT g, count(*) FROM t GROUP BY g ORDER BY g LIMIT 1')).rows()).toEqual([[0n, 2000n]]);
    await db.exec('RESET memory_limit');
    expect((await db.query('SELECT count(*) FROM t a JOIN t b ON a.k = b.k')).rows()).toEqual([[200000n]]);
  });

  it('counts what operators hold at once and frees what they release', () => {
    const tracker = new MemoryTracker(1000);
    const a = tracker.reservation('a');
    const b = tracker.reservation('b');
    a.resize(600);
    b.resize(300);
    expect(() => b.add(200)).toThrow(/b holds 500 bytes of the 1.1 KiB in use/);
    a.release();
    b.release();
    expect([tracker.used, tracker.peak]).toEqual([0, 1100]);
    expect([parseBytes('4GB'), parseBytes('1.5 GiB'), parseBytes('100'), parseBytes('2 parsecs')]).toEqual([4e9, 1.5 * 2 ** 30, 100, null]);
    expect([formatBytes(512), formatBytes(3 * 2 ** 20), formatBytes(Infinity)]).toEqual(['512 bytes', '3.0 MiB', 'unlimited']);
  });
});
