// The join-type semantics shared by the hash join and the nested-loop join. Both produce
// candidate pairs (left row, right row) in chunks of at most BATCH_SIZE — equal keys for the
// hash join, every pair for the nested loop — and hand them here. The matcher gathers each chunk
// into one batch of left ++ right columns, evaluates the residual condition over it (NULL counts
// as false), records which left and right rows found a match, and returns the passing pairs as
// an output batch (a selection over the gathered batch, so passing rows are not copied twice).
// After each left batch it emits the left rows the join type keeps without a partner (left,
// full, single: padded with NULLs; semi; anti), and after the last one the unmatched right rows
// (right, full).

import { BATCH_SIZE, type Batch, makeBatch } from '../../common/batch.js';
import type { LogicalType } from '../../common/types.js';
import type { FlatVector, Vector } from '../../common/vector.js';
import { flatten, nullVector } from '../../common/vector.js';
import { QuiverError } from '../../common/errors.js';
import type { JoinType } from '../plan.js';
import type { CompiledExpr } from '../expression/compiled.js';
import { gatherFlat, gatherVector, withType } from './row-collection.js';

/** Whether a join type outputs left ++ right columns for each matching pair. */
export function emitsPairs(t: JoinType): boolean {
  return t === 'inner' || t === 'left' || t === 'right' || t === 'full' || t === 'single';
}

/** out[k] = 1 where the BOOLEAN vector is TRUE (NULL and FALSE give 0), for k < n. */
export function readTruth(v: Vector, n: number, out: Uint8Array): void {
  if (v.kind === 'constant') {
    out.fill(v.value === null || v.value === 0 ? 0 : 1, 0, n);
    return;
  }
  const f = flatten(v);
  const data = f.data as Uint8Array;
  const valid = f.validity;
  if (valid === null) for (let k = 0; k < n; k++) out[k] = data[k] === 0 ? 0 : 1;
  else for (let k = 0; k < n; k++) out[k] = valid[k] === 1 && data[k] !== 0 ? 1 : 0;
}

export const TOO_MANY_ROWS = 'more than one row returned by a subquery used as an expression';

export class JoinMatcher {
  readonly joinType: JoinType;
  /** Per right row: 1 once some pair with it passed (right and full joins only). */
  readonly rightMatched: Uint8Array | null;
  /** Per dense row of the current left batch: how many pairs passed (single: at most 1). */
  leftMatches = new Int32Array(BATCH_SIZE);
  private readonly leftTypes: readonly LogicalType[];
  private readonly rightTypes: readonly LogicalType[];
  private readonly right: readonly FlatVector[];
  private readonly rightCount: number;
  private readonly residual: CompiledExpr | null;
  private readonly pairTypes: boolean;
  private left: Batch | null = null;
  private readonly phys = new Int32Array(BATCH_SIZE);
  private readonly pass = new Uint8Array(BATCH_SIZE);

  /**
   * leftTypes / rightTypes: the types the columns carry in the gathered pair batches (for join
   * types that emit pairs, the node's output types). right: the materialized right rows.
   */
  constructor(
    joinType: JoinType,
    leftTypes: readonly LogicalType[],
    rightTypes: readonly LogicalType[],
    right: readonly FlatVector[],
    rightCount: number,
    residual: CompiledExpr | null,
  ) {
    this.joinType = joinType;
    this.leftTypes = leftTypes;
    this.rightTypes = rightTypes;
    this.right = right;
    this.rightCount = rightCount;
    this.residual = residual;
    this.pairTypes = emitsPairs(joinType);
    this.rightMatched = joinType === 'right' || joinType === 'full' ? new Uint8Array(rightCount) : null;
  }

  beginBatch(left: Batch): void {
    this.left = left;
    if (this.leftMatches.length < left.count) this.leftMatches = new Int32Array(left.count);
    this.leftMatches.fill(0, 0, left.count);
  }

  /**
   * Takes n candidate pairs: dense left row K[p] (an index into the left batch's selected rows)
   * with right row R[p]. Returns the passing pairs as an output batch for join types that emit
   * pairs (null when none pass, or for semi / anti / mark).
   */
  pairs(K: Int32Array, R: Int32Array, n: number): Batch | null {
    if (n === 0) return null;
    const pass = this.pass;
    let batch: Batch | null = null;
    if (this.residual !== null || this.pairTypes) {
      batch = this.gatherPairs(K, R, n);
      if (this.residual !== null) readTruth(this.residual.evaluate(batch), n, pass);
      else pass.fill(1, 0, n);
    } else {
      pass.fill(1, 0, n);
    }
    const matches = this.leftMatches;
    const rightMatched = this.rightMatched;
    const single = this.joinType === 'single';
    let passing = 0;
    for (let p = 0; p < n; p++) {
      if (pass[p] === 0) continue;
      passing++;
      const k = K[p]!;
      const m = matches[k]! + 1;
      matches[k] = m;
      if (single && m > 1) throw new QuiverError('INVALID_INPUT', TOO_MANY_ROWS);
      if (rightMatched !== null) rightMatched[R[p]!] = 1;
    }
    if (!this.pairTypes || passing === 0 || batch === null) return null;
    if (passing === n) return batch;
    const sel = new Int32Array(passing);
    let q = 0;
    for (let p = 0; p < n; p++) if (pass[p] === 1) sel[q++] = p;
    return makeBatch(batch.columns, n, sel);
  }

  /** Residual results for n pairs (1 = TRUE) into out, without recording matches. */
  evaluatePairs(K: Int32Array, R: Int32Array, n: number, out: Uint8Array): void {
    if (this.residual === null) {
      out.fill(1, 0, n);
      return;
    }
    readTruth(this.residual.evaluate(this.gatherPairs(K, R, n)), n, out);
  }

  /** Left rows this join type keeps without a partner, once the batch's pairs are all in. */
  endBatch(): Batch | null {
    const left = this.left;
    if (left === null) return null;
    this.left = null;
    const t = this.joinType;
    if (t === 'inner' || t === 'right' || t === 'mark') return null;
    const keepMatched = t === 'semi';
    const n = left.count;
    const matches = this.leftMatches;
    let kept = 0;
    for (let k = 0; k < n; k++) if ((matches[k]! > 0) === keepMatched) kept++;
    if (kept === 0) return null;
    const cols: Vector[] = left.columns.map((v, c) => withType(v, this.leftTypes[c]!));
    if (t !== 'semi' && t !== 'anti') {
      for (const type of this.rightTypes) cols.push(nullVector(type, left.length));
    }
    if (kept === n) return makeBatch(cols, left.length, left.selection);
    const sel = new Int32Array(kept);
    const src = left.selection;
    let q = 0;
    for (let k = 0; k < n; k++) if ((matches[k]! > 0) === keepMatched) sel[q++] = src === null ? k : src[k]!;
    return makeBatch(cols, left.length, sel);
  }

  /** Right rows no pair matched, padded with NULL left columns (right and full joins). */
  *unmatchedRight(): Generator<Batch> {
    const matched = this.rightMatched;
    if (matched === null) return;
    const idx = new Int32Array(BATCH_SIZE);
    let n = 0;
    for (let j = 0; j < this.rightCount; j++) {
      if (matched[j] === 1) continue;
      idx[n++] = j;
      if (n === BATCH_SIZE) {
        yield this.rightOnly(idx, n);
        n = 0;
      }
    }
    if (n > 0) yield this.rightOnly(idx, n);
  }

  private rightOnly(idx: Int32Array, n: number): Batch {
    const cols: Vector[] = this.leftTypes.map((t) => nullVector(t, n));
    for (let c = 0; c < this.right.length; c++) cols.push(gatherFlat(this.right[c]!, idx, n, this.rightTypes[c]!));
    return makeBatch(cols, n, null);
  }

  /** One batch of left ++ right columns for the pairs, dense. */
  private gatherPairs(K: Int32Array, R: Int32Array, n: number): Batch {
    const left = this.left!;
    const phys = this.phys;
    const sel = left.selection;
    if (sel === null) phys.set(K.subarray(0, n));
    else for (let p = 0; p < n; p++) phys[p] = sel[K[p]!]!;
    const cols: Vector[] = [];
    for (let c = 0; c < left.columns.length; c++) cols.push(gatherVector(left.columns[c]!, phys, n, this.leftTypes[c]!));
    for (let c = 0; c < this.right.length; c++) cols.push(gatherFlat(this.right[c]!, R, n, this.rightTypes[c]!));
    return makeBatch(cols, n, null);
  }
}
