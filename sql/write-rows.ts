// The tables' side of the write statements (sql/engine.ts): the rows a statement computed,
// checked and shaped for the table they go to.

import { type Batch, makeBatch } from '../common/batch.js';
import { binderError, QuiverError } from '../common/errors.js';
import { concatFlat, flatten, gatherAny } from '../common/vector.js';
import type { TableSchema } from '../storage/table.js';
import type * as A from './ast.js';

/** The values of the single row-id column of `batches`. */
export function rowIdsOf(batches: readonly Batch[]): Float64Array {
  let n = 0;
  for (const b of batches) n += b.count;
  const out = new Float64Array(n);
  let k = 0;
  for (const b of batches) {
    const v = flatten(b.columns[0]!);
    const data = v.data as Float64Array | BigInt64Array;
    const sel = b.selection;
    for (let i = 0; i < b.count; i++) out[k++] = Number(data[sel === null ? i : sel[i]!]!);
  }
  return out;
}

/** All rows of several batches as one dense batch of the table's column types. */
export function concatBatches(schema: TableSchema, batches: Batch[]): Batch {
  if (batches.length === 1 && batches[0]!.selection === null) return batches[0]!;
  const columns = schema.columns.map((c, i) =>
    concatFlat(c.type, batches.map((b) => flatten(b.selection === null ? b.columns[i]! : gatherAny(b.columns[i]!, b.selection, b.count)))),
  );
  return makeBatch(columns, columns[0]?.length ?? 0);
}

export function checkUniqueNames(schema: TableSchema, pos: A.Pos): void {
  const seen = new Set<string>();
  for (const c of schema.columns) {
    if (seen.has(c.name)) throw binderError(`column "${c.name}" specified more than once`, pos);
    seen.add(c.name);
  }
}

/** Re-labels result vectors with the table's column types (CREATE TABLE AS). */
export function retype(b: Batch, schema: TableSchema): Batch {
  return makeBatch(b.columns.map((c, i) => ({ ...(b.selection === null ? flatten(c) : flatten(gatherAny(c, b.selection, b.count))), type: schema.columns[i]!.type })), b.count);
}

export function checkNotNull(schema: TableSchema, batches: Batch[], file?: string): void {
  schema.columns.forEach((c, i) => {
    if (!c.notNull) return;
    let row = 0;
    for (const b of batches) {
      const v = flatten(b.selection === null ? b.columns[i]! : gatherAny(b.columns[i]!, b.selection, b.count));
      if (v.validity !== null) {
        const k = v.validity.indexOf(0);
        if (k >= 0) {
          const where = file ? ` (${file}, row ${row + k + 1})` : '';
          throw new QuiverError('CONSTRAINT_ERROR', `null value in column "${c.name}" of table "${schema.name}" violates not-null constraint${where}`);
        }
      }
      row += b.count;
    }
  });
}
