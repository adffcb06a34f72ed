// DirectJoin (exec/hash/direct-join.ts): a unique, narrow INTEGER build key becomes a lookup
// array; the probe batch's vectors pass through with the matched rows as the selection (or are
// compacted when few rows match), for every key vector kind; repeated or too widely spread
// build keys fall back to the hash table (null).

import { describe, expect, it } from 'vitest';
import { type Batch, makeBatch } from '../../../common/batch.js';
import { T } from '../../../common/types.js';
import { type FlatVector, flatten, type Vector } from '../../../common/vector.js';
import { DirectJoin } from '../../../exec/hash/direct-join.js';

const ints = (values: (number | null)[]): FlatVector => ({
  kind: 'flat',
  type: T.INTEGER,
  length: values.length,
  data: Int32Array.from(values, (v) => v ?? 0),
  validity: values.includes(null) ? Uint8Array.from(values, (v) => (v === null ? 0 : 1)) : null,
});
const strs = (values: string[]): FlatVector => ({ kind: 'flat', type: T.VARCHAR, length: values.length, data: values, validity: null });

/** The rows of a batch as arrays of JS values. */
function rows(b: Batch): unknown[][] {
  const cols = b.columns.map((v) => flatten(v));
  const out: unknown[][] = [];
  for (let k = 0; k < b.count; k++) {
    const r = b.selection === null ? k : b.selection[k]!;
    out.push(cols.map((c) => (c.validity !== null && c.validity[r] === 0 ? null : (c.data as ArrayLike<unknown>)[r])));
  }
  return out;
}

// Build side: key, name.
const build = (keys: (number | null)[]) => DirectJoin.build(ints(keys), 0, [T.INTEGER, T.INTEGER], [ints(keys), strs(keys.map((k) => `n${k}`))], [T.INTEGER, T.VARCHAR]);

describe('DirectJoin', () => {
  it('falls back when build keys repeat, spread too far, or are all NULL', () => {
    expect(build([1, 2, 1])).toBeNull();
    expect(build([0, 10_000_000])).toBeNull();
    expect(build([null, null])).toBeNull();
    expect(build([5, null, 7])).not.toBeNull();
  });

  it('keeps the probe vectors and selects the matched rows; NULL and missing keys drop', () => {
    const join = build([10, 11, 12, null, 14])!;
    const probe = makeBatch([ints([11, 13, null, 10, 14, 11, 12, 99]), ints([1, 2, 3, 4, 5, 6, 7, 8])], 8);
    const out = join.probe(probe)!;
    expect(out.columns[0]).toBe(probe.columns[0]);
    expect(rows(out)).toEqual([[11, 1, 11, 'n11'], [10, 4, 10, 'n10'], [14, 5, 14, 'n14'], [11, 6, 11, 'n11'], [12, 7, 12, 'n12']]);
    // With a selection on the probe batch.
    expect(rows(join.probe(makeBatch(probe.columns, 8, Int32Array.from([0, 1, 6])))!)).toEqual([[11, 1, 11, 'n11'], [12, 7, 12, 'n12']]);
    expect(join.probe(makeBatch([ints([1, 2]), ints([0, 0])], 2))).toBeNull();
  });

  it('looks up each run or dictionary entry once, and compacts a sparse result', () => {
    const join = build([10, 11, 12])!;
    const rle: Vector = { kind: 'rle', type: T.INTEGER, length: 6, values: ints([11, 99, 12]), runEnds: Int32Array.from([2, 5, 6]) };
    expect(rows(join.probe(makeBatch([rle, ints([1, 2, 3, 4, 5, 6])], 6))!)).toEqual([[11, 1, 11, 'n11'], [11, 2, 11, 'n11'], [12, 6, 12, 'n12']]);
    const dict: Vector = { kind: 'dictionary', type: T.INTEGER, length: 4, dictionary: ints([12, null, 10]), codes: Int32Array.from([2, 1, 0, 2]) };
    expect(rows(join.probe(makeBatch([dict, ints([1, 2, 3, 4])], 4, Int32Array.from([1, 2, 3])))!)).toEqual([[12, 3, 12, 'n12'], [10, 4, 10, 'n10']]);
    // One match in 100 rows: the output is dense, 1 row long.
    const many = ints(Array.from({ length: 100 }, (_, i) => (i === 50 ? 12 : 1000 + i)));
    const sparse = join.probe(makeBatch([many, many], 100))!;
    expect(sparse.length).toBe(1);
    expect(sparse.selection).toBeNull();
    expect(rows(sparse)).toEqual([[12, 12, 12, 'n12']]);
  });

  it('passes the strings of a small build side on as a dictionary over the build column', () => {
    const join = build([10, 11, 12])!;
    const out = join.probe(makeBatch([ints([12, 10, 12]), ints([1, 2, 3])], 3))!;
    const names = out.columns[3]!;
    expect(names.kind).toBe('dictionary');
    expect(names.kind === 'dictionary' && [...names.codes]).toEqual([2, 0, 2]);
    expect(rows(out).map((r) => r[3])).toEqual(['n12', 'n10', 'n12']);
  });
});
