// Row-count estimates for join ordering and build-side choice. Deliberately simple: table
// sizes from the catalog, a fixed selectivity per filter conjunct, and equi-joins estimated
// as the larger input (the common foreign-key case).

import type { Catalog } from '../../storage/catalog.js';
import type { LNode } from '../logical/plan.js';

const FILTER_SELECTIVITY = 0.25;

/** A table's row count now; the snapshot taken to count is released at once (on disk it pins
 *  a version, which would otherwise keep replaced parts on disk). */
function tableRows(catalog: Catalog, name: string): number | undefined {
  const snapshot = catalog.getTable(name)?.snapshot();
  if (snapshot === undefined) return undefined;
  const rows = snapshot.rowCount;
  snapshot.release?.();
  return rows;
}

export function estimateRows(n: LNode, catalog: Catalog): number {
  switch (n.op) {
    case 'get':
      return Math.max(1, tableRows(catalog, n.table) ?? 1000);
    case 'filter': {
      const conjuncts = n.condition.kind === 'and' ? n.condition.args.length : 1;
      return Math.max(1, estimateRows(n.input, catalog) * FILTER_SELECTIVITY ** Math.min(conjuncts, 3));
    }
    case 'project':
    case 'sort':
      return estimateRows(n.input, catalog);
    case 'limit': {
      const r = estimateRows(n.input, catalog);
      return n.limit === null ? r : Math.min(r, n.limit);
    }
    case 'aggregate':
      if (n.groupingSets) return n.groupingSets.reduce((sum, s) => sum + (s.length === 0 ? 1 : Math.max(1, estimateRows(n.input, catalog) / 2)), 0);
      return n.groups.length === 0 ? 1 : Math.max(1, estimateRows(n.input, catalog) / 2);
    case 'join': {
      const l = estimateRows(n.left, catalog);
      const r = estimateRows(n.right, catalog);
      if (n.joinType === 'semi' || n.joinType === 'anti' || n.joinType === 'mark' || n.joinType === 'single') return l;
      if (n.condition === null) return l * r;
      return Math.max(l, r);
    }
    case 'set_op':
      return estimateRows(n.left, catalog) + estimateRows(n.right, catalog);
    case 'values':
      return n.rows.length;
    case 'table_function':
      return Math.max(1, n.estimatedRows);
    case 'apply':
    case 'window':
      return estimateRows(n.input, catalog);
    case 'empty':
      return 0;
  }
}
