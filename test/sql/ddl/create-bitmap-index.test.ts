// CREATE INDEX ... USING BITMAP records a bitmap index (IndexDef.kind 'bitmap'), which the store
// builds as bitmap index files in the table's parts; any other method is recorded only. The
// kind is derived from the method, so it also comes back from a stored manifest.

import { describe, expect, it } from 'vitest';
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
