// Physical plans: plain, serializable data (no functions, no run-time state), so the same plan
// can be compiled and run by a worker thread or a cluster node. The planner in sql/ builds
// them; exec/ runs them. Every node lists its output column types in `types`.
//
// Column indexes in a node refer to the output columns of its input (for joins: the left
// input's columns followed by the right input's columns).

import type { LogicalType } from '../common/types.js';
import type { Scalar } from '../common/vector.js';
import type { StoragePredicate } from '../storage/table.js';

// ---------------------------------------------------------------- bound expressions

/** A bound, typed expression over the columns of one input batch. */
export type PExpr =
  | { kind: 'col'; index: number; type: LogicalType }
  /** A value from the current outer row of a correlated subquery (see ApplyNode). */
  | { kind: 'outer'; index: number; type: LogicalType }
  | { kind: 'const'; value: Scalar; type: LogicalType }
  /** A scalar function or operator, resolved by name: 'add', 'eq', 'lower', ... */
  | { kind: 'call'; fn: string; args: PExpr[]; type: LogicalType }
  | { kind: 'cast'; expr: PExpr; type: LogicalType; try: boolean }
  /** Searched CASE; each branch is evaluated only for the rows that take it. */
  | { kind: 'case'; whens: { when: PExpr; then: PExpr }[]; else: PExpr | null; type: LogicalType }
  | { kind: 'and'; args: PExpr[]; type: LogicalType }
  | { kind: 'or'; args: PExpr[]; type: LogicalType }
  | { kind: 'not'; arg: PExpr; type: LogicalType }
  | { kind: 'is_null'; arg: PExpr; negated: boolean; type: LogicalType }
  /** x IN (list): three-valued; `x IN ()` is false and `x NOT IN ()` true even for NULL x. */
  | { kind: 'in_list'; arg: PExpr; list: PExpr[]; negated: boolean; type: LogicalType };

// ---------------------------------------------------------------- plan nodes

export type JoinType =
  | 'inner'
  | 'left'
  | 'right'
  | 'full'
  /** Left rows with at least one match. */
  | 'semi'
  /** Left rows with no match. */
  | 'anti'
  /** Left rows plus a BOOLEAN column with SQL IN semantics (TRUE / NULL / FALSE). */
  | 'mark'
  /** Left join that fails if a left row matches more than one right row (scalar subqueries). */
  | 'single';

export interface SortKey {
  index: number;
  desc: boolean;
  nullsFirst: boolean;
}

export type AggregateFn =
  | 'count_star'
  | 'count'
  | 'sum'
  | 'avg'
  | 'min'
  | 'max'
  /** Any value of the group (used for columns functionally dependent on the keys). */
  | 'any_value'
  // Statistical and other aggregates of issue 4 (exec/aggregate: variance, quantile, ...).
  | 'stddev_samp'
  | 'stddev_pop'
  | 'var_samp'
  | 'var_pop'
  | 'bool_and'
  | 'bool_or'
  | 'arg_min'
  | 'arg_max'
  | 'string_agg'
  | 'quantile_cont'
  | 'quantile_disc'
  | 'approx_count_distinct';

export interface AggregateSpec {
  fn: AggregateFn;
  /** Input column indexes (0 for count_star, 2 for string_agg, quantile_*, arg_min/arg_max, 1 otherwise). */
  args: number[];
  argTypes: LogicalType[];
  distinct: boolean;
  /** A BOOLEAN input column: only rows where it is TRUE are aggregated (FILTER (WHERE ...)). */
  filter: number | null;
  /** ORDER BY inside the call (string_agg(x, ',' ORDER BY y)): each group's rows are folded in
   *  this order (exec/aggregate/ordered.ts), ties in input order. Absent or empty: input order. */
  orderBy?: AggregateOrderKey[];
  /** Result type. */
  type: LogicalType;
}

/** A sort key of an aggregate's ORDER BY: an input column and its type. */
export interface AggregateOrderKey extends SortKey {
  type: LogicalType;
}

/** A predicate pushed to a scan: storage's form (storage/table.ts: column comparisons and ORs
 *  of their conjunctions), except that a column is a position among the scan's output columns. */
export type ScanPredicate = StoragePredicate;

export type PlanNode =
  | ScanNode
  | ValuesNode
  | FilterNode
  | ProjectNode
  | AggregateNode
  | JoinNode
  | NestedLoopJoinNode
  | SortNode
  | LimitNode
  | SetOpNode
  | ApplyNode
  | TableFunctionNode
  | WindowNode
  | EmptyNode;

interface NodeBase {
  types: LogicalType[];
  /** Column names, for EXPLAIN and results. */
  names: string[];
}

export interface ScanNode extends NodeBase {
  op: 'scan';
  table: string;
  /** Table column indexes to read, in output order. */
  columns: number[];
  /** Conjuncts the storage layer may use to skip data; the plan still filters exactly. */
  predicates: ScanPredicate[];
  /** Join filters (exec/join-filter.ts) this scan applies to its output column `column`, once
   *  the hash join that publishes filter `id` has built its table. */
  joinFilters?: { id: number; column: number }[];
}
export interface ValuesNode extends NodeBase {
  op: 'values';
  /** Each row's expressions (no column references). */
  rows: PExpr[][];
}
export interface FilterNode extends NodeBase {
  op: 'filter';
  input: PlanNode;
  predicate: PExpr;
}
export interface ProjectNode extends NodeBase {
  op: 'project';
  input: PlanNode;
  exprs: PExpr[];
}
/** Hash aggregate. Output: the group key columns, then one column per aggregate.
 *  With no keys it yields exactly one row (even over empty input).
 *  With `groupingSets` (GROUPING SETS / ROLLUP / CUBE; exec/operators/grouping-sets-aggregate.ts)
 *  the output is the rows of each set in turn (a set listed twice gives its rows twice): keys
 *  not in the row's set are NULL, and after the aggregates come one INTEGER column per entry of
 *  `groupings` (GROUPING(...): bit set where the key is not in the set, first key = highest bit).
 *  An empty set yields exactly one row, like no keys. */
export interface AggregateNode extends NodeBase {
  op: 'aggregate';
  input: PlanNode;
  keys: number[];
  aggregates: AggregateSpec[];
  /** Each set lists positions in `keys`; every key is in at least one set. */
  groupingSets?: number[][];
  /** GROUPING() calls: each lists positions in `keys`. Only with groupingSets. */
  groupings?: number[][];
}
/** Equi-join on key columns (NULL keys never match), with an optional residual condition
 *  over the concatenated left ++ right columns. Output: left ++ right columns for inner,
 *  left, right, full and single; left columns for semi and anti; left columns + mark for mark. */
export interface JoinNode extends NodeBase {
  op: 'hash_join';
  joinType: JoinType;
  left: PlanNode;
  right: PlanNode;
  leftKeys: number[];
  rightKeys: number[];
  residual: PExpr | null;
  /** Join filters to publish after the build: filter `id` holds the build's values of key
   *  `key` (an index into leftKeys/rightKeys), for a scan under the left input. */
  joinFilters?: { id: number; key: number }[];
}
/** A join with no equality keys: every pair is tested against `condition` (null = cross join). */
export interface NestedLoopJoinNode extends NodeBase {
  op: 'nested_loop_join';
  joinType: JoinType;
  left: PlanNode;
  right: PlanNode;
  condition: PExpr | null;
}
export interface SortNode extends NodeBase {
  op: 'sort';
  input: PlanNode;
  keys: SortKey[];
  /** Top-N: keep only the first `limit` rows after skipping `offset`. */
  limit: number | null;
  offset: number;
}
export interface LimitNode extends NodeBase {
  op: 'limit';
  input: PlanNode;
  limit: number | null;
  offset: number;
}
/** UNION / INTERSECT / EXCEPT, [ALL]. Rows compare with NULLs equal (as SQL set operations do). */
export interface SetOpNode extends NodeBase {
  op: 'set_op';
  setOp: 'union' | 'intersect' | 'except';
  all: boolean;
  left: PlanNode;
  right: PlanNode;
}
/**
 * Dependent join for correlated subqueries the optimizer could not decorrelate: for each
 * input row, `subplan` runs with its `outer` expressions reading the values of `correlated`
 * (outer index i = correlated[i] evaluated on that row; these may themselves be `outer`
 * references when subqueries nest). Results are cached per distinct outer tuple.
 * Output: the input columns, then one column:
 *   scalar  the subquery's single value (NULL if no row; error if more than one)
 *   exists  BOOLEAN
 *   in      BOOLEAN with IN semantics of input column `inColumn` against the subquery's column
 */
export interface ApplyNode extends NodeBase {
  op: 'apply';
  input: PlanNode;
  subplan: PlanNode;
  correlated: PExpr[];
  mode: 'scalar' | 'exists' | 'in';
  inColumn: number | null;
}
/**
 * A table function of the FROM clause (`storage_info('t')`): the rows the function named `name`
 * produces for `args`, which the running engine provides (ExecContext.tableFunction). Output: the
 * function's columns at positions `columns`, in that order.
 */
export interface TableFunctionNode extends NodeBase {
  op: 'table_function';
  name: string;
  /** The arguments, already checked and evaluated to constants when the query was bound. */
  args: Scalar[];
  columns: number[];
}
/** Window functions (exec/operators/window.ts). A frame offset is a constant: a row count for
 *  ROWS, a distance in the (single, numeric) ORDER BY key's own units for RANGE. */
export type WindowFn =
  | 'row_number'
  | 'rank'
  | 'dense_rank'
  | 'percent_rank'
  | 'ntile'
  | 'lag'
  | 'lead'
  | 'first_value'
  | 'last_value'
  | AggregateFn;
export type WindowBound =
  | { kind: 'unbounded_preceding' }
  | { kind: 'preceding'; offset: number }
  | { kind: 'current_row' }
  | { kind: 'following'; offset: number }
  | { kind: 'unbounded_following' };
export interface WindowFrame {
  units: 'rows' | 'range';
  start: WindowBound;
  end: WindowBound;
}
export interface WindowSpec {
  fn: WindowFn;
  /** Input column indexes: the argument (lag/lead: value, then default if given); none for
   *  ranking functions and count_star. */
  args: number[];
  argTypes: LogicalType[];
  /** ntile's bucket count; lag/lead's offset (negative turns lag into lead). */
  param: number;
  partitionBy: number[];
  orderBy: SortKey[];
  frame: WindowFrame;
  /** A BOOLEAN input column: only rows where it is TRUE enter an aggregate (FILTER). */
  filter: number | null;
  type: LogicalType;
}
/** Output: the input columns, then one column per window function. */
export interface WindowNode extends NodeBase {
  op: 'window';
  input: PlanNode;
  functions: WindowSpec[];
}
/** No rows. */
export interface EmptyNode extends NodeBase {
  op: 'empty';
}

/** The inputs of a plan node (an Apply's subplan included), in plan order. */
export function planChildren(n: PlanNode): PlanNode[] {
  switch (n.op) {
    case 'filter':
    case 'project':
    case 'aggregate':
    case 'sort':
    case 'limit':
    case 'window':
      return [n.input];
    case 'hash_join':
    case 'nested_loop_join':
    case 'set_op':
      return [n.left, n.right];
    case 'apply':
      return [n.input, n.subplan];
    case 'scan':
    case 'values':
    case 'table_function':
    case 'empty':
      return [];
  }
}
