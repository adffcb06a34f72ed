// LIMIT / OFFSET across batches (with selections and empty batches), and that the operator
// stops pulling its input once it has its rows.

import { describe, expect, it } from 'vitest';
import { type Batch } from '../../../common/batch.js';
import { T } from '../../../common/types.js';
import type { LimitNode } from '../../../exec/plan.js';
import { limit } from '../../../exec/operators/limit.js';
import { batchOf, child, collect, randomBatches, type Row, testContext } from './batches.js';

const types = [T.INTEGER, T.VARCHAR];
function node(l: number | null, offset: number): LimitNode {
  return { op: 'limit', input: child(types), limit: l, offset, types, names: ['a', 'b'] };
}
const data: Row[] = Array.from({ length: 30 }, (_, i) => [i, `s${i}`]);

/** A stream that records how many batches were pulled and whether it was closed. */
function tracked(batches: Batch[]): { stream: AsyncGenerator<Batch>; pulled: () => number; closed: () => boolean } {
  let pulled = 0;
  let closed = false;
  async function* gen(): AsyncGenerator<Batch> {
    try {
      for (const b of batches) {
        pulled++;
        yield b;
      }
    } finally {
      closed = true;
    }
  }
  return { stream: gen(), pulled: () => pulled, closed: () => closed };
}

describe('limit', () => {
  it('cuts limit and offset across random batches', async () => {
    for (const [l, o] of [[5, 0], [5, 7], [0, 3], [null, 25], [100, 0], [3, 29], [3, 30], [1, 0]] as const) {
      for (let seed = 0; seed < 5; seed++) {
        const got = await collect(limit(node(l, o), testContext(), tracked(randomBatches(types, data, seed)).stream), types);
        expect(got).toEqual(data.slice(o, l === null ? undefined : o + l));
      }
    }
  });

  it('stops pulling input once satisfied and closes it', async () => {
    const batches = [batchOf(types, data.slice(0, 10)), batchOf(types, data.slice(10, 20), [], true), batchOf(types, data.slice(20))];
    const t = tracked(batches);
    expect(await collect(limit(node(12, 0), testContext(), t.stream), types)).toEqual(data.slice(0, 12));
    expect(t.pulled()).toBe(2);
    expect(t.closed()).toBe(true);
    const z = tracked(batches);
    expect(await collect(limit(node(0, 0), testContext(), z.stream), types)).toEqual([]);
    expect(z.pulled()).toBe(0);
  });
});
