// Run-length encoding: one value per run of equal values plus the run lengths, decoded to an
// `rle` vector so operators can consume whole runs (a SUM over 10 runs reads 10 values).
// Payload: u32 runs, u8 run length width, u8 values layout, pad, then the run lengths minus one
// bit-packed (a run may be as long as the block, 64Ki rows, so there is no 16-bit counter to
// overflow), then, when the block has NULLs, a bitmap of which runs are NULL (a NULL run holds
// no value; consecutive NULL rows form one run), then the run values in the smallest of:
//   layout 0  their plain layout (plain-values.ts);
//   layout 1  frame-of-reference (frame-of-reference.ts payload, NULL runs as the minimum), for
//             integer blocks: keys repeated over a few rows each (an order's lines sorted by
//             date: orderkey, custkey, totalprice) cost the bits of their range per run;
//   layout 2  a dictionary: u32 entries D, u8 code width, the D distinct values in their plain
//             layout (first-seen order), then a bit-packed code per run (0 for a NULL run), for
//             few distinct values in short runs (an order's priority on each of its lines).
// Blocks written before layouts 1 and 2 existed have a zero padding byte there: layout 0.

import type { ColumnData, Vector } from '../../common/vector.js';
import type { BlockAnalysis } from './block-analysis.js';
import { bitmapBytes, packBitsAt, unpackBits } from './bitmap.js';
import { bitWidth, pack, packedWords, unpackInt32 } from './bit-packing.js';
import type { BlockEncoding } from './block-encoding.js';
import type { BlockHeader } from './block-header.js';
import { type BlockReader, corruptBlock } from './block-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { EncodingId } from './encoding-kind.js';
import { decodeIntegers, frameOfReferenceBytes, integerEncodingUnsupported, writeFrameOfReference } from './frame-of-reference.js';
import { PhysicalClass } from './physical-class.js';
import { plainValuesBytes, readPlainValues, writePlainValues } from './plain-values.js';

const enum ValuesLayout {
  PLAIN = 0,
  FRAME_OF_REFERENCE = 1,
  DICTIONARY = 2,
}

/** Bits of a run's dictionary code among `d` entries. */
const codeWidth = (d: number): number => bitWidth(d - 1);

/** How the run values are best stored, and their estimated bytes. */
function valuesLayout(a: BlockAnalysis): { layout: ValuesLayout; bytes: number } {
  let best = { layout: ValuesLayout.PLAIN, bytes: plainValuesBytes(a.cls, a.runs, a.runTextUnits) };
  if (integerEncodingUnsupported('rle', a) === null) {
    const bytes = frameOfReferenceBytes(a.runs, a.rangeBits);
    if (bytes < best.bytes) best = { layout: ValuesLayout.FRAME_OF_REFERENCE, bytes };
  }
  if (a.codes !== null) {
    const d = a.stats.distinct;
    const bytes = 8 + plainValuesBytes(a.cls, d, a.distinctTextUnits) + packedWords(a.runs, codeWidth(d)) * 4;
    if (bytes < best.bytes) best = { layout: ValuesLayout.DICTIONARY, bytes };
  }
  return best;
}

/** Layout 2: the distinct values in first-seen order, then each run's code. */
function writeDictionaryValues(a: BlockAnalysis, w: ByteWriter): void {
  const d = a.stats.distinct;
  const runs = a.runs;
  const width = codeWidth(d);
  const codes = a.codes!;
  const starts = a.runStarts;
  w.u32(d);
  w.u8(width);
  writePlainValues(w, a.cls, a.values.data, null, a.firstRows, d, a.wide);
  const runCodes = new Uint32Array(runs);
  for (let r = 0; r < runs; r++) runCodes[r] = Math.max(0, codes[starts[r]!]!);
  pack(runCodes, runs, width, w.uint32View(packedWords(runs, width)));
}

/** Reads layout 2 into the run values (NULL runs hold 0 / 0n / ''). */
function readDictionaryValues(r: BlockReader, h: BlockHeader, runs: number, validity: Uint8Array | null): ColumnData {
  const d = r.u32('dictionary size');
  const width = r.u8('code width');
  if (d > runs || width !== codeWidth(d)) throw corruptBlock(`a run dictionary of ${d} entries with ${width}-bit codes for ${runs} runs`);
  const entries = readPlainValues(r, h.cls, d, h.wide, 0);
  const codes = new Int32Array(runs);
  unpackInt32(r.words(packedWords(runs, width), 'run codes'), runs, width, 0, codes);
  for (let k = 0; k < runs; k++) {
    if (codes[k]! >= d && (validity === null || validity[k] !== 0)) throw corruptBlock(`run ${k} has code ${codes[k]}, past a dictionary of ${d} entries`);
  }
  if (Array.isArray(entries)) {
    const out = new Array<string>(runs).fill('');
    for (let k = 0; k < runs; k++) if (validity === null || validity[k] !== 0) out[k] = entries[codes[k]!]!;
    return out;
  }
  if (entries instanceof Int32Array || entries instanceof Uint8Array) {
    const out = entries instanceof Int32Array ? new Int32Array(runs) : new Uint8Array(runs);
    for (let k = 0; k < runs; k++) if (validity === null || validity[k] !== 0) out[k] = entries[codes[k]!]!;
    return out;
  }
  // 64-bit values through 32-bit views: exact bits, no BigInt per value.
  const out = entries instanceof BigInt64Array ? new BigInt64Array(runs) : new Float64Array(runs);
  const src = new Int32Array(entries.buffer, entries.byteOffset, d * 2);
  const dst = new Int32Array(out.buffer);
  for (let k = 0; k < runs; k++) {
    if (validity !== null && validity[k] === 0) continue;
    const c = codes[k]!;
    dst[2 * k] = src[2 * c]!;
    dst[2 * k + 1] = src[2 * c + 1]!;
  }
  return out;
}

/** The values at rows `starts[0..runs)` (one per run) as a fresh array of the block's kind. */
function gatherRunValues(data: Int32Array | Float64Array | BigInt64Array, starts: Int32Array, runs: number): Int32Array | Float64Array | BigInt64Array {
  if (data instanceof Int32Array || data instanceof Float64Array) {
    const out = data instanceof Int32Array ? new Int32Array(runs) : new Float64Array(runs);
    for (let r = 0; r < runs; r++) out[r] = data[starts[r]!]!;
    return out;
  }
  // int64 values through 32-bit views: no BigInt per value.
  const out = new BigInt64Array(runs);
  const src = new Int32Array(data.buffer, data.byteOffset, data.length * 2);
  const dst = new Int32Array(out.buffer);
  for (let r = 0; r < runs; r++) {
    dst[2 * r] = src[2 * starts[r]!]!;
    dst[2 * r + 1] = src[2 * starts[r]! + 1]!;
  }
  return out;
}

export const rle: BlockEncoding = {
  id: EncodingId.RLE,
  name: 'rle',
  rowValidity: false,

  unsupported: () => null,

  estimate(a) {
    const runs = a.runs;
    return 8 + packedWords(runs, bitWidth(a.longestRun - 1)) * 4 + (a.stats.nulls > 0 ? bitmapBytes(runs) : 0) + valuesLayout(a).bytes;
  },

  encode(a, w) {
    const runs = a.runs;
    const starts = a.runStarts;
    const n = a.stats.rows;
    const lengths = new Uint32Array(runs);
    for (let r = 0; r < runs; r++) lengths[r] = (r + 1 < runs ? starts[r + 1]! : n) - starts[r]! - 1;
    const width = bitWidth(a.longestRun - 1);
    const { layout } = valuesLayout(a);
    w.u32(runs);
    w.u8(width);
    w.u8(layout);
    pack(lengths, runs, width, w.uint32View(packedWords(runs, width)));
    const validity = a.values.validity;
    if (a.stats.nulls > 0) packBitsAt(validity!, starts, runs, w.bytesView(bitmapBytes(runs)));
    if (layout === ValuesLayout.PLAIN) {
      writePlainValues(w, a.cls, a.values.data, validity, starts, runs, a.wide);
      return;
    }
    if (layout === ValuesLayout.DICTIONARY) {
      writeDictionaryValues(a, w);
      return;
    }
    const values = gatherRunValues(a.values.data as Int32Array | Float64Array | BigInt64Array, starts, runs);
    let runValidity: Uint8Array | null = null;
    if (validity !== null && a.stats.nulls > 0) {
      runValidity = new Uint8Array(runs);
      for (let r = 0; r < runs; r++) runValidity[r] = validity[starts[r]!]!;
    }
    // The run values have the block's minimum and maximum: every value starts some run.
    writeFrameOfReference(w, a.cls, values, runValidity, runs, a.stats.min, a.stats.max);
  },

  decode(r, h): Vector {
    const runs = r.u32('run count');
    const width = r.u8('run length width');
    const layout = r.u8('run values layout');
    if (runs > h.rows || width > bitWidth(h.rows)) throw corruptBlock(`${runs} runs of ${width}-bit lengths in ${h.rows} rows`);
    if (layout > ValuesLayout.DICTIONARY) throw corruptBlock(`unknown run values layout ${layout}`);
    const runEnds = new Int32Array(runs);
    unpackInt32(r.words(packedWords(runs, width), 'run lengths'), runs, width, 1, runEnds);
    let end = 0;
    for (let k = 0; k < runs; k++) {
      end += runEnds[k]!;
      runEnds[k] = end;
    }
    if (end !== h.rows) throw corruptBlock(`runs cover ${end} rows, the block has ${h.rows}`);
    const validity = h.nulls > 0 ? unpackBits(r.take(bitmapBytes(runs), 'run validity'), runs) : null;
    if (layout === ValuesLayout.PLAIN || layout === ValuesLayout.DICTIONARY) {
      const data = layout === ValuesLayout.PLAIN ? readPlainValues(r, h.cls, runs, h.wide, 0) : readDictionaryValues(r, h, runs, validity);
      return { kind: 'rle', type: h.type, length: h.rows, values: { kind: 'flat', type: h.type, length: runs, data, validity }, runEnds };
    }
    if (h.cls === PhysicalClass.BOOL || h.cls === PhysicalClass.STRING) throw corruptBlock(`frame-of-reference run values in a ${h.type.id} block`);
    const values = decodeIntegers(r, { ...h, rows: runs }, validity, false);
    return { kind: 'rle', type: h.type, length: h.rows, values, runEnds };
  },
};
