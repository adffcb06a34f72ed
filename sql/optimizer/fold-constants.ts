// Rule: evaluates expressions whose inputs are all constants, once, at plan time (1 + 2 -> 3,
// CAST('1998-01-01' AS DATE) -> a date). A fold that would raise an error is left for run
// time, so constant folding never raises an error execution would not (a CASE branch that no
// row takes must not fail). AND/OR with a decisive constant simplify; WHERE TRUE disappears.

import type { LExpr, LNode } from '../logical/plan.js';
import { mapExpr, mapPlanExprs } from '../logical/plan.js';
import { evaluateConstant } from '../planner/constant.js';

export function foldConstants(plan: LNode): LNode {
  const visit = (n: LNode): LNode => {
    const node = mapPlanExprs(n, foldExpr, visit);
    if (node.op === 'filter' && node.condition.kind === 'const' && node.condition.value === 1) return node.input;
    return node;
  };
  return visit(plan);
}

export function foldExpr(e: LExpr): LExpr {
  return mapExpr(e, (x) => {
    switch (x.kind) {
      case 'call':
      case 'cast':
      case 'not':
      case 'is_null':
      case 'in_list': {
        const kids = x.kind === 'call' ? x.args : x.kind === 'cast' ? [x.expr] : x.kind === 'in_list' ? [x.arg, ...x.list] : [x.arg];
        if (!kids.every((k) => k.kind === 'const')) return x;
        return evaluateConstant(x) ?? x;
      }
      case 'and':
      case 'or': {
        const decisive = x.kind === 'and' ? 0 : 1;
        if (x.args.some((a) => a.kind === 'const' && a.value === decisive)) return { kind: 'const', value: decisive, type: x.type };
        const rest = x.args.filter((a) => !(a.kind === 'const' && a.value === (decisive ^ 1)));
        if (rest.length === 0) return { kind: 'const', value: decisive ^ 1, type: x.type };
        if (rest.length === 1) return rest[0]!;
        return rest.length === x.args.length ? x : { ...x, args: rest };
      }
      default:
        return x;
    }
  });
}
