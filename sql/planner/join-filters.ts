// Places join filters (exec/join-filter.ts) in a physical plan: for each key of a hash join
// that drops probe rows without a match (inner, semi, right), it follows the probe-side key
// column down the left input — through filters, column projections and the probe side of
// other joins — to the scan that reads it, and links the two by an id: the join publishes the
// build's key values, the scan prunes and filters with them before reading its other columns.
// Only keys held as 32-bit integers on both sides qualify.

import { TypeId, type LogicalType } from '../../common/types.js';
import { type JoinNode, type PlanNode, planChildren, type ScanNode } from '../../exec/plan.js';

/** Links every qualifying hash join key of `root` to the scan under it; mutates the plan
 *  (plain data, built for this statement). */
export function placeJoinFilters(root: PlanNode): void {
  let nextId = 0;
  const visit = (n: PlanNode): void => {
    for (const child of planChildren(n)) visit(child);
    if (n.op !== 'hash_join' || !(n.joinType === 'inner' || n.joinType === 'semi' || n.joinType === 'right')) return;
    n.leftKeys.forEach((lk, key) => {
      if (!isI32(n.left.types[lk]!) || !isI32(n.right.types[n.rightKeys[key]!]!)) return;
      const target = scanOf(n.left, lk);
      if (target === null) return;
      const id = nextId++;
      (n.joinFilters ??= []).push({ id, key });
      (target.scan.joinFilters ??= []).push({ id, column: target.column });
    });
  };
  visit(root);
}

function isI32(t: LogicalType): boolean {
  return t.id === TypeId.INTEGER || t.id === TypeId.SMALLINT || t.id === TypeId.DATE;
}

/** The scan and its output column that column `col` of `n` is read from unchanged, when every
 *  row `n` drops for lacking a match above may be dropped at that scan. */
function scanOf(n: PlanNode, col: number): { scan: ScanNode; column: number } | null {
  switch (n.op) {
    case 'scan':
      return { scan: n, column: col };
    case 'filter':
      return scanOf(n.input, col);
    case 'project': {
      const e = n.exprs[col];
      return e?.kind === 'col' ? scanOf(n.input, e.index) : null;
    }
    case 'hash_join':
      return probeSide(n, col);
    default:
      return null;
  }
}

/** A probe-side (left) column of a join whose output rows each come from one left row: a row
 *  removed there only removes output rows with that same key. */
function probeSide(n: JoinNode, col: number): { scan: ScanNode; column: number } | null {
  if (n.joinType === 'right' || n.joinType === 'full') return null;
  if (col >= n.left.types.length) return null;
  return scanOf(n.left, col);
}
