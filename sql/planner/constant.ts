// Evaluates a constant logical expression with the executor's own kernels, so folding and
// execution can never disagree. Returns null when evaluation fails (the error is then left
// for run time).

import { type Scalar, getScalar } from '../../common/vector.js';
import type { ExecContext } from '../../exec/context.js';
import { compileExpr } from '../../exec/expression/compile.js';
import { SINGLE_ROW } from '../../exec/operators/values.js';
import type { PExpr } from '../../exec/plan.js';
import type { LExpr } from '../logical/plan.js';

const FOLD_CTX: ExecContext = {
  snapshot: () => {
    throw new Error('constant expressions read no table');
  },
  outer: [],
  signal: null,
  stats: { rowsRead: 0, bytesRead: 0 },
  codegenLog: null,
};

export function evaluateConstant(e: LExpr): LExpr | null {
  const p = toPExpr(e);
  if (p === null) return null;
  try {
    const v = compileExpr(p, FOLD_CTX).evaluate(SINGLE_ROW);
    const value: Scalar = getScalar(v, 0);
    return { kind: 'const', value, type: e.type };
  } catch {
    return null;
  }
}

/** Converts a column-free logical expression; null if it references columns or subqueries. */
function toPExpr(e: LExpr): PExpr | null {
  switch (e.kind) {
    case 'const':
      return { kind: 'const', value: e.value, type: e.type };
    case 'call': {
      const args = e.args.map(toPExpr);
      return args.every((a) => a !== null) ? { kind: 'call', fn: e.fn, args: args as PExpr[], type: e.type } : null;
    }
    case 'cast': {
      const x = toPExpr(e.expr);
      return x === null ? null : { kind: 'cast', expr: x, type: e.type, try: e.try };
    }
    case 'not':
    case 'is_null': {
      const x = toPExpr(e.arg);
      if (x === null) return null;
      return e.kind === 'not' ? { kind: 'not', arg: x, type: e.type } : { kind: 'is_null', arg: x, negated: e.negated, type: e.type };
    }
    case 'in_list': {
      const a = toPExpr(e.arg);
      const list = e.list.map(toPExpr);
      return a !== null && list.every((x) => x !== null) ? { kind: 'in_list', arg: a, list: list as PExpr[], negated: e.negated, type: e.type } : null;
    }
    default:
      return null;
  }
}
