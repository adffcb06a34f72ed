// Binds AST expressions to typed logical expressions (LExpr) in a scope: resolves names,
// checks types and inserts casts. Aggregate calls become `agg` nodes that the SELECT binder
// moves into an Aggregate; subqueries become `subquery` nodes for the optimizer to flatten.

import { QuiverError, binderError, notSupported, typeError } from '../../common/errors.js';
import type * as A from '../ast.js';
import {
  type LogicalType, SAFE_LIMIT, T, TypeId, decimalType, resolveTypeName, typeToString, INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN,
} from '../../common/types.js';
import type { Scalar } from '../../common/vector.js';
import { castSupported, parseText } from '../../exec/expression/cast.js';
import { parseInterval } from '../../common/text-values.js';
import type { AggregateFn } from '../../exec/plan.js';
import { type LExpr, type LNode, forEachExpr, outputsOf } from '../logical/plan.js';
import { castTo, coerceForComparison, requireBoolean, unify } from './coercion.js';
import { checkGroupingArgs, groupingCall } from './grouping-sets.js';
import { AGGREGATES, aggregateType, bindArithmeticCall, bindExtract, bindScalarFunction } from './function-binder.js';
import { NILADIC_FUNCTIONS, currentValue } from './more-scalar-functions.js';
import { MORE_AGGREGATES, bindAggregateOrder, bindMoreAggregateArgs, moreAggregateFn } from './aggregate-functions.js';
import type { Scope } from './scope.js';

/** What expression binding needs from the query binder (subqueries, parameters). */
export interface ExprContext {
  bindSubquery(q: A.Query, scope: Scope): { plan: LNode; types: LogicalType[] };
  param(index: number, pos: A.Pos): LExpr;
  /** Whether aggregate calls are allowed here (SELECT list, HAVING, ORDER BY). */
  allowAggregates: boolean;
  /** A fresh statement-wide column id. */
  newId(): number;
  /** Binds `f(...) OVER (...)` (sql/binder/bind-window.ts) where window functions are allowed
   *  (SELECT list, ORDER BY, QUALIFY); absent elsewhere. */
  bindWindow?: (e: A.FunctionCall, scope: Scope) => LExpr;
}

const BOOL = T.BOOLEAN;
const bool = (kind: 'and' | 'or', args: LExpr[]): LExpr => ({ kind, args, type: BOOL });
const not = (arg: LExpr): LExpr => ({ kind: 'not', arg, type: BOOL });
const call = (fn: string, args: LExpr[], type: LogicalType): LExpr => ({ kind: 'call', fn, args, type });

const CMP_FN: Record<string, string> = { '=': 'eq', '<>': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' };

export function bindExpr(e: A.Expr, scope: Scope, cx: ExprContext): LExpr {
  switch (e.kind) {
    case 'number':
      return numberLiteral(e.text, e.pos);
    case 'string':
      return { kind: 'const', value: e.value, type: T.VARCHAR };
    case 'boolean':
      return { kind: 'const', value: e.value ? 1 : 0, type: BOOL };
    case 'null':
      return { kind: 'const', value: null, type: T.NULL };
    case 'typed_literal': {
      const type = resolveTypeName(e.type.name, e.type.args);
      try {
        return { kind: 'const', value: parseText(e.value, type), type };
      } catch (err) {
        if (err instanceof QuiverError) err.position ??= e.pos;
        throw err;
      }
    }
    case 'interval':
      try {
        return { kind: 'const', value: parseInterval(e.value, e.unit) as unknown as Scalar, type: T.INTERVAL };
      } catch (err) {
        if (err instanceof QuiverError) err.position ??= e.pos;
        throw err;
      }
    case 'column':
      // current_date / current_timestamp without parentheses, unless a column has the name.
      if (e.parts.length === 1 && NILADIC_FUNCTIONS.has(e.parts[0]!.toLowerCase()) && scope.resolveLocal(e.parts, e.pos) === null) {
        return currentValue(e.parts[0]!.toLowerCase() as 'current_date' | 'current_timestamp');
      }
      return scope.resolve(e.parts, e.pos);
    case 'param':
      return cx.param(e.index, e.pos);
    case 'star':
      throw binderError('* is not allowed here', e.pos);
    case 'unary': {
      // A minus sign on a number literal is part of the literal: -9223372036854775808 is a BIGINT.
      if (e.op === '-' && e.operand.kind === 'number') return numberLiteral(e.operand.text, e.pos, true);
      const x = bindExpr(e.operand, scope, cx);
      if (e.op === 'not') return not(requireBoolean(x, 'argument of NOT', e.pos));
      if (e.op === '+') {
        if (x.type.id !== TypeId.NULL && !isNumericType(x.type)) throw typeError(`operator does not exist: + ${typeToString(x.type)}`, e.pos);
        return x;
      }
      const t = x.type.id === TypeId.NULL ? T.INTEGER : x.type;
      if (!isNumericType(t) && t.id !== TypeId.INTERVAL) throw typeError(`operator does not exist: - ${typeToString(x.type)}`, e.pos);
      return call('negate', [castTo(x, t)], t);
    }
    case 'binary':
      return bindBinary(e, scope, cx);
    case 'is_null':
      return { kind: 'is_null', arg: bindExpr(e.expr, scope, cx), negated: e.negated, type: BOOL };
    case 'is_distinct': {
      const [l, r] = coerceForComparison(bindExpr(e.left, scope, cx), bindExpr(e.right, scope, cx), 'IS DISTINCT FROM', e.pos);
      return call(e.negated ? 'is_not_distinct' : 'is_distinct', [l, r], BOOL);
    }
    case 'is_bool': {
      const x = requireBoolean(bindExpr(e.expr, scope, cx), 'argument of IS', e.pos);
      let r: LExpr;
      if (e.value === null) r = { kind: 'is_null', arg: x, negated: false, type: BOOL };
      else {
        const v = e.value ? x : not(x);
        r = call('coalesce', [v, { kind: 'const', value: 0, type: BOOL }], BOOL);
      }
      return e.negated ? not(r) : r;
    }
    case 'between': {
      const x = bindExpr(e.expr, scope, cx);
      const [a1, lo] = coerceForComparison(x, bindExpr(e.low, scope, cx), 'BETWEEN', e.pos);
      const [a2, hi] = coerceForComparison(x, bindExpr(e.high, scope, cx), 'BETWEEN', e.pos);
      if (e.negated) return bool('or', [call('lt', [a1, lo], BOOL), call('gt', [a2, hi], BOOL)]);
      return bool('and', [call('ge', [a1, lo], BOOL), call('le', [a2, hi], BOOL)]);
    }
    case 'in_list': {
      const x = bindExpr(e.expr, scope, cx);
      const items = e.list.map((i) => bindExpr(i, scope, cx));
      if (items.length === 0) return { kind: 'in_list', arg: x, list: [], negated: e.negated, type: BOOL };
      let t = x.type;
      for (const it of items) t = coerceForComparison({ ...x, type: t } as LExpr, it, 'IN', e.pos)[0].type;
      return { kind: 'in_list', arg: castTo(x, t), list: items.map((i) => coerceForComparison({ kind: 'const', value: null, type: t }, i, 'IN', e.pos)[1]).map((i) => castTo(i, t)), negated: e.negated, type: BOOL };
    }
    case 'in_subquery': {
      const x = bindExpr(e.expr, scope, cx);
      const sub = cx.bindSubquery(e.query, scope);
      if (sub.types.length !== 1) throw binderError(`subquery has too many columns (${sub.types.length}); IN needs exactly one`, e.pos);
      const st = sub.types[0]!;
      const t = unify([x.type, st], 'IN operand and subquery', e.pos);
      const plan = castSubqueryOutput(sub.plan, t, cx);
      const r: LExpr = { kind: 'subquery', mode: 'in', plan, arg: castTo(x, t), type: BOOL };
      return e.negated ? not(r) : r;
    }
    case 'exists': {
      const sub = cx.bindSubquery(e.query, scope);
      const r: LExpr = { kind: 'subquery', mode: 'exists', plan: sub.plan, arg: null, type: BOOL };
      return e.negated ? not(r) : r;
    }
    case 'subquery': {
      const sub = cx.bindSubquery(e.query, scope);
      if (sub.types.length !== 1) throw binderError(`subquery must return only one column, not ${sub.types.length}`, e.pos);
      return { kind: 'subquery', mode: 'scalar', plan: sub.plan, arg: null, type: sub.types[0]!.id === TypeId.NULL ? T.INTEGER : sub.types[0]! };
    }
    case 'like': {
      const x = bindExpr(e.expr, scope, cx);
      const p = bindExpr(e.pattern, scope, cx);
      const esc = e.escape ? bindExpr(e.escape, scope, cx) : null;
      if (esc !== null && (esc.kind !== 'const' || (esc.value !== null && typeof esc.value === 'string' && esc.value.length > 1))) {
        throw binderError('ESCAPE must be a constant string of at most one character', e.pos);
      }
      const args = [x, p, ...(esc !== null ? [esc] : [])].map((a) => {
        if (a.type.id === TypeId.VARCHAR) return a;
        if (a.type.id === TypeId.NULL) return castTo(a, T.VARCHAR);
        throw typeError(`operator does not exist: ${typeToString(x.type)} ${e.caseInsensitive ? 'ILIKE' : 'LIKE'} ${typeToString(p.type)}; LIKE works on VARCHAR values`, e.pos);
      });
      const r = call(e.caseInsensitive ? 'ilike' : 'like', args, BOOL);
      return e.negated ? not(r) : r;
    }
    case 'case':
      return bindCase(e, scope, cx);
    case 'cast': {
      const x = bindExpr(e.expr, scope, cx);
      const to = resolveTypeName(e.type.name, e.type.args);
      if (!castSupported(x.type, to)) throw typeError(`cannot cast ${typeToString(x.type)} to ${typeToString(to)}`, e.pos);
      if (e.try) return { kind: 'cast', expr: x, type: to, try: true };
      return castTo(x, to);
    }
    case 'extract':
      return bindExtract(e.field, bindExpr(e.expr, scope, cx), e.pos);
    case 'function':
      return bindFunction(e, scope, cx);
  }
}

function isNumericType(t: LogicalType): boolean {
  return [TypeId.SMALLINT, TypeId.INTEGER, TypeId.BIGINT, TypeId.DECIMAL, TypeId.REAL, TypeId.DOUBLE].includes(t.id);
}

/** Wraps a subquery plan so its single output column has type `t`. */
function castSubqueryOutput(plan: LNode, t: LogicalType, cx: ExprContext): LNode {
  const out = outputsOf(plan)[0]!;
  if (out.type.id === t.id && out.type.scale === t.scale) return plan;
  return {
    op: 'project',
    input: plan,
    columns: [{ id: cx.newId(), name: out.name, type: t, expr: castTo({ kind: 'colref', id: out.id, type: out.type, name: out.name }, t) }],
  };
}

function bindBinary(e: A.BinaryExpr, scope: Scope, cx: ExprContext): LExpr {
  if (e.op === 'and' || e.op === 'or') {
    const l = requireBoolean(bindExpr(e.left, scope, cx), `argument of ${e.op.toUpperCase()}`, e.pos);
    const r = requireBoolean(bindExpr(e.right, scope, cx), `argument of ${e.op.toUpperCase()}`, e.pos);
    // Flatten nested ANDs/ORs into one n-ary node.
    const args = [l, r].flatMap((x) => (x.kind === e.op ? x.args : [x]));
    return bool(e.op, args);
  }
  const l = bindExpr(e.left, scope, cx);
  const r = bindExpr(e.right, scope, cx);
  const cmp = CMP_FN[e.op];
  if (cmp !== undefined) {
    const [a, b] = coerceForComparison(l, r, e.op, e.pos);
    return call(cmp, [a, b], BOOL);
  }
  if (e.op === '||') {
    const toText = (x: LExpr) => {
      if (x.type.id === TypeId.VARCHAR) return x;
      return castTo(x, T.VARCHAR);
    };
    return call('concat_op', [toText(l), toText(r)], T.VARCHAR);
  }
  return bindArithmeticCall(e.op, l, r, e.pos);
}

function bindCase(e: A.CaseExpr, scope: Scope, cx: ExprContext): LExpr {
  const operand = e.operand ? bindExpr(e.operand, scope, cx) : null;
  const whens = e.whens.map((w) => {
    let cond = bindExpr(w.when, scope, cx);
    if (operand !== null) {
      const [a, b] = coerceForComparison(operand, cond, 'CASE', e.pos);
      cond = call('eq', [a, b], BOOL);
    } else cond = requireBoolean(cond, 'CASE WHEN condition', e.pos);
    return { when: cond, then: bindExpr(w.then, scope, cx) };
  });
  const otherwise = e.else ? bindExpr(e.else, scope, cx) : null;
  const branchTypes = [...whens.map((w) => w.then.type), ...(otherwise ? [otherwise.type] : [])];
  let t = unify(branchTypes, 'CASE branch', e.pos);
  if (t.id === TypeId.NULL) t = T.INTEGER;
  return {
    kind: 'case',
    whens: whens.map((w) => ({ when: w.when, then: castTo(w.then, t) })),
    else: otherwise ? castTo(otherwise, t) : null,
    type: t,
  };
}

function bindFunction(e: A.FunctionCall, scope: Scope, cx: ExprContext): LExpr {
  if (e.name === 'grouping') {
    checkGroupingArgs(e);
    if (!cx.allowAggregates) throw binderError('GROUPING() is not allowed here; use it in the SELECT list, HAVING or ORDER BY of a query with GROUP BY', e.pos);
    return groupingCall(e.args.map((a) => bindExpr(a, scope, { ...cx, allowAggregates: false })));
  }
  if (e.over) {
    if (e.orderBy) {
      throw notSupported(`ORDER BY inside a window aggregate call (${e.name}(... ORDER BY ...) OVER (...)) is not supported; order the window instead: ${e.name}(...) OVER (ORDER BY ... ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)`, e.pos);
    }
    if (cx.bindWindow === undefined) {
      throw binderError(`window function ${e.name}() OVER (...) is not allowed here; window functions go in the SELECT list, ORDER BY or QUALIFY (not in WHERE, GROUP BY, HAVING, aggregate arguments or other window functions)`, e.pos);
    }
    return cx.bindWindow(e, scope);
  }
  if (AGGREGATES.has(e.name)) {
    if (!cx.allowAggregates) throw binderError(`aggregate function ${e.name}() is not allowed here`, e.pos);
    const inner: ExprContext = { ...cx, allowAggregates: false, bindWindow: undefined };
    let fn: AggregateFn = moreAggregateFn(e.name) ?? (e.name === 'first' || e.name === 'arbitrary' ? 'any_value' : (e.name as AggregateFn));
    let distinct = e.distinct && fn !== 'min' && fn !== 'max';
    let args: LExpr[];
    const written = e.star ? [] : e.args.map((a) => bindExpr(a, scope, inner));
    if (e.star) {
      if (e.name !== 'count') throw binderError(`${e.name}(*) is not valid; only count(*) takes *`, e.pos);
      fn = 'count_star';
      args = [];
    } else if (MORE_AGGREGATES.has(e.name)) {
      ({ args, distinct } = bindMoreAggregateArgs(fn, e.name, written, e.distinct, e.pos));
    } else {
      if (e.args.length !== 1) throw binderError(`aggregate ${e.name}() takes exactly one argument, got ${e.args.length}`, e.pos);
      args = written;
    }
    const orderBy = bindAggregateOrder(fn, e.name, e.distinct, written, (e.orderBy ?? []).map((o) => ({ item: o, expr: bindExpr(o.expr, scope, inner) })), e.pos);
    const refs = new Set<number>();
    for (const a of [...args, ...orderBy.map((k) => k.expr)]) forEachExpr(a, (x) => { if (x.kind === 'colref') refs.add(x.id); });
    if (refs.size > 0 && ![...refs].some((id) => scope.ownsId(id))) {
      throw notSupported(`an aggregate over only an outer query's columns inside a subquery (${e.name}) is not supported yet; compute it in the outer query`, e.pos);
    }
    const filter = e.filter ? requireBoolean(bindExpr(e.filter, scope, inner), 'FILTER condition', e.pos) : null;
    const argType = args[0]?.type ?? null;
    const type = aggregateType(fn, argType, e.pos);
    if (args[0] !== undefined && args[0].type.id === TypeId.NULL) args = [castTo(args[0], fn === 'sum' || fn === 'avg' ? T.INTEGER : type), ...args.slice(1)];
    return { kind: 'agg', fn, args, distinct, filter, orderBy, type };
  }
  if (e.distinct || e.star || e.filter || e.orderBy) throw binderError(`${e.name}() is not an aggregate function; DISTINCT, *, ORDER BY and FILTER apply to aggregates`, e.pos);
  const args = e.args.map((a) => bindExpr(a, scope, cx));
  return bindScalarFunction(e.name, args, e.pos);
}

/** Types a numeric literal as written: INTEGER, BIGINT, DECIMAL(p,s) or DOUBLE. */
export function numberLiteral(text: string, pos?: A.Pos, negative = false): LExpr {
  const sign = negative ? -1n : 1n;
  if (/^[0-9]+$/.test(text)) {
    const big = BigInt(text) * sign;
    if (big >= BigInt(INT32_MIN) && big <= BigInt(INT32_MAX)) return { kind: 'const', value: Number(big), type: T.INTEGER };
    if (big >= INT64_MIN && big <= INT64_MAX) return { kind: 'const', value: asWide(big), type: T.BIGINT };
    if (text.length <= 38) return { kind: 'const', value: Number(big), type: T.DOUBLE };
    throw typeError(`number ${text} is out of range`, pos);
  }
  const m = /^([0-9]*)\.([0-9]*)$/.exec(text);
  if (m !== null) {
    const intPart = m[1]!.replace(/^0+/, '');
    const frac = m[2]!;
    const precision = Math.max(intPart.length + frac.length, 1);
    if (precision <= 18) {
      const digits = BigInt((intPart || '0') + frac) * sign;
      return { kind: 'const', value: asWide(digits), type: decimalType(Math.max(precision, frac.length), frac.length) };
    }
  }
  const v = Number(text) * Number(sign);
  if (Number.isNaN(v)) throw binderError(`invalid number "${text}"`, pos);
  return { kind: 'const', value: v, type: T.DOUBLE };
}

/** A BIGINT/DECIMAL physical value: a number when exact in a double, else a bigint. */
function asWide(v: bigint): number | bigint {
  return v >= -BigInt(SAFE_LIMIT) && v <= BigInt(SAFE_LIMIT) ? Number(v) : v;
}

/** Types a JS parameter value. */
export function paramConstant(v: unknown, index: number, pos?: A.Pos): LExpr {
  if (v === null || v === undefined) return { kind: 'const', value: null, type: T.NULL };
  if (typeof v === 'boolean') return { kind: 'const', value: v ? 1 : 0, type: BOOL };
  if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX) return { kind: 'const', value: v, type: T.INTEGER };
    if (Number.isInteger(v) && Math.abs(v) <= SAFE_LIMIT) return { kind: 'const', value: v, type: T.BIGINT };
    return { kind: 'const', value: v, type: T.DOUBLE };
  }
  if (typeof v === 'bigint') {
    if (v > INT64_MAX || v < INT64_MIN) throw typeError(`parameter $${index} is out of BIGINT range`, pos);
    return { kind: 'const', value: v >= -BigInt(SAFE_LIMIT) && v <= BigInt(SAFE_LIMIT) ? Number(v) : v, type: T.BIGINT };
  }
  if (typeof v === 'string') return { kind: 'const', value: v, type: T.VARCHAR, untyped: true };
  if (v instanceof Date) return { kind: 'const', value: v.getTime() * 1000, type: T.TIMESTAMP };
  throw typeError(`parameter $${index} has an unsupported type (${typeof v}); use a number, bigint, string, boolean, Date or null`, pos);
}
