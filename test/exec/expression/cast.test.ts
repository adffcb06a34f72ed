// Contract tests of exec/expression/cast.ts: which casts exist, PostgreSQL's rounding rules
// (exact numerics round half away from zero, floats half to even), range errors with the
// target type's name, TRY_CAST turning only the failing rows into NULL, BIGINT/DECIMAL results
// switching to BigInt64Array beyond 2^53, text parsing and formatting.

import { describe, expect, it } from 'vitest';
import { vec } from './vectors.js';
import { QuiverError } from '../../../common/errors.js';
import { type LogicalType, T, decimalType } from '../../../common/types.js';
import { type FlatVector, type Scalar, getScalar } from '../../../common/vector.js';
import { castScalar, castSupported, castVector, formatValue, parseText } from '../../../exec/expression/cast.js';


function valuesOf(v: FlatVector): Scalar[] {
  return Array.from({ length: v.length }, (_, i) => getScalar(v, i));
}

function castError(f: () => unknown): QuiverError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(QuiverError);
    return e as QuiverError;
  }
  throw new Error('expected the cast to fail');
}

const D52 = decimalType(5, 2);

describe('castSupported', () => {
  it('allows numeric, boolean-integer, temporal and any text casts', () => {
    const yes: [LogicalType, LogicalType][] = [
      [T.INTEGER, T.BIGINT], [T.DOUBLE, T.SMALLINT], [D52, T.REAL], [T.BOOLEAN, T.INTEGER], [T.BIGINT, T.BOOLEAN],
      [T.DATE, T.TIMESTAMP], [T.TIMESTAMPTZ, T.DATE], [T.VARCHAR, T.DATE], [T.DATE, T.VARCHAR], [T.NULL, T.DATE],
    ];
    for (const [from, to] of yes) expect(castSupported(from, to), `${from.id} -> ${to.id}`).toBe(true);
  });

  it('refuses dates to numbers and booleans to floats', () => {
    const no: [LogicalType, LogicalType][] = [[T.INTEGER, T.DATE], [T.DATE, T.INTEGER], [T.BOOLEAN, T.DOUBLE], [T.DOUBLE, T.BOOLEAN], [T.TIMESTAMP, T.BIGINT]];
    for (const [from, to] of no) expect(castSupported(from, to), `${from.id} -> ${to.id}`).toBe(false);
    const e = castError(() => castVector(vec(T.INTEGER, [1]), T.DATE, false));
    expect(e.message).toContain('cannot cast INTEGER to DATE');
  });
});

describe('numbers to integers', () => {
  it('rounds DECIMAL half away from zero', () => {
    // DECIMAL(5,2) values are scaled by 100: 2.50, -2.50, 3.49, -0.50.
    expect(valuesOf(castVector(vec(D52, [250, -250, 349, -50]), T.INTEGER, false))).toEqual([3, -3, 3, -1]);
  });

  it('rounds DOUBLE half to even', () => {
    expect(valuesOf(castVector(vec(T.DOUBLE, [0.5, 1.5, 2.5, -2.5, 2.7]), T.INTEGER, false))).toEqual([0, 2, 2, -2, 3]);
  });

  it('raises "integer out of range" / "smallint out of range" past the type', () => {
    expect(castError(() => castScalar(2147483648, T.BIGINT, T.INTEGER)).message).toBe('integer out of range');
    expect(castError(() => castScalar(-2147483649, T.BIGINT, T.INTEGER)).code).toBe('OVERFLOW_ERROR');
    expect(castError(() => castScalar(32768, T.INTEGER, T.SMALLINT)).message).toBe('smallint out of range');
    expect(castError(() => castScalar(2147483647.5, T.DOUBLE, T.INTEGER)).message).toBe('integer out of range');
    expect(castScalar(2147483647, T.BIGINT, T.INTEGER)).toBe(2147483647);
    expect(castScalar(-32768, T.INTEGER, T.SMALLINT)).toBe(-32768);
  });

  it('casts BigInt64Array BIGINTs to INTEGER with a range check', () => {
    expect(valuesOf(castVector(vec(T.BIGINT, [5n, -7n], true), T.INTEGER, false))).toEqual([5, -7]);
    expect(castError(() => castVector(vec(T.BIGINT, [9007199254740993n], true), T.INTEGER, false)).message).toBe('integer out of range');
  });

  it('does not check NULL rows', () => {
    const v: FlatVector = { ...vec(T.BIGINT, [1, 99999999999]), validity: Uint8Array.from([1, 0]) };
    expect(valuesOf(castVector(v, T.INTEGER, false))).toEqual([1, null]);
  });
});

describe('to BIGINT and DECIMAL', () => {
  it('scales integers into DECIMAL and checks the precision', () => {
    expect(valuesOf(castVector(vec(T.INTEGER, [7, -12]), D52, false))).toEqual([700, -1200]);
    const e = castError(() => castScalar(1000, T.INTEGER, D52));
    expect(e.code).toBe('OVERFLOW_ERROR');
    expect(e.message).toContain('DECIMAL(5,2)');
  });

  it('rounds DECIMAL to a smaller scale half away from zero', () => {
    const d3 = decimalType(6, 3);
    // 1.005, -1.005, 1.004 -> DECIMAL(5,2): 1.01, -1.01, 1.00
    expect(valuesOf(castVector(vec(d3, [1005, -1005, 1004]), D52, false))).toEqual([101, -101, 100]);
  });

  it('rounds DOUBLE into DECIMAL and refuses infinities', () => {
    expect(castScalar(1.005, T.DOUBLE, decimalType(10, 3))).toBe(1005);
    expect(castError(() => castScalar(Infinity, T.DOUBLE, T.BIGINT)).code).toBe('CONVERSION_ERROR');
  });

  it('switches to BigInt64Array when a result passes 2^53', () => {
    const out = castVector(vec(T.INTEGER, [1, 999999999]), decimalType(18, 9), false);
    expect(out.data).toBeInstanceOf(BigInt64Array);
    expect(valuesOf(out)).toEqual([1000000000n, 999999999000000000n]);
  });

  it('keeps BIGINT extremes exact through DECIMAL(18,0) and back', () => {
    const wide = vec(T.BIGINT, [999999999999999999n, -999999999999999999n], true);
    const asDecimal = castVector(wide, decimalType(18, 0), false);
    expect(valuesOf(castVector(asDecimal, T.BIGINT, false))).toEqual([999999999999999999n, -999999999999999999n]);
    expect(castError(() => castVector(vec(T.BIGINT, [9223372036854775807n], true), decimalType(18, 0), false)).code).toBe('OVERFLOW_ERROR');
  });

  it('converts wide DECIMAL to DOUBLE through its exact digits', () => {
    expect(castScalar(123456789012345678n, decimalType(18, 2), T.DOUBLE)).toBe(Number('1234567890123456.78'));
  });
});

describe('TRY_CAST', () => {
  it('turns only the failing rows into NULL', () => {
    const out = castVector(vec(T.VARCHAR, ['1', 'x', null, '40000', ' 7 ']), T.SMALLINT, true);
    expect(valuesOf(out)).toEqual([1, null, null, null, 7]);
  });

  it('gives NULL for a value out of range', () => {
    expect(castScalar(1e100, T.DOUBLE, T.BIGINT, true)).toBeNull();
    expect(castScalar(70000, T.INTEGER, T.SMALLINT, true)).toBeNull();
  });
});

describe('text', () => {
  it('parses every type strictly', () => {
    expect(parseText(' 42 ', T.INTEGER)).toBe(42);
    expect(parseText('9223372036854775807', T.BIGINT)).toBe(9223372036854775807n);
    expect(parseText('-1.50', D52)).toBe(-150);
    expect(parseText('2024-02-29', T.DATE)).toBe(19782);
    expect(parseText('yes', T.BOOLEAN)).toBe(1);
    expect(parseText('off', T.BOOLEAN)).toBe(0);
    expect(parseText('1e3', T.DOUBLE)).toBe(1000);
    // Text with more decimals than the scale rounds, as in PostgreSQL.
    expect(parseText('1.235', D52)).toBe(124);
    for (const [text, type] of [['1.5', T.INTEGER], ['', T.INTEGER], ['2024-02-30', T.DATE], ['maybe', T.BOOLEAN], ['1234.5', D52]] as const) {
      const e = castError(() => parseText(text, type));
      expect(['CONVERSION_ERROR', 'OVERFLOW_ERROR']).toContain(e.code);
    }
  });

  it('names the bad value in the error', () => {
    expect(castError(() => castVector(vec(T.VARCHAR, ['12', 'abc']), T.INTEGER, false)).message).toContain('"abc"');
  });

  it('formats every type as SQL text', () => {
    expect(formatValue(150, D52)).toBe('1.50');
    expect(formatValue(-5, D52)).toBe('-0.05');
    expect(formatValue(1.5, T.DOUBLE)).toBe('1.5');
    expect(formatValue(1, T.BOOLEAN)).toBe('true');
    expect(formatValue(19782, T.DATE)).toBe('2024-02-29');
    expect(formatValue(9223372036854775807n, T.BIGINT)).toBe('9223372036854775807');
    expect(formatValue(null, T.INTEGER)).toBe('NULL');
    expect(valuesOf(castVector(vec(T.INTEGER, [1, null]), T.VARCHAR, false))).toEqual(['1', null]);
  });

  it('round-trips dates and timestamps through text', () => {
    const ts = parseText('2024-01-02 03:04:05.25', T.TIMESTAMP) as number;
    expect(formatValue(ts, T.TIMESTAMP)).toBe('2024-01-02 03:04:05.25');
    expect(castScalar(ts, T.TIMESTAMP, T.DATE)).toBe(parseText('2024-01-02', T.DATE));
    expect(castScalar(parseText('1969-12-31 23:59:59', T.TIMESTAMP), T.TIMESTAMP, T.DATE)).toBe(-1);
  });
});

describe('NULL and identity casts', () => {
  it('casts the NULL type to anything as NULLs', () => {
    const out = castVector({ kind: 'flat', type: T.NULL, length: 2, data: new Float64Array(2), validity: new Uint8Array(2) }, T.DATE, false);
    expect(out.type).toEqual(T.DATE);
    expect(valuesOf(out)).toEqual([null, null]);
    expect(castScalar(null, T.INTEGER, T.VARCHAR)).toBeNull();
  });

  it('returns the same vector for a cast to its own type', () => {
    const v = vec(D52, [1, 2]);
    expect(castVector(v, decimalType(5, 2), false)).toBe(v);
  });
});
