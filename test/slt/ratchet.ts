// The ratchet of the SQLite corpus (test/slt/ratchet.json): per corpus file, the number of
// records that passed when it was last raised. A run fails when a file passes fewer records than
// its ratchet, so progress can only be kept; `SLT_UPDATE_RATCHET=1` raises the numbers to what a
// run achieved (never lowers them).

import { readFileSync, writeFileSync } from 'node:fs';

export interface Ratchet {
  /** Sum of `files`. */
  total: number;
  /** Corpus file name -> records passing. */
  files: Record<string, number>;
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

/** Reads and checks a ratchet file; the error names the file and the bad entry. */
export function readRatchet(path: string): Ratchet {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read the ratchet ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const obj = data as { total?: unknown; files?: unknown } | null;
  if (obj === null || typeof obj !== 'object' || !isCount(obj.total) || typeof obj.files !== 'object' || obj.files === null) {
    throw new Error(`${path}: expected {"total": <count>, "files": {"<file>.test": <count>, ...}}`);
  }
  const files: Record<string, number> = {};
  for (const [file, count] of Object.entries(obj.files)) {
    if (!isCount(count)) throw new Error(`${path}: the count of ${file} must be a non-negative integer, got ${JSON.stringify(count)}`);
    files[file] = count;
  }
  return { total: obj.total, files };
}

/** One message per file that passed fewer records than its ratchet. */
export function ratchetDrops(ratchet: Ratchet, passed: ReadonlyMap<string, number>): string[] {
  const drops: string[] = [];
  for (const [file, count] of passed) {
    const floor = ratchet.files[file] ?? 0;
    if (count < floor) drops.push(`${file}: ${count} records passed, fewer than the ratchet's ${floor}`);
  }
  return drops;
}

/** The ratchet raised to the counts of a run where they are higher; the total is recomputed. */
export function raiseRatchet(ratchet: Ratchet, passed: ReadonlyMap<string, number>): Ratchet {
  const files: Record<string, number> = { ...ratchet.files };
  for (const [file, count] of passed) files[file] = Math.max(files[file] ?? 0, count);
  const sorted: Record<string, number> = {};
  let total = 0;
  for (const file of Object.keys(files).sort()) {
    sorted[file] = files[file]!;
    total += files[file]!;
  }
  return { total, files: sorted };
}

export function writeRatchet(path: string, ratchet: Ratchet): void {
  writeFileSync(path, `${JSON.stringify(ratchet, null, 2)}\n`);
}
