// The write-ahead log's record frame: [u32 length][u32 crc32][payload], little-endian. The
// checksum (node:zlib crc32) covers the length bytes and then the payload: covering the length
// too means a zero-filled region (a file extended whose data never reached the disk) does not
// read as a valid empty record, and a damaged length is caught at once. The payload is opaque
// bytes; the engine encodes its insert and delete records in it.

import { crc32 } from 'node:zlib';

export const RECORD_HEADER_BYTES = 8;
/** Larger records are refused when written and read as corruption; it bounds what a damaged
 *  length can make the reader allocate. */
export const MAX_RECORD_BYTES = 1 << 30;

const lengthScratch = new Uint8Array(4);
const lengthView = new DataView(lengthScratch.buffer);

/** The crc32 of the little-endian length bytes followed by the payload. */
export function recordChecksum(payload: Uint8Array): number {
  lengthView.setUint32(0, payload.length, true);
  return crc32(payload, crc32(lengthScratch));
}

/** Writes the frame of `payload` at `offset` of `target` (which MUST have room for
 *  RECORD_HEADER_BYTES + payload.length bytes there); returns the offset after it. */
export function encodeRecord(target: Uint8Array, view: DataView, offset: number, payload: Uint8Array): number {
  view.setUint32(offset, payload.length, true);
  view.setUint32(offset + 4, recordChecksum(payload), true);
  target.set(payload, offset + RECORD_HEADER_BYTES);
  return offset + RECORD_HEADER_BYTES + payload.length;
}
