// Runs Quiver's own SQL logic tests (test/sql/**/*.test) again over an on-disk database with a
// tiny memtable (4 rows: nearly every table spans several checkpointed parts), tiny blocks and
// eager compaction (parts are merged after every flush, deleted rows dropped), so their
// statements cross the write-ahead log, checkpoints, deletion bitmaps, merges, sorted column
// parts and zone-map pruning, not only the in-memory store. Every record must pass here too.

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runSltFileOnQuiver } from './quiver-executor.js';
import { DEFAULT_TIMEOUT_MS, describeFailure } from './runner.js';

const SQL_DIR = fileURLToPath(new URL('../sql/', import.meta.url));
const TINY_MEMTABLE_ROWS = 4;
/** Two-row blocks: parts hold several blocks, so zone maps get to skip some. */
const TINY_BLOCK_ROWS = 2;

const files = readdirSync(SQL_DIR, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.test'))
  .map((f) => f.split('\\').join('/'))
  .sort();

const root = mkdtempSync(join(tmpdir(), 'quiver-slt-disk-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('SQL logic tests (test/sql) on disk, tiny memtable', () => {
  it('finds the files', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  files.forEach((file, i) => {
    it(file, async () => {
      const storage = { dir: join(root, `db${i}`), memtableRows: TINY_MEMTABLE_ROWS, blockRows: TINY_BLOCK_ROWS, compaction: 'eager' as const };
      const { report } = await runSltFileOnQuiver(SQL_DIR + file, `test/sql/${file}`, DEFAULT_TIMEOUT_MS, storage);
      const failures = report.outcomes.filter((o) => !o.passed).map((o) => describeFailure(`test/sql/${file}`, o));
      expect(failures, `${report.failed} of ${report.applicable} records failed on disk`).toEqual([]);
    });
  });
});
