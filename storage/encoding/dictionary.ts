// Dictionary encoding: the distinct values once, sorted ascending, and a bit-packed code per row;
// decoded to a `dictionary` vector so filters and GROUP BY can work on the codes. Suits VARCHAR
// and low-cardinality numbers; at most DICTIONARY_LIMIT entries.
// Payload: u32 entries D, u8 code width, the D entries in their plain layout, then the codes.
// A NULL row has code D, and a block with NULLs decodes to a dictionary of D + 1 entries whose
// last is NULL (a dictionary vector has no validity of its own).
// Invariant the readers may rely on: entries 0..D-1 are distinct and ascending (numbers with -0
// before 0 and NaN last, strings by UTF-16 code units), so a range predicate is a code range.

import type { Vector } from '../../common/vector.js';
import { type BlockAnalysis, DICTIONARY_LIMIT, NAN_KEY_HI } from './block-analysis.js';
import { bitWidth, pack, packedWords, unpackInt32 } from './bit-packing.js';
import type { BlockEncoding } from './block-encoding.js';
import { corruptBlock } from './block-reader.js';
import { EncodingId } from './encoding-kind.js';
import { PhysicalClass } from './physical-class.js';
import { plainValuesBytes, readPlainValues, writePlainValues } from './plain-values.js';
import { ValueHashTable } from './value-hash-table.js';

export const dictionary: BlockEncoding = {
  id: EncodingId.DICTIONARY,
  name: 'dictionary',
  rowValidity: false,

  unsupported: (a) =>
    a.codes === null ? `dictionary holds at most ${DICTIONARY_LIMIT} distinct values; this block has about ${a.stats.distinct}` : null,

  estimate(a) {
    const d = a.stats.distinct;
    const width = bitWidth(a.stats.nulls > 0 ? d : d - 1);
    return 8 + plainValuesBytes(a.cls, d, a.distinctTextUnits) + packedWords(a.stats.rows, width) * 4;
  },

  encode(a, w) {
    const d = a.stats.distinct;
    const n = a.stats.rows;
    const { rank, rows } = sortEntries(a);
    const width = bitWidth(a.stats.nulls > 0 ? d : d - 1);
    w.u32(d);
    w.u8(width);
    writePlainValues(w, a.cls, a.values.data, null, rows, d, a.wide);
    const codes = a.codes!;
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const c = codes[i]!;
      out[i] = c < 0 ? d : rank[c]!;
    }
    pack(out, n, width, w.uint32View(packedWords(n, width)));
  },

  decode(r, h): Vector {
    const d = r.u32('dictionary size');
    const width = r.u8('code width');
    const nullEntry = h.nulls > 0 ? 1 : 0;
    if (d > h.rows || width !== bitWidth(nullEntry === 1 ? d : d - 1)) {
      throw corruptBlock(`a dictionary of ${d} entries with ${width}-bit codes in ${h.rows} rows`);
    }
    const data = readPlainValues(r, h.cls, d, h.wide, nullEntry);
    const codes = new Int32Array(h.rows);
    unpackInt32(r.words(packedWords(h.rows, width), 'codes'), h.rows, width, 0, codes);
    // A code past the dictionary would read undefined: cheap to rule out, so it is never assumed.
    let maxCode = -1;
    for (let i = 0; i < h.rows; i++) if (codes[i]! > maxCode) maxCode = codes[i]!;
    if (maxCode >= d + nullEntry) throw corruptBlock(`code ${maxCode} is past a dictionary of ${d + nullEntry} entries`);
    let validity: Uint8Array | null = null;
    if (nullEntry === 1) {
      validity = new Uint8Array(d + 1).fill(1);
      validity[d] = 0;
    }
    return {
      kind: 'dictionary',
      type: h.type,
      length: h.rows,
      codes,
      dictionary: { kind: 'flat', type: h.type, length: d + nullEntry, data, validity },
    };
  },
};

/**
 * Orders the block's distinct values: rank[code] = position of first-seen code `code` in the
 * ascending order, rows[position] = a row holding that value. Sorting uses the typed arrays'
 * native numeric sort (and the default string sort, which compares code units), no comparator.
 */
function sortEntries(a: BlockAnalysis): { rank: Int32Array; rows: Int32Array } {
  const d = a.stats.distinct;
  const first = a.firstRows;
  const data = a.values.data;
  const rank = new Int32Array(d);
  switch (a.cls) {
    case PhysicalClass.BOOL:
    case PhysicalClass.INT32: {
      const src = data as Int32Array | Uint8Array;
      const vals = new Int32Array(d);
      for (let c = 0; c < d; c++) vals[c] = a.cls === PhysicalClass.BOOL ? (src[first[c]!] !== 0 ? 1 : 0) : src[first[c]!]!;
      const sorted = vals.slice().sort();
      const table = new ValueHashTable(d);
      for (let k = 0; k < d; k++) table.codeOf(0, sorted[k]!);
      for (let c = 0; c < d; c++) rank[c] = table.find(0, vals[c]!);
      break;
    }
    case PhysicalClass.FLOAT64:
    case PhysicalClass.WIDE: {
      const vals = data instanceof BigInt64Array ? new BigInt64Array(d) : new Float64Array(d);
      const src = new Int32Array((data as Float64Array).buffer, (data as Float64Array).byteOffset, a.stats.rows * 2);
      const dst = new Int32Array(vals.buffer);
      for (let c = 0; c < d; c++) {
        dst[2 * c] = src[2 * first[c]!]!;
        dst[2 * c + 1] = src[2 * first[c]! + 1]!;
      }
      const sorted = vals.slice().sort() as Float64Array | BigInt64Array;
      const sortedBits = new Int32Array(sorted.buffer);
      const isFloat = vals instanceof Float64Array;
      const table = new ValueHashTable(d);
      for (let k = 0; k < d; k++) keyOf(table, sortedBits, k, isFloat ? (sorted as Float64Array)[k]! : 0, true);
      for (let c = 0; c < d; c++) rank[c] = keyOf(table, dst, c, isFloat ? (vals as Float64Array)[c]! : 0, false);
      break;
    }
    case PhysicalClass.STRING: {
      const src = data as string[];
      const vals = new Array<string>(d);
      for (let c = 0; c < d; c++) vals[c] = src[first[c]!]!;
      const sorted = vals.slice().sort();
      const index = new Map<string, number>();
      for (let k = 0; k < d; k++) index.set(sorted[k]!, k);
      for (let c = 0; c < d; c++) rank[c] = index.get(vals[c]!)!;
      break;
    }
  }
  const rows = new Int32Array(d);
  for (let c = 0; c < d; c++) rows[rank[c]!] = first[c]!;
  return { rank, rows };
}

/** Adds (add) or finds the 64-bit value k of `bits`, every NaN as one key. */
function keyOf(table: ValueHashTable, bits: Int32Array, k: number, asDouble: number, add: boolean): number {
  const nan = asDouble !== asDouble;
  const hi = nan ? NAN_KEY_HI : bits[2 * k + 1]!;
  const lo = nan ? 0 : bits[2 * k]!;
  return add ? table.codeOf(hi, lo) : table.find(hi, lo);
}
