// Ranking and navigation window functions over rows in window order (partitions.ts). Each
// writes its result straight into input order (out[perm[j]]), with typed arrays only:
//   row_number, rank, dense_rank, ntile -> BIGINT (Float64Array); percent_rank -> DOUBLE;
//   lag, lead, first_value, last_value  -> row indexes gathered from the argument column.

import { T } from '../../common/types.js';
import { concatFlat, type FlatVector, flatVector } from '../../common/vector.js';
import { internalError } from '../../common/errors.js';
import type { WindowFn } from '../plan.js';
import { gatherFlat } from '../hash/row-collection.js';
import type { Frames } from './frames.js';
import type { SortedRows } from './partitions.js';

export function rankingFunction(fn: WindowFn, rows: SortedRows, param: number): FlatVector {
  const { n, perm, partStart, partEnd, peerStart } = rows;
  const out = new Float64Array(n);
  switch (fn) {
    case 'row_number':
      for (let j = 0; j < n; j++) out[perm[j]!] = j - partStart[j]! + 1;
      return flatVector(T.BIGINT, out);
    case 'rank':
      for (let j = 0; j < n; j++) out[perm[j]!] = peerStart[j]! - partStart[j]! + 1;
      return flatVector(T.BIGINT, out);
    case 'dense_rank': {
      let dense = 0;
      for (let j = 0; j < n; j++) {
        if (j === partStart[j]) dense = 1;
        else if (j === peerStart[j]) dense++;
        out[perm[j]!] = dense;
      }
      return flatVector(T.BIGINT, out);
    }
    case 'percent_rank':
      for (let j = 0; j < n; j++) {
        const size = partEnd[j]! - partStart[j]!;
        out[perm[j]!] = size > 1 ? (peerStart[j]! - partStart[j]!) / (size - 1) : 0;
      }
      return flatVector(T.DOUBLE, out);
    case 'ntile': {
      if (!Number.isInteger(param) || param < 1) throw internalError(`ntile needs a positive bucket count, the plan has ${param}`);
      // As PostgreSQL: the first (size % buckets) buckets hold one row more than the others.
      for (let j = 0; j < n; j++) {
        const size = partEnd[j]! - partStart[j]!;
        const k = j - partStart[j]!;
        const small = Math.floor(size / param);
        const big = small + 1;
        const bigRows = (size % param) * big;
        out[perm[j]!] = k < bigRows ? Math.floor(k / big) + 1 : (size % param) + Math.floor((k - bigRows) / small) + 1;
      }
      return flatVector(T.BIGINT, out);
    }
    default:
      throw internalError(`${fn} is not a ranking function`);
  }
}

/**
 * lag / lead (offset `param`, lag looking back; a negative offset looks the other way) with an
 * optional per-row default column; first_value / last_value of the frame (NULL when empty).
 */
export function navigationFunction(fn: WindowFn, rows: SortedRows, param: number, arg: FlatVector, dflt: FlatVector | null, frames: Frames | null): FlatVector {
  const { n, perm, partStart, partEnd } = rows;
  const idx = new Int32Array(n);
  let source = arg;
  switch (fn) {
    case 'lag':
    case 'lead': {
      const step = fn === 'lag' ? -param : param;
      if (dflt !== null) source = concatFlat(arg.type, [arg, dflt]);
      for (let j = 0; j < n; j++) {
        const at = j + step;
        const row = perm[j]!;
        idx[row] = at >= partStart[j]! && at < partEnd[j]! ? perm[at]! : dflt !== null ? n + row : -1;
      }
      break;
    }
    case 'first_value':
    case 'last_value': {
      if (frames === null) throw internalError(`${fn} needs frames`);
      const { start, end } = frames;
      const first = fn === 'first_value';
      for (let j = 0; j < n; j++) {
        const s = start[j]!;
        const e = end[j]!;
        idx[perm[j]!] = e <= s ? -1 : perm[first ? s : e - 1]!;
      }
      break;
    }
    default:
      throw internalError(`${fn} is not a navigation function`);
  }
  return gatherFlat(source, idx, n, arg.type);
}
