// The fast paths of the delimited-text reader's field conversion: a field's bytes straight to
// a typed value for the plain forms (integers, decimals and doubles of up to 15 digits,
// 'YYYY-MM-DD' dates, 'YYYY-MM-DD HH:MM:SS' timestamps), without decoding a string. Each
// returns NaN for anything else, which the caller sends to common/text-values.ts, so both paths
// give the same values and the same error messages.

import { pow10 } from '../../common/types.js';
import {
  MICROS_PER_DAY,
  MICROS_PER_HOUR,
  MICROS_PER_MINUTE,
  MICROS_PER_SECOND,
  daysFromCivil,
  daysInMonth,
} from '../../common/text-values.js';

const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;
/** Digits whose value (and any shift of it by up to 15 - digits places) a double holds exactly. */
const SAFE_DIGITS = 15;


/**
 * A plain integer (optional sign, 1 to 15 digits) from bytes; NaN for anything else, which
 * the caller sends to the general parser (whitespace, long numbers, errors).
 */
export function parseSmallInt(b: Buffer, s: number, e: number): number {
  let p = s;
  let negative = false;
  if (p < e) {
    const c = b[p]!;
    if (c === MINUS) {
      negative = true;
      p++;
    } else if (c === PLUS) {
      p++;
    }
  }
  const n = e - p;
  if (n === 0 || n > SAFE_DIGITS) return NaN;
  let v = 0;
  for (; p < e; p++) {
    const d = b[p]! - ZERO;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return negative ? (v === 0 ? 0 : -v) : v;
}

/**
 * A plain decimal 'digits[.digits]' whose scaled value has at most 15 digits and whose
 * fraction fits the scale, scaled by 10^scale; NaN for anything else (exponents, rounding,
 * overflow and errors go to parseDecimal).
 */
export function parseSmallDecimal(b: Buffer, s: number, e: number, precision: number, scale: number): number {
  let p = s;
  let negative = false;
  if (p < e && (b[p] === MINUS || b[p] === PLUS)) {
    negative = b[p] === MINUS;
    p++;
  }
  let v = 0;
  let intDigits = 0;
  for (; p < e; p++) {
    const d = b[p]! - ZERO;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
    intDigits++;
  }
  let fracDigits = 0;
  if (p < e && b[p] === DOT) {
    for (p++; p < e; p++) {
      const d = b[p]! - ZERO;
      if (d < 0 || d > 9) return NaN;
      v = v * 10 + d;
      fracDigits++;
    }
  }
  if (p !== e || intDigits + fracDigits === 0 || fracDigits > scale) return NaN;
  if (intDigits > precision - scale || intDigits + scale > SAFE_DIGITS) return NaN;
  v *= pow10(scale - fracDigits);
  return negative ? (v === 0 ? 0 : -v) : v;
}

/**
 * A plain 'digits[.digits]' double with at most 15 significant digits, correctly rounded
 * (an exact integer divided by an exact power of ten); NaN for anything else.
 */
export function parseSmallDouble(b: Buffer, s: number, e: number): number {
  let p = s;
  let negative = false;
  if (p < e && (b[p] === MINUS || b[p] === PLUS)) {
    negative = b[p] === MINUS;
    p++;
  }
  let v = 0;
  let digits = 0;
  let fracDigits = 0;
  let seenDot = false;
  for (; p < e; p++) {
    const c = b[p]!;
    if (c === DOT && !seenDot) {
      seenDot = true;
      continue;
    }
    const d = c - ZERO;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
    digits++;
    if (seenDot) fracDigits++;
  }
  if (digits === 0 || digits > SAFE_DIGITS) return NaN;
  if (fracDigits > 0) v /= pow10(fracDigits);
  return negative ? -v : v;
}

/** Two ASCII digits at b[p], or -1. */
function twoDigits(b: Buffer, p: number): number {
  const d1 = b[p]! - ZERO;
  const d2 = b[p + 1]! - ZERO;
  return d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9 ? d1 * 10 + d2 : -1;
}

/** Exactly 'YYYY-MM-DD' from bytes as a day number; NaN for anything else. */
export function parsePlainDate(b: Buffer, s: number, e: number): number {
  if (e - s !== 10 || b[s + 4] !== MINUS || b[s + 7] !== MINUS) return NaN;
  const hi = twoDigits(b, s);
  const lo = twoDigits(b, s + 2);
  const month = twoDigits(b, s + 5);
  const day = twoDigits(b, s + 8);
  if (hi < 0 || lo < 0 || month < 1 || month > 12 || day < 1) return NaN;
  const year = hi * 100 + lo;
  if (year < 1 || day > daysInMonth(year, month)) return NaN;
  return daysFromCivil(year, month, day);
}

/** Exactly 'YYYY-MM-DD HH:MM:SS' (or with 'T') from bytes as microseconds; NaN otherwise. */
export function parsePlainTimestamp(b: Buffer, s: number, e: number): number {
  if (e - s !== 19) return NaN;
  const sep = b[s + 10];
  if ((sep !== 32 && sep !== 84) /* ' ' or 'T' */ || b[s + 13] !== 58 || b[s + 16] !== 58) return NaN;
  const days = parsePlainDate(b, s, s + 10);
  const h = twoDigits(b, s + 11);
  const m = twoDigits(b, s + 14);
  const sec = twoDigits(b, s + 17);
  if (Number.isNaN(days) || h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59) return NaN;
  return days * MICROS_PER_DAY + h * MICROS_PER_HOUR + m * MICROS_PER_MINUTE + sec * MICROS_PER_SECOND;
}
