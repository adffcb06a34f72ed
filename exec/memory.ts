// Per-query memory accounting (DESIGN.md, Threads: "memory limits count the bytes each operator
// accounts for, per query"). Operators that hold rows — join build sides, sorts, windows, hash
// aggregates — keep a Reservation and resize it as they grow; when the query's total passes its
// limit (SET memory_limit) the query fails with OUT_OF_MEMORY, naming what held the memory and
// how to raise the limit, and everything it held is dropped with it: the next query starts at
// zero. Storage's block cache is shared by every query and is not counted here.

import { QuiverError } from '../common/errors.js';

/** What a worker thread needs to count into a query's total (structured-cloneable). */
export interface SharedMemoryAccount {
  readonly limit: number;
  /** [bytes in use, most in use at once], on a SharedArrayBuffer. */
  readonly counters: BigInt64Array;
}

export class MemoryTracker {
  readonly limit: number;
  /** Shared with the query's worker threads (exec/parallel/): their operators count here too. */
  private readonly counters: BigInt64Array;

  /** A new account with `limit` bytes, or (given a SharedMemoryAccount) another thread's view
   *  of an existing one. */
  constructor(limit: number | SharedMemoryAccount) {
    if (typeof limit === 'number') {
      this.limit = limit;
      this.counters = new BigInt64Array(new SharedArrayBuffer(16));
    } else {
      this.limit = limit.limit;
      this.counters = limit.counters;
    }
  }

  /** Bytes the query's operators hold now, in every thread. */
  get used(): number {
    return Number(Atomics.load(this.counters, 0));
  }

  /** The most they held at once. */
  get peak(): number {
    return Number(Atomics.load(this.counters, 1));
  }

  /** This account, for a worker thread's tracker. */
  share(): SharedMemoryAccount {
    return { limit: this.limit, counters: this.counters };
  }

  /** A reservation for one operator's rows, empty at first. */
  reservation(what: string): Reservation {
    return new Reservation(this, what);
  }

  /** Called by Reservation.resize: `bytes` more (or less) are held for `what`. */
  grow(delta: number, what: string, holds: number): void {
    const d = BigInt(Math.round(delta));
    const used = Atomics.add(this.counters, 0, d) + d;
    for (let peak = Atomics.load(this.counters, 1); used > peak; ) {
      const seen = Atomics.compareExchange(this.counters, 1, peak, used);
      if (seen === peak) break;
      peak = seen;
    }
    if (delta > 0 && Number(used) > this.limit) {
      throw new QuiverError(
        'OUT_OF_MEMORY',
        `the query needs more memory than memory_limit allows (${formatBytes(this.limit)}): ${what} holds ${formatBytes(holds)} of the ${formatBytes(Number(used))} in use; ` +
          "raise the limit (SET memory_limit = '4GB') or let fewer rows reach it (filter first, or group by fewer keys)",
      );
    }
  }
}

export class Reservation {
  bytes = 0;

  constructor(
    private readonly tracker: MemoryTracker,
    private readonly what: string,
  ) {}

  /** Sets the bytes held; throws OUT_OF_MEMORY (after counting them) when over the limit. */
  resize(bytes: number): void {
    const delta = bytes - this.bytes;
    this.bytes = bytes;
    this.tracker.grow(delta, this.what, bytes);
  }

  add(bytes: number): void {
    this.resize(this.bytes + bytes);
  }

  release(): void {
    this.resize(0);
  }
}

const UNITS: readonly [string, number][] = [
  ['TiB', 2 ** 40],
  ['GiB', 2 ** 30],
  ['MiB', 2 ** 20],
  ['KiB', 2 ** 10],
];

/** '1.5 GiB', '512.0 MiB', '100 bytes' (as DuckDB prints memory_limit). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return 'unlimited';
  for (const [unit, size] of UNITS) if (n >= size) return `${(n / size).toFixed(1)} ${unit}`;
  return `${n} bytes`;
}

const PARSE_UNITS: Record<string, number> = {
  b: 1, byte: 1, bytes: 1,
  kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12,
  kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40,
  k: 1e3, m: 1e6, g: 1e9, t: 1e12,
};

/** Bytes of a size written as DuckDB takes it: '4GB', '512 MiB', '1.5gb', '100000' (bytes). */
export function parseBytes(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (m === null) return null;
  const unit = m[2]!.toLowerCase();
  const scale = unit === '' ? 1 : PARSE_UNITS[unit];
  if (scale === undefined) return null;
  return Math.floor(Number(m[1]) * scale);
}
