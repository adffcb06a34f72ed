// The size-tiered compaction policy (storage/compaction/policy.ts): tiers by live rows, fanIn,
// the part size cap, deleted-heavy parts, eager mode; and, over random tables, that applying its
// picks until it says null always ends, never passes the cap, and leaves no full tier.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CompactionPolicyOptions, type PartSize, pickCompaction } from '../../../storage/compaction/policy.js';

const K = 1000;
const M = 1_000_000;
/** Parts of the given live-row counts, none deleted, ids 1, 2, ... oldest first. */
const parts = (...sizes: number[]): PartSize[] => sizes.map((n, i) => ({ id: i + 1, rowCount: n, liveRows: n }));
const opts = (o: Partial<CompactionPolicyOptions> = {}): CompactionPolicyOptions => ({ fanIn: 4, maxPartRows: 10 * M, ...o });

describe('pickCompaction: tiers', () => {
  it('waits until a tier holds fanIn parts', () => {
    expect(pickCompaction([], opts())).toBeNull();
    expect(pickCompaction(parts(M, M, M), opts())).toBeNull();
    expect(pickCompaction(parts(M, M, M, M), opts())).toEqual([1, 2, 3, 4]);
  });

  it('takes the oldest fanIn parts of a fuller tier', () => {
    expect(pickCompaction(parts(M, M, M, M, M, M), opts())).toEqual([1, 2, 3, 4]);
    expect(pickCompaction(parts(M, M, M, M, M, M), opts({ fanIn: 2 }))).toEqual([1, 2]);
  });

  it('keeps parts of different tiers apart', () => {
    // Three 4M parts and three 200k parts: no tier has four.
    expect(pickCompaction(parts(4 * M, 200 * K, 4 * M, 200 * K, 4 * M, 200 * K), opts())).toBeNull();
    // A fourth small part fills the small tier; the big ones stay out.
    expect(pickCompaction(parts(4 * M, 200 * K, 4 * M, 200 * K, 4 * M, 200 * K, 300 * K), opts())).toEqual([2, 4, 6, 7]);
  });

  it('groups parts within tierFactor of the tier\'s smallest', () => {
    // 100k..400k is one tier with the default factor 4; 401k starts the next.
    expect(pickCompaction(parts(100 * K, 400 * K, 250 * K, 401 * K), opts({ fanIn: 3 }))).toEqual([1, 2, 3]);
    expect(pickCompaction(parts(100 * K, 401 * K, 250 * K, 401 * K), opts({ fanIn: 3 }))).toBeNull();
    expect(pickCompaction(parts(100 * K, 401 * K, 250 * K), opts({ fanIn: 3, tierFactor: 5 }))).toEqual([1, 2, 3]);
  });

  it('counts parts under minTierRows as one tier however they differ', () => {
    expect(pickCompaction(parts(1, 60 * K, 10, 5 * K), opts())).toEqual([1, 2, 3, 4]);
    expect(pickCompaction(parts(1, 60 * K, 10, 5 * K), opts({ minTierRows: 1 }))).toBeNull();
  });

  it('merges the smallest full tier first', () => {
    expect(pickCompaction(parts(M, M, 10, M, 10, M, 10, 10), opts())).toEqual([3, 5, 7, 8]);
  });
});

describe('pickCompaction: the part size cap', () => {
  it('leaves out parts that would push the merge over maxPartRows', () => {
    // Four 300k parts under a 1M cap: only three fit.
    expect(pickCompaction(parts(300 * K, 300 * K, 300 * K, 300 * K), opts({ maxPartRows: M }))).toEqual([1, 2, 3]);
    // The oldest that do not fit are skipped, younger ones that do are taken.
    expect(pickCompaction(parts(900 * K, 800 * K, 300 * K, 400 * K, 50 * K), opts({ maxPartRows: M, minTierRows: 1, tierFactor: 100 }))).toEqual([1, 5]);
  });

  it('does not merge a tier when no two of its parts fit', () => {
    expect(pickCompaction(parts(600 * K, 600 * K, 600 * K, 600 * K), opts({ maxPartRows: M }))).toBeNull();
  });

  it('lets a younger part lead when the oldest fits with no other', () => {
    expect(pickCompaction(parts(900 * K, 300 * K, 300 * K, 300 * K), opts({ maxPartRows: M }))).toEqual([2, 3, 4]);
    expect(pickCompaction(parts(9, 2, 2), opts({ eager: true, maxPartRows: 10 }))).toEqual([2, 3]);
  });

  it('never merges parts at the cap with others', () => {
    expect(pickCompaction(parts(M, M, M, M), opts({ maxPartRows: M }))).toBeNull();
    expect(pickCompaction(parts(M, 1, M, 1, M, 1, M, 1), opts({ maxPartRows: M }))).toEqual([2, 4, 6, 8]);
  });
});

describe('pickCompaction: deleted rows', () => {
  const withDeleted = (rowCount: number, liveRows: number, id = 1): PartSize => ({ id, rowCount, liveRows });

  it('rewrites a part with more than 20% of its rows deleted', () => {
    expect(pickCompaction([withDeleted(M, 790 * K)], opts())).toEqual([1]);
    expect(pickCompaction([withDeleted(M, 800 * K)], opts())).toBeNull();
    expect(pickCompaction([withDeleted(M, 890 * K)], opts({ deletedShare: 0.1 }))).toEqual([1]);
  });

  it('drops a part whose every row is deleted, with the small parts of its tier', () => {
    expect(pickCompaction([...parts(10, 20), withDeleted(5, 0, 3)], opts())).toEqual([1, 2, 3]);
    expect(pickCompaction([...parts(M, M), withDeleted(5, 0, 3)], opts())).toEqual([3]);
  });

  it('takes the most deleted part with the parts of its tier that fit', () => {
    // Live rows 1M, 8M, 1M, 500k, 700k: one tier of four parts below fanIn 5, and 8M.
    const table = [...parts(M, 8 * M, M), withDeleted(M, 500 * K, 4), withDeleted(M, 700 * K, 5)];
    expect(pickCompaction(table, opts({ fanIn: 5 }))).toEqual([1, 3, 4, 5]);
    expect(pickCompaction(table, opts({ fanIn: 5, maxPartRows: 2 * M }))).toEqual([1, 4]);
    expect(pickCompaction(table, opts({ fanIn: 5, tierFactor: 1.5 }))).toEqual([4, 5]);
    // At fanIn 4 the tier is full: rule 1 merges it, and the deleted rows go with it.
    expect(pickCompaction(table, opts())).toEqual([1, 3, 4, 5]);
  });

  it('rewrites a deleted-heavy part over the cap alone', () => {
    expect(pickCompaction([withDeleted(3 * M, 2 * M), ...parts(1, 1).map((p) => ({ ...p, id: p.id + 1 }))], opts({ maxPartRows: M }))).toEqual([1]);
  });
});

describe('pickCompaction: eager', () => {
  it('merges any two parts, oldest first, within fanIn and the cap', () => {
    expect(pickCompaction(parts(5 * M, 1), opts({ eager: true }))).toEqual([1, 2]);
    expect(pickCompaction(parts(1, 2, 3, 4, 5, 6), opts({ eager: true }))).toEqual([1, 2, 3, 4]);
    expect(pickCompaction(parts(6, 6, 2), opts({ eager: true, maxPartRows: 10 }))).toEqual([1, 3]);
    expect(pickCompaction(parts(6, 6), opts({ eager: true, maxPartRows: 10 }))).toBeNull();
  });

  it('rewrites a lone part with any deleted row', () => {
    expect(pickCompaction(parts(100), opts({ eager: true }))).toBeNull();
    expect(pickCompaction([{ id: 7, rowCount: 100, liveRows: 99 }], opts({ eager: true }))).toEqual([7]);
  });
});

describe('pickCompaction: input checks', () => {
  it('refuses bad options and bad parts', () => {
    expect(() => pickCompaction(parts(1), opts({ fanIn: 1 }))).toThrow(/fanIn must be an integer of at least 2/);
    expect(() => pickCompaction(parts(1), opts({ maxPartRows: 0 }))).toThrow(/maxPartRows/);
    expect(() => pickCompaction(parts(1), opts({ tierFactor: 1 }))).toThrow(/tierFactor/);
    expect(() => pickCompaction(parts(1), opts({ deletedShare: 1 }))).toThrow(/deletedShare/);
    expect(() => pickCompaction([{ id: 1, rowCount: 5, liveRows: 6 }], opts())).toThrow(/part 1 has 6 live rows of 5/);
    expect(() => pickCompaction([...parts(1), ...parts(2)], opts())).toThrow(/part id 1 is given twice/);
  });
});

describe('pickCompaction: applied until it says null', () => {
  const table = fc.array(
    fc.record({ rowCount: fc.integer({ min: 0, max: 3 * M }), deletedShare: fc.double({ min: 0, max: 1, noNaN: true }) }),
    { maxLength: 40 },
  );
  const options = fc.record({
    fanIn: fc.integer({ min: 2, max: 8 }),
    maxPartRows: fc.integer({ min: 1, max: 4 * M }),
    eager: fc.boolean(),
    minTierRows: fc.integer({ min: 1, max: 100 * K }),
  });

  it('ends, keeps merges under the cap and leaves no full tier', () => {
    fc.assert(
      fc.property(table, options, (specs, o) => {
        let nextId = 1;
        let current: PartSize[] = specs.map((s) => ({ id: nextId++, rowCount: s.rowCount, liveRows: Math.round(s.rowCount * (1 - s.deletedShare)) }));
        // Each pick either removes a part or removes every deleted row of one part.
        const bound = 2 * current.length + 1;
        let steps = 0;
        for (;;) {
          const pick = pickCompaction(current, o);
          if (pick === null) break;
          steps++;
          expect(steps).toBeLessThanOrEqual(bound);
          const chosen = current.filter((p) => pick.includes(p.id));
          expect(chosen.map((p) => p.id)).toEqual(pick);
          expect(pick.length).toBeLessThanOrEqual(o.fanIn);
          const rows = chosen.reduce((n, p) => n + p.liveRows, 0);
          if (pick.length > 1) expect(rows).toBeLessThanOrEqual(o.maxPartRows);
          else expect(chosen[0]!.liveRows).toBeLessThan(chosen[0]!.rowCount);
          current = current.filter((p) => !pick.includes(p.id));
          if (rows > 0) current.push({ id: nextId++, rowCount: rows, liveRows: rows });
        }
        // At rest: no part deleted-heavy, and (not eager) no tier that could still merge.
        for (const p of current) {
          if (o.eager) expect(p.liveRows).toBe(p.rowCount);
          else if (p.rowCount > 0) expect((p.rowCount - p.liveRows) / p.rowCount).toBeLessThanOrEqual(0.2);
        }
        if (o.eager) {
          const open = current.filter((p) => p.liveRows < o.maxPartRows).map((p) => p.liveRows).sort((a, b) => a - b);
          expect(open.length < 2 || open[0]! + open[1]! > o.maxPartRows).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
