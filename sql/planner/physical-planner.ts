// Turns an optimized logical plan into a physical plan (exec/plan.ts): column ids become
// positions, equi-join conditions become hash-join keys, aggregate and join inputs that are
// expressions get a projection below them, Sort + Limit becomes top-N. The result is plain
// data with no run-time state.

import { internalError } from '../../common/errors.js';
import { type LogicalType, T } from '../../common/types.js';
import type { AggregateSpec, JoinType, PExpr, PlanNode, ScanPredicate, SortKey, WindowSpec } from '../../exec/plan.js';
import { type ColumnId, type LExpr, type LJoin, type LNode, aggregateExprs, childrenOf, conjunction, exprEquals, forEachExpr, freeColumns, nodeExprs, outputsOf, referencedIds, windowExprs } from '../logical/plan.js';
import { estimateRows } from '../optimizer/cardinality.js';
import type { Catalog } from '../../storage/catalog.js';
import type { ColumnPredicate } from '../../storage/table.js';

interface Planned {
  node: PlanNode;
  /** The column id at each output position (null for internal columns). */
  layout: (ColumnId | null)[];
}

import { placeJoinFilters } from './join-filters.js';

export class PhysicalPlanner {
  constructor(private readonly catalog: Catalog) {}

  /** Plans a whole query; the output columns are exactly the logical plan's outputs, in order. */
  planQuery(root: LNode): PlanNode {
    const p = this.plan(root, []);
    const outs = outputsOf(root);
    const node = p.layout.length === outs.length && outs.every((c, i) => p.layout[i] === c.id) ? p.node : this.projectTo(p, outs.map((c) => c.id), []);
    placeJoinFilters(node);
    return node;
  }

  private plan(n: LNode, outer: ColumnId[]): Planned {
    switch (n.op) {
      case 'get': {
        const layout = n.columns.map((c) => c.id);
        return {
          node: { op: 'scan', table: n.table, columns: n.columns.map((c) => c.index), predicates: [], types: n.columns.map((c) => c.type), names: n.columns.map((c) => c.name) },
          layout,
        };
      }
      case 'filter': {
        const input = this.plan(n.input, outer);
        const predicate = this.expr(n.condition, input.layout, outer);
        if (input.node.op === 'scan') input.node.predicates.push(...scanPredicates(predicate));
        return { node: { op: 'filter', input: input.node, predicate, types: input.node.types, names: input.node.names }, layout: input.layout };
      }
      case 'project': {
        const input = this.plan(n.input, outer);
        return {
          node: { op: 'project', input: input.node, exprs: n.columns.map((c) => this.expr(c.expr, input.layout, outer)), types: n.columns.map((c) => c.type), names: n.columns.map((c) => c.name) },
          layout: n.columns.map((c) => c.id),
        };
      }
      case 'aggregate': {
        const input = this.plan(n.input, outer);
        const needed: LExpr[] = [...n.groups.map((g) => g.expr), ...n.aggregates.flatMap(aggregateExprs)];
        const { planned, positions } = this.onlyColumns(input, needed, outer);
        let k = 0;
        const keys = n.groups.map(() => positions[k++]!);
        const aggregates: AggregateSpec[] = n.aggregates.map((a) => {
          const args = a.args.map(() => positions[k++]!);
          const filter = a.filter ? positions[k++]! : null;
          const spec: AggregateSpec = { fn: a.fn, args, argTypes: a.args.map((x) => x.type), distinct: a.distinct, filter, type: a.type };
          if (a.orderBy.length > 0) spec.orderBy = a.orderBy.map((o) => ({ index: positions[k++]!, type: o.expr.type, desc: o.desc, nullsFirst: o.nullsFirst }));
          return spec;
        });
        const groupings = n.groupings ?? [];
        return {
          node: {
            op: 'aggregate', input: planned.node, keys, aggregates,
            ...(n.groupingSets ? { groupingSets: n.groupingSets, groupings: groupings.map((g) => g.args) } : {}),
            types: [...n.groups.map((g) => g.type), ...n.aggregates.map((a) => a.type), ...groupings.map((g) => g.type)],
            names: [...n.groups.map((g) => g.name), ...n.aggregates.map((a) => a.name), ...groupings.map((g) => g.name)],
          },
          layout: [...n.groups.map((g) => g.id), ...n.aggregates.map((a) => a.id), ...groupings.map((g) => g.id)],
        };
      }
      case 'join':
        return this.planJoin(n, outer);
      case 'window': {
        const input = this.plan(n.input, outer);
        const { planned, positions } = this.withColumns(input, n.windows.flatMap(windowExprs), outer);
        let k = 0;
        const functions: WindowSpec[] = n.windows.map((w) => ({
          fn: w.fn,
          args: w.args.map(() => positions[k++]!),
          argTypes: w.args.map((a) => a.type),
          param: w.param,
          partitionBy: w.partitionBy.map(() => positions[k++]!),
          orderBy: w.orderBy.map((o) => ({ index: positions[k++]!, desc: o.desc, nullsFirst: o.nullsFirst })),
          frame: w.frame,
          filter: w.filter ? positions[k++]! : null,
          type: w.type,
        }));
        return {
          node: {
            op: 'window', input: planned.node, functions,
            types: [...planned.node.types, ...n.windows.map((w) => w.type)],
            names: [...planned.node.names, ...n.windows.map((w) => w.name)],
          },
          layout: [...planned.layout, ...n.windows.map((w) => w.id)],
        };
      }
      case 'sort': {
        const input = this.plan(n.input, outer);
        const { planned, positions } = this.withColumns(input, n.keys.map((k) => k.expr), outer);
        const keys: SortKey[] = n.keys.map((k, i) => ({ index: positions[i]!, desc: k.desc, nullsFirst: k.nullsFirst }));
        return { node: { op: 'sort', input: planned.node, keys, limit: null, offset: 0, types: planned.node.types, names: planned.node.names }, layout: planned.layout };
      }
      case 'limit': {
        // LIMIT over a projection of a sort (ORDER BY a column not selected): the projection is
        // row-wise, so the limit moves below it and the sort becomes a top-N.
        if (n.input.op === 'project' && n.input.input.op === 'sort' && n.limit !== null) {
          return this.plan({ ...n.input, input: { ...n, input: n.input.input } }, outer);
        }
        const input = this.plan(n.input, outer);
        if (input.node.op === 'sort' && input.node.limit === null && n.limit !== null) {
          return { node: { ...input.node, limit: n.limit, offset: n.offset }, layout: input.layout };
        }
        return { node: { op: 'limit', input: input.node, limit: n.limit, offset: n.offset, types: input.node.types, names: input.node.names }, layout: input.layout };
      }
      case 'set_op': {
        const left = this.plan(n.left, outer);
        const right = this.plan(n.right, outer);
        const want = (side: LNode, p: Planned) => this.projectTo(p, outputsOf(side).map((c) => c.id), outer);
        return {
          node: { op: 'set_op', setOp: n.setOp, all: n.all, left: want(n.left, left), right: want(n.right, right), types: n.columns.map((c) => c.type), names: n.columns.map((c) => c.name) },
          layout: n.columns.map((c) => c.id),
        };
      }
      case 'values':
        return {
          node: { op: 'values', rows: n.rows.map((r) => r.map((e) => this.expr(e, [], outer))), types: n.columns.map((c) => c.type), names: n.columns.map((c) => c.name) },
          layout: n.columns.map((c) => c.id),
        };
      case 'empty':
        return { node: { op: 'empty', types: n.columns.map((c) => c.type), names: n.columns.map((c) => c.name) }, layout: n.columns.map((c) => c.id) };
      case 'table_function':
        return {
          node: { op: 'table_function', name: n.name, args: n.args, columns: n.columns.map((c) => c.index), types: n.columns.map((c) => c.type), names: n.columns.map((c) => c.name) },
          layout: n.columns.map((c) => c.id),
        };
      case 'apply': {
        let input = this.plan(n.input, outer);
        const free = [...freeColumns(n.subplan)];
        const correlated = free.map((id) => this.expr({ kind: 'colref', id, type: referencedType(n.subplan, id), name: '' }, input.layout, outer));
        let inColumn: number | null = null;
        if (n.mode === 'in') {
          const w = this.withColumns(input, [n.arg!], outer);
          input = w.planned;
          inColumn = w.positions[0]!;
        }
        const sub = this.plan(n.subplan, free);
        const subOut = outputsOf(n.subplan);
        const subNode = n.mode === 'exists' ? sub.node : this.projectTo(sub, [subOut[0]!.id], free);
        return {
          node: {
            op: 'apply', input: input.node, subplan: subNode, correlated, mode: n.mode, inColumn,
            types: [...input.node.types, n.output.type], names: [...input.node.names, n.output.name],
          },
          layout: [...input.layout, n.output.id],
        };
      }
    }
  }

  private planJoin(n: LJoin, outer: ColumnId[]): Planned {
    let left = this.plan(n.left, outer);
    let right = this.plan(n.right, outer);
    let joinType: JoinType = n.joinType;
    // The hash table is built on the right: put the smaller input there when the join allows.
    if ((joinType === 'inner' || joinType === 'left' || joinType === 'right') && estimateRows(n.left, this.catalog) < estimateRows(n.right, this.catalog)) {
      [left, right] = [right, left];
      joinType = joinType === 'left' ? 'right' : joinType === 'right' ? 'left' : joinType;
    }
    const leftIds = new Set(left.layout.filter((x): x is number => x !== null));
    const rightIds = new Set(right.layout.filter((x): x is number => x !== null));
    const conjuncts = n.condition === null ? [] : n.condition.kind === 'and' ? n.condition.args : [n.condition];
    const leftKeys: LExpr[] = [];
    const rightKeys: LExpr[] = [];
    const residual: LExpr[] = [];
    // A mark join keys on its IN comparison only (the first conjunct); correlation conditions
    // stay in the residual, where a NULL means "no match" rather than "unknown".
    conjuncts.forEach((c, ci) => {
      if (c.kind === 'call' && c.fn === 'eq' && (joinType !== 'mark' || ci === 0)) {
        const [a, b] = c.args as [LExpr, LExpr];
        const ra = referencedIds(a);
        const rb = referencedIds(b);
        // A key side may be constant (`1 IN (SELECT ...)`) as long as the other reads its input.
        const within = (ids: Set<number>, side: Set<number>) => [...ids].every((x) => side.has(x));
        if (ra.size === 0 && rb.size === 0) {
          residual.push(c);
          return;
        }
        if (within(ra, leftIds) && within(rb, rightIds)) {
          leftKeys.push(a);
          rightKeys.push(b);
          return;
        }
        if (within(ra, rightIds) && within(rb, leftIds)) {
          leftKeys.push(b);
          rightKeys.push(a);
          return;
        }
      }
      residual.push(c);
    });
    const outLayout = (l: Planned, r: Planned): (ColumnId | null)[] => {
      if (joinType === 'semi' || joinType === 'anti') return l.layout;
      if (joinType === 'mark') return [...l.layout, n.mark!.id];
      return [...l.layout, ...r.layout];
    };
    const outTypes = (l: Planned, r: Planned): LogicalType[] => {
      if (joinType === 'semi' || joinType === 'anti') return l.node.types;
      if (joinType === 'mark') return [...l.node.types, T.BOOLEAN];
      return [...l.node.types, ...r.node.types];
    };
    const outNames = (l: Planned, r: Planned): string[] => {
      if (joinType === 'semi' || joinType === 'anti') return l.node.names;
      if (joinType === 'mark') return [...l.node.names, n.mark!.name];
      return [...l.node.names, ...r.node.names];
    };
    if (leftKeys.length === 0) {
      if (joinType === 'mark') throw internalError('a mark join needs an equality condition');
      const combined = [...left.layout, ...right.layout];
      const condition = residual.length === 0 ? null : this.expr(conjunction(residual)!, combined, outer);
      return {
        node: { op: 'nested_loop_join', joinType, left: left.node, right: right.node, condition, types: outTypes(left, right), names: outNames(left, right) },
        layout: outLayout(left, right),
      };
    }
    const lk = this.withColumns(left, leftKeys, outer);
    const rk = this.withColumns(right, rightKeys, outer);
    left = lk.planned;
    right = rk.planned;
    const combined = [...left.layout, ...right.layout];
    const res = residual.length === 0 ? null : this.expr(conjunction(residual)!, combined, outer);
    return {
      node: {
        op: 'hash_join', joinType, left: left.node, right: right.node, leftKeys: lk.positions, rightKeys: rk.positions, residual: res,
        types: outTypes(left, right), names: outNames(left, right),
      },
      layout: outLayout(left, right),
    };
  }

  /** Ensures each expression is available as a column: plain column references use their
   *  position; other expressions are appended by a projection. */
  private withColumns(p: Planned, exprs: LExpr[], outer: ColumnId[]): { planned: Planned; positions: number[] } {
    const positions: number[] = [];
    const extra: LExpr[] = [];
    for (const e of exprs) {
      const at = e.kind === 'colref' ? p.layout.indexOf(e.id) : -1;
      if (at >= 0) positions.push(at);
      else {
        positions.push(p.layout.length + extra.length);
        extra.push(e);
      }
    }
    if (extra.length === 0) return { planned: p, positions };
    const passthrough: PExpr[] = p.node.types.map((type, index) => ({ kind: 'col', index, type }));
    const node: PlanNode = {
      op: 'project',
      input: p.node,
      exprs: [...passthrough, ...extra.map((e) => this.expr(e, p.layout, outer))],
      types: [...p.node.types, ...extra.map((e) => e.type)],
      names: [...p.node.names, ...extra.map(() => '')],
    };
    return { planned: { node, layout: [...p.layout, ...extra.map(() => null)] }, positions };
  }

  /** Like withColumns, but when a projection is needed it computes only `exprs` (an aggregate
   *  reads nothing else), so unused columns are never gathered through a selection. */
  private onlyColumns(p: Planned, exprs: LExpr[], outer: ColumnId[]): { planned: Planned; positions: number[] } {
    if (exprs.every((e) => e.kind === 'colref' && p.layout.includes(e.id))) return this.withColumns(p, exprs, outer);
    const unique: LExpr[] = [];
    const positions = exprs.map((e) => {
      let at = unique.findIndex((u) => exprEquals(u, e));
      if (at < 0) {
        at = unique.length;
        unique.push(e);
      }
      return at;
    });
    const node: PlanNode = {
      op: 'project',
      input: p.node,
      exprs: unique.map((e) => this.expr(e, p.layout, outer)),
      types: unique.map((e) => e.type),
      names: unique.map((e) => (e.kind === 'colref' ? e.name : '')),
    };
    return { planned: { node, layout: unique.map((e) => (e.kind === 'colref' ? e.id : null)) }, positions };
  }

  private projectTo(p: Planned, ids: ColumnId[], outer: ColumnId[]): PlanNode {
    if (p.layout.length === ids.length && ids.every((id, i) => p.layout[i] === id)) return p.node;
    const exprs = ids.map((id) => {
      const at = p.layout.indexOf(id);
      if (at < 0) return this.expr({ kind: 'colref', id, type: T.INTEGER, name: '' }, p.layout, outer);
      return { kind: 'col', index: at, type: p.node.types[at]! } as PExpr;
    });
    return { op: 'project', input: p.node, exprs, types: exprs.map((e) => e.type), names: ids.map((id) => p.node.names[p.layout.indexOf(id)] ?? '') };
  }

  /** Converts a logical expression: column ids to positions (or outer references). */
  private expr(e: LExpr, layout: (ColumnId | null)[], outer: ColumnId[]): PExpr {
    switch (e.kind) {
      case 'colref': {
        const at = layout.indexOf(e.id);
        if (at >= 0) return { kind: 'col', index: at, type: e.type };
        const o = outer.indexOf(e.id);
        if (o >= 0) return { kind: 'outer', index: o, type: e.type };
        throw internalError(`column ${e.name || e.id} is not available here`);
      }
      case 'const':
        return { kind: 'const', value: e.value, type: e.type };
      case 'call':
        return { kind: 'call', fn: e.fn, args: e.args.map((a) => this.expr(a, layout, outer)), type: e.type };
      case 'cast':
        return { kind: 'cast', expr: this.expr(e.expr, layout, outer), type: e.type, try: e.try };
      case 'case':
        return { kind: 'case', whens: e.whens.map((w) => ({ when: this.expr(w.when, layout, outer), then: this.expr(w.then, layout, outer) })), else: e.else ? this.expr(e.else, layout, outer) : null, type: e.type };
      case 'and':
      case 'or':
        return { kind: e.kind, args: e.args.map((a) => this.expr(a, layout, outer)), type: e.type };
      case 'not':
        return { kind: 'not', arg: this.expr(e.arg, layout, outer), type: e.type };
      case 'is_null':
        return { kind: 'is_null', arg: this.expr(e.arg, layout, outer), negated: e.negated, type: e.type };
      case 'in_list':
        return { kind: 'in_list', arg: this.expr(e.arg, layout, outer), list: e.list.map((x) => this.expr(x, layout, outer)), negated: e.negated, type: e.type };
      case 'subquery':
      case 'agg':
        throw internalError(`${e.kind} expression reached the physical planner`);
    }
  }

}


/** The type of column `id` as some expression in `plan` (or its subqueries) references it. */
function referencedType(plan: LNode, id: ColumnId): LogicalType {
  let found: LogicalType | null = null;
  const visit = (n: LNode) => {
    for (const e of nodeExprs(n)) {
      forEachExpr(e, (x) => {
        if (x.kind === 'colref' && x.id === id) found ??= x.type;
        if (x.kind === 'subquery') visit(x.plan);
      });
    }
    for (const c of childrenOf(n)) visit(c);
  };
  visit(plan);
  if (found === null) throw internalError(`correlated column ${id} is not referenced by its subquery`);
  return found;
}

const SCAN_OPS: Record<string, ColumnPredicate['op']> = { eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=' };
const FLIP: Record<string, ColumnPredicate['op']> = { '=': '=', '<>': '<>', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** Column-versus-constant conjuncts, and ORs of conjunctions of them, handed to storage for
 *  pruning. Within an OR branch, conjuncts storage cannot use are left out (the branch only
 *  widens); an OR with a branch left with none is not pushed (that branch may hold any row). */
function scanPredicates(p: PExpr): ScanPredicate[] {
  const out: ScanPredicate[] = [];
  for (const c of conjunctsOf(p)) {
    const simple = columnPredicate(c);
    if (simple !== null) {
      out.push(simple);
    } else if (c.kind === 'or') {
      const branches: ColumnPredicate[][] = [];
      for (const d of disjunctsOf(c)) {
        const branch = conjunctsOf(d).map(columnPredicate).filter((x): x is ColumnPredicate => x !== null);
        if (branch.length === 0) break;
        branches.push(branch);
      }
      if (branches.length === disjunctsOf(c).length) out.push({ op: 'or', branches });
    }
  }
  return out;
}

const conjunctsOf = (p: PExpr): PExpr[] => (p.kind === 'and' ? p.args.flatMap(conjunctsOf) : [p]);
const disjunctsOf = (p: PExpr): PExpr[] => (p.kind === 'or' ? p.args.flatMap(disjunctsOf) : [p]);

function columnPredicate(c: PExpr): ColumnPredicate | null {
  if (c.kind === 'call' && SCAN_OPS[c.fn] !== undefined) {
    const [a, b] = c.args as [PExpr, PExpr];
    if (a.kind === 'col' && b.kind === 'const' && b.value !== null) return { column: a.index, op: SCAN_OPS[c.fn]!, values: [b.value] };
    if (b.kind === 'col' && a.kind === 'const' && a.value !== null) return { column: b.index, op: FLIP[SCAN_OPS[c.fn]!]!, values: [a.value] };
  } else if (c.kind === 'is_null' && c.arg.kind === 'col') {
    return { column: c.arg.index, op: c.negated ? 'is_not_null' : 'is_null', values: [] };
  } else if (c.kind === 'in_list' && !c.negated && c.arg.kind === 'col' && c.list.every((x) => x.kind === 'const' && x.value !== null)) {
    return { column: c.arg.index, op: 'in', values: c.list.map((x) => (x as { value: import('../../common/vector.js').Scalar }).value) };
  }
  return null;
}

