// Plans of the row-changing statements DELETE and UPDATE (the engine runs them, sql/engine.ts).
// Both read the target table with its row ids (ROW_ID_COLUMN), so the store can remove exactly
// the rows the condition holds for; UPDATE also computes every column's new value, which the
// store appends in the same log record as the deletes.

import { binderError } from '../common/errors.js';
import { T, TypeId } from '../common/types.js';
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

interface Target {
  binder: QueryBinder;
  catalog: Catalog;
  table: string;
  alias: string | undefined;
  schema: TableSchema;
}

/** The table's columns (and its row ids) in scope under its name or alias. */
function scanTarget(t: Target) {
  const { binder } = t;
  const scope = new Scope(null);
  const columns = t.schema.columns.map((c, index) => ({ id: binder.newId(), index, name: c.name, type: c.type }));
  scope.add({ name: t.alias ?? t.table, columns: columns.map(({ id, name, type }) => ({ id, name, type })) });
  const rowId = { id: binder.newId(), index: ROW_ID_COLUMN, name: 'rowid', type: T.BIGINT };
  return { scope, columns, rowId };
}

/** The WHERE condition as a BOOLEAN expression over the target's scope. */
function condition(t: Target, scope: Scope, where: A.Expr): LExpr {
  const cond = bindExpr(where, scope, t.binder.exprContext(false));
  if (cond.type.id !== TypeId.BOOLEAN && cond.type.id !== TypeId.NULL) throw binderError('WHERE condition must be BOOLEAN', where.pos);
  return castTo(cond, T.BOOLEAN);
}

function plan(t: Target, logical: LNode): PlanNode {
  const optimized = optimize(logical, { catalog: t.catalog, newId: () => t.binder.newId() });
  return new PhysicalPlanner(t.catalog).planQuery(optimized);
}

/** DELETE: with 'keep', every column of the rows it keeps (the condition is not TRUE); with
 *  'row-ids', the row ids of the rows it deletes. */
export function deletePlan(t: Target, where: A.Expr | undefined, mode: 'keep' | 'row-ids'): PlanNode {
  const { scope, columns, rowId } = scanTarget(t);
  let logical: LNode = { op: 'get', table: t.table, columns: mode === 'keep' ? columns : [...columns, rowId] };
  if (where !== undefined) {
    const holds = condition(t, scope, where);
    const cond: LExpr = mode === 'row-ids' ? holds : { kind: 'not', arg: { kind: 'call', fn: 'coalesce', args: [holds, { kind: 'const', value: 0, type: T.BOOLEAN }], type: T.BOOLEAN }, type: T.BOOLEAN };
    logical = { op: 'filter', input: logical, condition: cond };
  }
  if (mode === 'row-ids') logical = { op: 'project', input: logical, columns: [{ id: t.binder.newId(), name: 'rowid', type: T.BIGINT, expr: { kind: 'colref', id: rowId.id, type: T.BIGINT, name: 'rowid' } }] };
  return plan(t, logical);
}

/**
 * UPDATE: for each row the condition holds for, its row id then every column's new value (the
 * assigned expression cast to the column's type, or the old value). Expressions see the old
 * values, as in PostgreSQL and DuckDB.
 */
export function updatePlan(t: Target, s: A.UpdateStatement): PlanNode {
  const { scope, columns, rowId } = scanTarget(t);
  const assigned = new Map<number, LExpr>();
  for (const a of s.assignments) {
    const i = t.schema.columns.findIndex((c) => c.name === a.column);
    if (i < 0) throw binderError(`column "${a.column}" of table "${t.table}" does not exist`, a.pos);
    if (assigned.has(i)) throw binderError(`column "${a.column}" is assigned more than once`, a.pos);
    assigned.set(i, castTo(bindExpr(a.value, scope, t.binder.exprContext(false)), t.schema.columns[i]!.type));
  }
  let logical: LNode = { op: 'get', table: t.table, columns: [...columns, rowId] };
  if (s.where !== undefined) logical = { op: 'filter', input: logical, condition: condition(t, scope, s.where) };
  const outputs = [
    { id: t.binder.newId(), name: 'rowid', type: T.BIGINT, expr: { kind: 'colref', id: rowId.id, type: T.BIGINT, name: 'rowid' } as LExpr },
    ...columns.map((c, i) => ({ id: t.binder.newId(), name: c.name, type: c.type, expr: assigned.get(i) ?? ({ kind: 'colref', id: c.id, type: c.type, name: c.name } as LExpr) })),
  ];
  return plan(t, { op: 'project', input: logical, columns: outputs });
}
