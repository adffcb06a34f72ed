// The writer lock: one writer process per database directory (DESIGN.md, storage/). The writer
// holds `dir/LOCK`, created exclusively (O_EXCL) and holding its pid and the machine's boot id.
// A second writer finds the file, sees the pid alive and fails with "database is locked by
// process N". A lock left by a dead process (a crash, SIGKILL, a reboot) is stale and taken over.
//
// Taking over is serialized by a second exclusive file, `LOCK.takeover`: two processes that both
// find the same stale lock cannot both replace it, because only one creates the marker; the
// winner re-reads the lock, renames its own lock file over it and re-reads to check.
// The lock is not fsynced: after a power cut its holder is gone anyway, and whatever the file
// then holds (nothing, a dead pid, another boot's id) reads as stale.
// Known limits: a pid reused by an unrelated process in the same boot reads as alive (the error
// names the pid, so the user can tell); a marker left by a taker that died mid-takeover is
// cleared by whoever finds it, which two processes doing so at once could still race on.

import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { QuiverError } from '../common/errors.js';
import { type FileSystem, isAlreadyExists, isNotFound } from './fs/file-system.js';
import { nodeFileSystem } from './fs/node-file-system.js';

export const LOCK_FILE_NAME = 'LOCK';

/** A lock file that does not name a live process this long after it is first seen is stale:
 *  the grace covers a writer between creating the file and writing its pid into it. */
const UNREADABLE_GRACE_MS = 100;
/** Rounds of "create, else inspect and take over" before giving up under contention. */
const MAX_ATTEMPTS = 5;

export interface WriterLock {
  readonly path: string;
  readonly pid: number;
  /** Removes the lock file if it is still ours. Safe to call twice. */
  release(): Promise<void>;
}

/** Takes the writer lock of database directory `dir` (which MUST exist), or fails with
 *  IO_ERROR "database is locked by process N" while another live process holds it. */
export async function acquireWriterLock(dir: string, fs: FileSystem = nodeFileSystem): Promise<WriterLock> {
  const path = posix.join(dir, LOCK_FILE_NAME);
  const content = lockContent();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (await createExclusive(fs, path, content)) return heldLock(fs, path, content);
    const seen = await inspect(fs, path);
    if (seen === null) continue; // released meanwhile: try to create it again
    if (seen.alivePid !== null) throw lockedError(seen.alivePid, path);
    if (await takeOver(fs, path, seen.raw, content)) return heldLock(fs, path, content);
  }
  throw new QuiverError('IO_ERROR', `cannot take the lock ${path}: other processes keep changing it; try again`);
}

/** What this process writes into a lock file: its pid, then the boot id. */
function lockContent(): string {
  return `${process.pid}\n${bootId()}\n`;
}

/** This process as lock and reader lease files (manifest/reader-leases.ts) name it. */
export function processIdentity(): { pid: number; boot: string } {
  return { pid: process.pid, boot: bootId() };
}

/** True while the process a lock or lease file names may still run: same boot (or no boot id
 *  recorded) and the pid alive. See the module comment for the limits (a reused pid). */
export function isProcessLive(pid: number, boot: string | null): boolean {
  return (boot === null || boot === bootId()) && isAlive(pid);
}

function heldLock(fs: FileSystem, path: string, content: string): WriterLock {
  let released = false;
  return {
    path,
    pid: process.pid,
    async release(): Promise<void> {
      if (released) return;
      released = true;
      // Remove the file only if it is still ours (it may have been taken over as stale).
      if ((await readText(fs, path)) !== content) return;
      try {
        await fs.unlink(path);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    },
  };
}

function lockedError(pid: number, path: string): QuiverError {
  const self = pid === process.pid ? ' (this process)' : '';
  return new QuiverError('IO_ERROR', `database is locked by process ${pid}${self}, lock file ${path}: open it read-only, or stop the other writer`);
}

/** Creates `path` with `content` unless it exists; false when it does. */
async function createExclusive(fs: FileSystem, path: string, content: string): Promise<boolean> {
  let handle;
  try {
    handle = await fs.open(path, 'exclusive');
  } catch (e) {
    if (isAlreadyExists(e)) return false;
    throw e;
  }
  try {
    await handle.write(new TextEncoder().encode(content), 0);
  } finally {
    await handle.close();
  }
  return true;
}

/** Reads a lock file: null when it is gone; `alivePid` when it names a live process, else
 *  null (stale: a dead pid, another boot, or content that stays unreadable past the grace). */
async function inspect(fs: FileSystem, path: string): Promise<{ raw: string; alivePid: number | null } | null> {
  let raw = await readText(fs, path);
  if (raw === null) return null;
  if (parseLock(raw) === null) {
    // Perhaps a writer that has created the file and not yet written its pid: look again.
    await new Promise((resolve) => setTimeout(resolve, UNREADABLE_GRACE_MS));
    raw = await readText(fs, path);
    if (raw === null) return null;
  }
  const lock = parseLock(raw);
  const alive = lock !== null && isProcessLive(lock.pid, lock.boot);
  return { raw, alivePid: alive ? lock.pid : null };
}

/** Replaces the stale lock whose content was `stale` by ours; false if someone else changed it
 *  first (the caller looks again). */
async function takeOver(fs: FileSystem, path: string, stale: string, content: string): Promise<boolean> {
  const marker = `${path}.takeover`;
  if (!(await createExclusive(fs, marker, content))) {
    const other = await inspect(fs, marker);
    if (other?.alivePid != null) throw lockedError(other.alivePid, path);
    // A taker that died while taking over: clear its marker and start again.
    await fs.unlink(marker).catch(() => undefined);
    return false;
  }
  try {
    if ((await readText(fs, path)) !== stale) return false;
    const temp = `${path}.${process.pid}.tmp`;
    const handle = await fs.open(temp, 'replace');
    try {
      await handle.write(new TextEncoder().encode(content), 0);
    } finally {
      await handle.close();
    }
    await fs.rename(temp, path);
    return (await readText(fs, path)) === content;
  } finally {
    await fs.unlink(marker).catch(() => undefined);
  }
}

async function readText(fs: FileSystem, path: string): Promise<string | null> {
  try {
    return new TextDecoder().decode(await fs.readFile(path));
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

/** The pid and boot id a lock file names, or null when it is not a lock file's content. */
function parseLock(raw: string): { pid: number; boot: string | null } | null {
  const m = /^(\d+)\n(?:([^\n]*)\n)?$/.exec(raw);
  if (!m) return null;
  const pid = Number(m[1]);
  // pid 0 and negative pids would address process groups in process.kill.
  if (!Number.isSafeInteger(pid) || pid < 1) return null;
  return { pid, boot: m[2] ? m[2] : null };
}

/** True while `pid` names a process (EPERM: it exists but belongs to another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

let cachedBootId: string | undefined;

/** The Linux boot id, so a lock from before a reboot is stale whatever its pid; '' elsewhere. */
function bootId(): string {
  if (cachedBootId === undefined) {
    try {
      cachedBootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      cachedBootId = '';
    }
  }
  return cachedBootId;
}
