// Formats one result value the way SQLite's sqllogictest runner (slt_sqlite.c) prints it, so
// that results compare with the corpus's expected lines and md5 hashes:
//   I  the value as a 64-bit integer, truncated toward zero (sqlite3_column_int64): a double or a
//      DECIMAL string is truncated, a text value gives its leading integer (atoi), 0 if none;
//   R  the value as a double printed "%.3f" by sqlite3_snprintf (from 16 significant digits;
//      a tiny negative prints "-0.000"); a DECIMAL string is rounded on its exact digits;
//   T  the value as text; "" prints "(empty)", and every byte of a non-printable or non-ASCII
//      character prints "@".
// NULL prints "NULL" whatever the letter. Values arrive as Quiver's embedded library gives them:
// number (SMALLINT, INTEGER, REAL, DOUBLE), bigint (BIGINT), string of exact digits (DECIMAL),
// boolean, string (VARCHAR, DATE, TIMESTAMP), null.

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const TWO_POW_63 = 2 ** 63;
/** sqlite3_snprintf works from 16 significant digits of a double. */
const SIGNIFICANT_DIGITS = 16;
const REAL_DECIMALS = 3;
/** "%!.15g": SQLite's text form of a REAL. */
const TEXT_REAL_DIGITS = 15;

export type SltTypeLetter = 'I' | 'R' | 'T';

/** Formats `value` for a column of letter `letter`; `columnType` is the engine's type name. */
export function formatValue(value: unknown, letter: SltTypeLetter, columnType: string): string {
  if (value === null || value === undefined) return 'NULL';
  switch (letter) {
    case 'I':
      return formatInteger(value);
    case 'R':
      return formatReal(value, columnType);
    case 'T':
      return formatText(value, columnType);
  }
}

function clampInt64(v: bigint): bigint {
  return v < INT64_MIN ? INT64_MIN : v > INT64_MAX ? INT64_MAX : v;
}

/** SQLite's double -> int64: truncate toward zero, saturate at the int64 range. */
function doubleToInt64(x: number): string {
  if (Number.isNaN(x)) return '0';
  if (x >= TWO_POW_63) return INT64_MAX.toString();
  if (x <= -TWO_POW_63) return INT64_MIN.toString();
  return BigInt(Math.trunc(x)).toString();
}

const LEADING_INTEGER = /^\s*([+-]?)(\d+)/;

/** atoi: the leading integer of a text (after spaces and a sign), 0 if none; saturates. */
function textToInt64(s: string): string {
  const m = LEADING_INTEGER.exec(s);
  if (!m) return '0';
  const v = BigInt(m[2]!);
  return clampInt64(m[1] === '-' ? -v : v).toString();
}

function formatInteger(value: unknown): string {
  switch (typeof value) {
    case 'number':
      return doubleToInt64(value);
    case 'bigint':
      return clampInt64(value).toString();
    case 'boolean':
      return value ? '1' : '0';
    case 'string':
      return textToInt64(value);
    default:
      return textToInt64(String(value));
  }
}

/**
 * The decimal digits SQLite's printf works from: the double rounded to 16 significant digits,
 * written out without an exponent ("-9223372036854776000", "1.000500000000000").
 */
function sixteenDigits(x: number): string {
  const [mantissa, expText] = Math.abs(x).toExponential(SIGNIFICANT_DIGITS - 1).split('e');
  const digits = mantissa!.replace('.', '');
  const exp = Number(expText);
  const sign = x < 0 ? '-' : '';
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intLen = exp + 1;
  if (intLen >= digits.length) return sign + digits + '0'.repeat(intLen - digits.length);
  return `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
}

/**
 * "%.3f" as sqlite3_snprintf prints it: the double is first rounded to 16 significant digits,
 * then half away from zero at the third decimal (so 1.0005, held as 1.000499999..., prints
 * 1.001, and -9223372036854775808 prints -9223372036854776000.000, as the corpus expects).
 */
export function formatDouble3(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Inf' : '-Inf';
  return roundDecimal3(sixteenDigits(x))!;
}

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/**
 * "%.3f" of a plain decimal string, rounded half away from zero on its exact digits; null if
 * the text is not a plain decimal. A negative that rounds to zero keeps its sign, as
 * sqlite3_snprintf("%.3f", -0.0001) gives "-0.000".
 */
function roundDecimal3(s: string): string | null {
  const m = DECIMAL_TEXT.exec(s);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  const negative = m[1] === '-';
  const frac = (m[3] ?? '').padEnd(REAL_DECIMALS + 1, '0');
  let scaled = BigInt((m[2] || '0') + frac.slice(0, REAL_DECIMALS));
  if (frac.charCodeAt(REAL_DECIMALS) >= '5'.charCodeAt(0)) scaled += 1n;
  const text = scaled.toString().padStart(REAL_DECIMALS + 1, '0');
  const cut = text.length - REAL_DECIMALS;
  const nonZero = /[1-9]/.test(s);
  return `${negative && nonZero ? '-' : ''}${text.slice(0, cut)}.${text.slice(cut)}`;
}

const LEADING_REAL = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;

function formatReal(value: unknown, columnType: string): string {
  switch (typeof value) {
    case 'number':
      return formatDouble3(value);
    case 'bigint':
      // sqlite3_column_double converts an integer to a double first.
      return formatDouble3(Number(value));
    case 'boolean':
      return value ? '1.000' : '0.000';
    case 'string': {
      // A DECIMAL is exact: round its own digits rather than a double near them.
      if (columnType.toUpperCase().startsWith('DECIMAL')) {
        const exact = roundDecimal3(value.trim());
        if (exact !== null) return exact;
      }
      // atof: the leading number of a text, 0 if none.
      const m = LEADING_REAL.exec(value);
      return formatDouble3(m ? Number(m[0].trim()) : 0);
    }
    default:
      return formatReal(String(value), columnType);
  }
}

/** SQLite's text form of a REAL: "%!.15g" (always a decimal point or an exponent). */
export function formatRealAsText(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Inf' : '-Inf';
  if (x === 0) return '0.0';
  const [mantissa, expText] = x.toExponential(TEXT_REAL_DIGITS - 1).split('e');
  const exp = Number(expText);
  const negative = mantissa!.startsWith('-');
  const digits = mantissa!.replace('-', '').replace('.', '').replace(/0+$/, '') || '0';
  const sign = negative ? '-' : '';
  if (exp < -4 || exp >= TEXT_REAL_DIGITS) {
    const frac = digits.length > 1 ? digits.slice(1) : '0';
    const e = Math.abs(exp).toString().padStart(2, '0');
    return `${sign}${digits[0]}.${frac}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intLen = exp + 1;
  if (digits.length <= intLen) return `${sign}${digits}${'0'.repeat(intLen - digits.length)}.0`;
  return `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
}

const NON_PRINTABLE = /[^\x20-\x7e]/;

/** Replaces every UTF-8 byte of a character outside printable ASCII with "@". */
function printable(s: string): string {
  if (!NON_PRINTABLE.test(s)) return s;
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x20 && c <= 0x7e) out += ch;
    else out += '@'.repeat(Buffer.byteLength(ch, 'utf8'));
  }
  return out;
}

const FLOAT_TYPES = new Set(['DOUBLE', 'REAL', 'FLOAT', 'FLOAT4', 'FLOAT8', 'DOUBLE PRECISION']);

function formatText(value: unknown, columnType: string): string {
  switch (typeof value) {
    case 'string':
      return value === '' ? '(empty)' : printable(value);
    case 'number':
      return FLOAT_TYPES.has(columnType.toUpperCase()) ? formatRealAsText(value) : doubleToText(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    default: {
      const s = String(value);
      return s === '' ? '(empty)' : printable(s);
    }
  }
}

/** A number of an integer column as text; a non-integral one (unexpected there) as a REAL. */
function doubleToText(x: number): string {
  return Number.isInteger(x) && Math.abs(x) < TWO_POW_63 ? BigInt(x).toString() : formatRealAsText(x);
}
