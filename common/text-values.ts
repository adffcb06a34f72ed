// Conversions between text and the physical representation of values (see common/types.ts):
// DATE = days since 1970-01-01, TIMESTAMP(TZ) = integral microseconds since the epoch (UTC) in a
// double, DECIMAL(p,s) = the value scaled by 10^s, BIGINT/DECIMAL as a number when |v| <= 2^53
// and a bigint beyond, BOOLEAN 0/1. Casts, the COPY readers, literals and every output format
// use these, so text means the same thing everywhere. The rules are PostgreSQL's unless a
// function's comment says otherwise.
//
// Every parser throws QuiverError: CONVERSION_ERROR for text that is not a value of the type
// (`invalid input for type INTEGER: "12a"`), OVERFLOW_ERROR for a well-formed value outside the
// type's range (`value "3000000000" is out of range for type INTEGER`), mirroring PostgreSQL's
// two SQLSTATEs (22P02 and 22003).
//
// The functions are pure and allocate nothing beyond their result, so they are fit for the
// per-value fallback paths of vectorized kernels; the hottest callers (the CSV reader) parse
// plain integers and dates from bytes themselves and call here for everything else.

import { QuiverError, internalError } from './errors.js';
import type { Interval } from './vector.js';
import {
  type LogicalType,
  TypeId,
  INT16_MAX,
  INT16_MIN,
  INT32_MAX,
  INT32_MIN,
  INT64_MAX,
  INT64_MIN,
  SAFE_LIMIT,
  pow10,
} from './types.js';

export const MICROS_PER_SECOND = 1_000_000;
export const MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;
export const MICROS_PER_HOUR = 60 * MICROS_PER_MINUTE;
export const MICROS_PER_DAY = 24 * MICROS_PER_HOUR;
/** PostgreSQL's convention for turning fractions of a month into days. */
export const DAYS_PER_MONTH = 30;
/** The years DATE and TIMESTAMP text accepts (as four digits). */
export const MIN_YEAR = 1;
export const MAX_YEAR = 9999;

/** Digits a double holds exactly in every combination: sums of up to 15 digits stay below 2^53. */
const SAFE_DIGITS = 15;

function invalid(text: string, typeName: string): QuiverError {
  return new QuiverError('CONVERSION_ERROR', `invalid input for type ${typeName}: "${text}"`);
}

function outOfRange(text: string, typeName: string): QuiverError {
  return new QuiverError('OVERFLOW_ERROR', `value "${text}" is out of range for type ${typeName}`);
}

// PostgreSQL trims what C's isspace() accepts: space, \t, \n, \v, \f, \r.
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** `text` without leading and trailing isspace() characters. */
function trimSpace(text: string): string {
  let s = 0;
  let e = text.length;
  while (s < e && isSpace(text.charCodeAt(s))) s++;
  while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
  return s === 0 && e === text.length ? text : text.slice(s, e);
}

const isDigit = (c: number) => c >= 48 && c <= 57;

// ---------------------------------------------------------------------------------------------
// Integers

/**
 * Parses SMALLINT, INTEGER or BIGINT text: optional surrounding whitespace, an optional sign,
 * decimal digits (no fraction: '1.5'::int is an error, as in PostgreSQL). BIGINT gives a number
 * when |v| <= 2^53 and a bigint beyond; the narrower types always give a number.
 */
export function parseInteger(text: string, type: LogicalType): number | bigint {
  const name = type.id;
  const s = trimSpace(text);
  const n = s.length;
  let i = 0;
  const c0 = s.charCodeAt(0);
  if (c0 === 43 /* + */ || c0 === 45 /* - */) i = 1;
  if (i === n) throw invalid(text, name);
  for (let k = i; k < n; k++) {
    if (!isDigit(s.charCodeAt(k))) throw invalid(text, name);
  }
  let min: number;
  let max: number;
  switch (type.id) {
    case TypeId.SMALLINT:
      min = INT16_MIN;
      max = INT16_MAX;
      break;
    case TypeId.INTEGER:
      min = INT32_MIN;
      max = INT32_MAX;
      break;
    case TypeId.BIGINT:
      min = -SAFE_LIMIT;
      max = SAFE_LIMIT;
      break;
    default:
      throw internalError(`parseInteger called for type ${name}`);
  }
  if (n - i <= SAFE_DIGITS) {
    const v = Number(s);
    if (v < min || v > max) throw outOfRange(text, name);
    return v === 0 ? 0 : v; // no -0 from "-0"
  }
  const big = BigInt(s);
  if (big >= BigInt(min) && big <= BigInt(max)) return Number(big);
  if (type.id === TypeId.BIGINT && big >= INT64_MIN && big <= INT64_MAX) return big;
  throw outOfRange(text, name);
}

// ---------------------------------------------------------------------------------------------
// Decimals

/**
 * Parses DECIMAL(precision, scale) text exactly: optional whitespace and sign, digits with an
 * optional point, an optional exponent ('1.5e3'). Extra fraction digits round half away from
 * zero to the scale (as PostgreSQL); more than precision - scale integer digits after rounding
 * is `numeric field overflow`. Returns the value scaled by 10^scale: a number when
 * |v| <= 2^53, a bigint beyond (callers storing into 64-bit vectors check the int64 range).
 */
export function parseDecimal(text: string, precision: number, scale: number): number | bigint {
  const s = trimSpace(text);
  const n = s.length;
  let i = 0;
  let negative = false;
  const c0 = s.charCodeAt(0);
  if (c0 === 43 || c0 === 45) {
    negative = c0 === 45;
    i = 1;
  }
  const intStart = i;
  while (i < n && isDigit(s.charCodeAt(i))) i++;
  const intEnd = i;
  let fracStart = i;
  let fracEnd = i;
  if (i < n && s.charCodeAt(i) === 46 /* . */) {
    fracStart = ++i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    fracEnd = i;
  }
  if (intEnd === intStart && fracEnd === fracStart) throw invalid(text, decimalName(precision, scale));
  let exponent = 0;
  if (i < n && (s.charCodeAt(i) | 32) === 101 /* e */) {
    i++;
    let expNegative = false;
    const ce = s.charCodeAt(i);
    if (ce === 43 || ce === 45) {
      expNegative = ce === 45;
      i++;
    }
    const expStart = i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    // An exponent beyond ~1e6 can only overflow or round to zero; cap it so the arithmetic
    // below stays in small integers.
    if (i === expStart || i - expStart > 7) {
      if (i === expStart) throw invalid(text, decimalName(precision, scale));
      exponent = expNegative ? -1e7 : 1e7;
    } else {
      exponent = Number(s.slice(expStart, i));
      if (expNegative) exponent = -exponent;
    }
  }
  if (i !== n) throw invalid(text, decimalName(precision, scale));

  // All digits D (integer then fraction) with the point `fracDigits` places from the right;
  // the scaled result is D * 10^(scale - fracDigits), rounded when that power is negative.
  const digits = s.slice(intStart, intEnd) + s.slice(fracStart, fracEnd);
  const fracDigits = fracEnd - fracStart - exponent;
  const shift = scale - fracDigits;
  let kept: string;
  let roundUp = false;
  if (shift >= 0) {
    kept = digits;
  } else {
    const drop = -shift;
    kept = drop >= digits.length ? '' : digits.slice(0, digits.length - drop);
    // Half away from zero: only the first dropped digit decides (we round the magnitude).
    roundUp = drop <= digits.length && digits.charCodeAt(digits.length - drop) >= 53; /* '5' */
  }
  let lead = 0;
  while (lead < kept.length && kept.charCodeAt(lead) === 48) lead++;
  const significant = kept.length - lead;
  const pad = shift > 0 ? shift : 0;
  // Integer digits allowed: precision - scale, i.e. the scaled magnitude must stay < 10^precision.
  if (significant > 0 && significant + pad > precision) throw decimalOverflow(text, precision, scale);
  let v: number | bigint;
  if (significant + pad <= SAFE_DIGITS) {
    v = (significant === 0 ? 0 : Number(kept.slice(lead)) * pow10(pad)) + (roundUp ? 1 : 0);
    if (v >= pow10Safe(precision)) throw decimalOverflow(text, precision, scale);
  } else {
    let b = BigInt(kept.slice(lead)) * 10n ** BigInt(pad) + (roundUp ? 1n : 0n);
    if (b >= 10n ** BigInt(precision)) throw decimalOverflow(text, precision, scale);
    if (negative) b = -b;
    return b >= -BigInt(SAFE_LIMIT) && b <= BigInt(SAFE_LIMIT) ? Number(b) : b;
  }
  return negative && v !== 0 ? -v : v;
}

// 10^p for the overflow check of the number path; at p > 15 no value of that path reaches it.
function pow10Safe(p: number): number {
  return p > SAFE_DIGITS ? Infinity : pow10(p);
}

function decimalName(precision: number, scale: number): string {
  return `DECIMAL(${precision},${scale})`;
}

function decimalOverflow(text: string, precision: number, scale: number): QuiverError {
  return new QuiverError(
    'OVERFLOW_ERROR',
    `numeric field overflow: "${text}" has more than ${precision - scale} integer digit${
      precision - scale === 1 ? '' : 's'
    } for type ${decimalName(precision, scale)}`,
  );
}

/** The exact digits of a scaled DECIMAL value: formatDecimal(-1250, 2) = '-12.50'. */
export function formatDecimal(v: number | bigint, scale: number): string {
  let digits: string;
  let negative: boolean;
  if (typeof v === 'bigint') {
    negative = v < 0n;
    digits = (negative ? -v : v).toString();
  } else {
    if (!Number.isInteger(v)) throw internalError(`DECIMAL value ${v} is not a scaled integer`);
    negative = v < 0;
    digits = String(negative ? -v : v);
  }
  if (scale > 0) {
    if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
    const point = digits.length - scale;
    digits = digits.slice(0, point) + '.' + digits.slice(point);
  }
  return negative ? '-' + digits : digits;
}

// ---------------------------------------------------------------------------------------------
// Floating point

const FLOAT_SYNTAX = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses DOUBLE (and REAL) text: decimal and exponent forms, plus 'NaN', 'Infinity', 'inf'
 * with an optional sign on the infinities, case-insensitive, as PostgreSQL. A finite value that
 * overflows to infinity or underflows to zero is out of range (as PostgreSQL's float8in).
 */
export function parseDouble(text: string): number {
  const s = trimSpace(text);
  if (FLOAT_SYNTAX.test(s)) {
    const v = Number(s);
    if (!Number.isFinite(v)) throw outOfRange(text, 'DOUBLE');
    if (v === 0 && /[1-9]/.test(s.replace(/[eE].*$/, ''))) throw outOfRange(text, 'DOUBLE');
    return v;
  }
  switch (s.toLowerCase()) {
    case 'nan':
      return NaN;
    case 'infinity':
    case '+infinity':
    case 'inf':
    case '+inf':
      return Infinity;
    case '-infinity':
    case '-inf':
      return -Infinity;
  }
  throw invalid(text, 'DOUBLE');
}

/**
 * DOUBLE as PostgreSQL prints float8: the shortest text that reads back to the same value,
 * in fixed notation when the decimal exponent is in [-4, 15) and as '1.5e+20' / '1e-05'
 * (two-digit minimum exponent) otherwise; 'NaN', 'Infinity', '-Infinity', '-0'.
 */
export function formatDouble(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const negative = v < 0;
  // toExponential() without an argument gives the shortest round-trip digits.
  const e = (negative ? -v : v).toExponential();
  const ePos = e.indexOf('e');
  const exp = Number(e.slice(ePos + 1));
  const digits = e.charCodeAt(1) === 46 ? e[0]! + e.slice(2, ePos) : e.slice(0, ePos);
  let out: string;
  if (exp >= -4 && exp < 15) {
    if (exp < 0) out = '0.' + '0'.repeat(-exp - 1) + digits;
    else if (digits.length <= exp + 1) out = digits + '0'.repeat(exp + 1 - digits.length);
    else out = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
  } else {
    const mantissa = digits.length === 1 ? digits : digits[0] + '.' + digits.slice(1);
    const absExp = exp < 0 ? -exp : exp;
    out = mantissa + (exp < 0 ? 'e-' : 'e+') + (absExp < 10 ? '0' : '') + absExp;
  }
  return negative ? '-' + out : out;
}

// ---------------------------------------------------------------------------------------------
// Booleans

/**
 * Parses BOOLEAN text as PostgreSQL's boolin: trimmed, case-insensitive, any prefix of 'true',
 * 'false', 'yes', 'no'; 'on', 'off' (at least two letters: 'o' alone is ambiguous); '1', '0'.
 */
export function parseBoolean(text: string): 0 | 1 {
  const s = trimSpace(text).toLowerCase();
  const n = s.length;
  if (n > 0) {
    switch (s.charCodeAt(0)) {
      case 116 /* t */:
        if ('true'.startsWith(s)) return 1;
        break;
      case 102 /* f */:
        if ('false'.startsWith(s)) return 0;
        break;
      case 121 /* y */:
        if ('yes'.startsWith(s)) return 1;
        break;
      case 110 /* n */:
        if ('no'.startsWith(s)) return 0;
        break;
      case 111 /* o */:
        if (s === 'on') return 1;
        if (n >= 2 && 'off'.startsWith(s)) return 0;
        break;
      case 49 /* 1 */:
        if (n === 1) return 1;
        break;
      case 48 /* 0 */:
        if (n === 1) return 0;
        break;
    }
  }
  throw invalid(text, 'BOOLEAN');
}

// ---------------------------------------------------------------------------------------------
// Dates

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * The civil date of a day number, written into `out` as [year, month, day] (no allocation:
 * kernels computing EXTRACT pass one scratch array).
 */
export function civilFromDays(days: number, out: Int32Array | number[]): void {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  out[0] = yoe + era * 400 + (month <= 2 ? 1 : 0);
  out[1] = month;
  out[2] = doy - Math.floor((153 * mp + 2) / 5) + 1;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month (1-12) of a year. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1]!;
}

// The parsers below walk the text with a module-level cursor (single-threaded and synchronous,
// so this is safe) to return one number without allocating a tuple per call.
let cursor = 0;

/** Reads minLen..maxLen digits at the cursor; -1 (cursor unmoved) when fewer than minLen. */
function readDigits(s: string, minLen: number, maxLen: number): number {
  let v = 0;
  let k = 0;
  const n = s.length;
  while (k < maxLen && cursor + k < n) {
    const c = s.charCodeAt(cursor + k);
    if (!isDigit(c)) break;
    v = v * 10 + (c - 48);
    k++;
  }
  if (k < minLen) return -1;
  cursor += k;
  return v;
}

/** Reads 'YYYY-M[M]-D[D]' at the cursor; the day number, or NaN when malformed or invalid. */
function readDate(s: string): number {
  const year = readDigits(s, 4, 4);
  if (year < 0 || s.charCodeAt(cursor) !== 45) return NaN;
  cursor++;
  const month = readDigits(s, 1, 2);
  if (month < 0 || s.charCodeAt(cursor) !== 45) return NaN;
  cursor++;
  const day = readDigits(s, 1, 2);
  if (day < 0) return NaN;
  if (year < MIN_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  return daysFromCivil(year, month, day);
}

/** Parses DATE text 'YYYY-MM-DD' (surrounding whitespace allowed; years 0001-9999). */
export function parseDate(text: string): number {
  const s = trimSpace(text);
  cursor = 0;
  const days = readDate(s);
  if (Number.isNaN(days) || cursor !== s.length) throw invalid(text, 'DATE');
  return days;
}

// '00'..'99': formatting dates and times concatenates these instead of padding per value.
const TWO_DIGITS: string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? '0' : '') + i);
const civilScratch = new Int32Array(3);

/**
 * A day number as 'YYYY-MM-DD'. Years outside 1..9999 (reachable only through date
 * arithmetic) print with at least four digits and a '-' sign before year 0 (astronomical
 * numbering, as ISO 8601), instead of PostgreSQL's ' BC' suffix.
 */
export function formatDate(days: number): string {
  civilFromDays(days, civilScratch);
  const y = civilScratch[0]!;
  const yearText =
    y >= 1000 ? String(y) : y >= 0 ? String(y).padStart(4, '0') : '-' + String(-y).padStart(4, '0');
  return yearText + '-' + TWO_DIGITS[civilScratch[1]!] + '-' + TWO_DIGITS[civilScratch[2]!];
}

// ---------------------------------------------------------------------------------------------
// Timestamps

/**
 * Parses TIMESTAMP / TIMESTAMPTZ text to microseconds since the epoch (UTC):
 *   'YYYY-MM-DD'                                  midnight
 *   'YYYY-MM-DD HH:MM[:SS[.fraction]]'            ' ' or 'T' between date and time
 *   ... followed by an optional zone: 'Z', 'UTC', '+HH', '+HH:MM', '+HHMM' (spaces before it
 *   allowed), which is applied: the result is the UTC instant (DuckDB's rule; PostgreSQL's
 *   TIMESTAMP WITHOUT TIME ZONE would drop the zone instead).
 * Fractions beyond microseconds round half up; '24:00:00' and a leap second ':60' roll over
 * as in PostgreSQL.
 */
export function parseTimestamp(text: string): number {
  const s = trimSpace(text);
  const n = s.length;
  cursor = 0;
  const days = readDate(s);
  if (Number.isNaN(days)) throw invalid(text, 'TIMESTAMP');
  if (cursor === n) return days * MICROS_PER_DAY;
  const sep = s.charCodeAt(cursor);
  if (sep !== 32 && (sep | 32) !== 116 /* t */) throw invalid(text, 'TIMESTAMP');
  cursor++;
  const hour = readDigits(s, 1, 2);
  if (hour < 0 || s.charCodeAt(cursor) !== 58 /* : */) throw invalid(text, 'TIMESTAMP');
  cursor++;
  const minute = readDigits(s, 2, 2);
  if (minute < 0) throw invalid(text, 'TIMESTAMP');
  let second = 0;
  let micros = 0;
  if (s.charCodeAt(cursor) === 58) {
    cursor++;
    second = readDigits(s, 2, 2);
    if (second < 0) throw invalid(text, 'TIMESTAMP');
    if (s.charCodeAt(cursor) === 46 /* . */) {
      cursor++;
      const fracStart = cursor;
      while (cursor < n && isDigit(s.charCodeAt(cursor))) {
        const d = s.charCodeAt(cursor) - 48;
        const place = cursor - fracStart;
        if (place < 6) micros += d * FRACTION_PLACE[place]!;
        else if (place === 6 && d >= 5) micros += 1; // the 7th digit rounds (half up)
        cursor++;
      }
      if (cursor === fracStart) throw invalid(text, 'TIMESTAMP');
    }
  }
  if (minute > 59 || second > 60 || hour > 24 || (hour === 24 && (minute > 0 || second > 0 || micros > 0))) {
    throw outOfRange(text, 'TIMESTAMP');
  }
  let offsetMicros = 0;
  while (cursor < n && s.charCodeAt(cursor) === 32) cursor++;
  if (cursor < n) {
    const z = s.charCodeAt(cursor);
    if ((z | 32) === 122 /* z */ && cursor + 1 === n) {
      cursor++;
    } else if (s.slice(cursor).toUpperCase() === 'UTC') {
      cursor = n;
    } else if (z === 43 || z === 45) {
      cursor++;
      const oh = readDigits(s, 2, 2);
      if (oh < 0) throw invalid(text, 'TIMESTAMP');
      let om = 0;
      const colon = s.charCodeAt(cursor) === 58;
      if (colon) cursor++;
      if (colon || (cursor < n && isDigit(s.charCodeAt(cursor)))) {
        om = readDigits(s, 2, 2);
        if (om < 0) throw invalid(text, 'TIMESTAMP');
      }
      if (oh > 15 || om > 59) throw outOfRange(text, 'TIMESTAMP');
      offsetMicros = (z === 45 ? -1 : 1) * (oh * MICROS_PER_HOUR + om * MICROS_PER_MINUTE);
    }
    if (cursor !== n) throw invalid(text, 'TIMESTAMP');
  }
  return (
    days * MICROS_PER_DAY +
    hour * MICROS_PER_HOUR +
    minute * MICROS_PER_MINUTE +
    second * MICROS_PER_SECOND +
    micros -
    offsetMicros
  );
}

/** Six digits of microseconds, trailing zeros trimmed (PostgreSQL prints '.5', not '.500000'). */
function fractionText(us: number): string {
  let s = String(us).padStart(6, '0');
  let e = 6;
  while (s.charCodeAt(e - 1) === 48) e--;
  if (e < 6) s = s.slice(0, e);
  return s;
}

// Microseconds of the first six fraction digits.
const FRACTION_PLACE = [100000, 10000, 1000, 100, 10, 1];

// Splits micros into the day number (returned) and the time of day in timeScratch:
// [hour, minute, second, microsecond].
const timeScratch = new Float64Array(4);
function splitTimestamp(micros: number): number {
  const days = Math.floor(micros / MICROS_PER_DAY);
  let rem = micros - days * MICROS_PER_DAY;
  const hour = Math.floor(rem / MICROS_PER_HOUR);
  rem -= hour * MICROS_PER_HOUR;
  const minute = Math.floor(rem / MICROS_PER_MINUTE);
  rem -= minute * MICROS_PER_MINUTE;
  const second = Math.floor(rem / MICROS_PER_SECOND);
  timeScratch[0] = hour;
  timeScratch[1] = minute;
  timeScratch[2] = second;
  timeScratch[3] = rem - second * MICROS_PER_SECOND;
  return days;
}

/** Microseconds as PostgreSQL prints a timestamp: 'YYYY-MM-DD HH:MM:SS[.ffffff]', zeros trimmed. */
export function formatTimestamp(micros: number): string {
  const days = splitTimestamp(micros);
  const us = timeScratch[3]!;
  const time =
    TWO_DIGITS[timeScratch[0]!] + ':' + TWO_DIGITS[timeScratch[1]!] + ':' + TWO_DIGITS[timeScratch[2]!];
  return formatDate(days) + ' ' + time + (us === 0 ? '' : '.' + fractionText(us));
}

/**
 * Microseconds as the ISO 8601 string of the JS value contract: 'YYYY-MM-DDTHH:MM:SS.sssZ',
 * exactly what Date.prototype.toISOString prints when the value has no sub-millisecond part,
 * and six fraction digits ('.123456Z') when it has, so no precision is lost.
 */
export function formatTimestampIso(micros: number): string {
  const days = splitTimestamp(micros);
  const us = timeScratch[3]!;
  const fraction = us % 1000 === 0 ? String(us / 1000).padStart(3, '0') : String(us).padStart(6, '0');
  return (
    formatDate(days) +
    'T' +
    TWO_DIGITS[timeScratch[0]!] +
    ':' +
    TWO_DIGITS[timeScratch[1]!] +
    ':' +
    TWO_DIGITS[timeScratch[2]!] +
    '.' +
    fraction +
    'Z'
  );
}

// ---------------------------------------------------------------------------------------------
// Intervals

// Unit names PostgreSQL accepts (singular, plural, abbreviations), to an internal unit code.
const enum Unit {
  Microsecond,
  Millisecond,
  Second,
  Minute,
  Hour,
  Day,
  Week,
  Month,
  Year,
  Decade,
  Century,
  Millennium,
}
const UNITS: ReadonlyMap<string, Unit> = new Map<string, Unit>([
  ...['microsecond', 'microseconds', 'us', 'usec', 'usecs', 'useconds'].map((u) => [u, Unit.Microsecond] as const),
  ...['millisecond', 'milliseconds', 'ms', 'msec', 'msecs', 'mseconds'].map((u) => [u, Unit.Millisecond] as const),
  ...['second', 'seconds', 's', 'sec', 'secs'].map((u) => [u, Unit.Second] as const),
  ...['minute', 'minutes', 'm', 'min', 'mins'].map((u) => [u, Unit.Minute] as const),
  ...['hour', 'hours', 'h', 'hr', 'hrs'].map((u) => [u, Unit.Hour] as const),
  ...['day', 'days', 'd'].map((u) => [u, Unit.Day] as const),
  ...['week', 'weeks', 'w'].map((u) => [u, Unit.Week] as const),
  ...['month', 'months', 'mon', 'mons'].map((u) => [u, Unit.Month] as const),
  ...['year', 'years', 'y', 'yr', 'yrs'].map((u) => [u, Unit.Year] as const),
  ...['decade', 'decades', 'dec', 'decs'].map((u) => [u, Unit.Decade] as const),
  ...['century', 'centuries', 'c', 'cent'].map((u) => [u, Unit.Century] as const),
  ...['millennium', 'millennia', 'millenniums', 'mil', 'mils'].map((u) => [u, Unit.Millennium] as const),
]);

/** The value of an INTERVAL (the same shape as vector.ts's Interval). */
export type IntervalValue = Interval;

const roundHalfAway = (x: number) => (x < 0 ? -Math.round(-x) : Math.round(x));

/** Adds `value` of `unit` to acc, spreading fractions downward as PostgreSQL does. */
function addUnit(acc: Interval, value: number, unit: Unit): void {
  const whole = Math.trunc(value);
  const frac = value - whole;
  switch (unit) {
    case Unit.Microsecond:
      acc.micros += roundHalfAway(value);
      return;
    case Unit.Millisecond:
      acc.micros += roundHalfAway(value * 1000);
      return;
    case Unit.Second:
      acc.micros += roundHalfAway(value * MICROS_PER_SECOND);
      return;
    case Unit.Minute:
      acc.micros += roundHalfAway(value * MICROS_PER_MINUTE);
      return;
    case Unit.Hour:
      acc.micros += roundHalfAway(value * MICROS_PER_HOUR);
      return;
    case Unit.Day:
      acc.days += whole;
      acc.micros += roundHalfAway(frac * MICROS_PER_DAY);
      return;
    case Unit.Week: {
      const days = value * 7;
      const wholeDays = Math.trunc(days);
      acc.days += wholeDays;
      acc.micros += roundHalfAway((days - wholeDays) * MICROS_PER_DAY);
      return;
    }
    case Unit.Month: {
      acc.months += whole;
      const days = frac * DAYS_PER_MONTH;
      const wholeDays = Math.trunc(days);
      acc.days += wholeDays;
      acc.micros += roundHalfAway((days - wholeDays) * MICROS_PER_DAY);
      return;
    }
    case Unit.Year:
    case Unit.Decade:
    case Unit.Century:
    case Unit.Millennium: {
      const years = unit === Unit.Year ? 1 : unit === Unit.Decade ? 10 : unit === Unit.Century ? 100 : 1000;
      // Fractions of a year become whole months, rounded (PostgreSQL's AdjustFractYears).
      acc.months += whole * years * 12 + roundHalfAway(frac * years * 12);
      return;
    }
  }
}

const INTERVAL_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;
const INTERVAL_TIME = /^([+-])?(\d+):(\d{1,2})(?::(\d{1,2})(?:\.(\d+))?)?$/;

/**
 * Parses INTERVAL text in PostgreSQL's style: a list of `number unit` items ('1 year 2 months',
 * '1.5 days', '3h', '-2 weeks'), an optional time 'HH:MM[:SS[.f]]', an optional leading '@' and
 * trailing 'ago' (negates). A bare number is seconds. With `unit` ("INTERVAL '3' DAY"), a bare
 * number is in that unit; text with its own units is read as usual. ISO 8601 'P1D' forms and
 * 'YEAR TO MONTH' qualifiers are not supported.
 */
export function parseInterval(text: string, unit?: string): Interval {
  const acc: Interval = { months: 0, days: 0, micros: 0 };
  const s = trimSpace(text);
  if (unit !== undefined && INTERVAL_NUMBER.test(s)) {
    const u = UNITS.get(unit.toLowerCase());
    if (u === undefined) throw new QuiverError('CONVERSION_ERROR', `unknown INTERVAL unit "${unit}"`);
    addUnit(acc, Number(s), u);
    return acc;
  }
  // Split '3days' into '3 days' so that items are whitespace-separated tokens.
  const tokens = s
    .replace(/^@\s*/, '')
    .replace(/(\d)([a-zA-Z])/g, '$1 $2')
    .split(/\s+/)
    .filter((t) => t.length > 0);
  if (tokens.length === 0) throw invalid(text, 'INTERVAL');
  let ago = false;
  let sawItem = false;
  for (let k = 0; k < tokens.length; k++) {
    const tok = tokens[k]!;
    if (tok.toLowerCase() === 'ago' && k === tokens.length - 1 && sawItem) {
      ago = true;
      continue;
    }
    if (INTERVAL_NUMBER.test(tok)) {
      const value = Number(tok);
      const next = tokens[k + 1];
      const u = next === undefined ? undefined : UNITS.get(next.toLowerCase());
      if (u !== undefined) {
        addUnit(acc, value, u);
        k++;
      } else if (next === undefined || next.toLowerCase() === 'ago') {
        addUnit(acc, value, Unit.Second);
      } else {
        throw invalid(text, 'INTERVAL');
      }
      sawItem = true;
      continue;
    }
    const m = INTERVAL_TIME.exec(tok);
    if (m === null) throw invalid(text, 'INTERVAL');
    const minutes = Number(m[3]);
    const seconds = m[4] === undefined ? 0 : Number(m[4]);
    if (minutes > 59 || seconds > 59) throw outOfRange(text, 'INTERVAL');
    const fraction = m[5] === undefined ? 0 : Math.round(Number('0.' + m[5]) * MICROS_PER_SECOND);
    const micros =
      Number(m[2]) * MICROS_PER_HOUR + minutes * MICROS_PER_MINUTE + seconds * MICROS_PER_SECOND + fraction;
    acc.micros += m[1] === '-' ? -micros : micros;
    sawItem = true;
  }
  if (ago) {
    acc.months = -acc.months;
    acc.days = -acc.days;
    acc.micros = -acc.micros;
  }
  // No -0 fields: they would print and compare oddly.
  acc.months += 0;
  acc.days += 0;
  acc.micros += 0;
  if (!Number.isSafeInteger(acc.micros) || !Number.isSafeInteger(acc.days) || !Number.isSafeInteger(acc.months)) {
    throw outOfRange(text, 'INTERVAL');
  }
  return acc;
}

/**
 * An interval as PostgreSQL prints it (IntervalStyle 'postgres'): '1 year 2 mons 3 days
 * 04:05:06.5', '-1 days +02:00:00', '00:00:00' for zero. Hours are not folded into days.
 */
export function formatInterval(v: Interval): string {
  let out = '';
  let previousNegative = false;
  const part = (value: number, unitName: string) => {
    if (value === 0) return;
    out += (out.length > 0 ? ' ' : '') + (previousNegative && value > 0 ? '+' : '') + value + ' ' + unitName;
    if (value !== 1) out += 's';
    previousNegative = value < 0;
  };
  part(Math.trunc(v.months / 12), 'year');
  part(v.months % 12, 'mon');
  part(v.days, 'day');
  if (out.length === 0 || v.micros !== 0) {
    const negative = v.micros < 0;
    let rem = negative ? -v.micros : v.micros;
    const hours = Math.floor(rem / MICROS_PER_HOUR);
    rem -= hours * MICROS_PER_HOUR;
    const minutes = Math.floor(rem / MICROS_PER_MINUTE);
    rem -= minutes * MICROS_PER_MINUTE;
    const seconds = Math.floor(rem / MICROS_PER_SECOND);
    const us = rem - seconds * MICROS_PER_SECOND;
    out +=
      (out.length > 0 ? ' ' : '') +
      (negative ? '-' : previousNegative ? '+' : '') +
      (hours < 10 ? '0' : '') +
      hours +
      ':' +
      TWO_DIGITS[minutes] +
      ':' +
      TWO_DIGITS[seconds] +
      (us === 0 ? '' : '.' + fractionText(us));
  }
  return out;
}
