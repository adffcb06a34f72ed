// Which aggregates can run share by share in worker threads (DESIGN.md, Threads), and over which
// scan.
//
// A GROUP BY's input splits when each of its rows comes from exactly one row of one "driving"
// scan: down from the aggregate through filters, projections and the probe (left) side of joins
// that emit each probe row's output from that row alone — inner, left, semi, anti, mark and
// single joins — to a table scan. Each share reads a disjoint set of that table's blocks and
// everything else (the joins' build sides) whole, so the union of the shares' inputs is the
// aggregate's input, and merging the shares' aggregate states gives its result. Right and full
// joins (their unmatched build rows come once, at the end) and anything that needs all rows in
// one place (sort, limit, window, another aggregate, set operations) stop the walk.

import { ROW_ID_COLUMN } from '../../storage/table.js';
import { type AggregateNode, type JoinType, type PlanNode, planChildren } from '../plan.js';

const SPLITTABLE_JOINS: ReadonlySet<JoinType> = new Set(['inner', 'left', 'semi', 'anti', 'mark', 'single']);

/** The child indexes (planChildren order) from `node.input` down to the driving scan, or null
 *  when the aggregate cannot run share by share. */
export function drivingScanPath(node: AggregateNode): number[] | null {
  if (node.groupingSets !== undefined || !runsAnywhere(node.input)) return null;
  const path: number[] = [];
  let n: PlanNode = node.input;
  for (;;) {
    switch (n.op) {
      case 'filter':
      case 'project':
        n = n.input;
        break;
      case 'hash_join':
      case 'nested_loop_join':
        if (!SPLITTABLE_JOINS.has(n.joinType)) return null;
        n = n.left;
        break;
      case 'scan':
        return path;
      default:
        return null;
    }
    path.push(0);
  }
}

/** The node at `path` under `root`. */
export function nodeAt(root: PlanNode, path: readonly number[]): PlanNode {
  let n = root;
  for (const i of path) n = planChildren(n)[i]!;
  return n;
}

/** The tables the scans of a plan read. */
export function scannedTables(root: PlanNode): string[] {
  const out = new Set<string>();
  const visit = (n: PlanNode): void => {
    if (n.op === 'scan') out.add(n.table);
    for (const c of planChildren(n)) visit(c);
  };
  visit(root);
  return [...out];
}

/** The nodes of a plan in pre-order: how a worker's profile is matched to the plan it ran. */
export function preorder(root: PlanNode, into: PlanNode[] = []): PlanNode[] {
  into.push(root);
  for (const c of planChildren(root)) preorder(c, into);
  return into;
}

/** Whether a worker thread can run the plan: it needs nothing of the thread that planned it —
 *  no table functions (the engine runs them), no row ids (DELETE and UPDATE, in place). */
function runsAnywhere(n: PlanNode): boolean {
  if (n.op === 'table_function') return false;
  if (n.op === 'scan' && n.columns.includes(ROW_ID_COLUMN)) return false;
  return planChildren(n).every(runsAnywhere);
}
