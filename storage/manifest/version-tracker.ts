// Reader pinning within one process (DESIGN.md, storage/: "Files of a version stay until no
// reader needs them"). A query acquires the current manifest version and releases it when done;
// the writer installs each committed version. Files the current version no longer references
// (parts replaced by compaction, dropped tables, superseded deletion bitmaps) become obsolete
// only once no pinned version references them either; `takeObsolete` hands each such file out
// once, for removeUnreferencedFiles (leftovers.ts).
//
// Readers in other processes are not seen here; see the note on `takeObsolete`.

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

export class VersionTracker {
  private currentManifest: Manifest;
  private readonly pins = new Map<number, Pin>();
  /** Part directories and deletion files (as `dir/file`) referenced by some version that is no
   *  longer current, and not yet handed out as obsolete. */
  private readonly retiredParts = new Set<string>();
  private readonly retiredDeletionFiles = new Map<string, PartFile>();

  constructor(current: Manifest) {
    this.currentManifest = current;
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

  /** Makes a newly committed manifest the current one. Its version MUST be greater. */
  install(next: Manifest): void {
    const old = this.currentManifest;
    if (next.version <= old.version) throw internalError(`manifest version ${next.version} installed after version ${old.version}: versions must increase`);
    const nextFiles = referencedFiles(next);
    for (const p of allParts(old)) {
      if (!nextFiles.parts.has(p.directory)) this.retiredParts.add(p.directory);
      if (p.deletionFile !== null) {
        const key = `${p.directory}/${p.deletionFile}`;
        if (!nextFiles.deletionFiles.has(key)) this.retiredDeletionFiles.set(key, { directory: p.directory, file: p.deletionFile });
      }
    }
    this.currentManifest = next;
  }

  /** Files some earlier version referenced that neither the current version nor any pinned one
   *  references; each is returned once, and the caller deletes it.
   *  Cross-process readers (read-only opens) are not counted: the writer must also consult
   *  their leases before deleting (see the report on reader lease files). */
  takeObsolete(): UnreferencedFiles {
    const live = referencedFiles(this.currentManifest);
    for (const pin of this.pins.values()) referencedFiles(pin.manifest, live);
    const partDirectories: string[] = [];
    for (const directory of this.retiredParts) {
      if (live.parts.has(directory)) continue;
      partDirectories.push(directory);
      this.retiredParts.delete(directory);
    }
    const gone = new Set(partDirectories);
    const deletionFiles: PartFile[] = [];
    for (const [key, file] of this.retiredDeletionFiles) {
      if (live.deletionFiles.has(key)) continue;
      this.retiredDeletionFiles.delete(key);
      // Removing the part directory removes the file with it.
      if (!gone.has(file.directory)) deletionFiles.push(file);
    }
    return { partDirectories: partDirectories.sort(), deletionFiles };
  }

  private release(version: number): void {
    const pin = this.pins.get(version);
    if (pin === undefined) throw internalError(`manifest version ${version} released but not pinned`);
    if (--pin.count === 0) this.pins.delete(version);
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
