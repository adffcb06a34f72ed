// Rule: projection pruning. Walks the plan top-down with the set of column ids the parent
// needs; table scans then read only those columns, projections compute only those, and
// aggregates drop unused aggregate calls. Nodes whose columns are used by position (set
// operations, Apply subplans) keep all their inputs' columns.

import { type ColumnId, type LNode, freeColumns, nodeExprs, outputsOf, referencedIds } from '../logical/plan.js';

export function pruneColumns(plan: LNode): LNode {
  return prune(plan, new Set(outputsOf(plan).map((c) => c.id)));
}

function refs(n: LNode, into: Set<ColumnId>): Set<ColumnId> {
  for (const e of nodeExprs(n)) referencedIds(e, into);
  return into;
}

function allOf(n: LNode): Set<ColumnId> {
  return new Set(outputsOf(n).map((c) => c.id));
}

function prune(n: LNode, need: Set<ColumnId>): LNode {
  switch (n.op) {
    case 'get': {
      const columns = n.columns.filter((c) => need.has(c.id));
      return { ...n, columns };
    }
    case 'table_function': {
      const columns = n.columns.filter((c) => need.has(c.id));
      return { ...n, columns };
    }
    case 'filter':
    case 'sort':
    case 'limit':
      return { ...n, input: prune(n.input, refs(n, new Set(need))) } as LNode;
    case 'project': {
      const columns = n.columns.filter((c) => need.has(c.id));
      const kept = { ...n, columns };
      return { ...kept, input: prune(n.input, refs(kept, new Set())) };
    }
    case 'aggregate': {
      const aggregates = n.aggregates.filter((a) => need.has(a.id));
      const kept = { ...n, aggregates };
      return { ...kept, input: prune(n.input, refs(kept, new Set())) };
    }
    case 'join': {
      const want = refs(n, new Set(need));
      return { ...n, left: prune(n.left, want), right: prune(n.right, want) };
    }
    case 'set_op':
      return { ...n, left: prune(n.left, allOf(n.left)), right: prune(n.right, allOf(n.right)) };
    case 'apply': {
      const want = refs(n, new Set(need));
      for (const id of freeColumns(n.subplan)) want.add(id);
      return { ...n, input: prune(n.input, want), subplan: prune(n.subplan, allOf(n.subplan)) };
    }
    case 'values':
    case 'empty':
      return n;
  }
}
