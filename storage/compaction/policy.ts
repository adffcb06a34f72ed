// Which parts of a table to compact next (DESIGN.md storage/, write path): a size-tiered policy
// in the manner of Cassandra's STCS and RocksDB's universal compaction. Every flush adds a part
// of about one memtable's rows; merging parts of similar size keeps each row rewritten about
// log_factor(final size / flush size) times, instead of once per flush as merging everything
// into one growing part would.
//
// Rules, in order (the engine calls pickCompaction again after each merge until it says null):
// 1. Tiers. Parts are sorted by live rows and grouped: a tier starts at its smallest part and
//    takes every part up to `tierFactor` times that size. Parts under `minTierRows` count as that
//    size: below about one block a part costs a block read per column and its metadata whatever
//    its size, so all such parts are one tier. The smallest tier holding at least `fanIn` parts
//    is merged: its oldest parts, at most `fanIn` of them, skipping any that would push the
//    output over `maxPartRows`; when the oldest part fits with no other, the next one leads (a
//    tier is merged only if at least two of its parts fit together).
// 2. Deleted rows. Otherwise the part with the largest share of deleted rows, if over
//    `deletedShare`, is rewritten with the other parts of its tier that fit (oldest first, at
//    most `fanIn` in all), or alone: the rewrite drops its deleted rows, which scans otherwise
//    read and filter out forever. A part whose rows are all deleted merges to nothing.
// 3. `eager` (tests, to exercise compaction on tiny tables) replaces rule 1 by "any two or more
//    parts that fit under the cap, oldest first" and rule 2's threshold by "any deleted row".
//
// Parts at or over `maxPartRows` live rows never merge with others. The order of the returned
// ids is the order the parts were given in (oldest first); the merged part replaces them all.

import { QuiverError } from '../../common/errors.js';

/** What the policy needs to know of one part. */
export interface PartSize {
  readonly id: number;
  /** Rows written in the part, deleted ones included. */
  readonly rowCount: number;
  /** Rows not deleted; at most rowCount. */
  readonly liveRows: number;
}

export interface CompactionPolicyOptions {
  /** A tier is merged once it holds this many parts; also the most parts one merge takes (>= 2). */
  fanIn: number;
  /** No merge produces a part of more live rows than this (>= 1). */
  maxPartRows: number;
  /** Merge whenever two or more parts fit, and rewrite any part with a deleted row (tests). */
  eager?: boolean;
  /** Size ratio between the smallest and the largest part of one tier (default 4). */
  tierFactor?: number;
  /** Parts smaller than this count as this size when tiering (default 65,536: one full block). */
  minTierRows?: number;
  /** A part with more than this share of its rows deleted is worth rewriting (default 0.2). */
  deletedShare?: number;
}

export const DEFAULT_TIER_FACTOR = 4;
export const DEFAULT_MIN_TIER_ROWS = 65536;
export const DEFAULT_DELETED_SHARE = 0.2;

/** The ids of the parts to merge into one, or null when nothing is worth merging now. */
export function pickCompaction(parts: readonly PartSize[], options: CompactionPolicyOptions): number[] | null {
  const { fanIn, maxPartRows } = options;
  const eager = options.eager ?? false;
  const tierFactor = options.tierFactor ?? DEFAULT_TIER_FACTOR;
  const minTierRows = options.minTierRows ?? DEFAULT_MIN_TIER_ROWS;
  const deletedShare = options.deletedShare ?? DEFAULT_DELETED_SHARE;
  checkOptions(fanIn, maxPartRows, tierFactor, minTierRows, deletedShare);
  checkParts(parts);

  // Positions (oldest first = smallest position) of the parts that may take part in a merge.
  const open: number[] = [];
  for (let i = 0; i < parts.length; i++) if (parts[i]!.liveRows < maxPartRows) open.push(i);

  if (eager) {
    const chosen = fillGroup(open, parts, fanIn, maxPartRows);
    if (chosen !== null) return idsOf(chosen, parts);
  } else {
    for (const tier of tiers(open, parts, tierFactor, minTierRows)) {
      if (tier.length < fanIn) continue;
      const chosen = fillGroup(tier, parts, fanIn, maxPartRows);
      if (chosen !== null) return idsOf(chosen, parts);
    }
  }

  // Rule 2: the most-deleted part (the oldest among equals), over the threshold.
  let worst = -1;
  let worstShare = eager ? 0 : deletedShare;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.rowCount === 0) continue;
    const share = (p.rowCount - p.liveRows) / p.rowCount;
    if (share > worstShare) {
      worst = i;
      worstShare = share;
    }
  }
  if (worst < 0) return null;
  // A part over the cap is rewritten alone; otherwise the parts of its tier that fit join it.
  const neighbours = parts[worst]!.liveRows >= maxPartRows ? [] : (tiers(open, parts, tierFactor, minTierRows).find((t) => t.includes(worst)) ?? []);
  const chosen = fill(
    [worst],
    neighbours.filter((i) => i !== worst),
    parts,
    fanIn,
    maxPartRows,
  );
  return idsOf(chosen, parts);
}

/** Groups positions into tiers by live rows, smallest tier first; each tier oldest first. */
function tiers(positions: readonly number[], parts: readonly PartSize[], tierFactor: number, minTierRows: number): number[][] {
  const size = (i: number) => Math.max(parts[i]!.liveRows, minTierRows);
  const bySize = [...positions].sort((a, b) => size(a) - size(b) || a - b);
  const out: number[][] = [];
  let tier: number[] = [];
  let floor = 0;
  for (const i of bySize) {
    if (tier.length > 0 && size(i) > floor * tierFactor) {
      out.push(tier);
      tier = [];
    }
    if (tier.length === 0) floor = size(i);
    tier.push(i);
  }
  if (tier.length > 0) out.push(tier);
  for (const t of out) t.sort((a, b) => a - b);
  return out;
}

/**
 * At least two of `candidates` (oldest first) that fit together, oldest first; when the oldest
 * fits with none of the younger ones, the group starts at the next one. Null when no two fit.
 */
function fillGroup(candidates: readonly number[], parts: readonly PartSize[], fanIn: number, maxPartRows: number): number[] | null {
  for (let start = 0; start + 1 < candidates.length; start++) {
    const chosen = fill([], candidates.slice(start), parts, fanIn, maxPartRows);
    if (chosen.length >= 2) return chosen;
  }
  return null;
}

/** Adds `candidates` (oldest first) to `chosen` while the merge stays within fanIn parts and the cap. */
function fill(chosen: number[], candidates: readonly number[], parts: readonly PartSize[], fanIn: number, maxPartRows: number): number[] {
  let rows = 0;
  for (const i of chosen) rows += parts[i]!.liveRows;
  for (const i of candidates) {
    if (chosen.length >= fanIn) break;
    const live = parts[i]!.liveRows;
    if (rows + live > maxPartRows) continue;
    chosen.push(i);
    rows += live;
  }
  return chosen;
}

function idsOf(positions: number[], parts: readonly PartSize[]): number[] {
  return positions.sort((a, b) => a - b).map((i) => parts[i]!.id);
}

function checkOptions(fanIn: number, maxPartRows: number, tierFactor: number, minTierRows: number, deletedShare: number): void {
  const bad = (what: string, v: number) => new QuiverError('INVALID_INPUT', `compaction policy: ${what}, got ${v}`);
  if (!Number.isSafeInteger(fanIn) || fanIn < 2) throw bad('fanIn must be an integer of at least 2', fanIn);
  if (!Number.isSafeInteger(maxPartRows) || maxPartRows < 1) throw bad('maxPartRows must be a positive integer', maxPartRows);
  if (!(tierFactor > 1)) throw bad('tierFactor must be greater than 1', tierFactor);
  if (!Number.isSafeInteger(minTierRows) || minTierRows < 1) throw bad('minTierRows must be a positive integer', minTierRows);
  if (!(deletedShare >= 0 && deletedShare < 1)) throw bad('deletedShare must be at least 0 and below 1', deletedShare);
}

function checkParts(parts: readonly PartSize[]): void {
  const ids = new Set<number>();
  for (const p of parts) {
    if (ids.has(p.id)) throw new QuiverError('INVALID_INPUT', `compaction policy: part id ${p.id} is given twice`);
    ids.add(p.id);
    if (!Number.isSafeInteger(p.rowCount) || !Number.isSafeInteger(p.liveRows) || p.liveRows < 0 || p.liveRows > p.rowCount) {
      throw new QuiverError('INVALID_INPUT', `compaction policy: part ${p.id} has ${p.liveRows} live rows of ${p.rowCount}; live rows must be from 0 to the row count`);
    }
  }
}
