// Rule: predicate pushdown and join ordering for trees of inner joins (explicit or comma
// joins) and the filters above them. The tree is taken apart into relations and conjuncts;
// single-relation conjuncts become filters on their relation; the relations are then joined
// greedily, smallest first, always preferring a relation connected to the ones already
// joined by a join predicate, so a connected join graph never gets a cross product
// (select5.test joins up to 64 tables). Filters above a LEFT, semi, anti, mark or single join
// that read only its left side move below it.

import type { Catalog } from '../../storage/catalog.js';
import { type ColumnId, type LExpr, type LNode, conjunction, conjunctsOf, outputsOf, referencedIds } from '../logical/plan.js';
import { estimateRows } from './cardinality.js';

export function orderJoins(plan: LNode, catalog: Catalog): LNode {
  const visit = (n: LNode): LNode => {
    if (isInnerRegion(n)) return reorder(n, catalog, visit);
    if (n.op === 'filter' && n.input.op === 'join' && PRESERVES_LEFT.has(n.input.joinType)) {
      return pushIntoLeftJoin(n.condition, n.input, visit);
    }
    return mapChildren(n, visit);
  };
  return visit(plan);
}

/** Joins whose output rows are left rows (possibly extended), each at most once per left row or
 *  filtered: a filter on left columns only can run below them. */
const PRESERVES_LEFT = new Set(['left', 'semi', 'anti', 'mark', 'single']);

function isInnerRegion(n: LNode): boolean {
  if (n.op === 'join') return n.joinType === 'inner';
  return n.op === 'filter' && n.input.op === 'join' && n.input.joinType === 'inner';
}


function reorder(root: LNode, catalog: Catalog, visit: (n: LNode) => LNode): LNode {
  const relations: LNode[] = [];
  const conjuncts: LExpr[] = [];
  const collect = (n: LNode) => {
    if (n.op === 'filter' && (n.input.op === 'join' && n.input.joinType === 'inner' || n.input.op === 'filter')) {
      conjuncts.push(...conjunctsOf(n.condition));
      collect(n.input);
    } else if (n.op === 'join' && n.joinType === 'inner') {
      conjuncts.push(...conjunctsOf(n.condition));
      collect(n.left);
      collect(n.right);
    } else if (n.op === 'filter') {
      // A filter on a single relation stays with it.
      conjuncts.push(...conjunctsOf(n.condition));
      relations.push(visit(n.input));
    } else relations.push(visit(n));
  };
  collect(root);

  const owner = new Map<ColumnId, number>();
  relations.forEach((r, i) => { for (const c of outputsOf(r)) owner.set(c.id, i); });
  const relsOf = (c: LExpr): Set<number> => {
    const s = new Set<number>();
    for (const id of referencedIds(c)) {
      const o = owner.get(id);
      if (o !== undefined) s.add(o);
    }
    return s;
  };

  // Push single-relation (and relation-free) conjuncts down.
  const local: LExpr[][] = relations.map(() => []);
  const joinPreds: { expr: LExpr; rels: Set<number> }[] = [];
  const free: LExpr[] = [];
  for (const c of conjuncts) {
    const rels = relsOf(c);
    if (rels.size === 1) local[[...rels][0]!]!.push(c);
    else if (rels.size === 0) free.push(c);
    else joinPreds.push({ expr: c, rels });
  }
  const rels = relations.map((r, i) => {
    const cond = conjunction(local[i]!);
    return cond === null ? r : ({ op: 'filter', input: r, condition: cond } as LNode);
  });
  const est = rels.map((r) => estimateRows(r, catalog));
  // Row-independent conjuncts (constants, outer references) filter the smallest relation.
  if (free.length > 0) {
    const k = argMin(est, new Set(est.keys()));
    rels[k] = { op: 'filter', input: rels[k]!, condition: conjunction(free)! };
  }

  const remaining = new Set(rels.keys());
  const first = argMin(est, remaining);
  remaining.delete(first);
  const joined = new Set([first]);
  let tree = rels[first]!;
  const applied = new Set<number>();
  while (remaining.size > 0) {
    const connected = new Set<number>();
    joinPreds.forEach((p, pi) => {
      if (applied.has(pi)) return;
      const outside = [...p.rels].filter((r) => !joined.has(r));
      if (outside.length === 1 && [...p.rels].some((r) => joined.has(r))) connected.add(outside[0]!);
    });
    const next = argMin(est, connected.size > 0 ? connected : remaining);
    remaining.delete(next);
    joined.add(next);
    const conds: LExpr[] = [];
    joinPreds.forEach((p, pi) => {
      if (!applied.has(pi) && [...p.rels].every((r) => joined.has(r))) {
        applied.add(pi);
        conds.push(p.expr);
      }
    });
    tree = { op: 'join', joinType: 'inner', left: tree, right: rels[next]!, condition: conjunction(conds), mark: null };
  }
  const leftover = joinPreds.filter((_, pi) => !applied.has(pi)).map((p) => p.expr);
  const cond = conjunction(leftover);
  return cond === null ? tree : { op: 'filter', input: tree, condition: cond };
}

function argMin(est: number[], among: Set<number>): number {
  let best = -1;
  for (const i of among) if (best < 0 || est[i]! < est[best]!) best = i;
  return best;
}

function pushIntoLeftJoin(condition: LExpr, join: Extract<LNode, { op: 'join' }>, visit: (n: LNode) => LNode): LNode {
  const leftIds = new Set(outputsOf(join.left).map((c) => c.id));
  const down: LExpr[] = [];
  const stay: LExpr[] = [];
  for (const c of conjunctsOf(condition)) {
    const ids = [...referencedIds(c)];
    (ids.length > 0 && ids.every((id) => leftIds.has(id)) ? down : stay).push(c);
  }
  const downCond = conjunction(down);
  const left: LNode = downCond === null ? join.left : { op: 'filter', input: join.left, condition: downCond };
  const rebuilt: LNode = { ...join, left: visit(left), right: visit(join.right) };
  const stayCond = conjunction(stay);
  return stayCond === null ? rebuilt : { op: 'filter', input: rebuilt, condition: stayCond };
}

export function mapChildren(n: LNode, f: (n: LNode) => LNode): LNode {
  switch (n.op) {
    case 'get':
    case 'table_function':
    case 'values':
    case 'empty':
      return n;
    case 'filter':
    case 'project':
    case 'aggregate':
    case 'sort':
    case 'limit':
    case 'window':
      return { ...n, input: f(n.input) } as LNode;
    case 'join':
    case 'set_op':
      return { ...n, left: f(n.left), right: f(n.right) } as LNode;
    case 'apply':
      return { ...n, input: f(n.input), subplan: f(n.subplan) };
  }
}
