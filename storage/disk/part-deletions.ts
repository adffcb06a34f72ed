// The deleted rows of a DiskStore's parts (disk-store.ts, module comment): per part a mask held
// in memory and replaced copy-on-write, so snapshots keep theirs; the row ids a DELETE, UPDATE or
// transaction found, turned into rows of parts (and of the memtable); and the deletion files a
// checkpoint or COMMIT writes before the manifest naming them.

import { posix } from 'node:path';
import { internalError, QuiverError } from '../../common/errors.js';
import type { FileSystem } from '../fs/file-system.js';
import { deletionFileName, partPath } from '../manifest/database-layout.js';
import * as M from '../manifest/manifest.js';
import type { DeleteTarget } from '../memtable/wal-records.js';
import { encodeDeletionMask } from '../part/deletion-file.js';

/** The deleted rows of one part: a mask of one byte per part row (nonzero = deleted), never
 *  changed once made (a delete makes a new one), and whether its deletion file holds it. */
export interface PartDeletions {
  readonly mask: Uint8Array;
  readonly count: number;
  readonly persisted: boolean;
}

/** Part directory -> its deleted rows; a part with none has no entry. */
export type DeletionMap = Map<string, PartDeletions>;

/** Marks rows of a part deleted in a new mask; returns how many were not deleted before. */
export function applyPartDeletes(deletions: DeletionMap, part: M.PartEntry, rowIds: Uint32Array, persisted: boolean): number {
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

/** Groups snapshot row ids (sorted) by the part of `entry` or the memtable (of `memtableRows`
 *  rows) holding them, dropping rows already deleted. */
export function deleteTargets(deletions: DeletionMap, entry: M.TableEntry, memtableRows: number, ids: Float64Array): DeleteTarget[] {
  const targets: DeleteTarget[] = [];
  let k = 0;
  let base = 0;
  for (const p of entry.parts) {
    const end = base + p.rowCount;
    const mask = deletions.get(p.directory)?.mask ?? null;
    const local: number[] = [];
    for (; k < ids.length && ids[k]! < end; k++) {
      const r = ids[k]! - base;
      if (!Number.isInteger(r) || r < 0) throw internalError(`delete: row id ${ids[k]} is not a row of the snapshot`);
      if ((mask === null || mask[r] === 0) && (local.length === 0 || local[local.length - 1] !== r)) local.push(r);
    }
    if (local.length > 0) targets.push({ target: p.id, rowIds: Uint32Array.from(local) });
    base = end;
  }
  const local: number[] = [];
  for (; k < ids.length; k++) {
    const r = ids[k]! - base;
    if (!Number.isInteger(r) || r < 0 || r >= memtableRows) throw internalError(`delete: row id ${ids[k]} is not a row of the snapshot`);
    if (local.length === 0 || local[local.length - 1] !== r) local.push(r);
  }
  if (local.length > 0) targets.push({ target: 'memtable', rowIds: Uint32Array.from(local) });
  return targets;
}

/**
 * Adds to `pending` (new masks, not installed yet) the part rows a transaction deleted: `ids`
 * are row ids of its base snapshot, numbered over that snapshot's parts `baseParts` (it has no
 * memtable rows, DiskStore.beginTransaction); `entry` is the table now, which must still hold
 * those parts.
 */
export function transactionDeletes(deletions: DeletionMap, table: string, baseParts: readonly M.PartEntry[], entry: M.TableEntry, ids: Float64Array, pending: DeletionMap): void {
  let k = 0;
  let first = 0;
  for (const p of baseParts) {
    const end = first + p.rowCount;
    const local: number[] = [];
    for (; k < ids.length && ids[k]! < end; k++) local.push(ids[k]! - first);
    first = end;
    if (local.length === 0) continue;
    const live = entry.parts.find((q) => q.directory === p.directory);
    if (live === undefined) throw new QuiverError('TRANSACTION_ERROR', `table "${table}" changed outside the transaction (part ${p.directory} is gone); run the transaction again`);
    const scratch: DeletionMap = new Map();
    const old = pending.get(p.directory) ?? deletions.get(p.directory);
    if (old !== undefined) scratch.set(p.directory, old);
    applyPartDeletes(scratch, live, Uint32Array.from(local), false);
    const d = scratch.get(p.directory);
    if (d !== undefined && d !== old) pending.set(p.directory, d);
  }
  if (k < ids.length) throw internalError(`transaction on table "${table}": row id ${ids[k]} is not a part row of its base`);
}

export function hasUnpersistedDeletions(deletions: DeletionMap): boolean {
  for (const d of deletions.values()) if (!d.persisted) return true;
  return false;
}

/**
 * Writes a new deletion file (fsynced), named for manifest version `sequence`, for every live
 * part of `m` whose mask (in `pending`, else `deletions`) is not on disk yet, and returns `m`
 * naming them — minus the parts whose rows are all deleted — with the masks to install once it
 * is committed. The store runs it inside its exclusive section, so no delete races it.
 */
export async function writeDeletionFiles(
  fs: FileSystem,
  dir: string,
  sequence: number,
  m: M.Manifest,
  deletions: DeletionMap,
  pending?: DeletionMap,
): Promise<{ manifest: M.Manifest; masks: DeletionMap }> {
  const masks: DeletionMap = new Map();
  for (const [table, entry] of m.tables) {
    const emptied: number[] = [];
    for (const p of entry.parts) {
      const d = pending?.get(p.directory) ?? deletions.get(p.directory);
      if (d === undefined || d.persisted) continue;
      if (d.count === p.rowCount) {
        emptied.push(p.id);
        continue;
      }
      const file = deletionFileName(sequence);
      const partDir = partPath(dir, p.directory);
      const handle = await fs.open(posix.join(partDir, file), 'replace');
      try {
        await handle.write(encodeDeletionMask(d.mask), 0);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.syncDirectory(partDir);
      m = M.setDeletionFile(m, table, p.id, file);
      masks.set(p.directory, { ...d, persisted: true });
    }
    if (emptied.length > 0) m = M.replaceParts(m, table, emptied, []);
  }
  return { manifest: m, masks };
}
