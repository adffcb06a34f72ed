// Property test of the window machinery (exec/window/): random partition keys, order keys and
// values (NULLs included), ASC/DESC with NULLS FIRST/LAST, and random ROWS / RANGE frames. The
// frames and SUM / COUNT / first_value results must equal a brute-force reading of the SQL
// definitions: every row tests every other row of its partition against the frame's bounds.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { T } from '../../../common/types.js';
import { type FlatVector, flatVector, getScalar } from '../../../common/vector.js';
import type { SortKey, WindowBound, WindowFrame, WindowSpec } from '../../../exec/plan.js';
import { windowAggregate } from '../../../exec/window/aggregates.js';
import { computeFrames } from '../../../exec/window/frames.js';
import { sortForWindow } from '../../../exec/window/partitions.js';
import { navigationFunction } from '../../../exec/window/ranking.js';

type Val = number | null;

function intVector(values: readonly Val[]): FlatVector {
  const data = new Int32Array(values.length);
  const valid = new Uint8Array(values.length);
  values.forEach((v, i) => {
    if (v !== null) {
      data[i] = v;
      valid[i] = 1;
    }
  });
  return flatVector(T.INTEGER, data, valid);
}

const boundArb = (offsets: boolean): fc.Arbitrary<WindowBound> =>
  fc.oneof(
    fc.constant<WindowBound>({ kind: 'unbounded_preceding' }),
    fc.constant<WindowBound>({ kind: 'current_row' }),
    fc.constant<WindowBound>({ kind: 'unbounded_following' }),
    ...(offsets ? [fc.integer({ min: 0, max: 4 }).map<WindowBound>((offset) => ({ kind: 'preceding', offset })), fc.integer({ min: 0, max: 4 }).map<WindowBound>((offset) => ({ kind: 'following', offset }))] : []),
  );

const caseArb = fc.record({
  rows: fc.array(fc.record({ p: fc.option(fc.integer({ min: 0, max: 2 })), k: fc.option(fc.integer({ min: 0, max: 8 })), v: fc.option(fc.integer({ min: -50, max: 50 })) }), { maxLength: 160 }),
  desc: fc.boolean(),
  nullsFirst: fc.boolean(),
  units: fc.constantFrom<'rows' | 'range'>('rows', 'range'),
  start: boundArb(true).filter((b) => b.kind !== 'unbounded_following'),
  end: boundArb(true).filter((b) => b.kind !== 'unbounded_preceding'),
});

/** Where row i stands relative to bound b of row j, in sort order: -1 before, 0 on, 1 after. */
function side(i: number, j: number, b: WindowBound, frame: WindowFrame, pos: number[], key: Val[], desc: boolean, nullsFirst: boolean, isEnd: boolean): boolean {
  const cmpKeys = (a: Val, c: Val): number => {
    if (a === null || c === null) return a === c ? 0 : (a === null) === nullsFirst ? -1 : 1;
    return desc ? c - a : a - c;
  };
  switch (b.kind) {
    case 'unbounded_preceding':
    case 'unbounded_following':
      return true;
    case 'current_row':
      if (frame.units === 'rows') return isEnd ? pos[i]! <= pos[j]! : pos[i]! >= pos[j]!;
      return isEnd ? cmpKeys(key[i]!, key[j]!) <= 0 : cmpKeys(key[i]!, key[j]!) >= 0;
    case 'preceding':
    case 'following': {
      const d = b.kind === 'preceding' ? -b.offset : b.offset;
      if (frame.units === 'rows') return isEnd ? pos[i]! <= pos[j]! + d : pos[i]! >= pos[j]! + d;
      const ki = key[i]!;
      const kj = key[j]!;
      if (kj === null) return isEnd ? cmpKeys(ki, kj) <= 0 : cmpKeys(ki, kj) >= 0;
      // A NULL row lies wholly before or after every non-NULL key.
      if (ki === null) return isEnd ? nullsFirst : !nullsFirst;
      const ai = desc ? -ki : ki;
      const aj = desc ? -kj : kj;
      return isEnd ? ai <= aj + d : ai >= aj + d;
    }
  }
}

describe('window frames and aggregates', () => {
  it('match the SQL definitions on random partitions, keys and frames', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const n = c.rows.length;
        const p = c.rows.map((r) => r.p);
        const k = c.rows.map((r) => r.k);
        const v = c.rows.map((r) => r.v);
        const cols = [intVector(p), intVector(k), intVector(v)];
        const types = [T.INTEGER, T.INTEGER, T.INTEGER];
        const orderBy: SortKey[] = [{ index: 1, desc: c.desc, nullsFirst: c.nullsFirst }];
        const frame: WindowFrame = { units: c.units, start: c.start, end: c.end };
        const rows = sortForWindow(cols, types, n, [0], orderBy);
        const frames = computeFrames(rows, frame, orderBy, cols);
        const pos: number[] = new Array<number>(n);
        for (let j = 0; j < n; j++) pos[rows.perm[j]!] = j;
        const spec = (fn: WindowSpec['fn'], type = T.BIGINT): WindowSpec => ({ fn, args: [2], argTypes: [T.INTEGER], param: 0, partitionBy: [0], orderBy, frame, filter: null, type });
        const sums = windowAggregate(spec('sum'), rows, frames, [cols[2]!], null);
        const counts = windowAggregate({ ...spec('count_star'), args: [], argTypes: [] }, rows, frames, [], null);
        const firsts = navigationFunction('first_value', rows, 0, cols[2]!, null, frames);
        for (let r = 0; r < n; r++) {
          // Brute force: the partition's rows inside both bounds of row r.
          const inFrame: number[] = [];
          for (let i = 0; i < n; i++) {
            if (p[i] !== p[r]) continue;
            if (side(i, r, c.start, frame, pos, k, c.desc, c.nullsFirst, false) && side(i, r, c.end, frame, pos, k, c.desc, c.nullsFirst, true)) inFrame.push(i);
          }
          inFrame.sort((a, b) => pos[a]! - pos[b]!);
          const j = pos[r]!;
          const got = [frames.start[j]!, frames.end[j]!];
          const want = inFrame.length === 0 ? null : [pos[inFrame[0]!]!, pos[inFrame[inFrame.length - 1]!]! + 1];
          if (want === null) expect(got[1]! - got[0]!, `row ${r} frame`).toBe(0);
          else {
            expect(got, `row ${r} frame`).toEqual(want);
            expect(want[1]! - want[0]!, 'a frame is contiguous').toBe(inFrame.length);
          }
          const nonNull = inFrame.map((i) => v[i]!).filter((x) => x !== null);
          expect(getScalar(sums, r) === null ? null : Number(getScalar(sums, r)), `row ${r} sum`).toBe(nonNull.length === 0 ? null : nonNull.reduce((a, b) => a + b, 0));
          expect(Number(getScalar(counts, r)), `row ${r} count`).toBe(inFrame.length);
          expect(getScalar(firsts, r), `row ${r} first_value`).toBe(inFrame.length === 0 ? null : v[inFrame[0]!]!);
        }
      }),
      { numRuns: 300 },
    );
  });
});
