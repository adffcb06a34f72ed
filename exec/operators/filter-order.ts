// The order in which a scan applies its join filters (scan.ts). Each filter tests only the rows
// the filters before it kept, so the order decides the work: for independent filters the
// cheapest total comes from sorting them by cost per row over the share of rows they drop. Both
// are measured, as DuckDB measures its filters — but a filter's cost per row depends on where it
// runs: on a run-length column it costs per run when it sees every row, and per row, with a
// search for each row's run, when it sees a sparse selection. So each filter is measured only
// when it runs first, on the whole batch: the first batches put each filter first in turn, and
// from then on the best goes first (and keeps being measured), re-ranked every few batches.

import type { JoinFilter } from '../join-filter.js';

/** A join filter a scan applies to its output column `column`, with what it measured when it
 *  ran first: rows tested, rows kept, milliseconds. */
export interface ScanJoinFilter {
  readonly column: number;
  readonly filter: JoinFilter;
  rows: number;
  passed: number;
  ms: number;
}

/** Batches each filter runs first before the filters are ranked. */
const TRIALS = 2;
/** Batches between re-rankings afterwards. */
const RERANK_EVERY = 16;

export class FilterOrder {
  private readonly order: ScanJoinFilter[];
  private batch = 0;

  constructor(private readonly filters: readonly ScanJoinFilter[]) {
    this.order = filters.slice();
  }

  /** The filters in the order to apply them to the next batch. */
  next(): readonly ScanJoinFilter[] {
    const n = this.filters.length;
    const b = this.batch++;
    if (n < 2) return this.order;
    if (b < TRIALS * n) {
      // Trials: filter b mod n first, the others after it as listed.
      const first = this.filters[b % n]!;
      return [first, ...this.filters.filter((f) => f !== first)];
    }
    if ((b - TRIALS * n) % RERANK_EVERY === 0) this.order.sort((x, y) => rank(x) - rank(y));
    return this.order;
  }

  /** What the first filter of a batch did: `rows` in, `kept` out, in `ms`. */
  measured(f: ScanJoinFilter, rows: number, kept: number, ms: number): void {
    f.rows += rows;
    f.passed += kept;
    f.ms += ms;
  }
}

/** Cost per row over the share of rows dropped (smaller first); unmeasured filters last. */
function rank(f: ScanJoinFilter): number {
  if (f.rows === 0) return Infinity;
  return f.ms / f.rows / Math.max(1 - f.passed / f.rows, 1e-6);
}
