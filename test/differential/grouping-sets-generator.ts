// GROUP BY with grouping sets for the differential query generator: ROLLUP, CUBE, GROUPING SETS
// (with the empty set and duplicate sets), plain keys next to a ROLLUP, GROUPING() outputs and
// HAVING on GROUPING(). It draws from its own Rng, so the queries of a seed that do not get
// grouping sets stay what they were before grouping sets existed.

import type { Rng } from './rng.js';

export interface GroupingSetsClause {
  /** What follows GROUP BY. */
  groupBy: string;
  /** GROUPING(...) calls to add to the select list. */
  groupings: string[];
  /** A HAVING conjunct on GROUPING(), or null. */
  having: string | null;
}

/** A grouping-sets GROUP BY over the key expressions (SQL text, distinct). */
export function groupingSetsClause(rng: Rng, keys: readonly string[]): GroupingSetsClause {
  const n = keys.length;
  const form = rng.weighted<'rollup' | 'cube' | 'mixed' | 'sets'>([
    ['rollup', 3],
    ['cube', n <= 3 ? 2 : 0],
    ['mixed', n >= 2 ? 2 : 0],
    ['sets', 3],
  ]);
  let groupBy: string;
  switch (form) {
    case 'rollup':
      groupBy = `ROLLUP (${keys.join(', ')})`;
      break;
    case 'cube':
      groupBy = `CUBE (${keys.join(', ')})`;
      break;
    case 'mixed': {
      const split = rng.int(1, n - 1);
      groupBy = `${keys.slice(0, split).join(', ')}, ${rng.chance(0.5) ? 'ROLLUP' : 'CUBE'} (${keys.slice(split).join(', ')})`;
      break;
    }
    case 'sets': {
      const count = rng.int(2, 4);
      const sets: number[][] = [];
      for (let i = 0; i < count; i++) sets.push(keys.map((_, k) => k).filter(() => rng.chance(0.5)));
      // Every key must be in some set: one more set gets the keys no set has yet.
      const missing = keys.map((_, k) => k).filter((k) => !sets.some((s) => s.includes(k)));
      if (missing.length > 0) sets.push(missing);
      if (rng.chance(0.3)) sets.push(rng.pick(sets));
      groupBy = `GROUPING SETS (${sets.map((s) => `(${s.map((k) => keys[k]).join(', ')})`).join(', ')})`;
      break;
    }
  }
  const groupings: string[] = [];
  const calls = rng.int(0, 2);
  for (let i = 0; i < calls; i++) groupings.push(groupingCall(rng, keys));
  let having: string | null = null;
  if (rng.chance(0.25)) {
    const call = groupingCall(rng, keys);
    having = rng.chance(0.5) ? `${call} = 0` : `${call} > 0`;
  }
  return { groupBy, groupings, having };
}

/** GROUPING() of a random non-empty selection of the keys, in random order. */
function groupingCall(rng: Rng, keys: readonly string[]): string {
  const args = rng.shuffle([...keys]).slice(0, rng.int(1, Math.min(3, keys.length)));
  return `GROUPING(${args.join(', ')})`;
}
