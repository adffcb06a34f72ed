// CAST between logical types, one specialized loop per (from, to) category. Casts follow
// PostgreSQL: float to integer rounds half to even, numeric to integer rounds half away from
// zero, out-of-range values are errors, text is parsed strictly. TRY_CAST gives NULL instead
// of an error, row by row.

import { QuiverError, overflowError, typeError } from '../../common/errors.js';
import {
  INT16_MAX, INT16_MIN, INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN, type LogicalType, SAFE_LIMIT, TypeId, pow10, pow10n, typeToString,
} from '../../common/types.js';
import { type ColumnData, type FlatVector, type Scalar, allocData } from '../../common/vector.js';
import * as TV from '../../common/text-values.js';
import { MICROS_PER_DAY, descaleRound, descaleRoundBig, roundHalfEven } from './helpers.js';

/** Can a value of type `from` be cast to `to` at all? (Explicit casts.) */
export function castSupported(from: LogicalType, to: LogicalType): boolean {
  if (from.id === TypeId.NULL || from.id === to.id || from.id === TypeId.VARCHAR || to.id === TypeId.VARCHAR) return true;
  const num = (t: LogicalType) =>
    t.id === TypeId.SMALLINT || t.id === TypeId.INTEGER || t.id === TypeId.BIGINT || t.id === TypeId.DECIMAL || t.id === TypeId.REAL || t.id === TypeId.DOUBLE;
  const int = (t: LogicalType) => t.id === TypeId.SMALLINT || t.id === TypeId.INTEGER || t.id === TypeId.BIGINT;
  if (num(from) && num(to)) return true;
  if (from.id === TypeId.BOOLEAN && int(to)) return true;
  if (int(from) && to.id === TypeId.BOOLEAN) return true;
  const temporal = (t: LogicalType) => t.id === TypeId.DATE || t.id === TypeId.TIMESTAMP || t.id === TypeId.TIMESTAMPTZ;
  return temporal(from) && temporal(to);
}

/** Casts one value (constant folding and literals). */
export function castScalar(value: Scalar, from: LogicalType, to: LogicalType, tryCast = false): Scalar {
  if (value === null) return null;
  const data = allocData(from.id === TypeId.NULL ? to : from, 1, typeof value === 'bigint');
  (data as unknown as Scalar[])[0] = value;
  const out = castVector({ kind: 'flat', type: from, length: 1, data, validity: null }, to, tryCast);
  return out.validity !== null && out.validity[0] === 0 ? null : (out.data[0] as Scalar);
}

/** Casts a flat vector; the result is flat with `to` as its type. */
export function castVector(v: FlatVector, to: LogicalType, tryCast: boolean): FlatVector {
  const from = v.type;
  const n = v.length;
  if (from.id === TypeId.NULL) {
    return { kind: 'flat', type: to, length: n, data: allocData(to, n), validity: new Uint8Array(n) };
  }
  if (from.id === to.id && from.scale === to.scale && from.precision === to.precision) return v;
  if (!castSupported(from, to)) {
    throw typeError(`cannot cast ${typeToString(from)} to ${typeToString(to)}`);
  }
  const validity = v.validity === null ? null : v.validity.slice();
  const state: CastState = { validity, tryCast, n };
  const data = castData(v.data, from, to, state, v.validity);
  return { kind: 'flat', type: to, length: n, data, validity: state.validity };
}

interface CastState {
  validity: Uint8Array | null;
  tryCast: boolean;
  n: number;
}

/** Marks row i NULL (TRY_CAST) or rethrows. */
function fail(s: CastState, i: number, e: unknown): void {
  if (!s.tryCast) throw e;
  if (s.validity === null) s.validity = new Uint8Array(s.n).fill(1);
  s.validity[i] = 0;
}

const isNull = (valid: Uint8Array | null, i: number) => valid !== null && valid[i] === 0;

function intRange(t: LogicalType): [number, number] {
  return t.id === TypeId.SMALLINT ? [INT16_MIN, INT16_MAX] : [INT32_MIN, INT32_MAX];
}

function castData(src: ColumnData, from: LogicalType, to: LogicalType, s: CastState, valid: Uint8Array | null): ColumnData {
  const n = s.n;
  const f = from.id;
  const t = to.id;
  // ---- to VARCHAR
  if (t === TypeId.VARCHAR) {
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) out[i] = isNull(valid, i) ? '' : formatValue(src[i] as Scalar, from);
    return out;
  }
  // ---- from VARCHAR
  if (f === TypeId.VARCHAR) return parseStrings(src as string[], to, s, valid);
  // ---- numeric and boolean sources
  if (f === TypeId.BOOLEAN) {
    const out = allocData(to, n) as Int32Array | Float64Array;
    for (let i = 0; i < n; i++) out[i] = (src as Uint8Array)[i]! * (t === TypeId.DECIMAL ? pow10(to.scale!) : 1);
    return out;
  }
  if (t === TypeId.BOOLEAN) {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = src[i] === 0 || src[i] === 0n ? 0 : 1;
    return out;
  }
  if (f === TypeId.DATE || f === TypeId.TIMESTAMP || f === TypeId.TIMESTAMPTZ) return castTemporal(src as Int32Array | Float64Array, from, to);
  const fromScale = f === TypeId.DECIMAL ? from.scale! : 0;
  const isFloat = f === TypeId.DOUBLE || f === TypeId.REAL;
  switch (t) {
    case TypeId.SMALLINT:
    case TypeId.INTEGER: {
      const [lo, hi] = intRange(to);
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        if (isNull(valid, i)) continue;
        const x = src[i]!;
        let r: number;
        if (typeof x === 'bigint') r = Number(fromScale > 0 ? descaleRoundBig(x, fromScale) : x);
        else if (isFloat) r = roundHalfEven(x as number);
        else r = fromScale > 0 ? descaleRound(x as number, fromScale) : (x as number);
        if (!(r >= lo && r <= hi)) {
          fail(s, i, overflowError(`${t === TypeId.SMALLINT ? 'smallint' : 'integer'} out of range`));
          continue;
        }
        out[i] = r;
      }
      return out;
    }
    case TypeId.BIGINT:
    case TypeId.DECIMAL: {
      const scale = t === TypeId.DECIMAL ? to.scale! : 0;
      const limitDigits = t === TypeId.DECIMAL ? to.precision! : 0;
      return toWide(src, fromScale, isFloat, scale, limitDigits, s, valid, t === TypeId.DECIMAL ? typeToString(to) : 'bigint');
    }
    case TypeId.REAL:
    case TypeId.DOUBLE: {
      const out = new Float64Array(n);
      const div = pow10(fromScale);
      for (let i = 0; i < n; i++) {
        const x = src[i]!;
        out[i] = typeof x === 'bigint' ? bigToDouble(x, fromScale) : fromScale > 0 ? (x as number) / div : (x as number);
      }
      return out;
    }
  }
  throw typeError(`cannot cast ${typeToString(from)} to ${typeToString(to)}`);
}

function bigToDouble(x: bigint, scale: number): number {
  if (scale === 0) return Number(x);
  // Exact division via the decimal string keeps the double correctly rounded.
  return Number(TV.formatDecimal(x, scale));
}

/** To BIGINT or DECIMAL(p, scale): Float64 when every result is within 2^53, else BigInt64. */
function toWide(src: ColumnData, fromScale: number, isFloat: boolean, scale: number, precision: number, s: CastState, valid: Uint8Array | null, name: string): ColumnData {
  const n = s.n;
  const out = new Float64Array(n);
  const limit = precision > 0 ? 10 ** precision : Infinity;
  let big: BigInt64Array | null = null;
  for (let i = 0; i < n; i++) {
    if (isNull(valid, i)) continue;
    const x = src[i]!;
    let r: number | bigint;
    if (typeof x === 'bigint') {
      r = scale >= fromScale ? x * pow10n(scale - fromScale) : descaleRoundBig(x, fromScale - scale);
    } else if (isFloat) {
      const y = x as number;
      if (!Number.isFinite(y)) {
        fail(s, i, new QuiverError('CONVERSION_ERROR', `cannot convert ${y} to ${name}`));
        continue;
      }
      const scaled = scale > 0 ? y * pow10(scale) : y;
      const rounded = scale > 0 ? (scaled < 0 ? -Math.round(-scaled) : Math.round(scaled)) : roundHalfEven(y);
      r = Math.abs(rounded) < SAFE_LIMIT ? rounded : BigInt(rounded);
    } else {
      const y = x as number;
      if (scale >= fromScale) {
        const m = y * pow10(scale - fromScale);
        r = Math.abs(m) < SAFE_LIMIT ? m : BigInt(y) * pow10n(scale - fromScale);
      } else r = descaleRound(y, fromScale - scale);
    }
    if (typeof r === 'bigint') {
      if (r > INT64_MAX || r < INT64_MIN || (precision > 0 && (r < 0n ? -r : r) >= 10n ** BigInt(precision))) {
        fail(s, i, overflowError(`value out of range for ${name}`));
        continue;
      }
      if (big === null) big = BigInt64Array.from(out, (v) => BigInt(v));
      big[i] = r;
    } else {
      if (Math.abs(r) >= limit) {
        fail(s, i, overflowError(`value out of range for ${name}`));
        continue;
      }
      if (big !== null) big[i] = BigInt(r);
      else out[i] = r;
    }
  }
  return big ?? out;
}

function castTemporal(src: Int32Array | Float64Array, from: LogicalType, to: LogicalType): ColumnData {
  const n = src.length;
  if (from.id === TypeId.DATE) {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = src[i]! * MICROS_PER_DAY;
    return out;
  }
  if (to.id === TypeId.DATE) {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.floor(src[i]! / MICROS_PER_DAY);
    return out;
  }
  return src; // TIMESTAMP <-> TIMESTAMPTZ: both UTC micros
}

function parseStrings(src: string[], to: LogicalType, s: CastState, valid: Uint8Array | null): ColumnData {
  const n = s.n;
  const out = allocData(to, n);
  let big: BigInt64Array | null = null;
  for (let i = 0; i < n; i++) {
    if (isNull(valid, i)) continue;
    let v: Scalar;
    try {
      v = parseText(src[i]!, to);
    } catch (e) {
      fail(s, i, e);
      continue;
    }
    if (typeof v === 'bigint') {
      if (big === null) big = BigInt64Array.from(out as Float64Array, (x) => BigInt(x));
      big[i] = v;
    } else if (big !== null) big[i] = BigInt(v as number);
    else (out as unknown as Scalar[])[i] = v;
  }
  return big ?? out;
}

/** Parses SQL text into a physical value of type `to`. */
export function parseText(text: string, to: LogicalType): Scalar {
  switch (to.id) {
    case TypeId.BOOLEAN:
      return TV.parseBoolean(text);
    case TypeId.SMALLINT:
    case TypeId.INTEGER:
    case TypeId.BIGINT:
      return TV.parseInteger(text, to);
    case TypeId.DECIMAL:
      return TV.parseDecimal(text, to.precision!, to.scale!);
    case TypeId.REAL:
    case TypeId.DOUBLE:
      return TV.parseDouble(text);
    case TypeId.DATE:
      return TV.parseDate(text);
    case TypeId.TIMESTAMP:
    case TypeId.TIMESTAMPTZ:
      return TV.parseTimestamp(text);
    case TypeId.INTERVAL:
      return TV.parseInterval(text);
    case TypeId.VARCHAR:
      return text;
    case TypeId.NULL:
      return null;
  }
}

/** Formats a physical value as SQL text (CAST to VARCHAR). */
export function formatValue(x: Scalar, type: LogicalType): string {
  if (x === null) return 'NULL';
  switch (type.id) {
    case TypeId.BOOLEAN:
      return x ? 'true' : 'false';
    case TypeId.DECIMAL:
      return TV.formatDecimal(x as number | bigint, type.scale!);
    case TypeId.REAL:
    case TypeId.DOUBLE:
      return TV.formatDouble(x as number);
    case TypeId.DATE:
      return TV.formatDate(x as number);
    case TypeId.TIMESTAMP:
    case TypeId.TIMESTAMPTZ:
      return TV.formatTimestamp(x as number);
    case TypeId.INTERVAL:
      return TV.formatInterval(x as TV.IntervalValue);
    default:
      return String(x);
  }
}
