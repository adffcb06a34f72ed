// Recovery of an on-disk database's in-memory state when it opens (DESIGN.md storage/, "on
// open: read the manifest, replay the log"): the live parts' metadata, their deletion masks
// (deletion files, then the deletes in the log) and the memtables (the inserts and deletes in
// the log). Also the one definition of how deletes change a part's mask, shared with the store.

import { posix } from 'node:path';
import { makeBatch } from '../../common/batch.js';
import { internalError, QuiverError } from '../../common/errors.js';
import type { FileSystem } from '../fs/file-system.js';
import { partPath } from '../manifest/database-layout.js';
import * as M from '../manifest/manifest.js';
import { Memtable } from '../memtable/memtable.js';
import { decodeWalRecord } from '../memtable/wal-records.js';
import { decodeDeletionMask } from '../part/deletion-file.js';
import { openPart, type Part } from '../part/part-reader.js';

/** The deleted rows of one part: a mask of one byte per part row (nonzero = deleted), never
 *  changed once made (a delete makes a new one), and whether its deletion file holds it. */
export interface PartDeletions {
  readonly mask: Uint8Array;
  readonly count: number;
  readonly persisted: boolean;
}

/** What opening a database rebuilds before the store exists: part metadata, part deletion
 *  masks (from their files, then the log) and memtables (from the log). */
export interface Recovered {
  readonly parts: Map<string, Part>;
  readonly deletions: Map<string, PartDeletions>;
  readonly memtables: Map<string, Memtable>;
}

/** Reads every live part's metadata and deletion file, and makes an empty memtable per table. */
export async function loadParts(fs: FileSystem, dir: string, manifest: M.Manifest): Promise<Recovered> {
  const parts = new Map<string, Part>();
  const deletions = new Map<string, PartDeletions>();
  for (const p of M.allParts(manifest)) {
    const path = partPath(dir, p.directory);
    parts.set(p.directory, await openPart(fs, path));
    if (p.deletionFile !== null) {
      const file = posix.join(path, p.deletionFile);
      const mask = decodeDeletionMask(await fs.readFile(file), p.rowCount, file);
      let count = 0;
      for (let i = 0; i < mask.length; i++) count += mask[i]!;
      deletions.set(p.directory, { mask, count, persisted: true });
    }
  }
  const memtables = new Map<string, Memtable>();
  for (const [name, entry] of manifest.tables) memtables.set(name, new Memtable(entry.schema));
  return { parts, deletions, memtables };
}

/** Applies one replayed log record. A delete from a part the manifest no longer names is
 *  skipped: compaction replaced that part after the record, with the deleted rows left out. */
export function replayRecord(state: Recovered, manifest: M.Manifest, payload: Uint8Array, dir: string): void {
  const record = decodeWalRecord(payload);
  const memtable = state.memtables.get(record.table);
  if (memtable === undefined) {
    throw new QuiverError('IO_ERROR', `database ${dir} is damaged: its write-ahead log holds rows of table "${record.table}", which the manifest does not name`);
  }
  if (record.kind === 'insert') {
    memtable.append(makeBatch(record.columns, record.rows));
    return;
  }
  const entry = M.requireTableEntry(manifest, record.table);
  for (const t of record.targets) {
    if (t.target === 'memtable') {
      const rows = memtable.size().rows;
      for (let k = 0; k < t.rowIds.length; k++) {
        if (t.rowIds[k]! >= rows) throw new QuiverError('IO_ERROR', `database ${dir} is damaged: its write-ahead log deletes row ${t.rowIds[k]} of table "${record.table}", which has ${rows} unflushed rows`);
      }
      memtable.delete(t.rowIds);
      continue;
    }
    const part = entry.parts.find((p) => p.id === t.target);
    if (part !== undefined) applyPartDeletes(state.deletions, part, t.rowIds, false);
  }
  // An UPDATE's new rows follow its deletes, as they did when it ran.
  if (record.kind === 'update') memtable.append(makeBatch(record.columns, record.rows));
}

/** Marks rows of a part deleted in a new mask; returns how many were not deleted before. */
export function applyPartDeletes(deletions: Map<string, PartDeletions>, part: M.PartEntry, rowIds: Uint32Array, persisted: boolean): number {
  const old = deletions.get(part.directory);
  const mask = old === undefined ? new Uint8Array(part.rowCount) : old.mask.slice();
  let added = 0;
  for (let k = 0; k < rowIds.length; k++) {
    const r = rowIds[k]!;
    if (r >= part.rowCount) throw internalError(`delete: row ${r} is beyond the ${part.rowCount} rows of part ${part.directory}`);
    if (mask[r] === 0) {
      mask[r] = 1;
      added++;
    }
  }
  if (added > 0) deletions.set(part.directory, { mask, count: (old?.count ?? 0) + added, persisted });
  return added;
}
