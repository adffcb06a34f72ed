// Key encoding: every vector form of the same values encodes to the same key columns and hashes;
// BIGINT from Float64Array and BigInt64Array agree; -0/0 and NaN normalize; hashKeyRow equals
// the column-wise hash; keyColumnToVector gives the values back in their logical type.

import { describe, expect, it } from 'vitest';
import { type LogicalType, T } from '../../../common/types.js';
import { getScalar, type Scalar, type Vector } from '../../../common/vector.js';
import {
  hashKeyRow,
  joinKeyKind,
  KEY_F64,
  KEY_WIDE,
  keyColumnToVector,
  KeyEncoder,
  keyKindOf,
  keyRowsEqual,
  keyRowsMaybeEqual,
} from '../../../exec/hash/key-columns.js';
import { canon, type Form, vectorOf } from '../operators/batches.js';

const FORMS: Form[] = ['flat', 'wide', 'dictionary', 'constant', 'rle'];

function encodeAll(type: LogicalType, values: Scalar[]): { hashes: number[]; back: Scalar[] }[] {
  return FORMS.map((form) => {
    const v: Vector = vectorOf(type, values, form);
    const enc = new KeyEncoder([keyKindOf(type)]);
    const keys = enc.encode([v], null, values.length, true);
    for (let k = 0; k < values.length; k++) expect(hashKeyRow(keys, k)).toBe(keys.hashes[k]);
    const out = keyColumnToVector(keys, 0, type, 0, values.length);
    return { hashes: Array.from(keys.hashes.subarray(0, values.length)), back: Array.from({ length: values.length }, (_, i) => canon(getScalar(out, i))) };
  });
}

describe('KeyEncoder', () => {
  const cases: [LogicalType, Scalar[]][] = [
    [T.INTEGER, [1, -1, null, 2147483647, -2147483648, 1]],
    [T.BOOLEAN, [1, 0, null, 1]],
    [T.VARCHAR, ['a', '', null, 'é', 'a']],
    [T.DOUBLE, [1.5, NaN, null, Infinity, 1.5]],
    [T.BIGINT, [2n ** 62n, -(2n ** 62n), null, 5n, -1n, 2n ** 53n]],
    [T.DATE, [0, 19000, null]],
    [T.NULL, [null, null]],
  ];
  for (const [type, values] of cases) {
    it(`encodes ${type.id} the same way from every vector form`, () => {
      const all = encodeAll(type, values);
      for (const r of all) {
        expect(r.hashes).toEqual(all[0]!.hashes);
        expect(r.back).toEqual(values.map(canon));
      }
    });
  }

  it('normalizes -0 to 0 and every NaN to one value', () => {
    const enc = new KeyEncoder([KEY_F64]);
    const nan2 = new Float64Array(new BigInt64Array([0x7ff8000000000001n]).buffer)[0]!;
    const keys = enc.encode([vectorOf(T.DOUBLE, [0, -0, NaN, nan2], 'flat')], null, 4, true);
    expect(keys.hashes[0]).toBe(keys.hashes[1]);
    expect(keys.hashes[2]).toBe(keys.hashes[3]);
    expect(keyRowsEqual(keys, 0, keys, 1)).toBe(true);
    expect(keyRowsEqual(keys, 2, keys, 3)).toBe(true);
    expect(keyRowsEqual(keys, 0, keys, 2)).toBe(false);
  });

  it('honours a selection and spreads constants', () => {
    const enc = new KeyEncoder([keyKindOf(T.VARCHAR), keyKindOf(T.INTEGER)]);
    const keys = enc.encode(
      [vectorOf(T.VARCHAR, ['x', 'y', 'z'], 'dictionary'), { kind: 'constant', type: T.INTEGER, length: 3, value: null }],
      Int32Array.from([2, 0]),
      2,
      true,
    );
    expect(keys.cols[0]!.str.slice(0, 2)).toEqual(['z', 'x']);
    expect(Array.from(keys.anyNull.subarray(0, 2))).toEqual([1, 1]);
    expect(keyRowsMaybeEqual(keys, 0, keys, 1)).toBe(false);
  });

  it('picks one representation for both sides of a join key', () => {
    expect(joinKeyKind(T.INTEGER, T.BIGINT)).toBe(KEY_WIDE);
    expect(joinKeyKind(T.INTEGER, T.DOUBLE)).toBe(KEY_F64);
    expect(joinKeyKind(T.BIGINT, T.DOUBLE)).toBe(KEY_F64);
    expect(joinKeyKind(T.NULL, T.VARCHAR)).toBe(keyKindOf(T.VARCHAR));
    expect(() => joinKeyKind(T.VARCHAR, T.DATE)).toThrow(/cannot join/);
    expect(() => keyKindOf(T.INTERVAL)).toThrow(/INTERVAL/);
  });

  it('INTEGER data encoded as a wide key equals BIGINT data', () => {
    const a = new KeyEncoder([KEY_WIDE]).encode([vectorOf(T.INTEGER, [-7, 3], 'flat')], null, 2, true);
    const b = new KeyEncoder([KEY_WIDE]).encode([vectorOf(T.BIGINT, [-7n, 3n], 'wide')], null, 2, true);
    expect(keyRowsEqual(a, 0, b, 0)).toBe(true);
    expect(a.hashes[1]).toBe(b.hashes[1]);
  });
});
