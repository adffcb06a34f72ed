// A plain nested-loop reference implementation of every join type over JS rows, used to check
// the hash join and the nested-loop join on random data. Slow and obviously right.

import type { Scalar } from '../../../common/vector.js';
import type { JoinType } from '../../../exec/plan.js';
import { canon, type Row } from './batches.js';

export type Residual = (left: Row, right: Row) => boolean | null;

function same(a: Scalar, b: Scalar): boolean {
  const x = canon(a);
  const y = canon(b);
  if (typeof x === 'number' && typeof y === 'number') return x === y || (x !== x && y !== y);
  return x === y;
}

export function referenceJoin(
  joinType: JoinType,
  left: readonly Row[],
  right: readonly Row[],
  nl: number,
  nr: number,
  leftKeys: readonly number[],
  rightKeys: readonly number[],
  residual: Residual | null,
): Row[] {
  const keyEq = (l: Row, r: Row) =>
    leftKeys.every((lk, i) => l[lk] !== null && r[rightKeys[i]!] !== null && same(l[lk]!, r[rightKeys[i]!]!));
  const passes = (l: Row, r: Row) => residual === null || residual(l, r) === true;
  const match = (l: Row, r: Row) => keyEq(l, r) && passes(l, r);
  const out: Row[] = [];
  const rightMatched = new Array<boolean>(right.length).fill(false);
  for (const l of left) {
    let count = 0;
    right.forEach((r, j) => {
      if (!match(l, r)) return;
      count++;
      rightMatched[j] = true;
      if (joinType === 'inner' || joinType === 'left' || joinType === 'right' || joinType === 'full' || joinType === 'single') {
        out.push([...l, ...r]);
      }
    });
    if (joinType === 'single' && count > 1) throw new Error('single join: more than one match');
    if (count === 0 && (joinType === 'left' || joinType === 'full' || joinType === 'single')) {
      out.push([...l, ...new Array<Scalar>(nr).fill(null)]);
    }
    if (joinType === 'semi' && count > 0) out.push([...l]);
    if (joinType === 'anti' && count === 0) out.push([...l]);
    if (joinType === 'mark') {
      let mark: Scalar = 0;
      if (count > 0) mark = 1;
      else {
        const maybe = right.some(
          (r) =>
            passes(l, r) &&
            leftKeys.every((lk, i) => l[lk] === null || r[rightKeys[i]!] === null || same(l[lk]!, r[rightKeys[i]!]!)),
        );
        if (maybe) mark = null;
      }
      out.push([...l, mark]);
    }
  }
  if (joinType === 'right' || joinType === 'full') {
    right.forEach((r, j) => {
      if (!rightMatched[j]) out.push([...new Array<Scalar>(nl).fill(null), ...r]);
    });
  }
  return out;
}
