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
      // Group columns stay (they define the groups, and grouping sets refer to them by position).
      const kept = n.groupings ? { ...n, aggregates, groupings: n.groupings.filter((g) => need.has(g.id)) } : { ...n, aggregates };
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
    case 'window': {
      // Window calls nobody reads are dropped; the rest keep the input columns they read.
      const windows = n.windows.filter((w) => need.has(w.id));
      if (windows.length === 0) return prune(n.input, need);
      const kept = { ...n, windows };
      return { ...kept, input: prune(n.input, refs(kept, new Set(need))) };
    }
    case 'values':
    case 'empty':
      return n;
  }
}
