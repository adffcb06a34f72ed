// The write-ahead log (storage/wal/write-ahead-log.ts): records come back in order after a
// close, a crash or a rotation; appends are acknowledged only after their fsync and are
// group-committed (fsyncs counted through the forgetful file system); a torn tail is cut at
// open; the manifest protocol (rotate, firstSegment, removeSegmentsBefore) drops flushed
// segments; after a failed write or fsync the log refuses appends.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ForgetfulFileSystem } from '../../../storage/fs/forgetful-file-system.js';
import { nodeFileSystem } from '../../../storage/fs/node-file-system.js';
import { encodeRecord } from '../../../storage/wal/wal-record.js';
import { listSegments, segmentPath } from '../../../storage/wal/wal-segments.js';
import { WriteAheadLog } from '../../../storage/wal/write-ahead-log.js';
import { WAL_DIR, databaseFs, nextTurn, openLog, payload } from './wal-test-helpers.js';

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

/** A forgetful file system whose fsyncs, once `gate.open` is false, wait in `gate.pending`
 *  until the test lets them finish. */
async function gatedFs(): Promise<{ fs: ForgetfulFileSystem; gate: { pending: (() => void)[]; open: boolean } }> {
  const gate = { pending: [] as (() => void)[], open: true };
  const fs = await databaseFs({
    syncDelay: () => (gate.open ? Promise.resolve() : new Promise<void>((resolve) => gate.pending.push(resolve))),
  });
  return { fs, gate };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await nextTurn();
  expect(condition()).toBe(true);
}

describe('WriteAheadLog', () => {
  it('returns every record in order after a close, with sizes from empty to past a read chunk', async () => {
    const fs = await databaseFs();
    const { log } = await openLog(fs);
    const sizes = [4, 5, 0, 1000, 3 * 1024 * 1024, 17, 65536, 4];
    for (let i = 0; i < sizes.length; i++) await log.append(payload(i, sizes[i]));
    await Promise.all(range(500, 100).map((id) => log.append(payload(id, id % 50))));
    await log.close();
    const reopened = await openLog(fs);
    expect(reopened.ids).toEqual([...range(sizes.length), ...range(500, 100)]);
    expect(reopened.replay.segments.map((s) => s.tail)).toEqual(['clean']);
    expect(reopened.truncatedBytes).toBe(0);
    await reopened.log.close();
  });

  it('keeps every acknowledged record through a crash that forgets unsynced data', async () => {
    const fs = await databaseFs();
    const { log } = await openLog(fs);
    await Promise.all(range(50).map((id) => log.append(payload(id))));
    fs.crash();
    const after = await openLog(fs);
    expect(after.ids).toEqual(range(50));
    await after.log.append(payload(50));
    fs.crash();
    expect((await openLog(fs)).ids).toEqual(range(51));
  });

  it('group-commits 1,000 concurrent appends into one write and one fsync', async () => {
    const fs = await databaseFs();
    const { log } = await openLog(fs);
    const syncsBefore = fs.stats.fileSyncs;
    const writesBefore = fs.stats.writes;
    await Promise.all(range(1000).map((id) => log.append(payload(id, 100))));
    expect(fs.stats.fileSyncs - syncsBefore).toBe(1);
    expect(fs.stats.writes - writesBefore).toBe(1);
    expect(log.stats).toEqual({ appends: 1000, syncs: 1, bytes: 1000 * (8 + 100) });
  });

  it('acknowledges an append only after its fsync, and appends during an fsync join the next one', async () => {
    const { fs, gate } = await gatedFs();
    const { log } = await openLog(fs);
    gate.open = false;
    const syncsBefore = fs.stats.fileSyncs;
    const settled: number[] = [];
    const first = log.append(payload(0)).then(() => settled.push(0));
    await until(() => gate.pending.length === 1);
    // The first fsync is in flight: these 99 wait for the next batch.
    const rest = range(99, 1).map((id) => log.append(payload(id)).then(() => settled.push(id)));
    await nextTurn();
    expect(settled).toEqual([]);
    gate.pending.shift()!();
    await first;
    expect(settled).toEqual([0]);
    await until(() => gate.pending.length === 1);
    expect(settled).toEqual([0]);
    gate.pending.shift()!();
    await Promise.all(rest);
    expect(settled).toEqual(range(100));
    expect(fs.stats.fileSyncs - syncsBefore).toBe(2);
    await log.drain();
  });

  it('concurrent writers that each wait for their append share fsyncs', async () => {
    const fs = await databaseFs({ syncDelay: nextTurn });
    const { log } = await openLog(fs);
    const syncsBefore = fs.stats.fileSyncs;
    const writers = 50;
    const each = 20;
    await Promise.all(range(writers).map(async (w) => {
      for (let i = 0; i < each; i++) await log.append(payload(w * each + i));
    }));
    // Each round of fsyncs carries one append of every writer: about `each` fsyncs, not 1,000.
    expect(fs.stats.fileSyncs - syncsBefore).toBeLessThanOrEqual(each + 2);
    await log.close();
    expect((await openLog(fs)).ids.sort((a, b) => a - b)).toEqual(range(writers * each));
  });

  it('cuts a torn tail at open and appends after the last valid record', async () => {
    const fs = await databaseFs();
    const { log } = await openLog(fs);
    for (let id = 0; id < 3; id++) await log.append(payload(id, 40));
    await log.close();
    const h = await fs.open(segmentPath(WAL_DIR, 1), 'write');
    await h.append(Uint8Array.of(44, 0, 0, 0, 9, 9)); // half a header of a fourth record
    await h.sync();
    await h.close();
    const reopened = await openLog(fs);
    expect(reopened.ids).toEqual([0, 1, 2]);
    expect(reopened.truncatedBytes).toBe(6);
    expect(reopened.replay.segments[0]!.tail).toBe('torn');
    await reopened.log.append(payload(3, 40));
    fs.crash();
    const again = await openLog(fs);
    expect(again.ids).toEqual([0, 1, 2, 3]);
    expect(again.replay.segments[0]!.tail).toBe('clean');
  });

  it('cuts the torn tail off the file, so stale bytes after it can never read as records', async () => {
    const fs = await databaseFs();
    const { log } = await openLog(fs);
    for (let id = 0; id < 3; id++) await log.append(payload(id, 40));
    await log.close();
    const stale = new Uint8Array(8 + 4 + 8 + 40);
    const view = new DataView(stale.buffer);
    view.setUint32(0, 200, true); // a record cut short: 200 bytes announced, fewer follow
    // ...followed, where the next small record will end, by a complete frame of a record that
    // was never acknowledged (user data may look like anything).
    encodeRecord(stale, view, 12, payload(99, 40));
    const h = await fs.open(segmentPath(WAL_DIR, 1), 'write');
    const validBytes = await h.append(stale);
    await h.sync();
    await h.close();
    const reopened = await openLog(fs);
    expect(reopened.ids).toEqual([0, 1, 2]);
    expect((await fs.stat(segmentPath(WAL_DIR, 1))).size).toBe(validBytes);
    await reopened.log.append(payload(3, 4));
    await reopened.log.close();
    expect((await openLog(fs)).ids).toEqual([0, 1, 2, 3]);
  });

  it('rotates: records before the call stay in old segments, later ones go to the new one', async () => {
    const fs = await databaseFs();
    const { log } = await openLog(fs);
    expect(log.segment).toBe(1);
    const early = range(10).map((id) => log.append(payload(id)));
    const rotated = log.rotate();
    const late = range(10, 10).map((id) => log.append(payload(id)));
    expect(await rotated).toBe(2);
    await Promise.all([...early, ...late]);
    expect(log.segment).toBe(2);
    await log.close();
    const reopened = await openLog(fs);
    expect(reopened.ids).toEqual(range(20));
    expect(reopened.replay.segments.map((s) => [s.segment, s.records])).toEqual([[1, 10], [2, 10]]);
    await reopened.log.close();
  });

  it('follows the manifest protocol: segments before the committed first segment are dropped', async () => {
    const fs = await databaseFs();
    const { log } = await openLog(fs);
    await Promise.all(range(5).map((id) => log.append(payload(id))));
    const first = await log.rotate(); // the memtable holding 0..4 is frozen here
    await log.append(payload(5));
    // The engine commits its manifest with `first` and crashes before removing segment 1.
    fs.crash();
    const reopened = await openLog(fs, { firstSegment: first });
    expect(reopened.removedSegments).toEqual([1]);
    expect(reopened.ids).toEqual([5]);
    expect(await listSegments(fs, WAL_DIR)).toEqual([2]);
    // Without the manifest commit (crash before it) the old segment is replayed again.
    await reopened.log.append(payload(6));
    const second = await reopened.log.rotate();
    await reopened.log.append(payload(7));
    expect(await reopened.log.removeSegmentsBefore(second)).toEqual([2]);
    await reopened.log.close();
    expect((await openLog(fs, { firstSegment: second })).ids).toEqual([7]);
  });

  it('reset keeps only records appended after it', async () => {
    const fs = await databaseFs();
    const { log } = await openLog(fs);
    await Promise.all(range(5).map((id) => log.append(payload(id))));
    const reset = log.reset();
    const after = log.append(payload(5));
    expect(await reset).toBe(2);
    await after;
    expect(await listSegments(fs, WAL_DIR)).toEqual([2]);
    fs.crash();
    expect((await openLog(fs)).ids).toEqual([5]);
  });

  it('starts at the manifest first segment when no segment exists', async () => {
    const fs = await databaseFs();
    const { log, ids } = await openLog(fs, { firstSegment: 7 });
    expect(ids).toEqual([]);
    expect(log.segment).toBe(7);
    await log.append(payload(1));
    fs.crash();
    const reopened = await openLog(fs, { firstSegment: 7 });
    expect(reopened.ids).toEqual([1]);
    await expect(openLog(new ForgetfulFileSystem(), {}, '/missing/wal')).rejects.toMatchObject({ code: 'IO_ERROR' });
    await expect(WriteAheadLog.open(fs, WAL_DIR, { firstSegment: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('refuses appends after a failed fsync, and after close', async () => {
    const fs = await databaseFs();
    const { log } = await openLog(fs);
    await log.append(payload(0));
    fs.injectError('sync', 'EIO');
    const failed = log.append(payload(1));
    await expect(failed).rejects.toMatchObject({ reason: 'EIO', message: expect.stringContaining(segmentPath(WAL_DIR, 1)) });
    await expect(log.append(payload(2))).rejects.toMatchObject({ code: 'IO_ERROR', message: expect.stringContaining('failed earlier') });
    await expect(log.rotate()).rejects.toMatchObject({ code: 'IO_ERROR' });
    await log.close();
    await expect(log.append(payload(3))).rejects.toMatchObject({ code: 'IO_ERROR', message: expect.stringContaining('is closed') });

    const healthy = await openLog(fs);
    const pending = healthy.log.append(payload(4));
    await healthy.log.close();
    await pending;
    await expect(healthy.log.append(payload(5))).rejects.toMatchObject({ message: expect.stringContaining('is closed') });
  });

  it('refuses to remove the segment being written', async () => {
    const fs = await databaseFs();
    const { log } = await openLog(fs);
    await expect(log.removeSegmentsBefore(2)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await log.removeSegmentsBefore(1)).toEqual([]);
    await log.close();
  });

  describe('on the real file system', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quiver-wal-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('round-trips with group commit and rotation', async () => {
      const walDir = join(dir, 'wal');
      const { log } = await openLog(nodeFileSystem, {}, walDir);
      await Promise.all(range(1000).map((id) => log.append(payload(id, 100))));
      expect(log.stats.syncs).toBe(1);
      const first = await log.rotate();
      await Promise.all(range(10, 1000).map((id) => log.append(payload(id))));
      await log.removeSegmentsBefore(first);
      await log.close();
      const reopened = await openLog(nodeFileSystem, { firstSegment: first }, walDir);
      expect(reopened.ids).toEqual(range(10, 1000));
      await reopened.log.close();
    });
  });
});
