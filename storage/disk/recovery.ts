// Recovery of an on-disk database's in-memory state when it opens (DESIGN.md storage/, "on
// open: read the manifest, replay the log"): the live parts' metadata, their deletion masks
// (deletion files, then the deletes in the log) and the memtables (the inserts and deletes in
// the log). Also the one definition of how deletes change a part's mask, shared with the store.

import { posix } from 'node:path';
import { makeBatch } from '../../common/batch.js';
import { QuiverError } from '../../common/errors.js';
import type { FileSystem } from '../fs/file-system.js';
import { partPath } from '../manifest/database-layout.js';
import * as M from '../manifest/manifest.js';
import { Memtable } from '../memtable/memtable.js';
import { decodeWalRecord } from '../memtable/wal-records.js';
import { decodeDeletionMask } from '../part/deletion-file.js';
import { openPart, type Part } from '../part/part-reader.js';
import { applyPartDeletes, type PartDeletions } from './part-deletions.js';

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
