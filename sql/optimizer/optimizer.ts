// The optimizer: an ordered list of rules, each in its own file. The order matters:
//  1. flatten-subqueries  first, so later rules see joins instead of subquery expressions;
//  2. fold-constants      before pushdown, so constant conjuncts (WHERE 1 = 1) disappear;
//  3. join-order          pushes filters down and orders inner joins (needs folded filters);
//  4. prune-columns       last, once the final shape of the plan is known.
// The driver checks that no rule changes a plan's output columns, and names the rule if so.

import { internalError } from '../../common/errors.js';
import type { Catalog } from '../../storage/catalog.js';
import { type LNode, outputsOf } from '../logical/plan.js';
import { flattenSubqueries } from './flatten-subqueries.js';
import { foldConstants } from './fold-constants.js';
import { orderJoins } from './join-order.js';
import { pruneColumns } from './prune-columns.js';

export interface OptimizerContext {
  catalog: Catalog;
  newId(): number;
}

interface Rule {
  name: string;
  apply(plan: LNode, ctx: OptimizerContext): LNode;
}

const RULES: Rule[] = [
  { name: 'flatten-subqueries', apply: (p, c) => flattenSubqueries(p, () => c.newId()) },
  { name: 'fold-constants', apply: (p) => foldConstants(p) },
  { name: 'join-order', apply: (p, c) => orderJoins(p, c.catalog) },
  { name: 'prune-columns', apply: (p) => pruneColumns(p) },
];

export function optimize(plan: LNode, ctx: OptimizerContext): LNode {
  let p = plan;
  const before = outputsOf(plan).map((c) => `${c.id}:${c.type.id}`).join(',');
  for (const rule of RULES) {
    p = rule.apply(p, ctx);
    const after = outputsOf(p).map((c) => `${c.id}:${c.type.id}`).join(',');
    if (after !== before) throw internalError(`optimizer rule ${rule.name} changed the output columns`);
  }
  return p;
}
