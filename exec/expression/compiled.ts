// The contract of a compiled expression. `compileExpr` (compile.ts) turns a bound PExpr into
// one of these, once per execution; `evaluate` then runs per batch.

import type { Batch } from '../../common/batch.js';
import type { Vector } from '../../common/vector.js';

export interface CompiledExpr {
  /**
   * Evaluates the expression for the batch's selected rows. The result MUST have length
   * `batch.count` and be dense: its row k belongs to the batch's k-th selected row
   * (`batch.selection[k]`, or k when there is no selection).
   */
  evaluate(batch: Batch): Vector;
}
