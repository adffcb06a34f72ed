// Reading the write-ahead log back: every record of every segment in order, stopping cleanly at
// a torn or corrupt tail. A partial last record is what a crash during a write leaves; it was
// never acknowledged (acknowledgement waits for the fsync), so it is not an error: the report
// says how many bytes were valid, and the writer truncates the segment there (write-ahead-log.ts).
// Only the last segment may end that way: an older one was fully fsynced before the next one
// was created, so damage there would drop acknowledged records and is reported as an error.
//
// A read-only process may replay while the writer appends: it sees a prefix of the log, possibly
// ending in a record still being written, which reads as a torn tail.

import { QuiverError } from '../../common/errors.js';
import type { FileSystem } from '../fs/file-system.js';
import { MAX_RECORD_BYTES, RECORD_HEADER_BYTES, recordChecksum } from './wal-record.js';
import { listSegments, segmentPath } from './wal-segments.js';

/** How a segment ends: after its last complete record (`clean`), in a record cut short by the
 *  end of the file (`torn`), or in a complete-looking record whose checksum or length is wrong
 *  (`corrupt`; a torn write whose length reached the disk and its payload did not reads so). */
export type SegmentTail = 'clean' | 'torn' | 'corrupt';

export interface SegmentReplay {
  segment: number;
  path: string;
  records: number;
  /** Bytes from the start of the file up to the end of the last valid record. */
  validBytes: number;
  fileBytes: number;
  tail: SegmentTail;
}

export interface ReplayResult {
  records: number;
  /** The segments read, in order. */
  segments: SegmentReplay[];
}

/** Receives each record's payload in log order. The payload is a view into a read buffer:
 *  copy it to keep it past the call. */
export type RecordHandler = (payload: Uint8Array, segment: number) => void;

export interface ReplayOptions {
  /** The first segment to read (the manifest's); older segments are ignored. When absent,
   *  reading starts at the oldest segment present. */
  firstSegment?: number;
}

/** Bytes read at a time; a larger record is read in one piece. */
const CHUNK_BYTES = 1 << 20;

/** Reads every record of the log in `dir` in order (see the module comment). */
export async function replayLog(fs: FileSystem, dir: string, onRecord: RecordHandler, options: ReplayOptions = {}): Promise<ReplayResult> {
  const first = options.firstSegment;
  const segments = (await listSegments(fs, dir)).filter((s) => first === undefined || s >= first);
  for (let i = 0; i < segments.length; i++) {
    const expected = i === 0 ? (first ?? segments[0]!) : segments[i - 1]! + 1;
    if (segments[i] !== expected) {
      throw new QuiverError('IO_ERROR', `write-ahead log ${dir} is missing segment ${segmentPath(dir, expected)}: records in it would be lost`);
    }
  }
  const result: ReplayResult = { records: 0, segments: [] };
  for (let i = 0; i < segments.length; i++) {
    const replay = await replaySegment(fs, segmentPath(dir, segments[i]!), segments[i]!, onRecord);
    result.records += replay.records;
    result.segments.push(replay);
    if (replay.tail !== 'clean' && i < segments.length - 1) {
      throw new QuiverError(
        'IO_ERROR',
        `write-ahead log segment ${replay.path} is ${replay.tail} at byte ${replay.validBytes} of ${replay.fileBytes}, ` +
          `but later segments follow it: acknowledged records would be lost`,
      );
    }
  }
  return result;
}

/** Reads the records of one segment file until its end or its first invalid record. */
export async function replaySegment(fs: FileSystem, path: string, segment: number, onRecord: RecordHandler): Promise<SegmentReplay> {
  const handle = await fs.open(path, 'read');
  try {
    const fileBytes = await handle.size();
    // The bytes of the file at [start, start + buffer.length), read in chunks.
    let buffer = new Uint8Array(0);
    let view = new DataView(buffer.buffer);
    let start = 0;
    /** Makes [position, position + bytes) readable in `buffer`; false if the file is shorter
     *  than its size said (a concurrent writer truncated it). */
    const ensure = async (position: number, bytes: number): Promise<boolean> => {
      if (position >= start && position + bytes <= start + buffer.length) return true;
      // A new buffer every time (never reused), so payload views handed out stay valid.
      buffer = new Uint8Array(Math.min(Math.max(CHUNK_BYTES, bytes), fileBytes - position));
      const read = await handle.read(buffer, position);
      if (read < buffer.length) buffer = buffer.subarray(0, read);
      view = new DataView(buffer.buffer, buffer.byteOffset, buffer.length);
      start = position;
      return read >= bytes;
    };
    let position = 0;
    let records = 0;
    let tail: SegmentTail = 'clean';
    while (position < fileBytes) {
      if (position + RECORD_HEADER_BYTES > fileBytes || !(await ensure(position, RECORD_HEADER_BYTES))) {
        tail = 'torn';
        break;
      }
      const length = view.getUint32(position - start, true);
      if (length > MAX_RECORD_BYTES) {
        tail = 'corrupt';
        break;
      }
      const end = position + RECORD_HEADER_BYTES + length;
      if (end > fileBytes || !(await ensure(position, RECORD_HEADER_BYTES + length))) {
        tail = 'torn';
        break;
      }
      const at = position - start;
      const payload = buffer.subarray(at + RECORD_HEADER_BYTES, at + RECORD_HEADER_BYTES + length);
      if (recordChecksum(payload) !== view.getUint32(at + 4, true)) {
        tail = 'corrupt';
        break;
      }
      onRecord(payload, segment);
      records++;
      position = end;
    }
    return { segment, path, records, validBytes: position, fileBytes, tail };
  } finally {
    await handle.close();
  }
}
