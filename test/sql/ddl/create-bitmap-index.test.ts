// CREATE INDEX ... USING BITMAP records a bitmap index (IndexDef.kind 'bitmap'), which the store
// builds as bitmap index files in the table's parts; any other method is recorded only. The
// kind is derived from the method, so it also comes back from a stored manifest.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Database } from '../../../sql/database.js';
import { Engine } from '../../../sql/engine.js';
import { indexKind } from '../../../storage/catalog.js';

describe('CREATE INDEX ... USING BITMAP', () => {
  it('records the index kind', async () => {
    const engine = new Engine();
    await engine.run(`CREATE TABLE t (a INTEGER, b VARCHAR);
                      CREATE INDEX t_a ON t USING BITMAP (a);
                      CREATE INDEX t_b ON t USING btree (b);
                      CREATE INDEX t_ab ON t (a, b)`);
    const kinds = Object.fromEntries([...engine.catalog.indexes.values()].map((ix) => [ix.name, [ix.using, ix.kind]]));
    expect(kinds).toEqual({ t_a: ['bitmap', 'bitmap'], t_b: ['btree', 'recorded'], t_ab: ['default', 'recorded'] });
  });

  it('derives the kind from the method, whatever its case', () => {
    expect(['bitmap', 'BITMAP', 'Bitmap', 'btree', 'default'].map(indexKind)).toEqual(['bitmap', 'bitmap', 'bitmap', 'recorded', 'recorded']);
  });
});

describe('CREATE INDEX ... USING BITMAP on disk', () => {
  it('indexes the parts already written, and scans answer IN from the bitmaps', async () => {
    const root = mkdtempSync(join(tmpdir(), 'quiver-bitmap-'));
    try {
      const db = await Database.open(join(root, 'db'), { blockRows: 64, compaction: 'off' });
      await db.exec('CREATE TABLE t (id INTEGER, c INTEGER) ORDER BY id');
      // Every block holds 0 and 9, so zone maps cannot rule 4 out; only block 1 holds a 4.
      const rows = Array.from({ length: 1024 }, (_, id) => `(${id}, ${id >= 100 && id < 104 ? 4 : id % 2 === 0 ? 0 : 9})`);
      await db.exec(`INSERT INTO t VALUES ${rows.join(', ')}`);
      await db.checkpoint();
      const explain = async () => (await db.query('EXPLAIN ANALYZE SELECT count(*) FROM t WHERE c IN (4, 5)')).rows().map((r) => r[0]).join('\n');
      expect(await explain()).toContain('blocks: 16 of 16 read (0 skipped by zone maps, 0 by bitmaps)');
      await db.exec('CREATE INDEX t_c ON t USING BITMAP (c)');
      const text = await explain();
      expect(text).toContain('blocks: 1 of 16 read (0 skipped by zone maps, 15 by bitmaps), bitmap rows: 4');
      expect((await db.query('SELECT count(*), sum(id) FROM t WHERE c IN (4, 5)')).rows()).toEqual([[4n, 406n]]);
      expect((await db.query('SELECT count(*) FROM t WHERE c = 4 OR c = 0')).rows()).toEqual([[514n]]);
      await db.close();
      // The index files are part of the parts now: a reopen uses them too.
      const again = await Database.open(join(root, 'db'), { blockRows: 64 });
      expect((await again.query('EXPLAIN ANALYZE SELECT count(*) FROM t WHERE c IN (4, 5)')).rows().map((r) => r[0]).join('\n')).toContain('15 by bitmaps');
      await again.close();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
