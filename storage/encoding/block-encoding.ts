// The contract every block encoding implements (plain.ts, rle.ts, dictionary.ts,
// frame-of-reference.ts, delta.ts). block-codec.ts writes the header and the per-row validity
// bitmap around the payload an encoding writes, so an encoding only handles values.

import type { Vector } from '../../common/vector.js';
import type { BlockAnalysis } from './block-analysis.js';
import type { BlockHeader } from './block-header.js';
import type { BlockReader } from './block-reader.js';
import type { ByteWriter } from './byte-writer.js';
import type { EncodingId, EncodingName } from './encoding-kind.js';

export interface BlockEncoding {
  readonly id: EncodingId;
  readonly name: EncodingName;
  /**
   * True when NULLs are kept as a per-row validity bitmap ahead of the payload. False when the
   * encoding holds them itself (a NULL run, a NULL dictionary entry).
   */
  readonly rowValidity: boolean;
  /** Why this encoding cannot hold the block exactly, or null when it can. */
  unsupported(a: BlockAnalysis): string | null;
  /** Estimated payload bytes, from the statistics alone (the chooser compares these). */
  estimate(a: BlockAnalysis): number;
  /**
   * Writes the payload. MUST only be called when `unsupported(a)` is null. Payload sections are
   * aligned relative to the block start, which the writer's offsets are.
   */
  encode(a: BlockAnalysis, w: ByteWriter): void;
  /**
   * Reads the payload into a vector of h.rows rows. `validity` is the decoded per-row bitmap
   * (rowValidity encodings with NULLs), else null. NULL slots MUST hold 0, 0n or ''.
   */
  decode(r: BlockReader, h: BlockHeader, validity: Uint8Array | null): Vector;
}

/** Sets the NULL slots of a decoded numeric array to 0, as vectors require. */
export function zeroNullSlots(data: Int32Array | Float64Array, validity: Uint8Array | null, n: number): void {
  if (validity === null) return;
  for (let i = 0; i < n; i++) if (validity[i] === 0) data[i] = 0;
}

/** As zeroNullSlots, through a 32-bit view of a BigInt64Array (no BigInt per value). */
export function zeroNullSlotsWide(data: BigInt64Array, validity: Uint8Array | null, n: number): void {
  if (validity === null) return;
  const halves = new Int32Array(data.buffer, data.byteOffset, n * 2);
  for (let i = 0; i < n; i++) {
    if (validity[i] === 0) {
      halves[2 * i] = 0;
      halves[2 * i + 1] = 0;
    }
  }
}
