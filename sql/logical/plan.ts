// The logical plan: what the binder produces and the optimizer rewrites. Every column any
// node produces has a statement-wide unique numeric id, and expressions refer to columns by
// id, so rules can move, drop and reorder nodes without renumbering anything. The physical
// planner maps ids to positions.

import { type LogicalType, TypeId } from '../../common/types.js';
import type { Scalar } from '../../common/vector.js';
import type { AggregateFn, JoinType, WindowFn, WindowFrame } from '../../exec/plan.js';

export type ColumnId = number;

export interface OutputColumn {
  id: ColumnId;
  name: string;
  type: LogicalType;
}

export type LExpr =
  /** A column produced by an input node (or, inside a subquery, by an outer query). */
  | { kind: 'colref'; id: ColumnId; type: LogicalType; name: string }
  /** `untyped`: a parameter given as a string, which adopts the type it is compared with. */
  | { kind: 'const'; value: Scalar; type: LogicalType; untyped?: boolean }
  | { kind: 'call'; fn: string; args: LExpr[]; type: LogicalType }
  | { kind: 'cast'; expr: LExpr; type: LogicalType; try: boolean }
  | { kind: 'case'; whens: { when: LExpr; then: LExpr }[]; else: LExpr | null; type: LogicalType }
  | { kind: 'and'; args: LExpr[]; type: LogicalType }
  | { kind: 'or'; args: LExpr[]; type: LogicalType }
  | { kind: 'not'; arg: LExpr; type: LogicalType }
  | { kind: 'is_null'; arg: LExpr; negated: boolean; type: LogicalType }
  | { kind: 'in_list'; arg: LExpr; list: LExpr[]; negated: boolean; type: LogicalType }
  /** A subquery used as a value; removed by the flatten-subqueries rule. For 'in', `arg` is
   *  the left operand; the subquery has one output column. */
  | { kind: 'subquery'; mode: 'scalar' | 'exists' | 'in'; plan: LNode; arg: LExpr | null; type: LogicalType }
  /** An aggregate call; exists only while binding a SELECT, before it moves into an Aggregate.
   *  `orderBy`: the order its rows are folded in (string_agg(x, ',' ORDER BY y)); empty when
   *  none or when the aggregate's result cannot depend on it. */
  | { kind: 'agg'; fn: AggregateFn; args: LExpr[]; distinct: boolean; filter: LExpr | null; orderBy: SortItem[]; type: LogicalType };

export interface AggregateCall {
  id: ColumnId;
  name: string;
  fn: AggregateFn;
  args: LExpr[];
  distinct: boolean;
  filter: LExpr | null;
  /** The order each group's rows are folded in; empty when any order gives the same result. */
  orderBy: SortItem[];
  type: LogicalType;
}

export interface SortItem {
  expr: LExpr;
  desc: boolean;
  nullsFirst: boolean;
}

export type LNode =
  | LGet
  | LFilter
  | LProject
  | LAggregate
  | LJoin
  | LSort
  | LLimit
  | LSetOp
  | LValues
  | LApply
  | LTableFunction
  | LWindow
  | LEmpty;

export interface LGet {
  op: 'get';
  table: string;
  /** The table columns read, each with its output id. */
  columns: { id: ColumnId; index: number; name: string; type: LogicalType }[];
}
export interface LFilter {
  op: 'filter';
  input: LNode;
  condition: LExpr;
}
export interface LProject {
  op: 'project';
  input: LNode;
  columns: (OutputColumn & { expr: LExpr })[];
}
/** Output: the group columns, then the aggregates, then the GROUPING() columns. */
export interface LAggregate {
  op: 'aggregate';
  input: LNode;
  groups: (OutputColumn & { expr: LExpr })[];
  aggregates: AggregateCall[];
  /** GROUPING SETS / ROLLUP / CUBE: each set lists positions in `groups`, increasing; a group
   *  column outside a row's set is NULL in that row. Absent for a plain GROUP BY. */
  groupingSets?: number[][];
  /** GROUPING(...) results (INTEGER), each listing positions in `groups`. Only with groupingSets. */
  groupings?: (OutputColumn & { args: number[] })[];
}
/** Output: left ++ right columns; left only for semi/anti; left + `mark` for mark joins. */
export interface LJoin {
  op: 'join';
  joinType: JoinType;
  left: LNode;
  right: LNode;
  condition: LExpr | null;
  /** The output column of a mark join. */
  mark: OutputColumn | null;
}
export interface LSort {
  op: 'sort';
  input: LNode;
  keys: SortItem[];
}
export interface LLimit {
  op: 'limit';
  input: LNode;
  limit: number | null;
  offset: number;
}
export interface LSetOp {
  op: 'set_op';
  setOp: 'union' | 'intersect' | 'except';
  all: boolean;
  left: LNode;
  right: LNode;
  columns: OutputColumn[];
}
export interface LValues {
  op: 'values';
  rows: LExpr[][];
  columns: OutputColumn[];
}
/** Dependent join: `subplan` may reference columns of `input` (its free columns). */
export interface LApply {
  op: 'apply';
  input: LNode;
  subplan: LNode;
  mode: 'scalar' | 'exists' | 'in';
  /** For 'in': the left operand, over input columns. */
  arg: LExpr | null;
  output: OutputColumn;
}
/** One window function call: its own partitioning, order and frame (offsets folded to
 *  constants by the binder). */
export interface WindowCall {
  id: ColumnId;
  name: string;
  fn: WindowFn;
  args: LExpr[];
  /** ntile's bucket count, lag/lead's offset; 0 otherwise. */
  param: number;
  partitionBy: LExpr[];
  orderBy: SortItem[];
  frame: WindowFrame;
  filter: LExpr | null;
  type: LogicalType;
}
/** Output: the input's columns, then one column per window call. */
export interface LWindow {
  op: 'window';
  input: LNode;
  windows: WindowCall[];
}
export interface LEmpty {
  op: 'empty';
  columns: OutputColumn[];
}
/** A table function of the FROM clause (sql/table-functions/): its arguments, evaluated when it
 *  was bound, and the function's columns read, each with its position among them. */
export interface LTableFunction {
  op: 'table_function';
  name: string;
  args: Scalar[];
  columns: { id: ColumnId; index: number; name: string; type: LogicalType }[];
  /** Rows the function is expected to produce (join ordering). */
  estimatedRows: number;
}

/** The columns a node produces, in order. */
export function outputsOf(node: LNode): OutputColumn[] {
  switch (node.op) {
    case 'get':
    case 'table_function':
      return node.columns.map(({ id, name, type }) => ({ id, name, type }));
    case 'filter':
    case 'sort':
    case 'limit':
      return outputsOf(node.input);
    case 'project':
      return node.columns.map(({ id, name, type }) => ({ id, name, type }));
    case 'aggregate':
      return [
        ...node.groups.map(({ id, name, type }) => ({ id, name, type })),
        ...node.aggregates.map(({ id, name, type }) => ({ id, name, type })),
        ...(node.groupings ?? []).map(({ id, name, type }) => ({ id, name, type })),
      ];
    case 'join': {
      const left = outputsOf(node.left);
      if (node.joinType === 'semi' || node.joinType === 'anti') return left;
      if (node.joinType === 'mark') return [...left, node.mark!];
      return [...left, ...outputsOf(node.right)];
    }
    case 'set_op':
    case 'values':
    case 'empty':
      return node.columns;
    case 'apply':
      return [...outputsOf(node.input), node.output];
    case 'window':
      return [...outputsOf(node.input), ...node.windows.map(({ id, name, type }) => ({ id, name, type }))];
  }
}

/** Children of a node, in order. */
export function childrenOf(node: LNode): LNode[] {
  switch (node.op) {
    case 'get':
    case 'table_function':
    case 'values':
    case 'empty':
      return [];
    case 'filter':
    case 'project':
    case 'aggregate':
    case 'sort':
    case 'limit':
    case 'window':
      return [node.input];
    case 'join':
    case 'set_op':
      return [node.left, node.right];
    case 'apply':
      return [node.input, node.subplan];
  }
}

/** Visits every sub-expression (pre-order), not descending into subquery plans. */
export function forEachExpr(e: LExpr, f: (e: LExpr) => void): void {
  f(e);
  switch (e.kind) {
    case 'call':
    case 'and':
    case 'or':
      e.args.forEach((a) => forEachExpr(a, f));
      break;
    case 'agg':
      e.args.forEach((a) => forEachExpr(a, f));
      if (e.filter) forEachExpr(e.filter, f);
      e.orderBy.forEach((k) => forEachExpr(k.expr, f));
      break;
    case 'cast':
      forEachExpr(e.expr, f);
      break;
    case 'case':
      for (const w of e.whens) {
        forEachExpr(w.when, f);
        forEachExpr(w.then, f);
      }
      if (e.else) forEachExpr(e.else, f);
      break;
    case 'not':
    case 'is_null':
      forEachExpr(e.arg, f);
      break;
    case 'in_list':
      forEachExpr(e.arg, f);
      e.list.forEach((a) => forEachExpr(a, f));
      break;
    case 'subquery':
      if (e.arg) forEachExpr(e.arg, f);
      break;
    default:
      break;
  }
}

/** Rebuilds an expression bottom-up with `f` applied to each rebuilt node. */
export function mapExpr(e: LExpr, f: (e: LExpr) => LExpr): LExpr {
  switch (e.kind) {
    case 'call':
      return f({ ...e, args: e.args.map((a) => mapExpr(a, f)) });
    case 'and':
    case 'or':
      return f({ ...e, args: e.args.map((a) => mapExpr(a, f)) });
    case 'agg':
      return f({ ...e, args: e.args.map((a) => mapExpr(a, f)), filter: e.filter ? mapExpr(e.filter, f) : null, orderBy: e.orderBy.map((k) => ({ ...k, expr: mapExpr(k.expr, f) })) });
    case 'cast':
      return f({ ...e, expr: mapExpr(e.expr, f) });
    case 'case':
      return f({
        ...e,
        whens: e.whens.map((w) => ({ when: mapExpr(w.when, f), then: mapExpr(w.then, f) })),
        else: e.else ? mapExpr(e.else, f) : null,
      });
    case 'not':
      return f({ ...e, arg: mapExpr(e.arg, f) });
    case 'is_null':
      return f({ ...e, arg: mapExpr(e.arg, f) });
    case 'in_list':
      return f({ ...e, arg: mapExpr(e.arg, f), list: e.list.map((a) => mapExpr(a, f)) });
    case 'subquery':
      return f({ ...e, arg: e.arg ? mapExpr(e.arg, f) : null });
    default:
      return f(e);
  }
}

/** Column ids an expression references (not looking inside subquery plans). */
export function referencedIds(e: LExpr, into: Set<ColumnId> = new Set()): Set<ColumnId> {
  forEachExpr(e, (x) => {
    if (x.kind === 'colref') into.add(x.id);
  });
  return into;
}

/** Expressions held directly by a node (not its children's). */
export function nodeExprs(node: LNode): LExpr[] {
  switch (node.op) {
    case 'filter':
      return [node.condition];
    case 'project':
      return node.columns.map((c) => c.expr);
    case 'aggregate':
      return [...node.groups.map((g) => g.expr), ...node.aggregates.flatMap(aggregateExprs)];
    case 'join':
      return node.condition ? [node.condition] : [];
    case 'sort':
      return node.keys.map((k) => k.expr);
    case 'values':
      return node.rows.flat();
    case 'apply':
      return node.arg ? [node.arg] : [];
    case 'window':
      return node.windows.flatMap(windowExprs);
    default:
      return [];
  }
}

/** Column ids referenced anywhere in a plan (including nested subquery plans) that the plan
 *  itself does not produce: the plan's correlated (free) columns. */
export function freeColumns(node: LNode): Set<ColumnId> {
  const produced = new Set<ColumnId>();
  const used = new Set<ColumnId>();
  const visit = (n: LNode) => {
    for (const c of outputsOf(n)) produced.add(c.id);
    if (n.op === 'get') return;
    for (const e of nodeExprs(n)) {
      forEachExpr(e, (x) => {
        if (x.kind === 'colref') used.add(x.id);
        if (x.kind === 'subquery') visit(x.plan);
      });
    }
    childrenOf(n).forEach(visit);
  };
  visit(node);
  for (const id of produced) used.delete(id);
  return used;
}

/** Rebuilds a plan with `f` applied to every expression it holds, recursing into children. */
export function mapPlanExprs(node: LNode, f: (e: LExpr) => LExpr, child: (n: LNode) => LNode): LNode {
  switch (node.op) {
    case 'get':
    case 'table_function':
    case 'empty':
      return node;
    case 'values':
      return { ...node, rows: node.rows.map((r) => r.map(f)) };
    case 'filter':
      return { ...node, input: child(node.input), condition: f(node.condition) };
    case 'project':
      return { ...node, input: child(node.input), columns: node.columns.map((c) => ({ ...c, expr: f(c.expr) })) };
    case 'aggregate':
      return {
        ...node,
        input: child(node.input),
        groups: node.groups.map((g) => ({ ...g, expr: f(g.expr) })),
        aggregates: node.aggregates.map((a) => ({ ...a, args: a.args.map(f), filter: a.filter ? f(a.filter) : null, orderBy: a.orderBy.map((k) => ({ ...k, expr: f(k.expr) })) })),
      };
    case 'join':
      return { ...node, left: child(node.left), right: child(node.right), condition: node.condition ? f(node.condition) : null };
    case 'sort':
      return { ...node, input: child(node.input), keys: node.keys.map((k) => ({ ...k, expr: f(k.expr) })) };
    case 'limit':
      return { ...node, input: child(node.input) };
    case 'set_op':
      return { ...node, left: child(node.left), right: child(node.right) };
    case 'apply':
      return { ...node, input: child(node.input), subplan: child(node.subplan), arg: node.arg ? f(node.arg) : null };
    case 'window':
      return {
        ...node,
        input: child(node.input),
        windows: node.windows.map((w) => ({
          ...w, args: w.args.map(f), partitionBy: w.partitionBy.map(f), orderBy: w.orderBy.map((k) => ({ ...k, expr: f(k.expr) })), filter: w.filter ? f(w.filter) : null,
        })),
      };
  }
}

/** The expressions an aggregate call reads: arguments, filter, order keys (in this order). */
export function aggregateExprs(a: AggregateCall): LExpr[] {
  return [...a.args, ...(a.filter ? [a.filter] : []), ...a.orderBy.map((k) => k.expr)];
}

/** The expressions a window call reads: arguments, partition keys, order keys, filter. */
export function windowExprs(w: WindowCall): LExpr[] {
  return [...w.args, ...w.partitionBy, ...w.orderBy.map((k) => k.expr), ...(w.filter ? [w.filter] : [])];
}

/** The conjuncts of a condition (nested ANDs flattened); none for null. */
export function conjunctsOf(e: LExpr | null): LExpr[] {
  if (e === null) return [];
  return e.kind === 'and' ? e.args.flatMap(conjunctsOf) : [e];
}

/** The AND of conditions: null for none, the condition itself for one. */
export function conjunction(xs: LExpr[]): LExpr | null {
  if (xs.length === 0) return null;
  return xs.length === 1 ? xs[0]! : { kind: 'and', args: xs, type: BOOLEAN };
}

const BOOLEAN: LogicalType = { id: TypeId.BOOLEAN };

/** Structural equality of expressions (used to match GROUP BY expressions). */
export function exprEquals(a: LExpr, b: LExpr): boolean {
  if (a.kind !== b.kind) return false;
  return JSON.stringify(a, bigintSafe) === JSON.stringify(b, bigintSafe);
}
const bigintSafe = (_k: string, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v);
