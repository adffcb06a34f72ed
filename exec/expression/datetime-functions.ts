// Helpers of the date/time kernels strftime, date_diff, make_date, dayname and monthname,
// called from generated kernels as H.name(...). Semantics follow DuckDB (in UTC: Quiver has
// no session time zone). Values are physical: DATE = days, TIMESTAMP(TZ) = microseconds.

import { QuiverError } from '../../common/errors.js';
import { MICROS_PER_DAY, civilFromDays, daysFromCivil, daysInMonth } from '../../common/text-values.js';

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const civil = new Int32Array(3);

/** 0 = Sunday. */
const dow = (days: number) => (((days + 4) % 7) + 7) % 7;

export function dayname(days: number): string {
  return DAY_NAMES[dow(days)]!;
}
export function monthname(days: number): string {
  civilFromDays(days, civil);
  return MONTH_NAMES[civil[1]! - 1]!;
}
export function daysOf(us: number): number {
  return Math.floor(us / MICROS_PER_DAY);
}

/** make_date(y, m, d); an impossible date (2023-02-29, month 13) is an error, not NULL. */
export function makeDate(y: number, m: number, d: number): number {
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) {
    throw new QuiverError('CONVERSION_ERROR', `make_date: ${y}-${m}-${d} is not a valid date`);
  }
  const days = daysFromCivil(y, m, d);
  if ((days | 0) !== days) throw new QuiverError('CONVERSION_ERROR', `make_date: ${y}-${m}-${d} is out of the DATE range`);
  return days;
}

// ---------------------------------------------------------------- strftime

/** One piece of a parsed format: literal text, or a format code. */
type Piece = string | { code: string; pad: boolean };

const CODES = new Set(['a', 'A', 'b', 'B', 'h', 'd', 'e', 'f', 'g', 'n', 'H', 'I', 'j', 'm', 'M', 'p', 'S', 'u', 'w', 'y', 'Y']);
/** Codes that accept the '-' flag (no zero padding). */
const UNPADDED = new Set(['d', 'H', 'I', 'j', 'm', 'M', 'S', 'y']);

const formatCache = new Map<string, Piece[]>();
/** Bound on the cache, so per-row formats cannot grow it without limit. */
const FORMAT_CACHE_MAX = 10_000;

/** Parses a strftime format once (cached); unknown codes and a trailing '%' are errors. */
export function parseFormat(format: string): Piece[] {
  let pieces = formatCache.get(format);
  if (pieces !== undefined) return pieces;
  pieces = [];
  let text = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== '%') {
      text += c;
      continue;
    }
    let code = format[++i];
    let pad = true;
    if (code === '-') {
      pad = false;
      code = format[++i];
    }
    if (code === undefined) throw new QuiverError('INVALID_INPUT', `strftime format '${format}' ends with a lone '%'; write '%%' for a percent sign`);
    if (code === '%' && pad) {
      text += '%';
      continue;
    }
    if (!CODES.has(code) || (!pad && !UNPADDED.has(code))) {
      throw new QuiverError('INVALID_INPUT', `strftime format '${format}' has an unknown code '%${pad ? '' : '-'}${code}'`);
    }
    if (text !== '') pieces.push(text);
    text = '';
    pieces.push({ code, pad });
  }
  if (text !== '') pieces.push(text);
  if (formatCache.size >= FORMAT_CACHE_MAX) formatCache.clear();
  formatCache.set(format, pieces);
  return pieces;
}

const two = (v: number, pad: boolean) => (pad && v < 10 ? '0' + v : String(v));

/** strftime of a timestamp in microseconds (DATE values are passed as days * MICROS_PER_DAY). */
export function strftime(us: number, format: string): string {
  const pieces = parseFormat(format);
  const days = Math.floor(us / MICROS_PER_DAY);
  const tod = us - days * MICROS_PER_DAY;
  civilFromDays(days, civil);
  const y = civil[0]!;
  const mo = civil[1]!;
  const d = civil[2]!;
  const hour = Math.floor(tod / 3_600_000_000);
  const minute = Math.floor(tod / 60_000_000) % 60;
  const second = Math.floor(tod / 1_000_000) % 60;
  const micro = tod % 1_000_000;
  let out = '';
  for (const p of pieces) {
    if (typeof p === 'string') {
      out += p;
      continue;
    }
    switch (p.code) {
      case 'a': out += DAY_NAMES[dow(days)]!.slice(0, 3); break;
      case 'A': out += DAY_NAMES[dow(days)]!; break;
      case 'b':
      case 'h': out += MONTH_NAMES[mo - 1]!.slice(0, 3); break;
      case 'B': out += MONTH_NAMES[mo - 1]!; break;
      case 'd': out += two(d, p.pad); break;
      // %e (C strftime: day padded with a space) is an extension; DuckDB has no %e.
      case 'e': out += d < 10 ? ' ' + d : String(d); break;
      case 'f': out += String(micro).padStart(6, '0'); break;
      case 'g': out += String(Math.floor(micro / 1000)).padStart(3, '0'); break;
      case 'n': out += String(micro).padStart(6, '0') + '000'; break;
      case 'H': out += two(hour, p.pad); break;
      case 'I': out += two(hour % 12 === 0 ? 12 : hour % 12, p.pad); break;
      case 'j': {
        const doy = days - daysFromCivil(y, 1, 1) + 1;
        out += p.pad ? String(doy).padStart(3, '0') : String(doy);
        break;
      }
      case 'm': out += two(mo, p.pad); break;
      case 'M': out += two(minute, p.pad); break;
      case 'p': out += hour < 12 ? 'AM' : 'PM'; break;
      case 'S': out += two(second, p.pad); break;
      case 'u': out += String(dow(days) === 0 ? 7 : dow(days)); break;
      case 'w': out += String(dow(days)); break;
      case 'y': out += two(Math.abs(y) % 100, p.pad); break;
      case 'Y': out += y >= 0 ? String(y).padStart(4, '0') : String(y); break;
    }
  }
  return out;
}

// ---------------------------------------------------------------- date_diff

/** date_diff parts (and their spellings) to the canonical part. */
export const DATE_DIFF_PARTS: Record<string, string> = {
  millennium: 'millennium', millennia: 'millennium', millenniums: 'millennium', mil: 'millennium', mils: 'millennium',
  century: 'century', centuries: 'century', cent: 'century', c: 'century',
  decade: 'decade', decades: 'decade', dec: 'decade', decs: 'decade',
  year: 'year', years: 'year', y: 'year', yr: 'year', yrs: 'year',
  quarter: 'quarter', quarters: 'quarter',
  month: 'month', months: 'month', mon: 'month', mons: 'month',
  week: 'week', weeks: 'week', w: 'week',
  day: 'day', days: 'day', d: 'day', dayofmonth: 'day',
  hour: 'hour', hours: 'hour', h: 'hour', hr: 'hour', hrs: 'hour',
  minute: 'minute', minutes: 'minute', m: 'minute', min: 'minute', mins: 'minute',
  second: 'second', seconds: 'second', s: 'second', sec: 'second', secs: 'second',
  millisecond: 'millisecond', milliseconds: 'millisecond', ms: 'millisecond', msec: 'millisecond', msecs: 'millisecond',
  microsecond: 'microsecond', microseconds: 'microsecond', us: 'microsecond', usec: 'microsecond', usecs: 'microsecond',
};

/** Units of the sub-day parts in microseconds. */
const STEP: Record<string, number> = { hour: 3_600_000_000, minute: 60_000_000, second: 1_000_000, millisecond: 1000, microsecond: 1 };

/** Parts counted on the calendar (from the dates alone). */
function calendarDiff(part: string, a: number, b: number): number {
  if (part === 'day') return b - a;
  if (part === 'week') return Math.trunc((b - a) / 7);
  civilFromDays(a, civil);
  const ya = civil[0]!;
  const ma = civil[1]!;
  civilFromDays(b, civil);
  const yb = civil[0]!;
  const mb = civil[1]!;
  switch (part) {
    case 'millennium': return Math.trunc(yb / 1000) - Math.trunc(ya / 1000);
    case 'century': return Math.trunc(yb / 100) - Math.trunc(ya / 100);
    case 'decade': return Math.trunc(yb / 10) - Math.trunc(ya / 10);
    case 'year': return yb - ya;
    case 'quarter': return yb * 4 + Math.floor((mb - 1) / 3) - (ya * 4 + Math.floor((ma - 1) / 3));
    case 'month': return yb * 12 + mb - (ya * 12 + ma);
  }
  throw new QuiverError('INVALID_INPUT', `date_diff part '${part}' needs TIMESTAMP arguments`);
}

/** date_diff(part, a, b) over DATE day numbers: the number of part boundaries from a to b. */
export function dateDiffDays(part: string, a: number, b: number): number {
  return calendarDiff(part, a, b);
}

/** date_diff(part, a, b) over timestamps: boundaries crossed (sub-day parts count floor(us / unit)). */
export function dateDiffMicros(part: string, a: number, b: number): number {
  const step = STEP[part];
  if (step !== undefined) return Math.floor(b / step) - Math.floor(a / step);
  return calendarDiff(part, Math.floor(a / MICROS_PER_DAY), Math.floor(b / MICROS_PER_DAY));
}
