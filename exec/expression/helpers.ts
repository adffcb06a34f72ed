// Helper functions that generated kernels call as H.name(...). They hold the per-value logic
// that is too long for an inline template (string slicing, calendar arithmetic, LIKE).
// Each takes and returns physical values (see common/types.ts).

import { QuiverError, overflowError } from '../../common/errors.js';
import { INT64_MAX, INT64_MIN } from '../../common/types.js';
import { MICROS_PER_DAY, civilFromDays, daysFromCivil, daysInMonth } from '../../common/text-values.js';

export { MICROS_PER_DAY };

/** Thrown by a double-path kernel when a BIGINT/DECIMAL result may not be exact; the
 *  evaluator then recomputes the batch on the BigInt path. Never reaches a user. */
export class UnsafeResult extends Error {}
const UNSAFE = new UnsafeResult('result beyond 2^53');


const HAS_SURROGATE = /[\uD800-\uDFFF]/;

/** Characters (code points) of a string. */
export function charLength(s: string): number {
  if (!HAS_SURROGATE.test(s)) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** PostgreSQL substring(s, start [, count]): 1-based; positions before 1 still count. */
export function substring(s: string, start: number, count: number | undefined): string {
  if (count !== undefined && count < 0) {
    throw new QuiverError('INVALID_INPUT', 'negative substring length not allowed');
  }
  const chars = HAS_SURROGATE.test(s) ? Array.from(s) : null;
  const len = chars === null ? s.length : chars.length;
  const from = Math.max(start, 1);
  const to = count === undefined ? len + 1 : Math.min(start + count, len + 1);
  if (to <= from) return '';
  return chars === null ? s.slice(from - 1, to - 1) : chars.slice(from - 1, to - 1).join('');
}

export function trimChars(s: string, chars: string, leading: boolean, trailing: boolean): string {
  let a = 0;
  let b = s.length;
  if (leading) while (a < b && chars.includes(s[a]!)) a++;
  if (trailing) while (b > a && chars.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

export function replaceAll(s: string, from: string, to: string): string {
  return from === '' ? s : s.split(from).join(to);
}

/** 1-based position of `sub` in `s` in characters, 0 when absent (PostgreSQL strpos). */
export function strpos(s: string, sub: string): number {
  const k = s.indexOf(sub);
  if (k < 0) return 0;
  return HAS_SURROGATE.test(s) ? charLength(s.slice(0, k)) + 1 : k + 1;
}

/** Translates a LIKE pattern (escape character `\` unless given) into an anchored RegExp. */
export function likeToRegExp(pattern: string, caseInsensitive: boolean, escape = '\\'): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (escape !== '' && c === escape) {
      const next = pattern[i + 1];
      if (next === undefined) {
        throw new QuiverError('INVALID_INPUT', 'LIKE pattern must not end with escape character');
      }
      re += next.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      i++;
    } else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(re + '$', caseInsensitive ? 'iu' : 'u');
}

const likeCache = new Map<string, RegExp>();
export function like(s: string, pattern: string, caseInsensitive: boolean): boolean {
  const key = (caseInsensitive ? 'i' : 'c') + pattern;
  let re = likeCache.get(key);
  if (re === undefined) {
    re = likeToRegExp(pattern, caseInsensitive);
    if (likeCache.size > 10_000) likeCache.clear();
    likeCache.set(key, re);
  }
  return re.test(s);
}

export function overflow(): never {
  throw overflowError('integer out of range');
}
export function overflow16(): never {
  throw overflowError('smallint out of range');
}
export function unsafe(): never {
  throw UNSAFE;
}
/** Checks a BigInt result against the int64 range. */
export function i64(v: bigint): bigint {
  if (v > INT64_MAX || v < INT64_MIN) throw overflowError('bigint out of range');
  return v;
}

/** Round half away from zero (SQL round()). */
export function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}
/** Round half away from zero to `digits` decimals (negative digits round left of the point). */
export function roundTo(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  const y = Math.abs(x) * f;
  // Correct for binary representation: 2.675 is 2.67499999..., but SQL users expect 2.68.
  const r = Math.round(y * (1 + Number.EPSILON)) / f;
  return x < 0 ? -r : r;
}
/** Divides a scaled integer by 10^k, rounding half away from zero. */
export function descaleRound(v: number, k: number): number {
  const f = 10 ** k;
  const q = Math.trunc(v / f);
  const rem = v - q * f;
  if (Math.abs(rem) * 2 >= f) return q + Math.sign(v);
  return q;
}
export function descaleRoundBig(v: bigint, k: number): bigint {
  const f = 10n ** BigInt(k);
  const q = v / f;
  const rem = v - q * f;
  const abs = rem < 0n ? -rem : rem;
  if (abs * 2n >= f) return q + (v < 0n ? -1n : 1n);
  return q;
}
/** Round half to even (PostgreSQL's float to integer casts use rint()). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function sqrt(x: number): number {
  if (x < 0) throw new QuiverError('INVALID_INPUT', 'cannot take square root of a negative number');
  return Math.sqrt(x);
}
export function ln(x: number): number {
  if (x === 0) throw new QuiverError('INVALID_INPUT', 'cannot take logarithm of zero');
  if (x < 0) throw new QuiverError('INVALID_INPUT', 'cannot take logarithm of a negative number');
  return Math.log(x);
}
export function log10(x: number): number {
  ln(x);
  return Math.log10(x);
}
export function power(a: number, b: number): number {
  if (a === 0 && b < 0) throw new QuiverError('INVALID_INPUT', 'zero raised to a negative power is undefined');
  const r = a ** b;
  if (Number.isNaN(r) && !Number.isNaN(a) && !Number.isNaN(b)) {
    throw new QuiverError('INVALID_INPUT', 'a negative number raised to a non-integer power yields a complex result');
  }
  return r;
}

// ---------------------------------------------------------------- calendar

// Calendar fields of a day number. One scratch array, no allocation per value.
const civil = new Int32Array(3);

export function yearOf(days: number): number {
  civilFromDays(days, civil);
  return civil[0]!;
}
export function monthOf(days: number): number {
  civilFromDays(days, civil);
  return civil[1]!;
}
export function dayOf(days: number): number {
  civilFromDays(days, civil);
  return civil[2]!;
}
export function quarterOf(days: number): number {
  return Math.floor((monthOf(days) - 1) / 3) + 1;
}
/** 0 = Sunday (PostgreSQL's dow). */
export function dowOf(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}
export function isodowOf(days: number): number {
  const d = dowOf(days);
  return d === 0 ? 7 : d;
}
export function doyOf(days: number): number {
  return days - daysFromCivil(yearOf(days), 1, 1) + 1;
}
/** ISO 8601 week number. */
export function weekOf(days: number): number {
  const thursday = days - isodowOf(days) + 4;
  const y = yearOf(thursday);
  return Math.floor((thursday - daysFromCivil(y, 1, 1)) / 7) + 1;
}
export function daysOfMicros(us: number): number {
  return Math.floor(us / MICROS_PER_DAY);
}

/** Adds months to a date, clamping the day to the month's end (as PostgreSQL). */
export function addMonths(days: number, months: number): number {
  if (months === 0) return days;
  civilFromDays(days, civil);
  let y = civil[0]!;
  let m = civil[1]! + months;
  const d = civil[2]!;
  y += Math.floor((m - 1) / 12);
  m = ((((m - 1) % 12) + 12) % 12) + 1;
  const last = daysInMonth(y, m);
  return daysFromCivil(y, m, Math.min(d, last));
}

/** Truncates days to the start of a unit. */
export function truncDays(unit: string, days: number): number {
  civilFromDays(days, civil);
  const y = civil[0]!;
  const m = civil[1]!;
  switch (unit) {
    case 'millennium':
      return daysFromCivil(Math.floor((y - 1) / 1000) * 1000 + 1, 1, 1);
    case 'century':
      return daysFromCivil(Math.floor((y - 1) / 100) * 100 + 1, 1, 1);
    case 'decade':
      return daysFromCivil(Math.floor(y / 10) * 10, 1, 1);
    case 'year':
      return daysFromCivil(y, 1, 1);
    case 'quarter':
      return daysFromCivil(y, Math.floor((m - 1) / 3) * 3 + 1, 1);
    case 'month':
      return daysFromCivil(y, m, 1);
    case 'week':
      return days - isodowOf(days) + 1;
    default:
      return days;
  }
}

const MICROS: Record<string, number> = { hour: 3_600_000_000, minute: 60_000_000, second: 1_000_000, milliseconds: 1000, millisecond: 1000, microseconds: 1, microsecond: 1 };
export function truncMicros(unit: string, us: number): number {
  const step = MICROS[unit];
  if (step !== undefined) return Math.floor(us / step) * step;
  const days = daysOfMicros(us);
  return truncDays(unit, days) * MICROS_PER_DAY;
}
