// A table snapshot as plain data, and its rebuilding in another thread (DESIGN.md, Threads:
// "workers read their blocks from the part files themselves").
//
// The writing process describes a pinned snapshot (disk-table.ts DiskSnapshot.describe): the
// directories of its parts, with each part's column positions and deletion mask, and the rows
// its memtables held then, copied. A worker thread turns the description back into something it
// can scan (DetachedSnapshot): it opens each part once (its metadata, its index files) and keeps
// it, so its own block cache stays warm from query to query. The description names each part by
// a key unique in the describing process for that part object, so a directory deleted and
// written again under the same name is opened afresh, never read through stale metadata.
//
// The snapshot that was described stays pinned by the statement that took it until the
// statement ends, and the statement waits for its workers: a worker never reads a part that has
// been deleted.

import { type Batch, makeBatch } from '../../common/batch.js';
import { internalError } from '../../common/errors.js';
import type { Vector } from '../../common/vector.js';
import { nodeFileSystem } from '../fs/node-file-system.js';
import { openPart, type Part } from '../part/part-reader.js';
import { applyPrefilter, ROW_ID_COLUMN, type ScanOptions, type ScanSource, type TableSchema } from '../table.js';
import { partBlockCount, scanSnapshotParts, type SnapshotPart } from './snapshot-parts.js';

/** One part of a described snapshot. */
export interface PartDescription {
  /** The part's directory on the real file system. */
  readonly dir: string;
  /** Unique in the describing process for one opened part (see the module comment). */
  readonly key: number;
  readonly rowCount: number;
  /** Blocks in the part (how a parallel scan decides whether splitting it pays). */
  readonly blocks: number;
  readonly positions: Int32Array;
  readonly deleted: Uint8Array | null;
}

export interface SnapshotDescription {
  readonly schema: TableSchema;
  readonly parts: readonly PartDescription[];
  /** The rows held in memory (memtables), every table column, in scan order; null for a batch
   *  left out of the description of one share of a scan (describedShare). */
  readonly memory: readonly (Batch | null)[];
}

const partKeys = new WeakMap<Part, number>();
let nextPartKey = 1;

/** A description of `parts` (opened in this process) and the in-memory rows `memory`. */
export function describeSnapshot(schema: TableSchema, parts: readonly SnapshotPart[], memory: Batch[]): SnapshotDescription {
  return {
    schema,
    parts: parts.map((p) => {
      let key = partKeys.get(p.part);
      if (key === undefined) {
        key = nextPartKey++;
        partKeys.set(p.part, key);
      }
      return { dir: p.part.dir, key, rowCount: p.rowCount, blocks: partBlockCount(p.part), positions: Int32Array.from(p.positions), deleted: p.deleted };
    }),
    memory,
  };
}

/** The description share `index` of `count` of a parallel scan is sent when that scan is the
 *  only one of the table: of the rows in memory, only its own batches (ScanOptions.morsel: batch
 *  j belongs to share j modulo count), the others left out as null. */
export function describedShare(d: SnapshotDescription, index: number, count: number): SnapshotDescription {
  return { ...d, memory: d.memory.map((b, j) => (j % count === index ? b : null)) };
}

/** A batch whose arrays hold exactly its rows: a view into a longer array (a memtable's growing
 *  columns) would otherwise be sent to the other thread whole. */
export function detachedBatch(b: Batch): Batch {
  return makeBatch(b.columns.map(detachedVector), b.length, b.selection === null ? null : b.selection.slice());
}

function detachedVector(v: Vector): Vector {
  if (v.kind !== 'flat') return v;
  const data = Array.isArray(v.data) ? v.data.slice(0, v.length) : v.data.slice(0, v.length);
  return { ...v, data, validity: v.validity === null ? null : v.validity.slice(0, v.length) };
}

/** Parts opened by this thread, by description key; the oldest are forgotten past the bound. */
const opened = new Map<number, Promise<Part>>();
const MAX_OPENED_PARTS = 4096;

function openDescribed(p: PartDescription): Promise<Part> {
  let part = opened.get(p.key);
  if (part === undefined) {
    part = openPart(nodeFileSystem, p.dir);
    // A failed open is not kept: the next query tries again (and reports its own error).
    part.catch(() => opened.delete(p.key));
    opened.set(p.key, part);
    for (const k of opened.keys()) {
      if (opened.size <= MAX_OPENED_PARTS) break;
      opened.delete(k);
    }
  }
  return part;
}

/** A described snapshot, scanned in this thread. */
export class DetachedSnapshot implements ScanSource {
  constructor(private readonly description: SnapshotDescription) {}

  async *scan(options: ScanOptions): AsyncIterable<Batch> {
    const d = this.description;
    const parts: SnapshotPart[] = [];
    for (const p of d.parts) parts.push({ part: await openDescribed(p), positions: p.positions, rowCount: p.rowCount, deleted: p.deleted });
    yield* scanSnapshotParts(d.schema, parts, options);
    if (options.columns.includes(ROW_ID_COLUMN)) throw internalError('a described snapshot has no row ids for its rows in memory');
    const morsel = options.morsel;
    for (const [j, b] of d.memory.entries()) {
      if (morsel !== undefined && j % morsel.count !== morsel.index) continue;
      if (b === null) throw internalError(`table "${d.schema.name}" was described for one share of a scan, and another scan reads it`);
      const kept = applyPrefilter(makeBatch(options.columns.map((c) => b.columns[c]!), b.length, b.selection), options.prefilter);
      if (kept !== null) yield kept;
    }
  }
}
