// Reading the log back (storage/wal/replay-log.ts): a segment cut at any byte gives exactly the
// complete records before the cut and reports a torn tail at the right offset; a flipped byte
// anywhere in a record rejects that record and everything after it; a zero-filled tail is not a
// record; damage in an older segment, or a missing segment, is an error naming the file.

import { describe, expect, it } from 'vitest';
import { replayLog, replaySegment } from '../../../storage/wal/replay-log.js';
import { RECORD_HEADER_BYTES, encodeRecord, recordChecksum } from '../../../storage/wal/wal-record.js';
import { segmentPath } from '../../../storage/wal/wal-segments.js';
import { WAL_DIR, databaseFs, openLog, payload, payloadId } from './wal-test-helpers.js';
import type { ForgetfulFileSystem } from '../../../storage/fs/forgetful-file-system.js';

/** Frames the payloads as the log writes them; returns the bytes and each record's end. */
function frames(payloads: Uint8Array[]): { bytes: Uint8Array; ends: number[] } {
  const total = payloads.reduce((n, p) => n + RECORD_HEADER_BYTES + p.length, 0);
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  const ends: number[] = [];
  let at = 0;
  for (const p of payloads) {
    at = encodeRecord(bytes, view, at, p);
    ends.push(at);
  }
  return { bytes, ends };
}

async function putFile(fs: ForgetfulFileSystem, path: string, bytes: Uint8Array): Promise<void> {
  const h = await fs.open(path, 'replace');
  await h.write(bytes, 0);
  await h.close();
}

async function replayIds(fs: ForgetfulFileSystem, path: string) {
  const ids: number[] = [];
  const result = await replaySegment(fs, path, 1, (p) => ids.push(payloadId(p)));
  return { ids, ...result };
}

describe('replaySegment', () => {
  const payloads = [payload(10, 4), payload(11, 0 + 9), payload(12, 30)];
  const { bytes, ends } = frames(payloads);
  const path = segmentPath(WAL_DIR, 1);

  it('frames a record as [u32 length][u32 crc32 of length and payload][payload]', () => {
    const view = new DataView(bytes.buffer);
    expect(view.getUint32(0, true)).toBe(4);
    expect(view.getUint32(4, true)).toBe(recordChecksum(payloads[0]!));
    expect([...bytes.subarray(8, 12)]).toEqual([...payloads[0]!]);
  });

  it('stops at a cut at every byte with exactly the complete records before it', async () => {
    const fs = await databaseFs();
    await fs.mkdir(WAL_DIR);
    for (let cut = 0; cut <= bytes.length; cut++) {
      await putFile(fs, path, bytes.subarray(0, cut));
      const r = await replayIds(fs, path);
      const complete = ends.filter((e) => e <= cut).length;
      expect(r.ids).toEqual([10, 11, 12].slice(0, complete));
      expect(r.records).toBe(complete);
      expect(r.validBytes).toBe(complete === 0 ? 0 : ends[complete - 1]);
      expect(r.fileBytes).toBe(cut);
      expect(r.tail).toBe(cut === r.validBytes ? 'clean' : 'torn');
    }
  });

  it('rejects a record with any byte flipped, and everything after it', async () => {
    const fs = await databaseFs();
    await fs.mkdir(WAL_DIR);
    for (let at = 0; at < bytes.length; at++) {
      for (const flip of [0x01, 0x80, 0xff]) {
        const damaged = bytes.slice();
        damaged[at]! ^= flip;
        await putFile(fs, path, damaged);
        const r = await replayIds(fs, path);
        const record = ends.findIndex((e) => at < e);
        expect(r.ids).toEqual([10, 11, 12].slice(0, record));
        expect(r.validBytes).toBe(record === 0 ? 0 : ends[record - 1]);
        // A damaged length may point past the end of the file: that reads as torn.
        expect(['corrupt', 'torn']).toContain(r.tail);
      }
    }
  });

  it('does not read a zero-filled tail as records', async () => {
    const fs = await databaseFs();
    await fs.mkdir(WAL_DIR);
    const withZeros = new Uint8Array(bytes.length + 64);
    withZeros.set(bytes);
    await putFile(fs, path, withZeros);
    const r = await replayIds(fs, path);
    expect(r.ids).toEqual([10, 11, 12]);
    expect(r.tail).toBe('corrupt');
    expect(r.validBytes).toBe(bytes.length);
  });

  it('reads many records across read chunks', async () => {
    const fs = await databaseFs();
    await fs.mkdir(WAL_DIR);
    const many = Array.from({ length: 60_000 }, (_, i) => payload(i, 4 + (i % 40)));
    await putFile(fs, path, frames(many).bytes);
    const r = await replayIds(fs, path);
    expect(r.records).toBe(60_000);
    expect(r.ids.every((id, i) => id === i)).toBe(true);
    expect(r.tail).toBe('clean');
  });
});

describe('replayLog', () => {
  it('reads nothing when the log directory does not exist yet', async () => {
    const fs = await databaseFs();
    expect(await replayLog(fs, WAL_DIR, () => undefined)).toEqual({ records: 0, segments: [] });
  });

  it('fails naming the segment when an older segment is damaged', async () => {
    const fs = await databaseFs();
    const { log } = await openLog(fs);
    await log.append(payload(1));
    await log.rotate();
    await log.append(payload(2));
    await log.close();
    const h = await fs.open(segmentPath(WAL_DIR, 1), 'write');
    await h.write(Uint8Array.of(0xee), RECORD_HEADER_BYTES + 1);
    await h.close();
    await expect(replayLog(fs, WAL_DIR, () => undefined)).rejects.toMatchObject({
      code: 'IO_ERROR',
      message: expect.stringContaining(`${segmentPath(WAL_DIR, 1)} is corrupt at byte 0`),
    });
    await expect(openLog(fs)).rejects.toMatchObject({ code: 'IO_ERROR' });
  });

  it('fails naming the segment that is missing between others or at the start', async () => {
    const fs = await databaseFs();
    const { log } = await openLog(fs);
    await log.rotate();
    await log.rotate();
    await log.close();
    await fs.unlink(segmentPath(WAL_DIR, 2));
    await expect(replayLog(fs, WAL_DIR, () => undefined)).rejects.toMatchObject({ message: expect.stringContaining(segmentPath(WAL_DIR, 2)) });
    await expect(replayLog(fs, WAL_DIR, () => undefined, { firstSegment: 2 })).rejects.toMatchObject({ message: expect.stringContaining(`missing segment ${segmentPath(WAL_DIR, 2)}`) });
    expect((await replayLog(fs, WAL_DIR, () => undefined, { firstSegment: 3 })).segments.map((s) => s.segment)).toEqual([3]);
  });
});
