// Run-length encoding: one value per run of equal values plus the run lengths, decoded to an
// `rle` vector so operators can consume whole runs (a SUM over 10 runs reads 10 values).
// Payload: u32 runs, then the run lengths minus one bit-packed (u8 width, pad, words; a run may
// be as long as the block, 64Ki rows, so there is no 16-bit counter to overflow), then, when the
// block has NULLs, a bitmap of which runs are NULL (a NULL run holds no value; consecutive NULL
// rows form one run), then the run values in their plain layout.

import type { Vector } from '../../common/vector.js';
import { bitmapBytes, packBitsAt, unpackBits } from './bitmap.js';
import { bitWidth, pack, packedWords, unpackInt32 } from './bit-packing.js';
import type { BlockEncoding } from './block-encoding.js';
import { corruptBlock } from './block-reader.js';
import { EncodingId } from './encoding-kind.js';
import { plainValuesBytes, readPlainValues, writePlainValues } from './plain-values.js';

export const rle: BlockEncoding = {
  id: EncodingId.RLE,
  name: 'rle',
  rowValidity: false,

  unsupported: () => null,

  estimate(a) {
    const runs = a.runs;
    return (
      8 +
      packedWords(runs, bitWidth(a.longestRun - 1)) * 4 +
      (a.stats.nulls > 0 ? bitmapBytes(runs) : 0) +
      plainValuesBytes(a.cls, runs, a.runTextUnits)
    );
  },

  encode(a, w) {
    const runs = a.runs;
    const starts = a.runStarts;
    const n = a.stats.rows;
    const lengths = new Uint32Array(runs);
    for (let r = 0; r < runs; r++) lengths[r] = (r + 1 < runs ? starts[r + 1]! : n) - starts[r]! - 1;
    const width = bitWidth(a.longestRun - 1);
    w.u32(runs);
    w.u8(width);
    pack(lengths, runs, width, w.uint32View(packedWords(runs, width)));
    const validity = a.values.validity;
    if (a.stats.nulls > 0) packBitsAt(validity!, starts, runs, w.bytesView(bitmapBytes(runs)));
    writePlainValues(w, a.cls, a.values.data, validity, starts, runs, a.wide);
  },

  decode(r, h): Vector {
    const runs = r.u32('run count');
    const width = r.u8('run length width');
    if (runs > h.rows || width > bitWidth(h.rows)) throw corruptBlock(`${runs} runs of ${width}-bit lengths in ${h.rows} rows`);
    const runEnds = new Int32Array(runs);
    unpackInt32(r.words(packedWords(runs, width), 'run lengths'), runs, width, 1, runEnds);
    let end = 0;
    for (let k = 0; k < runs; k++) {
      end += runEnds[k]!;
      runEnds[k] = end;
    }
    if (end !== h.rows) throw corruptBlock(`runs cover ${end} rows, the block has ${h.rows}`);
    const validity = h.nulls > 0 ? unpackBits(r.take(bitmapBytes(runs), 'run validity'), runs) : null;
    const data = readPlainValues(r, h.cls, runs, h.wide, 0);
    return { kind: 'rle', type: h.type, length: h.rows, values: { kind: 'flat', type: h.type, length: runs, data, validity }, runEnds };
  },
};
