// Cancellation of a parallel GROUP BY (exec/parallel/parallel-aggregate.ts) that arrives before
// its shares are handed to the worker threads.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../../sql/database.js';
import { failure } from '../../expect-failure.js';
import { sharesStarted } from '../../../exec/parallel/pool.js';

describe('a parallel GROUP BY cancelled before its shares start', () => {
  let dir: string;
  let db: Database;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'quiver-parallel-cancel-'));
    db = await Database.open(join(dir, 'db'), { blockRows: 512, memtableRows: 4000, compaction: 'off' });
    await db.exec('CREATE TABLE fact (w DOUBLE, qty INTEGER); INSERT INTO fact SELECT i * 0.1, i % 50 FROM generate_series(1, 20000) t(i)');
    await db.checkpoint();
  });

  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('never starts the workers on it', async () => {
    await db.exec('SET threads = 2');
    // 400 million pairs: tens of seconds in the workers if they ran it (they did: an abort
    // before the listener was added fired no event). No share may even be handed to them.
    const before = sharesStarted();
    const e = await failure(db.query('SELECT count(*) FROM fact a JOIN fact b ON a.w < b.w + a.qty', [], { signal: AbortSignal.abort() }));
    expect(e.code).toBe('CANCELLED');
    expect(sharesStarted()).toBe(before);
    expect((await db.query('SELECT count(*) FROM fact GROUP BY qty % 2')).rows()).toEqual([[10000n], [10000n]]);
  });
});
