// Property: for random small parts (random types, NULLs, wide BIGINTs, block sizes, columns added
// after some parts were written, a column dropped since some were) and random deletion masks, mergeParts writes exactly what the
// reference model says: the sources' live rows, stably sorted by the key with NULLs last.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type LogicalType, T } from '../../../common/types.js';
import type { Scalar } from '../../../common/vector.js';
import { mergeParts } from '../../../storage/compaction/merge.js';
import { ForgetfulFileSystem } from '../../../storage/fs/forgetful-file-system.js';
import type { ColumnSchema } from '../../../storage/table.js';
import { column, compareRows, type ModelSource, readRows, referenceMerge, type Row, writeRows } from './compaction-test-helpers.js';

const TYPE_CHOICES: readonly LogicalType[] = [T.INTEGER, T.BIGINT, T.VARCHAR, T.DOUBLE, T.BOOLEAN];
/** The id of a column dropped from the table: above the ids of the table's columns (0..3). */
const DROPPED_ID = 9;

/** Values with many duplicates, so keys tie often. */
function valueOf(type: LogicalType): fc.Arbitrary<Scalar> {
  let v: fc.Arbitrary<Scalar>;
  switch (type) {
    case T.INTEGER:
      v = fc.integer({ min: -3, max: 3 });
      break;
    case T.BIGINT:
      v = fc.oneof(fc.bigInt({ min: -3n, max: 3n }), fc.constantFrom(2n ** 60n, -(2n ** 60n), 2n ** 53n + 1n));
      break;
    case T.VARCHAR:
      v = fc.constantFrom('', 'a', 'ab', 'b', 'é', 'Z');
      break;
    case T.DOUBLE:
      v = fc.constantFrom(-1.5, 0, 2.25, 1e300);
      break;
    default:
      v = fc.constantFrom(0, 1);
  }
  return fc.option(v, { freq: 4 });
}

const scenario = fc
  .record({
    types: fc.array(fc.constantFrom(...TYPE_CHOICES), { minLength: 1, maxLength: 4 }),
    keyPick: fc.array(fc.nat(), { maxLength: 3 }),
    sourceCount: fc.integer({ min: 1, max: 5 }),
    seed: fc.nat(),
  })
  .chain(({ types, keyPick, sourceCount }) => {
    const sortKey = [...new Set(keyPick.map((k) => k % types.length))];
    const row: fc.Arbitrary<Row> = fc.tuple(...types.map(valueOf));
    const source = fc.record({
      rows: fc.array(row, { maxLength: 30 }),
      // Columns the part holds: the table's later columns were added after it was written.
      columnCount: fc.integer({ min: 1, max: types.length }),
      // A column dropped from the table since the part was written, at this position among its
      // columns (null: none): it is matched by id, so it is never read.
      droppedAt: fc.option(fc.nat(types.length), { nil: null }),
      blockRows: fc.integer({ min: 1, max: 9 }),
      deletedBits: fc.array(fc.boolean(), { maxLength: 30 }),
      hasMask: fc.boolean(),
      sorted: fc.constantFrom(true, true, true, false),
    });
    return fc.record({
      types: fc.constant(types),
      sortKey: fc.constant(sortKey),
      sources: fc.array(source, { minLength: sourceCount, maxLength: sourceCount }),
      blockRows: fc.integer({ min: 1, max: 12 }),
    });
  });

describe('mergeParts against a reference model', () => {
  it('writes the live rows of the sources in key order', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ types, sortKey, sources, blockRows }) => {
        const fs = new ForgetfulFileSystem();
        await fs.mkdir('/db');
        const columns: ColumnSchema[] = types.map((t, c) => column(`c${c}`, t));
        const model: ModelSource[] = [];
        const partIds: number[][] = [];
        for (const [i, s] of sources.entries()) {
          // A part was written when the table had its first columnCount columns.
          let rows = s.rows.map((r) => r.slice(0, s.columnCount));
          const full = rows.map((r) => types.map((_, c) => (c < r.length ? r[c]! : null)));
          if (s.sorted) {
            const cmp = compareRows(sortKey);
            const order = full.map((_, k) => k).sort((a, b) => cmp(full[a]!, full[b]!) || a - b);
            rows = order.map((k) => rows[k]!);
          }
          const deleted = s.hasMask ? Uint8Array.from(rows, (_, k) => (s.deletedBits[k] === true ? 1 : 0)) : null;
          model.push({ rows, deleted });
          const held = columns.slice(0, s.columnCount);
          const ids = held.map((_, c) => c);
          let written = rows;
          if (s.droppedAt !== null) {
            const at = Math.min(s.droppedAt, held.length);
            held.splice(at, 0, column('dropped', T.INTEGER));
            ids.splice(at, 0, DROPPED_ID);
            written = rows.map((r, k) => [...r.slice(0, at), k * 7 - 3, ...r.slice(at)]);
          }
          partIds.push(ids);
          await writeRows(fs, `/db/p${i}`, held, written, s.blockRows);
        }
        const result = await mergeParts(fs, {
          sources: model.map((m, i) => ({ dir: `/db/p${i}`, deleted: m.deleted, columnIds: partIds[i]! })),
          columns,
          columnIds: columns.map((_, c) => c),
          sortKey,
          target: '/db/merged',
          blockRows,
          force: null,
          bitmapColumns: [],
        });
        const expected = referenceMerge(model, types, sortKey);
        expect(result.rows).toBe(expected.length);
        if (expected.length === 0) {
          expect(result.meta).toBeNull();
          return;
        }
        expect(result.meta!.rows).toBe(expected.length);
        // Unsorted sources are sorted first, stably, so the order is exact whatever the sources.
        expect(await readRows(fs, '/db/merged', types)).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });
});
