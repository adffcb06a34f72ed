// Test helpers for column block encodings: seeded random blocks of every storable type in the
// shapes each encoding is built for (random, runs, few distinct values, sorted, constant) with
// every NULL pattern, vectors built from plain JS values, and checks that a decoded vector holds
// exactly the values encoded, in the form its encoding promises.

import fc from 'fast-check';
import { expect } from 'vitest';
import { decimalType, INT32_MAX, INT32_MIN, INT16_MAX, INT16_MIN, type LogicalType, T, TypeId } from '../../../common/types.js';
import { type FlatVector, getScalar, type Scalar, type Vector } from '../../../common/vector.js';
import { type BlockStats, DICTIONARY_LIMIT } from '../../../storage/encoding/block-analysis.js';
import type { EncodingName } from '../../../storage/encoding/encoding-kind.js';

export const SAFE = 2 ** 53;
const SAFE_N = 2n ** 53n;
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

/** Every type a column block can hold. */
export const BLOCK_TYPES: readonly LogicalType[] = [
  T.BOOLEAN,
  T.SMALLINT,
  T.INTEGER,
  T.DATE,
  T.BIGINT,
  decimalType(18, 3),
  decimalType(38, 10),
  T.REAL,
  T.DOUBLE,
  T.TIMESTAMP,
  T.TIMESTAMPTZ,
  T.VARCHAR,
];

const isWideType = (t: LogicalType) => t.id === TypeId.BIGINT || t.id === TypeId.DECIMAL;

/** A block as JS values: null = NULL; BIGINT/DECIMAL values are bigints. */
export interface BlockCase {
  type: LogicalType;
  values: Scalar[];
  /** BIGINT/DECIMAL: hand the block over as BigInt64Array even when every value is within 2^53. */
  asBigInt: boolean;
}

/** Builds the flat vector of a block (NULL slots hold 0 / 0n / ''). */
export function vectorOf(c: BlockCase): FlatVector {
  const { type, values } = c;
  const n = values.length;
  const validity = new Uint8Array(n).fill(1);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (values[i] === null) {
      validity[i] = 0;
      nulls++;
    }
  }
  let data: FlatVector['data'];
  switch (type.id) {
    case TypeId.BOOLEAN:
      data = Uint8Array.from(values, (v) => (v === null ? 0 : (v as number)));
      break;
    case TypeId.SMALLINT:
    case TypeId.INTEGER:
    case TypeId.DATE:
      data = Int32Array.from(values, (v) => (v === null ? 0 : (v as number)));
      break;
    case TypeId.BIGINT:
    case TypeId.DECIMAL: {
      const big = c.asBigInt || values.some((v) => v !== null && ((v as bigint) > SAFE_N || (v as bigint) < -SAFE_N));
      data = big
        ? BigInt64Array.from(values, (v) => (v === null ? 0n : (v as bigint)))
        : Float64Array.from(values, (v) => (v === null ? 0 : Number(v as bigint)));
      break;
    }
    case TypeId.VARCHAR:
      data = values.map((v) => (v === null ? '' : (v as string)));
      break;
    default:
      data = Float64Array.from(values, (v) => (v === null ? 0 : (v as number)));
  }
  return { kind: 'flat', type, length: n, data, validity: nulls > 0 ? validity : null };
}

/** Values of one type, with the edge values each type has. */
export function valueArb(type: LogicalType): fc.Arbitrary<Scalar> {
  switch (type.id) {
    case TypeId.BOOLEAN:
      return fc.integer({ min: 0, max: 1 });
    case TypeId.SMALLINT:
      return fc.oneof(fc.integer({ min: INT16_MIN, max: INT16_MAX }), fc.constantFrom(INT16_MIN, INT16_MAX, 0, -1));
    case TypeId.INTEGER:
    case TypeId.DATE:
      return fc.oneof(
        fc.integer({ min: INT32_MIN, max: INT32_MAX }),
        fc.integer({ min: -1000, max: 1000 }),
        fc.constantFrom(INT32_MIN, INT32_MAX, 0, -1, INT32_MIN + 1, INT32_MAX - 1),
      );
    case TypeId.BIGINT:
    case TypeId.DECIMAL:
      return fc.oneof(
        fc.bigInt({ min: -SAFE_N, max: SAFE_N }),
        fc.bigInt({ min: -100000n, max: 100000n }),
        fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
        fc.constantFrom(INT64_MIN, INT64_MAX, SAFE_N, -SAFE_N, SAFE_N + 1n, -SAFE_N - 1n, 0n, -1n, 2n ** 32n, -(2n ** 32n), 2n ** 32n - 1n),
      );
    case TypeId.REAL:
      return fc.float().map((x) => x as Scalar);
    case TypeId.DOUBLE:
      return fc.oneof(
        fc.double(),
        fc.integer({ min: -1e6, max: 1e6 }),
        fc.constantFrom(-0, 0, NaN, Infinity, -Infinity, SAFE, -SAFE, SAFE * 2, Number.MIN_VALUE, -Number.MAX_VALUE),
      );
    case TypeId.TIMESTAMP:
    case TypeId.TIMESTAMPTZ:
      return fc.oneof(
        fc.integer({ min: -1e9, max: 1e9 }).map((x) => 1.7e15 + x * 1000),
        fc.maxSafeInteger(),
        fc.constantFrom(SAFE, -SAFE, 0, 0.5),
      );
    case TypeId.VARCHAR:
      return fc.oneof(
        fc.string({ maxLength: 12 }),
        fc.string({ unit: 'grapheme', maxLength: 6 }),
        fc.string({ unit: 'binary', maxLength: 6 }),
        fc.constantFrom('', 'a', '\u0000', '\ufeffbom', '😀', 'é', '\ud800', '\udfff', 'x\ud83d', '\ude00y', '日本語'),
      );
    default:
      throw new Error(`no values for ${type.id}`);
  }
}

type Shape = 'random' | 'runs' | 'few' | 'sorted' | 'constant';
type NullMode = 'none' | 'some' | 'all' | 'runs';

/** Blocks of up to maxRows rows of one type, in every shape and NULL pattern. */
export function blockArb(type: LogicalType, maxRows = 200): fc.Arbitrary<BlockCase> {
  const value = valueArb(type);
  return fc
    .record({
      shape: fc.constantFrom<Shape>('random', 'runs', 'few', 'sorted', 'constant'),
      nulls: fc.constantFrom<NullMode>('none', 'none', 'some', 'all', 'runs'),
      pool: fc.array(value, { minLength: 1, maxLength: maxRows }),
      picks: fc.array(fc.nat(), { minLength: 0, maxLength: maxRows }),
      runLengths: fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 20 }),
      nullBits: fc.array(fc.boolean(), { maxLength: maxRows }),
      asBigInt: fc.boolean(),
    })
    .map(({ shape, nulls, pool, picks, runLengths, nullBits, asBigInt }) => {
      let values: Scalar[];
      switch (shape) {
        case 'random':
          values = picks.map((p, i) => pool[(p + i) % pool.length]!);
          break;
        case 'few':
          values = picks.map((p) => pool[p % Math.min(pool.length, 4)]!);
          break;
        case 'runs':
          values = runLengths.flatMap((len, r) => Array<Scalar>(len).fill(pool[r % pool.length]!));
          break;
        case 'sorted':
          values = picks.map((p) => pool[p % pool.length]!).sort(compareScalars);
          break;
        case 'constant':
          values = picks.map(() => pool[0]!);
          break;
      }
      values = values.slice(0, maxRows);
      const n = values.length;
      for (let i = 0; i < n; i++) {
        const isNull =
          nulls === 'all' ? true : nulls === 'some' ? (nullBits[i] ?? false) : nulls === 'runs' ? Math.floor(i / 7) % 3 === 1 : false;
        if (isNull) values[i] = null;
      }
      return { type, values, asBigInt };
    });
}

/** The block order: numbers (NaN last) and bigints by value, strings by code unit. */
export function compareScalars(a: Scalar, b: Scalar): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const x = BigInt(a as bigint);
  const y = BigInt(b as bigint);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Exact equality: -0 is not 0, NaN is NaN, a BIGINT number equals the bigint of its value. */
export function sameScalar(a: Scalar, b: Scalar): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    if (typeof a === 'string' || typeof b === 'string') return false;
    return BigInt(a as bigint) === BigInt(b as bigint);
  }
  return Object.is(a, b);
}

const show = (v: Scalar) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'number' && Object.is(v, -0) ? '-0' : JSON.stringify(v));

/** The vector kind each encoding decodes to. */
const KIND: Record<EncodingName, Vector['kind']> = {
  plain: 'flat',
  bitpacking: 'flat',
  delta: 'flat',
  rle: 'rle',
  dictionary: 'dictionary',
};

/**
 * Fails unless `decoded` holds exactly c.values, as the vector kind `encoding` promises, with
 * harmless NULL slots and the canonical BIGINT representation (BigInt64Array only past 2^53).
 */
export function expectDecoded(c: BlockCase, decoded: Vector, encoding: EncodingName): void {
  const n = c.values.length;
  expect(decoded.length).toBe(n);
  expect(decoded.kind).toBe(KIND[encoding]);
  expect(decoded.type).toEqual(c.type);
  for (let i = 0; i < n; i++) {
    const got = getScalar(decoded, i);
    if (!sameScalar(got, c.values[i]!)) {
      throw new Error(`row ${i} of ${n}: decoded ${show(got)}, encoded ${show(c.values[i]!)} (${encoding}, ${c.type.id})`);
    }
  }
  const flat = decoded.kind === 'flat' ? decoded : decoded.kind === 'rle' ? decoded.values : decoded.kind === 'dictionary' ? decoded.dictionary : null;
  if (flat === null) throw new Error('a block never decodes to a constant vector');
  if (flat.data instanceof BigInt64Array || (isWideType(c.type) && flat.data instanceof Float64Array)) {
    const anyUnsafe = c.values.some((v) => v !== null && ((v as bigint) > SAFE_N || (v as bigint) < -SAFE_N));
    expect(flat.data instanceof BigInt64Array).toBe(anyUnsafe);
  }
  if (flat.validity !== null) {
    expect(flat.validity.length).toBe(flat.length);
    for (let i = 0; i < flat.length; i++) {
      const slot = flat.data[i];
      if (flat.validity[i] === 0 && !(slot === 0 || slot === 0n || slot === '')) throw new Error(`NULL slot ${i} holds ${show(slot!)}`);
    }
  }
  if (decoded.kind === 'rle') {
    let prev = 0;
    for (const end of decoded.runEnds) {
      if (end <= prev) throw new Error(`run ends not increasing: ${end} after ${prev}`);
      prev = end;
    }
    expect(prev).toBe(n);
    expect(decoded.values.length).toBe(decoded.runEnds.length);
  }
  if (decoded.kind === 'dictionary') {
    // Entries are distinct and ascending; a NULL entry, if any, is last.
    const d = decoded.dictionary;
    const entries = d.validity !== null ? d.length - 1 : d.length;
    for (let k = 1; k < entries; k++) {
      const a = getScalar(d, k - 1);
      const b = getScalar(d, k);
      const order = compareScalars(a, b);
      if (!(order < 0 || (order === 0 && Object.is(a, -0) && Object.is(b, 0)))) {
        throw new Error(`dictionary entries ${k - 1} and ${k} out of order: ${show(a)}, ${show(b)}`);
      }
    }
    if (d.validity !== null) expect(d.validity[d.length - 1]).toBe(0);
  }
}

/** The statistics a block of these values must report. */
export function expectStats(c: BlockCase, stats: BlockStats): void {
  const valid = c.values.filter((v) => v !== null);
  expect(stats.rows).toBe(c.values.length);
  expect(stats.nulls).toBe(c.values.length - valid.length);
  const key = (v: Scalar) => (typeof v === 'number' && Object.is(v, -0) ? '-0' : typeof v === 'number' ? `n${v}` : `${typeof v}:${String(v)}`);
  const distinct = new Set(valid.map(key)).size;
  if (distinct <= DICTIONARY_LIMIT) expect(stats.distinct).toBe(distinct);
  else {
    // Past the limit the count is an estimate: more than the limit, at most one per value.
    expect(stats.distinct).toBeGreaterThan(DICTIONARY_LIMIT);
    expect(stats.distinct).toBeLessThanOrEqual(valid.length);
  }
  let sorted = true;
  for (let i = 1; i < valid.length; i++) if (compareScalars(valid[i - 1]!, valid[i]!) > 0) sorted = false;
  expect(stats.sorted).toBe(sorted);
  if (valid.length === 0) {
    expect(stats.min).toBeNull();
    expect(stats.max).toBeNull();
    return;
  }
  const ordered = [...valid].sort(compareScalars);
  expect(compareScalars(stats.min, ordered[0]!)).toBe(0);
  expect(compareScalars(stats.max, ordered[ordered.length - 1]!)).toBe(0);
}
