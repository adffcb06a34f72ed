// Binds a window function call `f(args) OVER (PARTITION BY ... ORDER BY ... frame)` into a
// WindowCall (sql/logical/plan.ts) registered with the SELECT being bound; the call itself
// becomes a reference to the call's output column, which the Window node produces after
// aggregation (bind-query.ts). Frame offsets, ntile's bucket count and lag/lead's offset must be
// constants; they are checked and folded here. Defaults as PostgreSQL and DuckDB: with ORDER BY
// the frame is RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW (peers included), without it
// the whole partition.

import { binderError, notSupported, typeError } from '../../common/errors.js';
import type * as A from '../ast.js';
import { type LogicalType, T, TypeId, isFloat, isIntegral, isNumeric, typeToString } from '../../common/types.js';
import type { AggregateFn, WindowBound, WindowFn, WindowFrame } from '../../exec/plan.js';
import { type LExpr, type SortItem, type WindowCall, forEachExpr, windowExprs } from '../logical/plan.js';
import { evaluateConstant } from '../planner/constant.js';
import { type ExprContext, bindExpr } from './bind-expr.js';
import { castTo, requireBoolean, unify } from './coercion.js';
import { AGGREGATES, aggregateType } from './function-binder.js';
import { MORE_AGGREGATES, bindMoreAggregateArgs, moreAggregateFn } from './aggregate-functions.js';
import { Scope } from './scope.js';

const RANKING = new Set(['row_number', 'rank', 'dense_rank', 'percent_rank']);
/** Aggregates whose state holds every input value (or a large sketch): a running frame would
 *  merge a growing state into every row's result, so they are refused over windows. */
const HOLISTIC = new Set<AggregateFn>(['string_agg', 'quantile_cont', 'quantile_disc', 'approx_count_distinct']);

/** Binds `e` (which has `over`) in `scope`; pushes its WindowCall onto `windows`. */
export function bindWindowCall(e: A.FunctionCall, scope: Scope, cx: ExprContext, windows: WindowCall[]): LExpr {
  const over = e.over!;
  // Arguments and window keys see the same columns and aggregates, but no other window calls.
  const inner: ExprContext = { ...cx, bindWindow: undefined };
  const bind = (x: A.Expr) => bindExpr(x, scope, inner);
  const name = e.name;
  let fn: WindowFn;
  let args: LExpr[] = [];
  let param = 0;
  let type: LogicalType;
  let filter: LExpr | null = null;
  const aggregate = AGGREGATES.has(name);
  if (!aggregate && (e.distinct || e.star || e.filter)) {
    throw binderError(`${name}() is not an aggregate function; DISTINCT, * and FILTER apply to aggregates`, e.pos);
  }
  if (RANKING.has(name)) {
    requireCount(name, e, 0, 0);
    fn = name as WindowFn;
    type = name === 'percent_rank' ? T.DOUBLE : T.BIGINT;
  } else if (name === 'ntile') {
    requireCount(name, e, 1, 1);
    fn = 'ntile';
    param = constantInteger(e.args[0]!, 'the bucket count of ntile()', 1);
    type = T.BIGINT;
  } else if (name === 'lag' || name === 'lead') {
    requireCount(name, e, 1, 3);
    fn = name;
    param = e.args.length > 1 ? constantInteger(e.args[1]!, `the offset of ${name}()`, null) : 1;
    const value = bind(e.args[0]!);
    if (e.args.length === 3) {
      const dflt = bind(e.args[2]!);
      const t = nonNull(unify([value.type, dflt.type], `${name}() value and default`, e.pos));
      args = [castTo(value, t), castTo(dflt, t)];
    } else {
      args = [castTo(value, nonNull(value.type))];
    }
    type = args[0]!.type;
  } else if (name === 'first_value' || name === 'last_value') {
    requireCount(name, e, 1, 1);
    fn = name;
    const value = bind(e.args[0]!);
    args = [castTo(value, nonNull(value.type))];
    type = args[0]!.type;
  } else if (aggregate) {
    if (e.distinct) throw notSupported(`DISTINCT in a window aggregate (${name}(DISTINCT ...) OVER) is not supported; aggregate DISTINCT values in a subquery first`, e.pos);
    let agg: AggregateFn = moreAggregateFn(name) ?? (name === 'first' || name === 'arbitrary' ? 'any_value' : (name as AggregateFn));
    if (HOLISTIC.has(agg)) {
      throw notSupported(`${name}() OVER (...) is not supported: its state grows with its input, so every row's frame would copy it; compute it with GROUP BY and join the result back`, e.pos);
    }
    if (e.star) {
      if (name !== 'count') throw binderError(`${name}(*) is not valid; only count(*) takes *`, e.pos);
      agg = 'count_star';
    } else if (MORE_AGGREGATES.has(name)) {
      args = bindMoreAggregateArgs(agg, name, e.args.map(bind), false, e.pos).args;
    } else {
      if (e.args.length !== 1) throw binderError(`aggregate ${name}() takes exactly one argument, got ${e.args.length}`, e.pos);
      args = [bind(e.args[0]!)];
    }
    type = aggregateType(agg, args[0]?.type ?? null, e.pos);
    if (args[0] !== undefined && args[0].type.id === TypeId.NULL) args = [castTo(args[0], agg === 'sum' || agg === 'avg' ? T.INTEGER : type), ...args.slice(1)];
    if (e.filter) filter = requireBoolean(bind(e.filter), 'FILTER condition', e.pos);
    fn = agg;
  } else {
    throw binderError(`function ${name}() is not a window function or an aggregate; window functions are row_number, rank, dense_rank, percent_rank, ntile, lag, lead, first_value, last_value and the aggregates`, e.pos);
  }
  const partitionBy = over.partitionBy.map(bind);
  const orderBy: SortItem[] = over.orderBy.map((o) => ({ expr: bind(o.expr), desc: o.desc, nullsFirst: o.nulls === undefined ? o.desc : o.nulls === 'first' }));
  const frame = bindFrame(over, orderBy, e.pos);
  const call: WindowCall = { id: cx.newId(), name, fn, args, param, partitionBy, orderBy, frame, filter, type };
  for (const x of windowExprs(call)) {
    forEachExpr(x, (y) => {
      if (y.kind === 'subquery') throw notSupported(`subqueries inside a window function call (${name}) are not supported; compute them in a subquery of FROM first`, e.pos);
      if (y.type.id === TypeId.INTERVAL) throw notSupported(`INTERVAL values cannot be window arguments or keys (${name})`, e.pos);
    });
  }
  windows.push(call);
  return { kind: 'colref', id: call.id, type, name };
}

function requireCount(name: string, e: A.FunctionCall, min: number, max: number): void {
  if (e.star || e.args.length < min || e.args.length > max) {
    const want = min === max ? `${min}` : `${min} to ${max}`;
    throw binderError(`window function ${name}() takes ${want} argument${want === '1' ? '' : 's'}, got ${e.star ? '*' : e.args.length}`, e.pos);
  }
}

function nonNull(t: LogicalType): LogicalType {
  return t.id === TypeId.NULL ? T.INTEGER : t;
}

/** A constant expression (no columns), folded. */
function constant(x: A.Expr, what: string): LExpr & { kind: 'const' } {
  const cx: ExprContext = {
    allowAggregates: false,
    newId: () => 0,
    bindSubquery: () => { throw binderError(`${what} must be a constant`, x.pos); },
    param: () => { throw binderError(`${what} must be a constant, not a parameter`, x.pos); },
  };
  let bound: LExpr;
  try {
    bound = bindExpr(x, new Scope(null), cx);
  } catch {
    // A column reference, most likely: the expression sees no columns.
    throw binderError(`${what} must be a constant, not an expression over columns`, x.pos);
  }
  const folded = bound.kind === 'const' ? bound : evaluateConstant(bound);
  if (folded === null || folded.kind !== 'const') throw binderError(`${what} must be a constant`, x.pos);
  return folded;
}

function constantInteger(x: A.Expr, what: string, min: number | null): number {
  const c = constant(x, what);
  const v = c.value;
  if (!isIntegral(c.type) || (typeof v !== 'number' && typeof v !== 'bigint') || !Number.isSafeInteger(Number(v))) {
    throw binderError(`${what} must be an integer constant`, x.pos);
  }
  if (min !== null && Number(v) < min) throw binderError(`${what} must be at least ${min}, got ${v}`, x.pos);
  return Number(v);
}

function bindFrame(over: A.WindowSpec, orderBy: SortItem[], pos: A.Pos): WindowFrame {
  if (over.frame === undefined) {
    return orderBy.length > 0
      ? { units: 'range', start: { kind: 'unbounded_preceding' }, end: { kind: 'current_row' } }
      : { units: 'rows', start: { kind: 'unbounded_preceding' }, end: { kind: 'unbounded_following' } };
  }
  const f = over.frame;
  const units = f.units;
  const hasOffset = (b: A.FrameBound) => b.kind === 'preceding' || b.kind === 'following';
  let keyType: LogicalType | null = null;
  if (units === 'range' && (hasOffset(f.start) || hasOffset(f.end))) {
    if (orderBy.length !== 1) throw binderError(`RANGE with an offset (n PRECEDING / FOLLOWING) needs exactly one ORDER BY expression, the window has ${orderBy.length}`, pos);
    keyType = orderBy[0]!.expr.type;
    if (!isNumeric(keyType)) throw notSupported(`RANGE with an offset needs a numeric ORDER BY expression, not ${typeToString(keyType)}; use ROWS, or order by a number`, pos);
  }
  const bound = (b: A.FrameBound, which: string): WindowBound => {
    if (b.kind !== 'preceding' && b.kind !== 'following') return { kind: b.kind };
    const what = `the frame ${which} offset`;
    if (units === 'rows') return { kind: b.kind, offset: constantInteger(b.offset, what, 0) };
    const c = constant(b.offset, what);
    if (!isNumeric(c.type) || c.value === null) throw binderError(`${what} must be a non-negative number`, b.offset.pos);
    const key = keyType!;
    if (isIntegral(key) && !isIntegral(c.type)) throw typeError(`${what} must be an integer for an ORDER BY of type ${typeToString(key)}`, b.offset.pos);
    if (key.id === TypeId.DECIMAL && c.type.id === TypeId.DECIMAL && c.type.scale! > key.scale!) {
      throw typeError(`${what} has more decimal places than the ORDER BY expression (${typeToString(key)})`, b.offset.pos);
    }
    const inKey = isFloat(key) || key.id === TypeId.DECIMAL ? castTo(c, key) : castTo(c, T.BIGINT);
    const folded = inKey.kind === 'const' ? inKey : evaluateConstant(inKey);
    if (folded === null || folded.kind !== 'const' || (typeof folded.value !== 'number' && typeof folded.value !== 'bigint')) {
      throw binderError(`${what} does not fit the ORDER BY expression's type ${typeToString(key)}`, b.offset.pos);
    }
    const offset = Number(folded.value);
    if (!(offset >= 0)) throw binderError(`${what} must not be negative`, b.offset.pos);
    return { kind: b.kind, offset };
  };
  return { units, start: bound(f.start, 'start'), end: bound(f.end, 'end') };
}

/**
 * QUALIFY may name select-list aliases, as in DuckDB (`QUALIFY rn = 1`): a bare name that is
 * not a column of the FROM clause and is an alias is replaced by the aliased expression
 * (input columns win, as in GROUP BY). Subqueries keep their own names.
 */
export function substituteAliases(e: A.Expr, aliases: ReadonlyMap<string, A.Expr>, isInputColumn: (name: string) => boolean): A.Expr {
  const visit = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(visit);
    if (x === null || typeof x !== 'object') return x;
    const o = x as Record<string, unknown>;
    if (o.kind === 'column') {
      const parts = o.parts as string[];
      const name = parts[0]!;
      return parts.length === 1 && aliases.has(name) && !isInputColumn(name) ? aliases.get(name) : x;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) out[k] = k === 'query' ? v : visit(v);
    return out;
  };
  return visit(e) as A.Expr;
}
