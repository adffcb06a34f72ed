// When and how a DiskStore merges parts (DESIGN.md storage/, compaction): background rounds
// after commits that add parts (tiered, storage/compaction/policy.ts; 'eager' for tests merges
// down to one part per table), explicit rounds for OPTIMIZE / db.compact(), and one merge:
// read the sources under a version pin (in the worker thread on a real disk), then commit the
// swap inside the store's exclusive section unless a DELETE or DDL changed the sources meanwhile.
// Sources may hold different column sets (ALTER TABLE ADD/DROP COLUMN, manifest.ts column ids):
// the merged part holds the table's current columns.
// A merge that fails or loses that race removes its part; once a commit of it started, only
// recovery may (a failed commit may still be durable).

import type { FileSystem } from '../fs/file-system.js';
import { nodeFileSystem } from '../fs/node-file-system.js';
import { partDirectoryName, partPath } from '../manifest/database-layout.js';
import { removeUnreferencedFiles } from '../manifest/leftovers.js';
import * as M from '../manifest/manifest.js';
import type { PinnedVersion } from '../manifest/version-tracker.js';
import type { EncodingName } from '../encoding/encoding-kind.js';
import { openPart, type Part } from '../part/part-reader.js';
import { CompactionThread } from '../compaction/compaction-thread.js';
import { type MergeRequest, mergeParts } from '../compaction/merge.js';
import { pickCompaction } from '../compaction/policy.js';

export type CompactionMode = 'auto' | 'eager' | 'off';

/** Tiered compaction's shape (storage/compaction/policy.ts). */
const FAN_IN = 4;
const MAX_PART_ROWS = 16 * 1024 * 1024;
/** Background merges pause this long after each block they read (the throttle). */
const BACKGROUND_PAUSE_MS = 1;

/** What the compactor needs of its store. */
export interface CompactionHost {
  readonly fs: FileSystem;
  readonly dir: string;
  readonly mode: CompactionMode;
  readonly blockRows: number | undefined;
  /** The encoding forced for new parts (SET force_encoding), read at each merge. */
  forceEncoding(): EncodingName | null;
  /** False once the store is closed or failed: no new merge starts. */
  live(): boolean;
  current(): M.Manifest;
  pin(): PinnedVersion;
  /** A part's deletion mask now (compared by identity), and its deleted row count. */
  deletions(directory: string): { readonly mask: Uint8Array; readonly count: number } | undefined;
  /** Forgets the masks of parts a committed merge replaced. */
  forgetDeletions(directories: readonly string[]): void;
  allocatePartId(): number;
  bitmapColumnsOf(table: string): number[];
  exclusive<R>(fn: () => Promise<R>): Promise<R>;
  commit(next: M.Manifest, newParts: readonly Part[], installed: () => void): Promise<void>;
}

export class Compactor {
  /** The rounds running (background or explicit), and whether another was asked for meanwhile. */
  private running: Promise<void> | null = null;
  private again = false;
  private thread: CompactionThread | null = null;
  /** The last background failure, thrown by the next `compact()`. */
  private failure: unknown = null;

  constructor(private readonly host: CompactionHost) {}

  /**
   * Merges parts now (OPTIMIZE): every table (or `table`) with more than one part, or with
   * deleted rows, ends with one part per MAX_PART_ROWS rows. Waits for background rounds first,
   * and rethrows the error of a failed one.
   */
  async compact(table?: string): Promise<void> {
    while (this.running !== null) await this.running;
    if (this.failure !== null) {
      const e = this.failure;
      this.failure = null;
      throw e;
    }
    const run = this.rounds(true, 0, table);
    this.running = run;
    try {
      await run;
    } finally {
      this.running = null;
      // A round asked for while this one ran.
      if (this.again) this.schedule();
    }
  }

  /** Starts background rounds unless they run already (then one more round follows). */
  schedule(): void {
    if (this.host.mode === 'off' || !this.host.live()) return;
    if (this.running !== null) {
      this.again = true;
      return;
    }
    const run = (async () => {
      do {
        this.again = false;
        // Background merges pause between blocks so queries keep their share of the machine.
        await this.rounds(this.host.mode === 'eager', this.host.mode === 'auto' ? BACKGROUND_PAUSE_MS : 0);
      } while (this.again && this.host.live());
    })();
    this.running = run.then(
      () => {
        this.running = null;
      },
      (e: unknown) => {
        this.running = null;
        this.failure = e;
      },
    );
  }

  /** Waits for running rounds and stops the worker thread. */
  async close(): Promise<void> {
    await this.running?.catch(() => undefined);
    await this.thread?.close();
  }

  /** Merges what the policy picks, table by table, until it picks nothing. */
  private async rounds(eager: boolean, pauseMs: number, only?: string): Promise<void> {
    for (;;) {
      if (!this.host.live()) return;
      let picked: { table: string; ids: number[] } | null = null;
      for (const [table, entry] of this.host.current().tables) {
        if (only !== undefined && table !== only) continue;
        const sizes = entry.parts.map((p) => ({ id: p.id, rowCount: p.rowCount, liveRows: p.rowCount - (this.host.deletions(p.directory)?.count ?? 0) }));
        const ids = pickCompaction(sizes, { fanIn: FAN_IN, maxPartRows: MAX_PART_ROWS, eager });
        if (ids !== null) {
          picked = { table, ids };
          break;
        }
      }
      if (picked === null) return;
      await this.merge(picked.table, picked.ids, pauseMs);
    }
  }

  /** Merges parts `ids` of a table into one new part and commits the swap (module comment). */
  private async merge(table: string, ids: readonly number[], pauseMs: number): Promise<void> {
    const host = this.host;
    // The pin keeps the source parts on disk while they are read, whatever commits meanwhile.
    const pin = host.pin();
    const id = host.allocatePartId();
    let committing = false;
    try {
      const entry = M.requireTableEntry(pin.manifest, table);
      const sources = ids.map((i) => entry.parts.find((p) => p.id === i)!);
      // Masks compared by identity: a checkpoint that writes one to a file keeps the array.
      const masks = sources.map((p) => host.deletions(p.directory)?.mask ?? null);
      const target = partPath(host.dir, partDirectoryName(id));
      const schema = entry.schema;
      const request: MergeRequest = {
        sources: sources.map((p, k) => ({ dir: partPath(host.dir, p.directory), deleted: masks[k]!, columnIds: p.columnIds })),
        columns: schema.columns,
        columnIds: entry.columnIds,
        sortKey: schema.sortKey.map((n) => schema.columns.findIndex((c) => c.name === n)),
        target,
        ...(host.blockRows === undefined ? {} : { blockRows: host.blockRows }),
        force: host.forceEncoding(),
        bitmapColumns: host.bitmapColumnsOf(table),
        pauseMs,
      };
      const result = host.fs === nodeFileSystem ? await (this.thread ??= new CompactionThread()).merge(request) : await mergeParts(host.fs, request);
      const merged = result.meta === null ? null : await openPart(host.fs, target);
      await host.exclusive(async () => {
        const now = host.current().tables.get(table);
        const unchanged =
          now !== undefined &&
          now.schema === schema &&
          sources.every((p, k) => now.parts.some((q) => q.id === p.id) && (host.deletions(p.directory)?.mask ?? null) === masks[k]);
        if (!unchanged) return;
        // The new part holds the columns of the pinned schema, which is still the table's.
        const added = merged === null ? [] : [{ id, rowCount: result.rows, columnIds: entry.columnIds }];
        committing = true;
        await host.commit(M.replaceParts(host.current(), table, ids, added), merged === null ? [] : [merged], () => host.forgetDeletions(sources.map((p) => p.directory)));
      });
    } finally {
      pin.release();
      if (!committing) await removeUnreferencedFiles(host.fs, host.dir, { partDirectories: [partDirectoryName(id)], deletionFiles: [] }).catch(() => undefined);
    }
  }
}
