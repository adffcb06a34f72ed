// Compaction's merge (DESIGN.md storage/, write path): reads the live rows of several parts of
// one table, merges them in the table's sort key order and writes them as one new part. The
// caller (the store) then commits a manifest that swaps the sources for the new part; until
// then the new directory is unreferenced, and a crash leaves only a leftover that recovery
// removes. Deleted rows (the sources' deletion masks) are dropped here, so the new part needs no
// deletion file.
//
// Columns: the sources may hold different column sets (parts written before an ALTER TABLE ADD
// or DROP COLUMN). Each names its columns by their stable ids (manifest.ts); the new part holds
// the table's current columns: a column a source lacks is NULL in its rows, a column the table
// no longer has (dropped) is not read.
//
// Memory is O(rows merged): every column of every live source row is decoded into memory before
// the part is written, plus about one column more while a column is concatenated or reordered
// (each column's old copy is released as its new one is made). The compaction policy
// (policy.ts) caps the rows of a merge at maxPartRows; CompactionThread's maxHeapMb bounds the
// worker's JavaScript heap (strings; typed arrays live outside it).
//
// Order: each source part is sorted by the sort key, so their live rows are merged as sorted
// runs (merge-runs.ts). Measured on 4 parts x 250k rows of 10 INTEGER columns (medians on a
// busy 2-core machine): computing the order takes about 40 ms against about 150 ms for
// re-sorting every row as a flush does, and the whole merge about 0.5 s against 0.95 s through a
// Memtable (test/storage/compaction/merge-throughput.bench.ts); encoding the new part is most
// of the rest.
//
// Throttling: `pauseMs` yields the thread for that long after each source block read and after
// each column reordered, so a merge spreads its disk reads and CPU over time; the encoding and
// writing inside writePart runs without pauses. In the worker (compaction-thread.ts) the merge
// never blocks the main thread in any case.

import { posix } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeBatch, BATCH_SIZE, type Batch } from '../../common/batch.js';
import { QuiverError } from '../../common/errors.js';
import { typesEqual, typeToString } from '../../common/types.js';
import { concatFlat, type FlatVector, flatten, gather, gatherAny } from '../../common/vector.js';
import type { EncodingName } from '../encoding/encoding-kind.js';
import { type FileSystem, isAlreadyExists, pathExists } from '../fs/file-system.js';
import type { PartMeta } from '../part/part-meta.js';
import { openPart, scanPart } from '../part/part-reader.js';
import { writePart } from '../part/part-writer.js';
import type { ColumnSchema } from '../table.js';
import { mergeSortedRuns } from './merge-runs.js';

/** One part to merge. */
export interface MergeSource {
  /** The part's directory. */
  readonly dir: string;
  /** One byte per row of the part, nonzero = deleted; null when no row is deleted. */
  readonly deleted: Uint8Array | null;
  /** The column ids of the part's columns, by position (its manifest entry's columnIds). */
  readonly columnIds: readonly number[];
}

/** Plain data (it crosses to the worker thread by structured clone). */
export interface MergeRequest {
  /** The parts to merge; their order only decides the order of rows with equal sort keys. */
  readonly sources: readonly MergeSource[];
  /** The table's columns now: the new part has all of them. */
  readonly columns: readonly ColumnSchema[];
  /** The stable id of each of `columns` (the table's columnIds), matched with the sources'. */
  readonly columnIds: readonly number[];
  /** The table's sort key as column indexes. */
  readonly sortKey: readonly number[];
  /** The new part's directory: its parent MUST exist, and it MUST NOT. */
  readonly target: string;
  /** Rows per block of the new part (writePart's default when absent). */
  readonly blockRows?: number;
  /** Encode every block with this encoding where it can (SET force_encoding); null to choose. */
  readonly force: EncodingName | null;
  /** Table column indexes to write bitmap indexes for (writePart's bitmapColumns). */
  readonly bitmapColumns: readonly number[];
  /** Milliseconds to pause after each block read and each column reordered (default 0). */
  readonly pauseMs?: number;
}

export interface MergeResult {
  /** The new part's metadata; null when every source row was deleted and nothing was written
   *  (the target directory is not created: the sources are simply dropped). */
  readonly meta: PartMeta | null;
  /** Live rows merged = rows of the new part. */
  readonly rows: number;
}

/** Merges the sources' live rows into one new part sorted by the sort key. */
export async function mergeParts(fs: FileSystem, request: MergeRequest): Promise<MergeResult> {
  const { columns, sortKey, target } = request;
  const pauseMs = request.pauseMs ?? 0;
  checkRequest(request);
  if (await pathExists(fs, target)) {
    throw new QuiverError('INVALID_INPUT', `cannot merge parts into ${target}: it already exists`);
  }
  const pieces: FlatVector[][] = columns.map(() => []);
  const runEnds: number[] = [];
  let rows = 0;
  for (const source of request.sources) {
    rows += await readLiveRows(fs, source, request, pieces, pauseMs);
    runEnds.push(rows);
  }
  if (rows === 0) return { meta: null, rows: 0 };

  const all: (FlatVector | null)[] = [];
  for (let c = 0; c < columns.length; c++) {
    all.push(concatFlat(columns[c]!.type, pieces[c]!));
    pieces[c] = [];
  }
  const order = mergeSortedRuns(
    sortKey.map((c) => all[c]!),
    runEnds,
  );
  const identity = isIdentity(order);
  const sorted: FlatVector[] = [];
  for (let c = 0; c < columns.length; c++) {
    sorted.push(identity ? all[c]! : gather(all[c]!, order, rows));
    all[c] = null;
    if (pauseMs > 0) await sleep(pauseMs);
  }
  const batches: Batch[] = [];
  for (let start = 0; start < rows; start += BATCH_SIZE) {
    const end = Math.min(rows, start + BATCH_SIZE);
    batches.push(
      makeBatch(
        sorted.map((v) => slice(v, start, end)),
        end - start,
      ),
    );
  }
  try {
    const written = await writePart(fs, target, { columns }, batches, {
      blockRows: request.blockRows,
      force: request.force,
      bitmapColumns: request.bitmapColumns,
    });
    return { meta: written.meta, rows };
  } catch (e) {
    if (!isAlreadyExists(e)) await removePartial(fs, target);
    throw e;
  }
}

/** Appends the source's live rows to `pieces` (per column); returns how many rows it added. */
async function readLiveRows(fs: FileSystem, source: MergeSource, request: MergeRequest, pieces: FlatVector[][], pauseMs: number): Promise<number> {
  const { columns } = request;
  const part = await openPart(fs, source.dir);
  const { meta } = part;
  const where = `part ${source.dir}`;
  if (meta.columns.length !== source.columnIds.length) {
    throw new QuiverError('IO_ERROR', `${where} holds ${meta.columns.length} columns, its manifest entry says ${source.columnIds.length}`);
  }
  // Each table column's position in the part; a position past the part's columns reads as NULL
  // (part-reader.ts), for a column added after the part was written.
  const positions = request.columnIds.map((id) => {
    const at = source.columnIds.indexOf(id);
    return at < 0 ? meta.columns.length : at;
  });
  for (const [c, at] of positions.entries()) {
    if (at === meta.columns.length) continue;
    const stored = meta.columns[at]!.type;
    if (!typesEqual(stored, columns[c]!.type)) {
      throw new QuiverError('IO_ERROR', `column ${columns[c]!.name} of ${where} is stored as ${typeToString(stored)}, the table says ${typeToString(columns[c]!.type)}`);
    }
  }
  const mask = source.deleted;
  if (mask !== null && mask.length !== meta.rows) {
    throw new QuiverError('INVALID_INPUT', `the deletion mask of ${where} covers ${mask.length} rows, the part has ${meta.rows}`);
  }
  const scan = scanPart(part, { columns: positions, columnTypes: columns.map((c) => c.type), cache: false });
  let first = 0;
  let added = 0;
  for await (const batch of scan) {
    const n = batch.count;
    const live = mask === null ? null : liveSelection(mask, first, n);
    first += n;
    if (live === null) {
      for (let c = 0; c < columns.length; c++) pieces[c]!.push(flatten(batch.columns[c]!));
      added += n;
    } else if (live.length > 0) {
      for (let c = 0; c < columns.length; c++) pieces[c]!.push(flatten(gatherAny(batch.columns[c]!, live, live.length)));
      added += live.length;
    }
    if (pauseMs > 0) await sleep(pauseMs);
  }
  if (first !== meta.rows) throw new QuiverError('IO_ERROR', `${where} yielded ${first} rows, its metadata says ${meta.rows}`);
  return added;
}

/** Indexes (within the block) of the live rows of block rows [first, first + n), or null when all are live. */
function liveSelection(mask: Uint8Array, first: number, n: number): Int32Array | null {
  let dead = 0;
  for (let i = first; i < first + n; i++) if (mask[i] !== 0) dead++;
  if (dead === 0) return null;
  const live = new Int32Array(n - dead);
  let k = 0;
  for (let i = 0; i < n; i++) if (mask[first + i] === 0) live[k++] = i;
  return live;
}

function isIdentity(order: Int32Array): boolean {
  for (let i = 0; i < order.length; i++) if (order[i] !== i) return false;
  return true;
}

function slice(v: FlatVector, start: number, end: number): FlatVector {
  if (start === 0 && end === v.length) return v;
  const data = Array.isArray(v.data) ? v.data.slice(start, end) : v.data.subarray(start, end);
  return { kind: 'flat', type: v.type, length: end - start, data, validity: v.validity === null ? null : v.validity.subarray(start, end) };
}

/** Best effort: a failed merge removes what it wrote (recovery would remove it at the next open). */
async function removePartial(fs: FileSystem, dir: string): Promise<void> {
  try {
    for (const name of await fs.readdir(dir)) await fs.unlink(posix.join(dir, name));
    await fs.rmdir(dir);
  } catch {
    // Nothing was written, or the file system fails: the leftover waits for recovery.
  }
}

function checkRequest(request: MergeRequest): void {
  const { columns, sortKey, sources } = request;
  const bad = (msg: string) => new QuiverError('INVALID_INPUT', `cannot merge parts into ${request.target}: ${msg}`);
  if (sources.length === 0) throw bad('no source part is given');
  if (columns.length === 0) throw bad('the table has no columns');
  if (request.columnIds.length !== columns.length) throw bad(`${request.columnIds.length} column ids are given for the table's ${columns.length} columns`);
  checkColumnIds(request.columnIds, 'the table', bad);
  const seen = new Set<number>();
  for (const k of sortKey) {
    if (!Number.isInteger(k) || k < 0 || k >= columns.length) throw bad(`sort key column index ${k} is not one of the ${columns.length} columns`);
    if (seen.has(k)) throw bad(`sort key column ${columns[k]!.name} is named twice`);
    seen.add(k);
  }
  const dirs = new Set<string>();
  for (const s of sources) {
    if (dirs.has(s.dir)) throw bad(`part ${s.dir} is given twice`);
    dirs.add(s.dir);
    if (s.columnIds.length === 0) throw bad(`part ${s.dir} holds no column; a part holds at least one`);
    checkColumnIds(s.columnIds, `part ${s.dir}`, bad);
  }
  const pause = request.pauseMs ?? 0;
  if (!(pause >= 0 && Number.isFinite(pause))) throw bad(`pauseMs must be a non-negative number of milliseconds, got ${pause}`);
}

/** Column ids are non-negative integers, none named twice. */
function checkColumnIds(ids: readonly number[], what: string, bad: (msg: string) => QuiverError): void {
  const seen = new Set<number>();
  for (const id of ids) {
    if (!Number.isSafeInteger(id) || id < 0) throw bad(`${what} has column id ${id}; ids are non-negative integers`);
    if (seen.has(id)) throw bad(`${what} names column id ${id} twice`);
    seen.add(id);
  }
}
