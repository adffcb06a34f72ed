// Files in a database directory that the committed manifest does not reference: what a crash left
// of interrupted work (a part written but never committed, a temporary file of an atomic write,
// a deletion bitmap replaced by a newer one, log segments already flushed), and files that
// versions no reader pins any more no longer need (version-tracker.ts). DESIGN.md, storage/: "On
// open: read the manifest, replay the log, remove leftovers of interrupted work".
//
// Only the writer-lock holder MAY remove anything: a temporary file or an uncommitted part may
// belong to a live writer's commit in progress. And the writer MUST NOT remove a file a reader
// pinned to an older version may still read: at open no reader of this process exists, later
// removals go through VersionTracker.
//
// Readers of other processes (reader-leases.ts) may be reading versions older than the manifest
// a writer finds at open, and nothing tells which older version named which unreferenced file.
// What is known: part ids are allocated from the manifest's nextPartId, which only a commit
// moves, so a part directory whose id is at or above it was never committed (an interrupted
// flush, load or compaction) and no reader reads it; temporary files neither. Any other
// unreferenced part directory or deletion file may have been named by an older version, so it
// was retired by the manifest's version V or earlier: a reader whose lease is at V or later
// never needs it, an older lease may. So while a live lease is below V, `removeLeftovers` keeps
// those files (`readersFrom`) and returns them, and the engine treats them as retired by V
// (VersionTracker.retire), deleting them once every lease has moved to V or later.

import { posix } from 'node:path';
import { QuiverError } from '../../common/errors.js';
import { isAtomicWriteTemp } from '../fs/atomic-write.js';
import { type FileSystem, isNotFound } from '../fs/file-system.js';
import { listSegments } from '../wal/wal-segments.js';
import { PARTS_DIRECTORY_NAME, isDeletionFileName, parsePartDirectoryName, partPath, partsPath, walPath } from './database-layout.js';
import { type Manifest, allParts } from './manifest.js';

/** A deletion bitmap file inside a part directory. */
export interface PartFile {
  directory: string;
  file: string;
}

/** Files no manifest version in use references. */
export interface UnreferencedFiles {
  /** Names of directories (or stray files) under `parts/`. */
  partDirectories: string[];
  /** Deletion bitmaps inside part directories that stay. */
  deletionFiles: PartFile[];
}

export interface Leftovers extends UnreferencedFiles {
  /** Temporary files of interrupted atomic writes, as paths relative to the database directory. */
  tempFiles: string[];
  /** Log segments below the manifest's first live segment; `WriteAheadLog.open` with
   *  `firstSegment` deletes them. */
  walSegments: number[];
}

/** Lists the leftovers of database `dir` against its committed `manifest`. Fails with IO_ERROR
 *  when a part the manifest names is missing: the database is damaged. */
export async function findLeftovers(fs: FileSystem, dir: string, manifest: Manifest): Promise<Leftovers> {
  const tempFiles = (await fs.readdir(dir)).filter(isAtomicWriteTemp);
  const partDirectories: string[] = [];
  const deletionFiles: PartFile[] = [];
  const live = new Map<string, string | null>();
  for (const p of allParts(manifest)) live.set(p.directory, p.deletionFile);
  const inParts = await readdirIfExists(fs, partsPath(dir));
  const present = new Set(inParts);
  for (const name of inParts) {
    if (isAtomicWriteTemp(name)) tempFiles.push(posix.join(PARTS_DIRECTORY_NAME, name));
    else if (!live.has(name)) partDirectories.push(name);
  }
  for (const [directory, deletionFile] of live) {
    if (!present.has(directory)) {
      throw new QuiverError('IO_ERROR', `database ${dir} is damaged: the manifest (version ${manifest.version}) names part ${partPath(dir, directory)}, which does not exist`);
    }
    const names = await fs.readdir(partPath(dir, directory));
    if (deletionFile !== null && !names.includes(deletionFile)) {
      throw new QuiverError('IO_ERROR', `database ${dir} is damaged: the manifest (version ${manifest.version}) names deletion file ${posix.join(partPath(dir, directory), deletionFile)}, which does not exist`);
    }
    for (const file of names) {
      if (isAtomicWriteTemp(file)) tempFiles.push(posix.join(PARTS_DIRECTORY_NAME, directory, file));
      else if (isDeletionFileName(file) && file !== deletionFile) deletionFiles.push({ directory, file });
    }
  }
  const walSegments = (await listSegments(fs, walPath(dir))).filter((s) => s < manifest.firstWalSegment);
  return { partDirectories, deletionFiles, tempFiles, walSegments };
}

export interface LeftoverRemoval extends Leftovers {
  /** Files not removed because an older version may have named them and a reader may still
   *  read that version (see the module comment); empty without `readersFrom`. */
  kept: UnreferencedFiles;
}

export interface RemoveLeftoversOptions {
  /** The oldest version a live reader lease holds (reader-leases.ts), or null when none. */
  readersFrom?: number | null;
}

/** Removes the leftovers of database `dir` (found afresh against `manifest`, which MUST be the
 *  committed version) except log segments, and makes the removals durable. Returns what it
 *  removed and, with a reader lease older than `manifest`, what it kept for it. */
export async function removeLeftovers(fs: FileSystem, dir: string, manifest: Manifest, options: RemoveLeftoversOptions = {}): Promise<LeftoverRemoval> {
  const leftovers = await findLeftovers(fs, dir, manifest);
  const readersFrom = options.readersFrom ?? null;
  const kept: UnreferencedFiles = { partDirectories: [], deletionFiles: [] };
  if (readersFrom !== null && readersFrom < manifest.version) {
    kept.deletionFiles = leftovers.deletionFiles;
    leftovers.deletionFiles = [];
    kept.partDirectories = leftovers.partDirectories.filter((name) => !neverCommitted(name, manifest));
    leftovers.partDirectories = leftovers.partDirectories.filter((name) => neverCommitted(name, manifest));
  }
  const touched = new Set<string>();
  for (const rel of leftovers.tempFiles) {
    const path = posix.join(dir, rel);
    await fs.unlink(path);
    touched.add(posix.dirname(path));
  }
  await removeUnreferencedFiles(fs, dir, leftovers);
  for (const d of touched) await fs.syncDirectory(d);
  return { ...leftovers, kept };
}

/** True for a part directory no committed version can have named: its id was never allocated
 *  by a commit. A name that is not a part id may be (a manifest may name any directory). */
function neverCommitted(name: string, manifest: Manifest): boolean {
  const id = parsePartDirectoryName(name);
  return id !== null && id >= manifest.nextPartId;
}

/** Deletes part directories (recursively) and deletion files, then fsyncs their parents. */
export async function removeUnreferencedFiles(fs: FileSystem, dir: string, files: UnreferencedFiles): Promise<void> {
  const touched = new Set<string>();
  for (const { directory, file } of files.deletionFiles) {
    await fs.unlink(posix.join(partPath(dir, directory), file));
    touched.add(partPath(dir, directory));
  }
  for (const name of files.partDirectories) {
    await removeRecursively(fs, partPath(dir, name));
    touched.add(partsPath(dir));
  }
  for (const d of touched) await fs.syncDirectory(d);
}

/** Removes a file, or a directory with everything in it (files first, then the directory). */
async function removeRecursively(fs: FileSystem, path: string): Promise<void> {
  const stat = await fs.stat(path);
  if (stat.kind === 'file') {
    await fs.unlink(path);
    return;
  }
  for (const name of await fs.readdir(path)) await removeRecursively(fs, posix.join(path, name));
  await fs.rmdir(path);
}

async function readdirIfExists(fs: FileSystem, path: string): Promise<string[]> {
  try {
    return await fs.readdir(path);
  } catch (e) {
    if (isNotFound(e)) return [];
    throw e;
  }
}
