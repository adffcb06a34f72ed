// How a read-only process reads a database a writer is changing (disk-store.ts: read-only opens
// and refresh). A consistent state is one committed manifest plus the log records appended while
// it was the committed version: the writer's own state is exactly that between two commits
// (inserts and deletes go to the log, everything else is a commit).
//
// So the reader reads the manifest, loads its parts and replays the log from the manifest's
// first segment, then reads the manifest again. Unchanged: the records it read were all appended
// while that version was committed, so the state is consistent (a record still being written
// reads as a torn tail, replay-log.ts, and is left out). Changed: the writer committed meanwhile,
// so the replay may have gone past the commit (rows inserted after a bulk load whose part the
// older manifest does not name, rows of a table it does not know), or found segments a
// checkpoint deleted; the reader starts again from the new manifest. A failure while the
// manifest stayed the same is real damage and is reported as such.
//
// Parts and deletion files of the manifest read stay on disk meanwhile because the reader's lease
// (storage/manifest/reader-leases.ts) was written before that manifest was read.
//
// The log's tail while the writer appends: the writer only appends (one write per group commit,
// at the end), and a segment is complete before the next one is created, so the bytes below the
// size a reader sees are final, and the last record may be cut by that size: a torn tail, which
// replay-log.ts leaves out of the last segment without error (and never truncates for a reader).
// A segment the writer truncates meanwhile (its torn tail, at its open) reads short: torn too.
// What a reader may see that the writer has not acknowledged yet: records written whose fsync
// has not returned; a crash of the writer before it may lose them.

import { QuiverError } from '../../common/errors.js';
import type { FileSystem } from '../fs/file-system.js';
import type { Manifest } from '../manifest/manifest.js';
import { readManifest } from '../manifest/manifest-store.js';
import { walPath } from '../manifest/database-layout.js';
import { replayLog } from '../wal/replay-log.js';
import { loadParts, type Recovered, replayRecord } from './recovery.js';

/** Attempts before giving up on a writer that commits during every one of them. */
export const MAX_STATE_ATTEMPTS = 20;
/** Pause before attempt k (k >= 1) is k times this, at most MAX_RETRY_PAUSE_MS. */
const RETRY_PAUSE_MS = 5;
const MAX_RETRY_PAUSE_MS = 100;

export interface CommittedState<T> {
  manifest: Manifest;
  state: T;
}

/** Reads a consistent state of database `dir` (see the module comment): `load` builds the state
 *  of one manifest (parts, log replay) and is called again, with a newer manifest, each time the
 *  writer committed while it ran. */
export async function readCommittedState<T>(fs: FileSystem, dir: string, load: (manifest: Manifest) => Promise<T>, maxAttempts = MAX_STATE_ATTEMPTS): Promise<CommittedState<T>> {
  let manifest = await requireManifest(fs, dir);
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(attempt * RETRY_PAUSE_MS, MAX_RETRY_PAUSE_MS)));
    let state: T | undefined;
    let failure: unknown = null;
    try {
      state = await load(manifest);
    } catch (e) {
      failure = e;
    }
    const after = await requireManifest(fs, dir);
    if (after.version === manifest.version) {
      if (failure !== null) throw failure;
      return { manifest, state: state! };
    }
    if (after.version < manifest.version) {
      throw new QuiverError('IO_ERROR', `database ${dir}: its manifest went back from version ${manifest.version} to ${after.version}; was the directory restored while open?`);
    }
    manifest = after;
  }
  throw new QuiverError('IO_ERROR', `cannot read a consistent state of database ${dir}: its writer committed a new version during each of ${maxAttempts} attempts; try again when it writes less often`);
}

async function requireManifest(fs: FileSystem, dir: string): Promise<Manifest> {
  const m = await readManifest(fs, dir);
  if (m === null) throw new QuiverError('IO_ERROR', `cannot read database ${dir}: it has no MANIFEST (is it a Quiver database, and was it removed?)`);
  return m;
}

/** The state of one manifest for a reader: its parts and deletion masks (recovery.ts) and the
 *  log from its first segment replayed into them, read-only (a torn tail is left out, not cut). */
export async function replayCommitted(fs: FileSystem, dir: string, manifest: Manifest): Promise<Recovered> {
  const recovered = await loadParts(fs, dir, manifest);
  await replayLog(fs, walPath(dir), (payload) => replayRecord(recovered, manifest, payload, dir), { firstSegment: manifest.firstWalSegment });
  return recovered;
}
