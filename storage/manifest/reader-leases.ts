// Reader leases (DESIGN.md, storage/: "other processes may open read-only and refresh. Files of a
// version stay until no reader needs them"). A read-only open holds one lease file,
// `dir/readers/<pid>-<random>.lease`, holding its pid, the boot id and the oldest manifest
// version it may still read; the writer deletes a retired file only when every live lease is at
// or after the version that retired it (version-tracker.ts, takeObsolete).
//
// Protocol (the reader side is disk-store.ts):
// - The reader writes its lease BEFORE it reads the manifest it will use, with a version no
//   greater than that manifest's. A writer that commits and then lists the leases either sees the
//   lease, or listed them before the lease existed: then its commit came before the reader's read,
//   and the reader reads that version or a later one, which does not name the files deleted.
// - The version only grows: the reader raises it once it no longer pins the older versions
//   (after a refresh, when its last snapshot of an older version is released). A failed raise
//   leaves a lower version, which only keeps files longer.
// - A lease is replaced atomically (atomic-write.ts), so the writer never reads half of one.
// - close() removes the lease. A lease whose process is gone (dead pid, other boot; the liveness
//   check of lock.ts) is ignored and removed by the writer, with its temporary files.
//
// A reader that cannot write in the database directory (a read-only mount, no permission) holds
// no lease: it reads correctly while no writer deletes files, and a query of an old snapshot of
// it may otherwise fail with an I/O error naming the missing file.

import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { isAtomicWriteTemp, writeFileAtomic } from '../fs/atomic-write.js';
import { type FileSystem, FileSystemError, isAlreadyExists, isNotFound } from '../fs/file-system.js';
import { isProcessLive, processIdentity } from '../lock.js';
import { readersPath } from './database-layout.js';

const LEASE_SUFFIX = '.lease';
/** A lease file or one of its temporary files: named for the owner's pid first. */
const OWNER_PID = /^(\d+)-/;
/** Errors that say this process may not write in the database directory. */
const NOT_WRITABLE = new Set(['EROFS', 'EACCES', 'EPERM']);

/** A live lease as the writer reads it. */
export interface LeaseInfo {
  readonly name: string;
  readonly pid: number;
  /** The oldest manifest version the reader may still read; 0 when its file is unreadable. */
  readonly version: number;
}

/** The lease of one read-only open. */
export class ReaderLease {
  private written: number;
  private wanted: number;
  private pending: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly fs: FileSystem,
    readonly path: string,
    version: number,
  ) {
    this.written = version;
    this.wanted = version;
  }

  /** Writes a new lease at `version` in database `dir` (whose MANIFEST MUST exist); null when
   *  this process may not write there (see the module comment). */
  static async create(fs: FileSystem, dir: string, version: number): Promise<ReaderLease | null> {
    const readers = readersPath(dir);
    const path = posix.join(readers, `${process.pid}-${randomBytes(8).toString('hex')}${LEASE_SUFFIX}`);
    try {
      try {
        await fs.mkdir(readers);
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
      }
      await writeFileAtomic(fs, path, leaseContent(version));
    } catch (e) {
      if (e instanceof FileSystemError && NOT_WRITABLE.has(e.reason)) return null;
      throw e;
    }
    return new ReaderLease(fs, path, version);
  }

  /** The version the lease file holds now. */
  get version(): number {
    return this.written;
  }

  /** Raises the lease to `version` (never lowers it). Writes run one at a time, each with the
   *  newest version asked for; the promise settles when this one is on disk. */
  update(version: number): Promise<void> {
    if (this.closed || version <= this.wanted) return this.pending;
    this.wanted = version;
    this.pending = this.pending.catch(() => undefined).then(() => this.write());
    return this.pending;
  }

  /** Waits for a write in progress and removes the lease file. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pending.catch(() => undefined);
    await unlinkIfExists(this.fs, this.path);
  }

  private async write(): Promise<void> {
    const version = this.wanted;
    if (this.closed || version <= this.written) return;
    await writeFileAtomic(this.fs, this.path, leaseContent(version));
    this.written = version;
  }
}

/** The live leases of database `dir`. Only the writer-lock holder may call it: it removes the
 *  leases of processes that are gone and their temporary files (best effort: one left behind
 *  is ignored again next time). A lease it cannot read counts as live at version 0, so a
 *  reader it cannot see keeps every file. Fails only when `dir/readers` cannot be listed. */
export async function liveReaderLeases(fs: FileSystem, dir: string): Promise<LeaseInfo[]> {
  const readers = readersPath(dir);
  let names: string[];
  try {
    names = await fs.readdir(readers);
  } catch (e) {
    if (isNotFound(e)) return [];
    throw e;
  }
  const live: LeaseInfo[] = [];
  for (const name of names) {
    const path = posix.join(readers, name);
    const ownerMatch = OWNER_PID.exec(name);
    const owner = ownerMatch ? Number(ownerMatch[1]) : null;
    if (isAtomicWriteTemp(name)) {
      // A lease being replaced; its boot id is unknown until it is renamed into place.
      if (owner !== null && !isProcessLive(owner, null)) await removeQuietly(fs, path);
      continue;
    }
    if (!name.endsWith(LEASE_SUFFIX)) continue;
    let raw: string | null;
    try {
      raw = await readTextIfExists(fs, path);
    } catch {
      live.push({ name, pid: owner ?? 0, version: 0 });
      continue;
    }
    if (raw === null) continue; // closed meanwhile
    const lease = parseLease(raw);
    if (lease !== null ? isProcessLive(lease.pid, lease.boot) : owner !== null && isProcessLive(owner, null)) {
      // A lease that does not parse (damaged, or from another version) of a live process may
      // protect any version.
      live.push({ name, pid: lease?.pid ?? owner!, version: lease?.version ?? 0 });
    } else {
      await removeQuietly(fs, path);
    }
  }
  return live;
}

/** The oldest version any live lease of database `dir` holds, or null when there is none
 *  (liveReaderLeases: writer only). When the leases cannot be listed, 0: every file stays. */
export async function oldestReaderVersion(fs: FileSystem, dir: string): Promise<number | null> {
  let leases: LeaseInfo[];
  try {
    leases = await liveReaderLeases(fs, dir);
  } catch {
    return 0;
  }
  let oldest: number | null = null;
  for (const lease of leases) oldest = oldest === null ? lease.version : Math.min(oldest, lease.version);
  return oldest;
}

function leaseContent(version: number): Uint8Array {
  const { pid, boot } = processIdentity();
  return new TextEncoder().encode(`${pid}\n${boot}\n${version}\n`);
}

/** The pid, boot id (null when not recorded) and version a lease file holds, or null. */
function parseLease(raw: string): { pid: number; boot: string | null; version: number } | null {
  const m = /^(\d+)\n([^\n]*)\n(\d+)\n$/.exec(raw);
  if (!m) return null;
  const pid = Number(m[1]);
  const version = Number(m[3]);
  // pid 0 and negative pids would address process groups in process.kill.
  if (!Number.isSafeInteger(pid) || pid < 1 || !Number.isSafeInteger(version)) return null;
  return { pid, boot: m[2] ? m[2] : null, version };
}

async function readTextIfExists(fs: FileSystem, path: string): Promise<string | null> {
  try {
    return new TextDecoder().decode(await fs.readFile(path));
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

/** Removes a file of a process that is gone; another process (a second writer after this one
 *  crashed, a reader's owner) may have removed it first, or it may not be ours to remove. */
async function removeQuietly(fs: FileSystem, path: string): Promise<void> {
  await fs.unlink(path).catch(() => undefined);
}

async function unlinkIfExists(fs: FileSystem, path: string): Promise<void> {
  try {
    await fs.unlink(path);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}
