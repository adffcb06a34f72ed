// Variance and standard deviation of large values with small deviations (ids near 1e12 that
// differ by thousands) stay within a few ulps of the exact answer: the states shift each group by
// its first value, so the running mean does not swallow the deviations. Checked against an
// exact BigInt computation, whole and split into merged partial states.

import { describe, expect, it } from 'vitest';
import { Database } from '../../../sql/database.js';

function exactStddevPop(xs: bigint[]): number {
  const n = BigInt(xs.length);
  let s = 0n;
  let s2 = 0n;
  for (const x of xs) {
    s += x;
    s2 += x * x;
  }
  return Math.sqrt(Number(s2 * n - s * s) / Number(n * n));
}

describe('variance precision', () => {
  it('is exact to ~1e-12 for values near 1e12 with deviations of thousands', async () => {
    const xs = Array.from({ length: 19 }, (_, i) => 1_000_000_000_000n + BigInt((i * 7919) % 4001));
    const db = await Database.open(':memory:');
    await db.exec(`CREATE TABLE t (x BIGINT, g INTEGER); INSERT INTO t VALUES ${xs.map((x, i) => `(${x}, ${i % 3})`).join(', ')}`);
    const exact = exactStddevPop(xs);
    const [[whole]] = (await db.query('SELECT stddev_pop(x) FROM t')).rows() as number[][];
    expect(Math.abs(whole! - exact) / exact).toBeLessThan(1e-12);
    // Partial states per g rolled up into the total (grouping sets merge states).
    const rolled = (await db.query('SELECT g, stddev_pop(x) FROM t GROUP BY ROLLUP (g) ORDER BY g NULLS FIRST')).rows() as number[][];
    expect(Math.abs(rolled[0]![1]! - exact) / exact).toBeLessThan(1e-12);
    for (let g = 0; g < 3; g++) {
      const part = exactStddevPop(xs.filter((_, i) => i % 3 === g));
      expect(Math.abs(rolled[g + 1]![1]! - part) / part).toBeLessThan(1e-12);
    }
    await db.close();
  });
});
