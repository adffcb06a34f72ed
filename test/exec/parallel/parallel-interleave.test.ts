// The worker threads take shares of several queries at once (exec/parallel/pool.ts): a long
// share gives its thread's event loop a turn every few milliseconds, so a short query's share
// there starts at once instead of waiting for the long one to end.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../../sql/database.js';

describe('parallel GROUP BY queries at once', () => {
  let dir: string;
  let db: Database;
  let other: Database;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'quiver-parallel-interleave-'));
    db = await Database.open(join(dir, 'db'), { blockRows: 512, memtableRows: 4000, compaction: 'off' });
    await db.exec('CREATE TABLE fact (w DOUBLE, qty INTEGER); INSERT INTO fact SELECT i * 0.1, i % 50 FROM generate_series(1, 40000) t(i)');
    await db.checkpoint();
    // Another database of the process: its statements do not queue behind db's, its shares go
    // to the same worker threads.
    other = await Database.open(join(dir, 'other'), { blockRows: 512, memtableRows: 4000, compaction: 'off' });
    await other.exec('CREATE TABLE fact (qty INTEGER); INSERT INTO fact SELECT i % 50 FROM generate_series(1, 20000) t(i)');
    await other.checkpoint();
  });

  afterAll(async () => {
    await db.close();
    await other.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a short query while a long one runs in the same workers', async () => {
    await db.exec('SET threads = 2');
    await other.exec('SET threads = 2');
    const small = 'SELECT qty % 2, count(*) FROM fact GROUP BY 1';
    expect((await other.query(small)).rows()).toHaveLength(2);
    // 1.6 billion pairs: many seconds in the workers.
    const controller = new AbortController();
    let longEnded = false;
    const long = db
      .query('SELECT count(*) FROM fact a JOIN fact b ON a.w < b.w + a.qty', [], { signal: controller.signal })
      .catch((e: unknown) => e)
      .finally(() => (longEnded = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await other.query(small)).rows()).toHaveLength(2);
    // It answered while the long one still ran (which stops only when cancelled). When a share
    // never gave its thread's event loop a turn, the short query waited for the long one's
    // share to end (600-830 ms here; with a share this long, never within the test's time).
    expect(longEnded).toBe(false);
    controller.abort();
    expect(await long).toMatchObject({ code: 'CANCELLED' });
  });
});
