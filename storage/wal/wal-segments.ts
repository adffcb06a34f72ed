// Names of the write-ahead log's segment files. The log is a directory of segments numbered
// from 1 up, `00000000000000000001.wal`, ...; appends go to the highest one. Numbers only grow,
// so the manifest can say "the log starts at segment N" and every older segment is known to be
// flushed into parts (write-ahead-log.ts, rotate).

import { posix } from 'node:path';
import { type FileSystem, isNotFound } from '../fs/file-system.js';

const SEGMENT_SUFFIX = '.wal';
const SEGMENT_DIGITS = 20;
const SEGMENT_NAME = /^(\d{20})\.wal$/;

export function segmentFileName(segment: number): string {
  return String(segment).padStart(SEGMENT_DIGITS, '0') + SEGMENT_SUFFIX;
}

export function segmentPath(dir: string, segment: number): string {
  return posix.join(dir, segmentFileName(segment));
}

/** The segment number a file name stands for, or null for any other file. */
export function parseSegmentFileName(name: string): number | null {
  const m = SEGMENT_NAME.exec(name);
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** The segment numbers in `dir`, ascending; none when the directory does not exist yet. */
export async function listSegments(fs: FileSystem, dir: string): Promise<number[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (e) {
    if (isNotFound(e)) return [];
    throw e;
  }
  const segments: number[] = [];
  for (const name of names) {
    const n = parseSegmentFileName(name);
    if (n !== null) segments.push(n);
  }
  return segments.sort((a, b) => a - b);
}
