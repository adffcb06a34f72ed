// RowCollection and gathers: mixed Float64Array / BigInt64Array parts concatenate exactly,
// selections and all vector forms are honoured, gathers pad -1 with NULL, and limbsToFlat picks
// the narrow representation only when every value fits 2^53.

import { describe, expect, it } from 'vitest';
import { makeBatch } from '../../../common/batch.js';
import { T } from '../../../common/types.js';
import { getScalar, type Scalar } from '../../../common/vector.js';
import { gatherFlat, RowCollection, sliceFlat } from '../../../exec/hash/row-collection.js';
import { limbsToFlat } from '../../../exec/hash/int64-limbs.js';
import { batchOf, canon, flat } from '../operators/batches.js';

const read = (v: Parameters<typeof getScalar>[0]): Scalar[] => Array.from({ length: v.length }, (_, i) => canon(getScalar(v, i)));

describe('RowCollection', () => {
  it('concatenates batches of every form, exactly', () => {
    const types = [T.BIGINT, T.VARCHAR];
    const rc = new RowCollection(types, 'a test');
    rc.append(batchOf(types, [[1, 'a'], [null, 'b']], ['flat', 'dictionary'], true));
    rc.append(makeBatch([flat(T.BIGINT, [2n ** 62n + 1n], true), flat(T.VARCHAR, [null])], 1));
    rc.append(batchOf(types, []));
    rc.append(batchOf(types, [[-(2n ** 53n), 'c'], [-(2n ** 53n), 'c']], ['constant', 'rle']));
    const [a, b] = rc.finish();
    expect(rc.rowCount).toBe(5);
    expect(a!.data).toBeInstanceOf(BigInt64Array);
    expect(read(a!)).toEqual([1, null, `${2n ** 62n + 1n}n`, -(2 ** 53), -(2 ** 53)]);
    expect(read(b!)).toEqual(['a', 'b', null, 'c', 'c']);
  });

  it('refuses INTERVAL columns with a clear message', () => {
    expect(() => new RowCollection([T.INTERVAL], 'ORDER BY')).toThrow(/INTERVAL columns cannot pass through ORDER BY/);
  });
});

describe('gathers', () => {
  it('gatherFlat pads negative indexes with NULL, for every data kind', () => {
    const idx = Int32Array.from([2, -1, 0]);
    expect(read(gatherFlat(flat(T.BIGINT, [1n, 2n, 2n ** 62n], true), idx, 3, T.BIGINT))).toEqual([`${2n ** 62n}n`, null, 1]);
    expect(read(gatherFlat(flat(T.VARCHAR, ['x', null, 'z']), idx, 3, T.VARCHAR))).toEqual(['z', null, 'x']);
    expect(read(gatherFlat(flat(T.DOUBLE, [1.5, 2, 3]), Int32Array.from([2, 0]), 2, T.DOUBLE))).toEqual([3, 1.5]);
  });

  it('sliceFlat shares typed arrays', () => {
    const v = flat(T.INTEGER, [1, 2, null, 4]);
    const s = sliceFlat(v, 1, 3, T.INTEGER);
    expect(read(s)).toEqual([2, null]);
    expect((s.data as Int32Array).buffer).toBe((v.data as Int32Array).buffer);
  });

  it('limbsToFlat picks Float64Array up to 2^53 and BigInt64Array past it', () => {
    const hi = Float64Array.from([2097152, -2097152, 0]);
    const lo = Float64Array.from([0, 0, 5]);
    const narrow = limbsToFlat(T.BIGINT, hi, lo, null, 0, 3);
    expect(narrow.data).toBeInstanceOf(Float64Array);
    expect(read(narrow)).toEqual([2 ** 53, -(2 ** 53), 5]);
    const wide = limbsToFlat(T.BIGINT, Float64Array.from([2097152, -1]), Float64Array.from([1, 4294967295]), Uint8Array.from([1, 1]), 0, 2);
    expect(wide.data).toBeInstanceOf(BigInt64Array);
    expect(read(wide)).toEqual([`${2n ** 53n + 1n}n`, -1]);
  });
});
