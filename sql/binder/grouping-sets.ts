// GROUP BY with grouping sets: expands ROLLUP, CUBE, GROUPING SETS and `(a, b)` elements into
// the list of sets the Aggregate computes (LAggregate.groupingSets), and binds GROUPING(...)
// calls to the Aggregate's GROUPING columns.
//
// As in PostgreSQL and DuckDB: ROLLUP (a, b) is the sets (a, b), (a), (); CUBE (a, b) every
// subset, largest first; GROUPING SETS lists sets (nested ROLLUP / CUBE / GROUPING SETS inside it
// add their sets to the list); the elements of one GROUP BY clause multiply (GROUP BY a,
// ROLLUP (b, c) is (a, b, c), (a, b), (a)). Duplicate sets stay: each gives its rows again.
// GROUPING(x, y) is a bit mask with a bit per argument, set when that argument is not grouped
// in the row's set, the first argument the most significant.

import { binderError } from '../../common/errors.js';
import { T } from '../../common/types.js';
import type * as A from '../ast.js';
import { type LExpr, type OutputColumn, exprEquals, mapExpr } from '../logical/plan.js';

/** At most this many sets per GROUP BY (CUBE of 12 columns is 4096 sets). */
export const MAX_GROUPING_SETS = 4096;
/** GROUPING()'s result is an INTEGER bit mask. */
const MAX_GROUPING_ARGS = 31;

export interface ExpandedGrouping {
  /** Every distinct grouping expression, in order of first appearance. */
  exprs: LExpr[];
  /** The sets, as increasing positions in `exprs`, in output order. */
  sets: number[][];
}

/** Expands a GROUP BY clause with grouping elements; `bind` binds one GROUP BY expression. */
export function expandGroupingSets(elements: readonly A.GroupingElement[], bind: (e: A.Expr) => LExpr): ExpandedGrouping {
  const exprs: LExpr[] = [];
  const indexOf = (e: A.Expr): number => {
    const bound = bind(e);
    const i = exprs.findIndex((x) => exprEquals(x, bound));
    if (i >= 0) return i;
    exprs.push(bound);
    return exprs.length - 1;
  };
  const setsOf = (el: A.GroupingElement): number[][] => {
    switch (el.kind) {
      case 'expr':
        return [[indexOf(el.expr)]];
      case 'set':
        return [el.exprs.map(indexOf)];
      case 'rollup': {
        const items = el.items.map((item) => item.map(indexOf));
        const out: number[][] = [];
        for (let k = items.length; k >= 0; k--) out.push(items.slice(0, k).flat());
        return out;
      }
      case 'cube': {
        const items = el.items.map((item) => item.map(indexOf));
        if (2 ** items.length > MAX_GROUPING_SETS) {
          throw binderError(`CUBE of ${items.length} elements makes ${2 ** items.length} grouping sets, more than the ${MAX_GROUPING_SETS} allowed; use ROLLUP or GROUPING SETS`, el.pos);
        }
        const out: number[][] = [];
        // Largest sets first (as DuckDB): mask bit i set = item i left out.
        for (let mask = 0; mask < 2 ** items.length; mask++) {
          out.push(items.filter((_, i) => (mask & (1 << (items.length - 1 - i))) === 0).flat());
        }
        return out.sort((a, b) => b.length - a.length);
      }
      case 'grouping_sets': {
        const out = el.elements.flatMap(setsOf);
        if (out.length > MAX_GROUPING_SETS) throw binderError(`GROUPING SETS lists ${out.length} sets, more than the ${MAX_GROUPING_SETS} allowed`, el.pos);
        return out;
      }
    }
  };
  // The cross product of the elements' sets.
  let sets: number[][] = [[]];
  for (const el of elements) {
    const mine = setsOf(el);
    if (sets.length * mine.length > MAX_GROUPING_SETS) {
      throw binderError(`GROUP BY makes ${sets.length * mine.length} grouping sets, more than the ${MAX_GROUPING_SETS} allowed`, 'pos' in el ? el.pos : el.expr.pos);
    }
    sets = sets.flatMap((s) => mine.map((m) => [...s, ...m]));
  }
  return { exprs, sets: sets.map((s) => [...new Set(s)].sort((a, b) => a - b)) };
}

/** Is `e` a GROUPING(...) call (as bind-expr.ts binds it)? */
export function isGroupingCall(e: LExpr): e is Extract<LExpr, { kind: 'call' }> {
  return e.kind === 'call' && e.fn === 'grouping';
}

/** Checks GROUPING()'s arguments as written, before they are bound. */
export function checkGroupingArgs(e: A.FunctionCall): void {
  if (e.distinct || e.star || e.filter || e.over || e.orderBy) throw binderError('GROUPING() takes only grouping expressions (no DISTINCT, *, ORDER BY, FILTER or OVER)', e.pos);
  if (e.args.length === 0) throw binderError('GROUPING() needs at least one argument', e.pos);
  if (e.args.length > MAX_GROUPING_ARGS) throw binderError(`GROUPING() takes at most ${MAX_GROUPING_ARGS} arguments, got ${e.args.length}`, e.pos);
}

/** A bound GROUPING(...) call: INTEGER, resolved against the GROUP BY by bindGroupingCalls. */
export function groupingCall(args: LExpr[]): LExpr {
  return { kind: 'call', fn: 'grouping', args, type: T.INTEGER };
}

/**
 * Replaces the GROUPING(...) calls in `e`: each argument must be a GROUP BY expression. With
 * grouping sets the call becomes a reference to a GROUPING column of the Aggregate (added to
 * `groupings`, shared by equal calls); with a plain GROUP BY every expression is grouped in
 * every row, so the call is the constant 0.
 */
export function bindGroupingCalls(
  e: LExpr,
  groups: readonly (OutputColumn & { expr: LExpr })[],
  withSets: boolean,
  groupings: (OutputColumn & { args: number[] })[],
  newId: () => number,
): LExpr {
  return mapExpr(e, (x) => {
    if (!isGroupingCall(x)) return x;
    const args = x.args.map((a) => {
      const i = groups.findIndex((g) => exprEquals(g.expr, a));
      if (i < 0) throw binderError(`arguments to GROUPING() must be GROUP BY expressions of the same query; ${describe(a)} is not one`);
      return i;
    });
    if (!withSets) return { kind: 'const', value: 0, type: T.INTEGER };
    let g = groupings.find((c) => c.args.length === args.length && c.args.every((v, i) => v === args[i]));
    if (g === undefined) {
      g = { id: newId(), name: 'grouping', type: T.INTEGER, args };
      groupings.push(g);
    }
    return { kind: 'colref', id: g.id, type: g.type, name: g.name };
  });
}

/** Does `e` hold a GROUPING(...) call? */
export function containsGroupingCall(e: LExpr): boolean {
  let found = false;
  mapExpr(e, (x) => {
    if (isGroupingCall(x)) found = true;
    return x;
  });
  return found;
}

function describe(e: LExpr): string {
  return e.kind === 'colref' ? `column "${e.name}"` : 'the expression';
}
