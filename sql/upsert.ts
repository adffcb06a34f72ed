// INSERT ... ON CONFLICT (upserts), INSERT OR IGNORE and INSERT OR REPLACE. The engine computes
// the proposed rows as for a plain INSERT; this module finds the conflict key, removes the
// proposed rows that repeat a key, and plans the join of the table with the proposed rows
// (`excluded`, as in PostgreSQL) on that key. Proposed rows that match no table row are
// inserted; DO UPDATE computes the new values of the table rows they match, which the store
// deletes and appends again in the same write as the inserts.
//
// As in PostgreSQL and DuckDB: the key is the primary key or the columns of a UNIQUE index
// (ON CONFLICT without columns means the primary key); a NULL in a key column never conflicts;
// DO UPDATE refuses a key that two proposed rows share, DO NOTHING keeps the first of them.

import { type Batch, makeBatch } from '../common/batch.js';
import { binderError, QuiverError } from '../common/errors.js';
import { T, TypeId } from '../common/types.js';
import { concatFlat, flatten, gatherAny } from '../common/vector.js';
import { GroupIdAssigner } from '../exec/hash/group-ids.js';
import type { PlanNode } from '../exec/plan.js';
import type { Catalog } from '../storage/catalog.js';
import { ROW_ID_COLUMN, type TableSchema } from '../storage/table.js';
import type * as A from './ast.js';
import type { QueryBinder } from './binder/bind-query.js';
import { bindExpr } from './binder/bind-expr.js';
import { castTo } from './binder/coercion.js';
import { Scope } from './binder/scope.js';
import type { LExpr, LNode } from './logical/plan.js';
import { optimize } from './optimizer/optimizer.js';
import { PhysicalPlanner } from './planner/physical-planner.js';
import { jsValue } from './result.js';

/** The name of the proposed rows in ON CONFLICT DO UPDATE expressions. */
export const EXCLUDED = 'excluded';

/** The conflict key: table column positions of the clause's target, which must be the primary
 *  key or a UNIQUE index's columns (in any order). */
export function conflictKey(catalog: Catalog, schema: TableSchema, clause: A.OnConflict): number[] {
  const keys = [schema.primaryKey, ...[...catalog.indexes.values()].filter((ix) => ix.unique && ix.table === schema.name).map((ix) => ix.columns)];
  const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((c) => b.includes(c));
  let key: readonly string[];
  if (clause.target === null) {
    if (schema.primaryKey.length === 0) {
      throw binderError(`ON CONFLICT: table "${schema.name}" has no PRIMARY KEY; name the key columns, as in ON CONFLICT (col), of a UNIQUE index`, clause.pos);
    }
    key = schema.primaryKey;
  } else {
    for (const c of clause.target) {
      if (!schema.columns.some((x) => x.name === c)) throw binderError(`ON CONFLICT: column "${c}" of table "${schema.name}" does not exist`, clause.pos);
    }
    const found = keys.find((k) => k.length > 0 && sameSet(k, clause.target!));
    if (found === undefined) {
      throw binderError(
        `ON CONFLICT (${clause.target.join(', ')}): these columns are not the PRIMARY KEY of table "${schema.name}" nor a UNIQUE index on it; create one with CREATE UNIQUE INDEX`,
        clause.pos,
      );
    }
    key = clause.target;
  }
  return key.map((name) => schema.columns.findIndex((c) => c.name === name));
}

/**
 * The proposed rows (one dense batch of the table's columns) without the rows that repeat an
 * earlier row's key: dropped for DO NOTHING, an error for DO UPDATE. Rows with a NULL in the key
 * conflict with nothing and are all kept.
 */
export function withoutRepeatedKeys(schema: TableSchema, key: readonly number[], rows: Batch, action: A.OnConflict['action']): Batch {
  if (rows.count === 0) return rows;
  const vectors = key.map((k) => flatten(rows.columns[k]!));
  const ids = new GroupIdAssigner(key.map((k) => schema.columns[k]!.type)).assign(vectors, null, rows.count);
  const seen = new Uint8Array(rows.count);
  const keep = new Int32Array(rows.count);
  let kept = 0;
  for (let r = 0; r < rows.count; r++) {
    let hasNull = false;
    for (const v of vectors) if (v.validity !== null && v.validity[r] === 0) hasNull = true;
    const g = ids[r]!;
    if (hasNull || seen[g] === 0) {
      if (!hasNull) seen[g] = 1;
      keep[kept++] = r;
      continue;
    }
    if (action !== 'nothing') {
      const values = key.map((k, i) => formatKeyValue(vectors[i]!, r, schema.columns[k]!.type));
      throw new QuiverError(
        'CONSTRAINT_ERROR',
        `ON CONFLICT DO UPDATE cannot change a row twice: the inserted rows hold (${key.map((k) => schema.columns[k]!.name).join(', ')}) = (${values.join(', ')}) more than once`,
      );
    }
  }
  if (kept === rows.count) return rows;
  const sel = keep.subarray(0, kept);
  return makeBatch(rows.columns.map((c) => flatten(gatherAny(c, sel, kept))), kept);
}

function formatKeyValue(v: ReturnType<typeof flatten>, r: number, type: TableSchema['columns'][number]['type']): string {
  const x = jsValue(v, r, type);
  return typeof x === 'string' ? `'${x.replace(/'/g, "''")}'` : String(x);
}

interface UpsertTarget {
  binder: QueryBinder;
  /** The catalog with the proposed rows as table `excludedTable`. */
  catalog: Catalog;
  table: string;
  alias: string | undefined;
  schema: TableSchema;
  excludedTable: string;
}

/** The columns an upsert plan outputs, by position. */
export const UPSERT_TABLE_ROW_ID = 0;
export const UPSERT_PROPOSED_ROW_ID = 1;
/** DO UPDATE only: whether the WHERE condition holds (BOOLEAN, never NULL), then the new values. */
export const UPSERT_APPLIES = 2;
export const UPSERT_FIRST_VALUE = 3;

/**
 * The join of the table with the proposed rows on the conflict key: per matching pair, the
 * table row's id and the proposed row's id; for DO UPDATE (and OR REPLACE) also whether its
 * WHERE holds and every column's new value. Expressions see the table row under the table's
 * name (or alias) and the proposed row as `excluded`.
 */
export function upsertPlan(t: UpsertTarget, clause: A.OnConflict, key: readonly number[], inserted: readonly string[]): PlanNode {
  const { binder, schema } = t;
  const name = t.alias ?? t.table;
  if (name === EXCLUDED) throw binderError(`the target of an upsert cannot be named "${EXCLUDED}": that name is the proposed rows'; give the table another alias with INSERT INTO t AS alias`, clause.pos);
  const relation = (relName: string) => schema.columns.map((c, index) => ({ id: binder.newId(), index, name: c.name, type: c.type, relName }));
  const target = relation(name);
  const excluded = relation(EXCLUDED);
  const scope = new Scope(null);
  scope.add({ name, columns: target.map(({ id, name, type }) => ({ id, name, type })) });
  scope.add({ name: EXCLUDED, columns: excluded.map(({ id, name, type }) => ({ id, name, type })) });
  const ref = (c: { id: number; name: string; type: TableSchema['columns'][number]['type'] }): LExpr => ({ kind: 'colref', id: c.id, type: c.type, name: c.name });
  const targetRowId = { id: binder.newId(), index: ROW_ID_COLUMN, name: 'rowid', type: T.BIGINT };
  const proposedRowId = { id: binder.newId(), index: ROW_ID_COLUMN, name: 'rowid', type: T.BIGINT };
  const condition: LExpr = {
    kind: 'and',
    args: key.map((k) => ({ kind: 'call', fn: 'eq', args: [ref(target[k]!), ref(excluded[k]!)], type: T.BOOLEAN })),
    type: T.BOOLEAN,
  };
  const join: LNode = {
    op: 'join',
    joinType: 'inner',
    left: { op: 'get', table: t.table, columns: [...target.map(({ id, index, name, type }) => ({ id, index, name, type })), targetRowId] },
    right: { op: 'get', table: t.excludedTable, columns: [...excluded.map(({ id, index, name, type }) => ({ id, index, name, type })), proposedRowId] },
    condition,
    mark: null,
  };
  const out = (n: string, expr: LExpr) => ({ id: binder.newId(), name: n, type: expr.type, expr });
  const columns = [out('table_rowid', ref(targetRowId)), out('proposed_rowid', ref(proposedRowId))];
  if (clause.action !== 'nothing') {
    const assigned = new Map<number, LExpr>();
    const assign = (column: string, value: LExpr, pos: A.Pos) => {
      const i = schema.columns.findIndex((c) => c.name === column);
      if (i < 0) throw binderError(`column "${column}" of table "${t.table}" does not exist`, pos);
      if (key.includes(i)) throw binderError(`ON CONFLICT DO UPDATE cannot assign to "${column}": it is part of the conflict key`, pos);
      if (assigned.has(i)) throw binderError(`column "${column}" is assigned more than once`, pos);
      assigned.set(i, castTo(value, schema.columns[i]!.type));
    };
    let applies: LExpr = { kind: 'const', value: 1, type: T.BOOLEAN };
    if (clause.action === 'replace') {
      // INSERT OR REPLACE: the inserted columns take the proposed values.
      for (const c of inserted) if (!key.includes(schema.columns.findIndex((x) => x.name === c))) assign(c, ref(excluded[schema.columns.findIndex((x) => x.name === c)]!), clause.pos);
    } else {
      const cx = binder.exprContext(false);
      for (const a of clause.assignments) assign(a.column, bindExpr(a.value, scope, cx), a.pos);
      if (clause.where !== undefined) {
        const cond = bindExpr(clause.where, scope, cx);
        if (cond.type.id !== TypeId.BOOLEAN && cond.type.id !== TypeId.NULL) throw binderError('the WHERE condition of ON CONFLICT DO UPDATE must be BOOLEAN', clause.where.pos);
        applies = { kind: 'call', fn: 'coalesce', args: [castTo(cond, T.BOOLEAN), { kind: 'const', value: 0, type: T.BOOLEAN }], type: T.BOOLEAN };
      }
    }
    columns.push(out('applies', applies));
    schema.columns.forEach((c, i) => columns.push(out(c.name, assigned.get(i) ?? ref(target[i]!))));
  }
  const logical: LNode = { op: 'project', input: join, columns };
  const optimized = optimize(logical, { catalog: t.catalog, newId: () => binder.newId() });
  return new PhysicalPlanner(t.catalog).planQuery(optimized);
}

/** What an upsert changes, from its plan's batches: the table rows to replace and the rows to
 *  append (their new values, then the proposed rows that matched nothing). */
export function upsertChanges(schema: TableSchema, proposed: Batch, joined: readonly Batch[], action: A.OnConflict['action']): { rowIds: Float64Array; rows: Batch; inserted: number; updated: number } {
  const conflicting = new Uint8Array(proposed.count);
  const replacedIds: number[] = [];
  const replacements: Batch[] = [];
  for (const b of joined) {
    const sel = b.selection;
    const proposedIds = flatten(b.columns[UPSERT_PROPOSED_ROW_ID]!).data as Float64Array;
    for (let k = 0; k < b.count; k++) conflicting[proposedIds[sel === null ? k : sel[k]!]!] = 1;
    if (action === 'nothing') continue;
    const applies = flatten(b.columns[UPSERT_APPLIES]!);
    const tableIds = flatten(b.columns[UPSERT_TABLE_ROW_ID]!).data as Float64Array;
    const take: number[] = [];
    for (let k = 0; k < b.count; k++) {
      const r = sel === null ? k : sel[k]!;
      if ((applies.validity === null || applies.validity[r] === 1) && (applies.data as Uint8Array | Float64Array)[r] !== 0) {
        take.push(r);
        replacedIds.push(tableIds[r]!);
      }
    }
    if (take.length > 0) {
      const idx = Int32Array.from(take);
      replacements.push(makeBatch(b.columns.slice(UPSERT_FIRST_VALUE).map((c) => flatten(gatherAny(c, idx, idx.length))), idx.length));
    }
  }
  const fresh: number[] = [];
  for (let r = 0; r < proposed.count; r++) if (conflicting[r] === 0) fresh.push(r);
  const idx = Int32Array.from(fresh);
  const insertedRows = makeBatch(proposed.columns.map((c) => flatten(gatherAny(c, idx, idx.length))), idx.length);
  const all = [...replacements, insertedRows];
  const columns = schema.columns.map((c, i) => concatFlat(c.type, all.map((b) => flatten(b.columns[i]!))));
  return { rowIds: Float64Array.from(replacedIds), rows: makeBatch(columns, replacedIds.length + idx.length), inserted: idx.length, updated: replacedIds.length };
}
