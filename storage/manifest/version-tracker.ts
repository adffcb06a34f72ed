// Reader pinning within one process (DESIGN.md, storage/: "Files of a version stay until no
// reader needs them"). A query acquires the current manifest version and releases it when done;
// the writer installs each committed version. Files the current version no longer references
// (parts replaced by compaction, dropped tables, superseded deletion bitmaps) become obsolete
// only once no pinned version references them either; `takeObsolete` hands each such file out
// once, for removeUnreferencedFiles (leftovers.ts).
//
// Readers in other processes (read-only opens) are seen only through their leases
// (reader-leases.ts), which name the oldest version each may still read. So every retired file
// remembers the version that retired it: a file retired by version R was referenced only by
// versions below R, and a reader whose lease is at R or later never reads it. `takeObsolete`
// takes the oldest live lease version and keeps the files retired after it.

import { internalError } from '../../common/errors.js';
import type { PartFile, UnreferencedFiles } from './leftovers.js';
import { type Manifest, allParts } from './manifest.js';

/** One pinned manifest version; `release` MUST be called exactly once. */
export interface PinnedVersion {
  readonly manifest: Manifest;
  release(): void;
}

interface Pin {
  manifest: Manifest;
  count: number;
}

export interface VersionTrackerOptions {
  /** Called (synchronously) when the last pin of a version is released. */
  onUnpinned?: (version: number) => void;
}

export class VersionTracker {
  private currentManifest: Manifest;
  private readonly pins = new Map<number, Pin>();
  /** Part directories and deletion files (as `dir/file`) referenced by some version that is no
   *  longer current, and not yet handed out as obsolete, with the version that retired them. */
  private readonly retiredParts = new Map<string, number>();
  private readonly retiredDeletionFiles = new Map<string, { file: PartFile; retiredAt: number }>();
  private readonly onUnpinned: ((version: number) => void) | undefined;

  constructor(current: Manifest, options: VersionTrackerOptions = {}) {
    this.currentManifest = current;
    this.onUnpinned = options.onUnpinned;
  }

  get current(): Manifest {
    return this.currentManifest;
  }

  /** Pins the current version for a reader. */
  acquire(): PinnedVersion {
    const manifest = this.currentManifest;
    let pin = this.pins.get(manifest.version);
    if (pin === undefined) {
      pin = { manifest, count: 0 };
      this.pins.set(manifest.version, pin);
    }
    pin.count++;
    let released = false;
    return {
      manifest,
      release: () => {
        if (released) throw internalError(`manifest version ${manifest.version} released twice`);
        released = true;
        this.release(manifest.version);
      },
    };
  }

  /** Number of readers pinning `version`. */
  pinCount(version: number): number {
    return this.pins.get(version)?.count ?? 0;
  }

  /** The oldest version a reader of this process may still read: the oldest pinned one, or the
   *  current one. It never decreases. */
  oldestVersionInUse(): number {
    let oldest = this.currentManifest.version;
    for (const version of this.pins.keys()) oldest = Math.min(oldest, version);
    return oldest;
  }

  /** True while some retired file has not been handed out yet. */
  hasRetired(): boolean {
    return this.retiredParts.size > 0 || this.retiredDeletionFiles.size > 0;
  }

  /** Registers files that no version in use references but that a version up to `version`
   *  (the current one) may have: leftovers a writer finds at open while readers hold leases
   *  (leftovers.ts). They are handed out like files that version retired. */
  retire(files: UnreferencedFiles, version: number): void {
    for (const d of files.partDirectories) this.retiredParts.set(d, Math.max(version, this.retiredParts.get(d) ?? 0));
    for (const file of files.deletionFiles) {
      const key = `${file.directory}/${file.file}`;
      this.retiredDeletionFiles.set(key, { file, retiredAt: Math.max(version, this.retiredDeletionFiles.get(key)?.retiredAt ?? 0) });
    }
  }

  /** Makes a newly committed manifest the current one. Its version MUST be greater. */
  install(next: Manifest): void {
    const old = this.currentManifest;
    if (next.version <= old.version) throw internalError(`manifest version ${next.version} installed after version ${old.version}: versions must increase`);
    const nextFiles = referencedFiles(next);
    // A file retired before and referenced again (a name reused) is retired anew, by `next`.
    for (const p of allParts(old)) {
      if (!nextFiles.parts.has(p.directory)) this.retiredParts.set(p.directory, next.version);
      if (p.deletionFile !== null) {
        const key = `${p.directory}/${p.deletionFile}`;
        if (!nextFiles.deletionFiles.has(key)) this.retiredDeletionFiles.set(key, { file: { directory: p.directory, file: p.deletionFile }, retiredAt: next.version });
      }
    }
    this.currentManifest = next;
  }

  /** Files some earlier version referenced that neither the current version nor any pinned one
   *  references, and that were retired at or before `readersFrom`: the oldest version a reader
   *  of another process may still read (its lease, reader-leases.ts); Infinity when there is
   *  none. Each is returned once, and the caller deletes it. */
  takeObsolete(readersFrom = Infinity): UnreferencedFiles {
    const live = referencedFiles(this.currentManifest);
    for (const pin of this.pins.values()) referencedFiles(pin.manifest, live);
    const partDirectories: string[] = [];
    for (const [directory, retiredAt] of this.retiredParts) {
      if (live.parts.has(directory) || retiredAt > readersFrom) continue;
      partDirectories.push(directory);
      this.retiredParts.delete(directory);
    }
    const gone = new Set(partDirectories);
    const deletionFiles: PartFile[] = [];
    for (const [key, { file, retiredAt }] of this.retiredDeletionFiles) {
      // Removing the part directory removes the file with it.
      if (gone.has(file.directory)) {
        this.retiredDeletionFiles.delete(key);
        continue;
      }
      if (live.deletionFiles.has(key) || retiredAt > readersFrom) continue;
      this.retiredDeletionFiles.delete(key);
      deletionFiles.push(file);
    }
    return { partDirectories: partDirectories.sort(), deletionFiles };
  }

  private release(version: number): void {
    const pin = this.pins.get(version);
    if (pin === undefined) throw internalError(`manifest version ${version} released but not pinned`);
    if (--pin.count > 0) return;
    this.pins.delete(version);
    this.onUnpinned?.(version);
  }
}

interface FileSet {
  parts: Set<string>;
  deletionFiles: Set<string>;
}

function referencedFiles(m: Manifest, into: FileSet = { parts: new Set(), deletionFiles: new Set() }): FileSet {
  for (const p of allParts(m)) {
    into.parts.add(p.directory);
    if (p.deletionFile !== null) into.deletionFiles.add(`${p.directory}/${p.deletionFile}`);
  }
  return into;
}
