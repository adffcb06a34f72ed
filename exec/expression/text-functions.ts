// Helpers of the string kernels split_part, lpad/rpad, left/right and the regular-expression
// functions (regexp_matches, regexp_replace), called from generated kernels as H.name(...).
// Semantics follow DuckDB; lengths and positions count code points. Regex patterns are user
// data handed to RegExp (never spliced into code); compiled patterns are cached by text.

import { QuiverError } from '../../common/errors.js';

const HAS_SURROGATE = /[\uD800-\uDFFF]/;

/** The code points of s (one string each), or null when every UTF-16 unit is a character. */
function codePoints(s: string): string[] | null {
  return HAS_SURROGATE.test(s) ? Array.from(s) : null;
}

/**
 * split_part(s, sep, n): the n-th field (1-based); negative n counts from the end; 0 or a field
 * beyond the last gives ''. An empty separator splits into characters.
 */
export function splitPart(s: string, sep: string, n: number): string {
  if (n === 0) return '';
  const parts = sep === '' ? Array.from(s) : s.split(sep);
  const k = n > 0 ? n - 1 : parts.length + n;
  return k >= 0 && k < parts.length ? parts[k]! : '';
}

/** The most characters lpad/rpad build: beyond it a JS string cannot be allocated reliably. */
const MAX_PAD_LENGTH = 100_000_000;

/** lpad / rpad(s, n, fill): pads to n characters, or truncates to the first n when longer. */
export function pad(s: string, n: number, fill: string, left: boolean): string {
  if (n <= 0) return '';
  if (n > MAX_PAD_LENGTH) throw new QuiverError('INVALID_INPUT', `${left ? 'lpad' : 'rpad'} length ${n} is too large (at most ${MAX_PAD_LENGTH})`);
  const chars = codePoints(s);
  const len = chars === null ? s.length : chars.length;
  if (len >= n) return chars === null ? s.slice(0, n) : chars.slice(0, n).join('');
  if (fill === '') throw new QuiverError('INVALID_INPUT', `${left ? 'lpad' : 'rpad'} needs a non-empty fill string to pad '${s}' to ${n} characters`);
  const fillChars = codePoints(fill);
  const need = n - len;
  let padding: string;
  if (fillChars === null) padding = fill.repeat(Math.ceil(need / fill.length)).slice(0, need);
  else padding = Array.from({ length: need }, (_, i) => fillChars[i % fillChars.length]!).join('');
  return left ? padding + s : s + padding;
}

/** left(s, n): the first n characters; a negative n drops the last -n characters. */
export function leftChars(s: string, n: number): string {
  const chars = codePoints(s);
  const len = chars === null ? s.length : chars.length;
  const end = n >= 0 ? Math.min(n, len) : Math.max(len + n, 0);
  return chars === null ? s.slice(0, end) : chars.slice(0, end).join('');
}

/** right(s, n): the last n characters; a negative n drops the first -n characters. */
export function rightChars(s: string, n: number): string {
  const chars = codePoints(s);
  const len = chars === null ? s.length : chars.length;
  const start = n >= 0 ? Math.max(len - n, 0) : Math.min(-n, len);
  return chars === null ? s.slice(start) : chars.slice(start).join('');
}

// ---------------------------------------------------------------- regular expressions

/** Options of the regexp functions: 'c' case-sensitive (the default), 'i' case-insensitive,
 *  'g' (regexp_replace only) replace every match instead of the first. */
export interface RegexOptions {
  ignoreCase: boolean;
  global: boolean;
}

export function parseRegexOptions(options: string, allowGlobal: boolean): RegexOptions {
  const r: RegexOptions = { ignoreCase: false, global: false };
  for (const c of options) {
    if (c === 'i') r.ignoreCase = true;
    else if (c === 'c') r.ignoreCase = false;
    else if (c === 'g' && allowGlobal) r.global = true;
    else {
      throw new QuiverError('INVALID_INPUT', `unrecognized regex option '${c}'; use ${allowGlobal ? "'g' (every match), " : ''}'i' (ignore case) or 'c' (case-sensitive)`);
    }
  }
  return r;
}

const regexCache = new Map<string, RegExp>();
/** Bound on the cache, so per-row patterns cannot grow it without limit. */
const REGEX_CACHE_MAX = 10_000;

// The last pattern looked up: a constant pattern is the same string on every row, so most
// calls end at this identity check without hashing the pattern.
let lastPattern = '';
let lastOptions = '';
let lastGlobal = false;
let lastRegex: RegExp | null = null;

/** The RegExp of a pattern with options (cached); an invalid pattern is a clear error. */
export function compileRegex(pattern: string, options: string, allowGlobal: boolean): RegExp {
  if (lastRegex !== null && pattern === lastPattern && options === lastOptions && allowGlobal === lastGlobal) return lastRegex;
  const re = lookupRegex(pattern, options, allowGlobal);
  lastPattern = pattern;
  lastOptions = options;
  lastGlobal = allowGlobal;
  lastRegex = re;
  return re;
}

function lookupRegex(pattern: string, options: string, allowGlobal: boolean): RegExp {
  const key = `${allowGlobal ? 'r' : 'm'}${options}\u0000${pattern}`;
  let re = regexCache.get(key);
  if (re === undefined) {
    const o = parseRegexOptions(options, allowGlobal);
    try {
      re = new RegExp(pattern, (o.global ? 'g' : '') + (o.ignoreCase ? 'i' : '') + 'u');
    } catch (err) {
      throw new QuiverError('INVALID_INPUT', `invalid regular expression '${pattern}': ${(err as Error).message}`);
    }
    if (regexCache.size >= REGEX_CACHE_MAX) regexCache.clear();
    regexCache.set(key, re);
  }
  return re;
}

/** regexp_matches(s, pattern[, options]): true when the pattern matches anywhere in s. */
export function regexMatches(s: string, pattern: string, options: string): boolean {
  return compileRegex(pattern, options, false).test(s);
}

const replacementCache = new Map<string, string>();

/**
 * A regexp_replace replacement (RE2 syntax: `\0`..`\9` name groups, `\\` is a backslash,
 * `$` is literal) as a JS replacement string.
 */
export function jsReplacement(repl: string): string {
  let out = replacementCache.get(repl);
  if (out !== undefined) return out;
  out = '';
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i]!;
    const next = repl[i + 1];
    if (c === '$') out += '$$';
    else if (c === '\\' && next !== undefined && next >= '0' && next <= '9') {
      out += next === '0' ? '$&' : '$' + next;
      i++;
    } else if (c === '\\' && next === '\\') {
      out += '\\';
      i++;
    } else out += c;
  }
  if (replacementCache.size >= REGEX_CACHE_MAX) replacementCache.clear();
  replacementCache.set(repl, out);
  return out;
}

/** regexp_replace(s, pattern, repl[, options]): the first match replaced, or every one with 'g'. */
export function regexReplace(s: string, pattern: string, repl: string, options: string): string {
  return s.replace(compileRegex(pattern, options, true), jsReplacement(repl));
}
