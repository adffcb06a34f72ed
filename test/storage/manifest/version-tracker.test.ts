// Reader pinning (storage/manifest/version-tracker.ts): a file becomes obsolete only when neither
// the current version nor any pinned one references it, and is handed out once. A random model
// check runs commits, pins and releases and asserts no part or deletion file a pinned version
// uses is ever handed out, and that every retired file is handed out once nobody needs it.
// Readers of other processes count through the oldest version their leases hold: a file retired
// after it stays (a second model check).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { T } from '../../../common/types.js';
import { deletionFileName, partDirectoryName } from '../../../storage/manifest/database-layout.js';
import { type Manifest, addParts, allParts, createTable, dropTable, emptyManifest, replaceParts, setDeletionFile } from '../../../storage/manifest/manifest.js';
import { type PinnedVersion, VersionTracker } from '../../../storage/manifest/version-tracker.js';

const p = partDirectoryName;
const schema = { name: 't', columns: [{ name: 'a', type: T.INTEGER, notNull: false }], sortKey: [], primaryKey: [] };
const v1 = addParts(createTable(emptyManifest(), schema), 't', [{ id: 1, rowCount: 5 }, { id: 2, rowCount: 5 }]);

describe('VersionTracker', () => {
  it('keeps replaced parts while a reader pins the version that uses them', () => {
    const tracker = new VersionTracker(v1);
    const reader = tracker.acquire();
    expect(reader.manifest).toBe(v1);
    const v2 = replaceParts(v1, 't', [1, 2], [{ id: 3, rowCount: 10 }]);
    tracker.install(v2);
    expect(tracker.current).toBe(v2);
    expect(tracker.takeObsolete()).toEqual({ partDirectories: [], deletionFiles: [] });
    reader.release();
    expect(tracker.takeObsolete()).toEqual({ partDirectories: [p(1), p(2)], deletionFiles: [] });
    expect(tracker.takeObsolete()).toEqual({ partDirectories: [], deletionFiles: [] });
  });

  it('counts pins per version and refuses a double release or an older version', () => {
    const tracker = new VersionTracker(v1);
    const a = tracker.acquire();
    const b = tracker.acquire();
    expect(tracker.pinCount(v1.version)).toBe(2);
    a.release();
    expect(tracker.pinCount(v1.version)).toBe(1);
    expect(() => a.release()).toThrow('released twice');
    b.release();
    expect(tracker.pinCount(v1.version)).toBe(0);
    expect(() => tracker.install(v1)).toThrow('versions must increase');
  });

  it('superseded deletion files become obsolete; those of an obsolete part go with its directory', () => {
    const tracker = new VersionTracker(v1);
    const v2 = setDeletionFile(v1, 't', 2, deletionFileName(1));
    tracker.install(v2);
    const reader = tracker.acquire();
    const v3 = setDeletionFile(setDeletionFile(v2, 't', 2, deletionFileName(2)), 't', 1, deletionFileName(3));
    tracker.install(v3);
    expect(tracker.takeObsolete()).toEqual({ partDirectories: [], deletionFiles: [] });
    reader.release();
    expect(tracker.takeObsolete()).toEqual({ partDirectories: [], deletionFiles: [{ directory: p(2), file: deletionFileName(1) }] });
    tracker.install(dropTable(v3, 't'));
    expect(tracker.takeObsolete()).toEqual({ partDirectories: [p(1), p(2)], deletionFiles: [] });
  });

  it('never hands out a file a pinned or current version uses (random model)', () => {
    type Step = { kind: 'commit'; op: number; pick: number } | { kind: 'pin' } | { kind: 'release'; pick: number };
    const stepArb: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant('commit' as const), op: fc.nat(2), pick: fc.nat() }),
      fc.record({ kind: fc.constant('pin' as const) }),
      fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }),
    );
    const files = (m: Manifest) => {
      const out = new Set<string>();
      for (const part of allParts(m)) {
        out.add(part.directory);
        if (part.deletionFile !== null) out.add(`${part.directory}/${part.deletionFile}`);
      }
      return out;
    };
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 60 }), (steps) => {
        let current = v1;
        let deletionSeq = 0;
        const tracker = new VersionTracker(current);
        const pins: PinnedVersion[] = [];
        const everReferenced = files(current);
        const handedOut = new Set<string>();
        const collect = () => {
          const live = files(current);
          for (const pin of pins) for (const f of files(pin.manifest)) live.add(f);
          const obsolete = tracker.takeObsolete();
          for (const d of obsolete.partDirectories) {
            expect(live.has(d)).toBe(false);
            expect(handedOut.has(d)).toBe(false);
            handedOut.add(d);
          }
          for (const { directory, file } of obsolete.deletionFiles) {
            const key = `${directory}/${file}`;
            expect(live.has(key)).toBe(false);
            expect(live.has(directory)).toBe(true);
            handedOut.add(key);
          }
        };
        for (const step of steps) {
          if (step.kind === 'pin') pins.push(tracker.acquire());
          else if (step.kind === 'release') {
            if (pins.length > 0) pins.splice(step.pick % pins.length, 1)[0]!.release();
          } else {
            const parts = current.tables.get('t')!.parts;
            const victim = parts[step.pick % Math.max(1, parts.length)];
            if (step.op === 0 || victim === undefined) current = addParts(current, 't', [{ id: current.nextPartId, rowCount: 1 }]);
            else if (step.op === 1) current = replaceParts(current, 't', [victim.id], [{ id: current.nextPartId, rowCount: 2 }]);
            else current = setDeletionFile(current, 't', victim.id, deletionFileName(++deletionSeq));
            for (const f of files(current)) everReferenced.add(f);
            tracker.install(current);
          }
          collect();
        }
        for (const pin of pins.splice(0)) pin.release();
        collect();
        // Once nobody pins anything, every file only older versions used has been handed out
        // (a deletion file counts as handed out when its part directory is).
        const live = files(current);
        for (const f of everReferenced) {
          if (live.has(f)) continue;
          const directory = f.split('/')[0]!;
          expect(handedOut.has(f) || handedOut.has(directory)).toBe(true);
        }
      }),
      { seed: 424242, numRuns: 300 },
    );
  });
});

describe('VersionTracker with reader leases', () => {
  it('keeps a file retired after the oldest lease version until the leases move past it', () => {
    const tracker = new VersionTracker(v1);
    const v2 = replaceParts(v1, 't', [1], [{ id: 3, rowCount: 5 }]);
    tracker.install(v2);
    expect(tracker.hasRetired()).toBe(true);
    expect(tracker.takeObsolete(v1.version)).toEqual({ partDirectories: [], deletionFiles: [] });
    expect(tracker.takeObsolete(v2.version)).toEqual({ partDirectories: [p(1)], deletionFiles: [] });
    expect(tracker.hasRetired()).toBe(false);
  });

  it('retire registers leftovers as retired by a version', () => {
    const tracker = new VersionTracker(v1);
    tracker.retire({ partDirectories: [p(7)], deletionFiles: [{ directory: p(2), file: deletionFileName(4) }] }, v1.version);
    expect(tracker.takeObsolete(v1.version - 1)).toEqual({ partDirectories: [], deletionFiles: [] });
    expect(tracker.takeObsolete(v1.version)).toEqual({ partDirectories: [p(7)], deletionFiles: [{ directory: p(2), file: deletionFileName(4) }] });
  });

  it('a retired name used again is not handed out while live, and is retired anew later', () => {
    const tracker = new VersionTracker(v1);
    tracker.retire({ partDirectories: [], deletionFiles: [{ directory: p(2), file: deletionFileName(9) }] }, v1.version);
    const v2 = setDeletionFile(v1, 't', 2, deletionFileName(9));
    tracker.install(v2);
    expect(tracker.takeObsolete()).toEqual({ partDirectories: [], deletionFiles: [] });
    const v3 = setDeletionFile(v2, 't', 2, null);
    tracker.install(v3);
    expect(tracker.takeObsolete(v2.version)).toEqual({ partDirectories: [], deletionFiles: [] });
    expect(tracker.takeObsolete(v3.version)).toEqual({ partDirectories: [], deletionFiles: [{ directory: p(2), file: deletionFileName(9) }] });
  });

  it('reports the oldest version in use and each version whose last pin goes', () => {
    const unpinned: number[] = [];
    const tracker = new VersionTracker(v1, { onUnpinned: (v) => unpinned.push(v) });
    const a = tracker.acquire();
    const b = tracker.acquire();
    const v2 = addParts(v1, 't', [{ id: 3, rowCount: 1 }]);
    tracker.install(v2);
    expect(tracker.oldestVersionInUse()).toBe(v1.version);
    a.release();
    expect(unpinned).toEqual([]);
    b.release();
    expect(unpinned).toEqual([v1.version]);
    expect(tracker.oldestVersionInUse()).toBe(v2.version);
  });

  it('never hands out a file a version at or after the oldest lease uses (random model)', () => {
    type Step = { kind: 'commit'; op: number; pick: number } | { kind: 'open' } | { kind: 'refresh'; pick: number } | { kind: 'close'; pick: number };
    const stepArb: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant('commit' as const), op: fc.nat(3), pick: fc.nat() }),
      fc.record({ kind: fc.constant('open' as const) }),
      fc.record({ kind: fc.constant('refresh' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('close' as const), pick: fc.nat() }),
    );
    const files = (m: Manifest, out = new Set<string>()) => {
      for (const part of allParts(m)) {
        out.add(part.directory);
        if (part.deletionFile !== null) out.add(`${part.directory}/${part.deletionFile}`);
      }
      return out;
    };
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 60 }), (steps) => {
        let current = v1;
        let deletionSeq = 0;
        const history: Manifest[] = [current];
        const tracker = new VersionTracker(current);
        /** The lease version of each reader of another process. */
        const readers: number[] = [];
        const handedOut = new Set<string>();
        const collect = () => {
          const floor = readers.length === 0 ? Infinity : Math.min(...readers);
          const needed = new Set<string>();
          for (const m of history) if (m.version >= floor || m === current) files(m, needed);
          const obsolete = tracker.takeObsolete(floor);
          for (const d of obsolete.partDirectories) {
            expect(needed.has(d)).toBe(false);
            handedOut.add(d);
          }
          for (const { directory, file } of obsolete.deletionFiles) {
            expect(needed.has(`${directory}/${file}`)).toBe(false);
            handedOut.add(`${directory}/${file}`);
          }
        };
        for (const step of steps) {
          if (step.kind === 'open') readers.push(current.version);
          else if (step.kind === 'refresh') {
            if (readers.length > 0) readers[step.pick % readers.length] = current.version;
          } else if (step.kind === 'close') {
            if (readers.length > 0) readers.splice(step.pick % readers.length, 1);
          } else {
            const parts = current.tables.get('t')!.parts;
            const victim = parts[step.pick % Math.max(1, parts.length)];
            if (step.op === 0 || victim === undefined) current = addParts(current, 't', [{ id: current.nextPartId, rowCount: 1 }]);
            else if (step.op === 1) current = replaceParts(current, 't', [victim.id], [{ id: current.nextPartId, rowCount: 2 }]);
            else if (step.op === 2) current = setDeletionFile(current, 't', victim.id, deletionFileName(++deletionSeq));
            else current = replaceParts(current, 't', [victim.id], []);
            history.push(current);
            tracker.install(current);
          }
          collect();
        }
        readers.length = 0;
        collect();
        const live = files(current);
        for (const m of history) {
          for (const f of files(m)) {
            if (live.has(f)) continue;
            expect(handedOut.has(f) || handedOut.has(f.split('/')[0]!)).toBe(true);
          }
        }
      }),
      { seed: 515151, numRuns: 300 },
    );
  });
});
