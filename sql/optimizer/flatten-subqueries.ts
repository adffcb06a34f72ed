// Rule: subquery expressions become joins. Uncorrelated subqueries join once (a single-row
// join for scalars, a mark join for IN, a count for EXISTS). Correlated EXISTS / IN whose
// correlation sits in filters at the top of the subquery are decorrelated into semi, anti
// or mark joins by pulling those filters up into the join condition. Everything else becomes
// an Apply (a dependent join), so every subquery has a correct plan.

import { T } from '../../common/types.js';
import {
  type ColumnId, type LExpr, type LNode, type OutputColumn, conjunction, freeColumns, mapExpr, mapPlanExprs, outputsOf, referencedIds,
} from '../logical/plan.js';
import { notSupported } from '../../common/errors.js';

export function flattenSubqueries(root: LNode, newId: () => number): LNode {
  const visit = (n: LNode): LNode => {
    const node = mapPlanExprs(n, (e) => mapExpr(e, (x) => (x.kind === 'subquery' ? { ...x, plan: visit(x.plan) } : x)), visit);
    switch (node.op) {
      case 'filter':
        return rewriteFilter(node.input, node.condition, newId);
      case 'project': {
        let input = node.input;
        const columns = node.columns.map((c) => {
          const r = lift(input, c.expr, newId);
          input = r.input;
          return { ...c, expr: r.expr };
        });
        return { ...node, input, columns };
      }
      default:
        if (hasSubquery(node)) throw notSupported('subqueries are supported in WHERE, HAVING and the select list only');
        return node;
    }
  };
  return visit(root);
}

function hasSubquery(n: LNode): boolean {
  let found = false;
  const check = (e: LExpr) => mapExpr(e, (x) => { if (x.kind === 'subquery') found = true; return x; });
  mapPlanExprs(n, (e) => check(e), (c) => c);
  return found;
}

function containsSubquery(e: LExpr): boolean {
  let found = false;
  mapExpr(e, (x) => { if (x.kind === 'subquery') found = true; return x; });
  return found;
}

/** A Filter whose condition has subqueries: top-level EXISTS / IN conjuncts become semi or
 *  anti joins; the rest are lifted into joins below the filter. */
function rewriteFilter(input: LNode, condition: LExpr, newId: () => number): LNode {
  if (!containsSubquery(condition)) return { op: 'filter', input, condition };
  const originalOutputs = outputsOf(input);
  const all = condition.kind === 'and' ? condition.args : [condition];
  // Conjuncts without subqueries filter the input first, so join conditions of a comma join
  // stay next to the joins (and cut the rows the subqueries then see).
  const plain = all.filter((c) => !containsSubquery(c));
  const conjuncts = all.filter((c) => containsSubquery(c));
  const rest: LExpr[] = [];
  let plan: LNode = plain.length === 0 ? input : { op: 'filter', input, condition: plain.length === 1 ? plain[0]! : { kind: 'and', args: plain, type: T.BOOLEAN } };
  for (const c of conjuncts) {
    const semi = asSemiJoin(plan, c);
    if (semi !== null) {
      plan = semi;
      continue;
    }
    const r = lift(plan, c, newId);
    plan = r.input;
    rest.push(r.expr);
  }
  if (rest.length > 0) plan = { op: 'filter', input: plan, condition: rest.length === 1 ? rest[0]! : { kind: 'and', args: rest, type: T.BOOLEAN } };
  if (outputsOf(plan).length !== originalOutputs.length) {
    plan = { op: 'project', input: plan, columns: originalOutputs.map((c) => ({ ...c, expr: { kind: 'colref', id: c.id, type: c.type, name: c.name } })) };
  }
  return plan;
}

/** [NOT] EXISTS and IN as a top-level WHERE conjunct: a semi or anti join. */
function asSemiJoin(input: LNode, c: LExpr): LNode | null {
  let negated = false;
  let e = c;
  if (e.kind === 'not') {
    negated = true;
    e = e.arg;
  }
  if (e.kind !== 'subquery' || e.mode === 'scalar') return null;
  // NOT IN has NULL semantics a plain anti join lacks; it goes through a mark join instead.
  if (e.mode === 'in' && negated) return null;
  const d = decorrelate(e, input);
  if (d === null) return null;
  return { op: 'join', joinType: negated ? 'anti' : 'semi', left: input, right: d.plan, condition: d.condition, mark: null };
}

interface Decorrelated {
  plan: LNode;
  /** The join condition over input ++ plan columns (null: none). */
  condition: LExpr | null;
}

/** Pulls correlated conjuncts out of the filters at the top of an EXISTS / IN subquery.
 *  Null when the subquery has another shape (then Apply handles it). */
function decorrelate(e: Extract<LExpr, { kind: 'subquery' }>, input: LNode): Decorrelated | null {
  const inputIds = new Set(outputsOf(input).map((c) => c.id));
  let node = e.plan;
  let keyExpr: LExpr | null = null;
  if (e.mode === 'in') {
    const out = outputsOf(node)[0]!;
    keyExpr = { kind: 'colref', id: out.id, type: out.type, name: out.name };
  }
  const pulled: LExpr[] = [];
  for (;;) {
    if (freeColumns(node).size === 0) break;
    if (node.op === 'project') {
      if (e.mode === 'in') {
        const col = node.columns.find((c) => c.id === (keyExpr as { id: ColumnId }).id);
        if (col === undefined || keyExpr?.kind !== 'colref') return null;
        keyExpr = col.expr;
      }
      node = node.input;
      continue;
    }
    if (node.op === 'filter') {
      const conjuncts = node.condition.kind === 'and' ? node.condition.args : [node.condition];
      const keep: LExpr[] = [];
      for (const c of conjuncts) {
        const free = [...referencedIds(c)].some((id) => !producedBy(node, id));
        if (free) {
          if (containsSubquery(c)) return null;
          pulled.push(c);
        } else keep.push(c);
      }
      // Nothing to pull here: the correlation sits deeper, below a node we cannot see through.
      if (keep.length === conjuncts.length) return null;
      node = keep.length === 0 ? (node as { input: LNode }).input : { op: 'filter', input: (node as { input: LNode }).input, condition: keep.length === 1 ? keep[0]! : { kind: 'and', args: keep, type: T.BOOLEAN } };
      continue;
    }
    return null;
  }
  // The pulled conditions may only reference the subquery's columns and the input's.
  const subIds = new Set(outputsOf(node).map((c) => c.id));
  for (const p of pulled) for (const id of referencedIds(p)) if (!subIds.has(id) && !inputIds.has(id)) return null;
  if (keyExpr !== null) for (const id of referencedIds(keyExpr)) if (!subIds.has(id)) return null;
  const conds = [...pulled];
  if (e.mode === 'in') conds.unshift({ kind: 'call', fn: 'eq', args: [e.arg!, keyExpr!], type: T.BOOLEAN });
  return { plan: node, condition: conds.length === 0 ? null : conds.length === 1 ? conds[0]! : { kind: 'and', args: conds, type: T.BOOLEAN } };
}

function producedBy(node: LNode, id: ColumnId): boolean {
  const n = node.op === 'filter' ? node.input : node;
  return outputsOf(n).some((c) => c.id === id) || !freeColumns(n).has(id) && allIds(n).has(id);
}

function allIds(n: LNode): Set<ColumnId> {
  const ids = new Set<ColumnId>();
  const walk = (x: LNode) => {
    for (const c of outputsOf(x)) ids.add(c.id);
    if ('input' in x) walk(x.input);
    if ('left' in x) { walk(x.left); walk(x.right); }
  };
  walk(n);
  return ids;
}

/** Replaces every subquery in `e` by a column of a join (or apply) on top of `input`. */
function lift(input: LNode, e: LExpr, newId: () => number): { input: LNode; expr: LExpr } {
  let plan = input;
  const expr = mapExpr(e, (x) => {
    if (x.kind !== 'subquery') return x;
    const out: OutputColumn = { id: newId(), name: x.mode, type: x.type };
    plan = joinSubquery(plan, x, out, newId);
    return { kind: 'colref', id: out.id, type: out.type, name: out.name };
  });
  return { input: plan, expr };
}

function joinSubquery(input: LNode, s: Extract<LExpr, { kind: 'subquery' }>, out: OutputColumn, newId: () => number): LNode {
  const correlated = freeColumns(s.plan).size > 0;
  if (!correlated) {
    if (s.mode === 'scalar') {
      const col = outputsOf(s.plan)[0]!;
      const renamed: LNode = { op: 'project', input: s.plan, columns: [{ ...out, expr: { kind: 'colref', id: col.id, type: col.type, name: col.name } }] };
      return { op: 'join', joinType: 'single', left: input, right: renamed, condition: null, mark: null };
    }
    if (s.mode === 'exists') {
      const count: OutputColumn = { id: newId(), name: 'count', type: T.BIGINT };
      const limited: LNode = { op: 'limit', input: s.plan, limit: 1, offset: 0 };
      const agg: LNode = { op: 'aggregate', input: limited, groups: [], aggregates: [{ ...count, fn: 'count_star', args: [], distinct: false, filter: null, orderBy: [] }] };
      const flag: LNode = {
        op: 'project', input: agg,
        columns: [{ ...out, expr: { kind: 'call', fn: 'gt', args: [{ kind: 'colref', id: count.id, type: T.BIGINT, name: 'count' }, { kind: 'const', value: 0, type: T.BIGINT }], type: T.BOOLEAN } }],
      };
      return { op: 'join', joinType: 'inner', left: input, right: flag, condition: null, mark: null };
    }
    const col = outputsOf(s.plan)[0]!;
    return {
      op: 'join', joinType: 'mark', left: input, right: s.plan,
      condition: { kind: 'call', fn: 'eq', args: [s.arg!, { kind: 'colref', id: col.id, type: col.type, name: col.name }], type: T.BOOLEAN },
      mark: out,
    };
  }
  if (s.mode === 'scalar') {
    const d = decorrelateScalarAggregate(s.plan, input, out, newId);
    if (d !== null) return d;
  }
  if (s.mode === 'in') {
    const d = decorrelate(s, input);
    if (d !== null && d.condition !== null && inKeySplits(d.condition, input, d.plan)) {
      return { op: 'join', joinType: 'mark', left: input, right: d.plan, condition: d.condition, mark: out };
    }
  }
  return { op: 'apply', input, subplan: s.plan, mode: s.mode, arg: s.arg, output: out };
}

/** The mark join keys on its first conjunct, the IN comparison: its left side must read only the
 *  input (or nothing) and its right side only the subquery (the physical planner's rule). */
function inKeySplits(c: LExpr, input: LNode, sub: LNode): boolean {
  const first = c.kind === 'and' ? c.args[0]! : c;
  if (first.kind !== 'call' || first.fn !== 'eq') return false;
  const inputIds = new Set(outputsOf(input).map((x) => x.id));
  const subIds = new Set(outputsOf(sub).map((x) => x.id));
  const [l, r] = first.args as [LExpr, LExpr];
  const rRefs = [...referencedIds(r)];
  return [...referencedIds(l)].every((id) => inputIds.has(id)) && rRefs.length > 0 && rRefs.every((id) => subIds.has(id));
}

/**
 * A correlated scalar aggregate, `(SELECT f(agg) FROM t WHERE t.k = outer.k AND ...)`, becomes
 * a LEFT JOIN of the input with the aggregate grouped by the correlation key. COUNT over no
 * rows is 0, not NULL, so count outputs are coalesced to 0 after the join. Null when the
 * subquery has another shape.
 */
function decorrelateScalarAggregate(plan: LNode, input: LNode, out: OutputColumn, newId: () => number): LNode | null {
  if (plan.op !== 'project' || plan.columns.length !== 1) return null;
  const agg = plan.input;
  if (agg.op !== 'aggregate' || agg.groups.length !== 0 || agg.groupingSets) return null;
  if (agg.aggregates.some((a) => a.filter !== null && freeColumns({ op: 'filter', input: { op: 'empty', columns: [] }, condition: a.filter }).size > 0)) return null;
  const filter = agg.input;
  if (filter.op !== 'filter') return null;
  const inner = filter.input;
  if (freeColumns(inner).size > 0) return null;
  const innerIds = new Set(outputsOf(inner).map((c) => c.id));
  const inputIds = new Set(outputsOf(input).map((c) => c.id));
  const keys: { inner: LExpr; outer: LExpr }[] = [];
  const keep: LExpr[] = [];
  for (const c of filter.condition.kind === 'and' ? filter.condition.args : [filter.condition]) {
    const ids = [...referencedIds(c)];
    if (ids.every((id) => innerIds.has(id))) {
      if (containsSubquery(c)) return null;
      keep.push(c);
      continue;
    }
    if (c.kind !== 'call' || c.fn !== 'eq' || containsSubquery(c)) return null;
    const [a, b] = c.args as [LExpr, LExpr];
    const side = (e: LExpr): 'inner' | 'outer' | null => {
      const r = [...referencedIds(e)];
      if (r.length === 0) return null;
      if (r.every((id) => innerIds.has(id))) return 'inner';
      if (r.every((id) => inputIds.has(id))) return 'outer';
      return null;
    };
    const sa = side(a);
    const sb = side(b);
    if (sa === 'inner' && sb === 'outer') keys.push({ inner: a, outer: b });
    else if (sa === 'outer' && sb === 'inner') keys.push({ inner: b, outer: a });
    else return null;
  }
  if (keys.length === 0) return null;
  // Project expressions and aggregate arguments may not reach outside the subquery either.
  for (const a of agg.aggregates) for (const x of [...a.args, ...a.orderBy.map((k) => k.expr)]) for (const id of referencedIds(x)) if (!innerIds.has(id)) return null;
  const aggIds = new Set(agg.aggregates.map((a) => a.id));
  for (const id of referencedIds(plan.columns[0]!.expr)) if (!aggIds.has(id)) return null;

  const filtered: LNode = keep.length === 0 ? inner : { op: 'filter', input: inner, condition: keep.length === 1 ? keep[0]! : { kind: 'and', args: keep, type: T.BOOLEAN } };
  const groups = keys.map((k) => ({ id: newId(), name: '', type: k.inner.type, expr: k.inner }));
  const grouped: LNode = { op: 'aggregate', input: filtered, groups, aggregates: agg.aggregates };
  const condition = conjunction(keys.map((k, i) => ({ kind: 'call', fn: 'eq', args: [k.outer, { kind: 'colref', id: groups[i]!.id, type: groups[i]!.type, name: '' }], type: T.BOOLEAN } as LExpr)));
  const joined: LNode = { op: 'join', joinType: 'left', left: input, right: grouped, condition: condition!, mark: null };
  // COUNT of no rows is 0: substitute coalesce(count, 0) into the subquery's expression.
  const counts = new Set(agg.aggregates.filter((a) => a.fn === 'count' || a.fn === 'count_star').map((a) => a.id));
  const value = mapExpr(plan.columns[0]!.expr, (x) =>
    x.kind === 'colref' && counts.has(x.id) ? { kind: 'call', fn: 'coalesce', args: [x, { kind: 'const', value: 0, type: x.type }], type: x.type } : x,
  );
  const passthrough = outputsOf(input).map((c) => ({ ...c, expr: { kind: 'colref', id: c.id, type: c.type, name: c.name } as LExpr }));
  return { op: 'project', input: joined, columns: [...passthrough, { ...out, expr: value }] };
}

