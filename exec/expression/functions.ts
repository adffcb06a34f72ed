// Kernel templates of the scalar functions and operators, by name and argument/result
// types. The binder (sql/binder) decides the types and inserts casts, so a kernel always
// receives the argument types it was bound with. Functions whose NULL handling is not
// "any NULL argument gives NULL" (AND, OR, CASE, COALESCE, IS DISTINCT FROM, concat...) are
// evaluated in compile.ts, not here.

import { internalError } from '../../common/errors.js';
import { type LogicalType, TypeId, isWideInteger } from '../../common/types.js';
import * as H from './helpers.js';
import type { KernelTemplate } from './kernel.js';
import { moreScalarKernel } from './more-functions.js';

/** 'number' = doubles/int32 arrays; 'bigint' = the exact path for BIGINT/DECIMAL results. */
export type NumericPath = 'number' | 'bigint';

const ARITH: Record<string, string> = { add: '+', subtract: '-', multiply: '*' };
const CMP: Record<string, string> = { eq: '===', ne: '!==', lt: '<', le: '<=', gt: '>', ge: '>=' };
const CMP_LOOSE: Record<string, string> = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' };

// A computed double is trusted only strictly below 2^53: a result of exactly 2^53 may be a
// rounded 2^53 + 1.
const SAFE_CHECK = '(r < 9007199254740992 && r > -9007199254740992 ? r : H.unsafe())';
// Kernels skip NULL rows (kernel.ts), so a check never fires on a placeholder value.
const I32_CHECK = '((r | 0) === r ? r : H.overflow())';
const I16_CHECK = '(r >= -32768 && r <= 32767 ? r : H.overflow16())';

const tpl = (name: string, body: string, nullIf?: string): KernelTemplate =>
  nullIf === undefined ? { name, body, helpers: H } : { name, body, nullIf, helpers: H };

/** The result category a numeric kernel computes in. */
function category(t: LogicalType): 'i32' | 'i16' | 'f64' | 'wide' {
  switch (t.id) {
    case TypeId.SMALLINT:
      return 'i16';
    case TypeId.INTEGER:
    case TypeId.DATE:
      return 'i32';
    case TypeId.BIGINT:
    case TypeId.DECIMAL:
      return 'wide';
    default:
      return 'f64';
  }
}

function arithmetic(fn: string, ret: LogicalType, path: NumericPath): KernelTemplate {
  const cat = category(ret);
  const name = `${fn}_${cat}${path === 'bigint' ? '_big' : ''}`;
  if (cat === 'wide' && path === 'bigint') {
    if (fn === 'divide') return tpl(name, 'H.i64($0 / $1)', '$1 === 0n');
    if (fn === 'modulo') return tpl(name, '$0 % $1', '$1 === 0n');
    return tpl(name, `H.i64($0 ${ARITH[fn]} $1)`);
  }
  if (cat === 'f64') {
    if (fn === 'divide') return tpl(name, '$0 / $1', '$1 === 0');
    if (fn === 'modulo') return tpl(name, '$0 % $1', '$1 === 0');
    return tpl(name, `$0 ${ARITH[fn]} $1`);
  }
  const check = cat === 'wide' ? SAFE_CHECK : cat === 'i16' ? I16_CHECK : I32_CHECK;
  if (fn === 'divide') return tpl(name, `(r = Math.trunc($0 / $1), ${check})`, '$1 === 0');
  // `+ 0` turns JS's -0 remainder into 0.
  if (fn === 'modulo') return tpl(name, '($0 % $1) + 0', '$1 === 0');
  return tpl(name, `(r = $0 ${ARITH[fn]} $1, ${check})`);
}

/**
 * The kernel for `fn` over arguments of `args` types giving `ret`. `path` selects the exact
 * BigInt variant for BIGINT/DECIMAL results; `mixed` is true when a comparison sees a BigInt
 * array on one side and a double array on the other.
 */
export function scalarKernel(fn: string, args: LogicalType[], ret: LogicalType, path: NumericPath, mixed = false): KernelTemplate {
  switch (fn) {
    case 'add':
    case 'subtract':
    case 'multiply':
    case 'divide':
    case 'modulo':
      return arithmetic(fn, ret, path);
    case 'negate': {
      const cat = category(ret);
      if (cat === 'wide') return path === 'bigint' ? tpl('negate_big', 'H.i64(-$0)') : tpl('negate_wide', '0 - $0');
      if (cat === 'f64') return tpl('negate_f64', '-$0');
      return tpl(`negate_${cat}`, `(r = 0 - $0, ${cat === 'i16' ? I16_CHECK : I32_CHECK})`);
    }
    case 'eq':
    case 'ne':
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge':
      return mixed ? tpl(`${fn}_loose`, `($0 ${CMP_LOOSE[fn]} $1) ? 1 : 0`) : tpl(fn, `($0 ${CMP[fn]} $1) ? 1 : 0`);
    case 'concat_op':
      return tpl('concat_op', '$0 + $1');
    case 'lower':
      return tpl('lower', '$0.toLowerCase()');
    case 'upper':
      return tpl('upper', '$0.toUpperCase()');
    case 'length':
      return tpl('length', 'H.charLength($0)');
    case 'substring':
      return args.length === 2 ? tpl('substring2', 'H.substring($0, $1, undefined)') : tpl('substring3', 'H.substring($0, $1, $2)');
    case 'trim':
    case 'ltrim':
    case 'rtrim': {
      const lead = fn !== 'rtrim';
      const trail = fn !== 'ltrim';
      return args.length === 1
        ? tpl(`${fn}1`, `H.trimChars($0, ' ', ${lead}, ${trail})`)
        : tpl(`${fn}2`, `H.trimChars($0, $1, ${lead}, ${trail})`);
    }
    case 'replace':
      return tpl('replace', 'H.replaceAll($0, $1, $2)');
    case 'starts_with':
      return tpl('starts_with', '$0.startsWith($1) ? 1 : 0');
    case 'strpos':
      return tpl('strpos', 'H.strpos($0, $1)');
    case 'like':
      return tpl('like_re', '$1.test($0) ? 1 : 0');
    case 'like_dynamic':
      return tpl('like_dynamic', 'H.like($0, $1, false) ? 1 : 0');
    case 'ilike_dynamic':
      return tpl('ilike_dynamic', 'H.like($0, $1, true) ? 1 : 0');
    case 'abs': {
      const cat = category(ret);
      if (cat === 'wide') return path === 'bigint' ? tpl('abs_big', 'H.i64($0 < 0n ? -$0 : $0)') : tpl('abs_wide', 'Math.abs($0)');
      if (cat === 'f64') return tpl('abs_f64', 'Math.abs($0)');
      return tpl(`abs_${cat}`, `(r = Math.abs($0), ${cat === 'i16' ? I16_CHECK : I32_CHECK})`);
    }
    case 'sign':
      return tpl('sign', 'Math.sign($0) + 0');
    case 'round':
      return args.length === 1 ? tpl('round_f64', 'H.roundHalfAway($0)') : tpl('round_f64_n', 'H.roundTo($0, $1)');
    case 'round_decimal':
      // Scaled integer rounding from the argument's scale down to the result's.
      return path === 'bigint'
        ? tpl('round_decimal_big', 'H.descaleRoundBig($0, $1) * $2')
        : tpl('round_decimal', '(r = H.descaleRound($0, $1) * $2, ' + SAFE_CHECK + ')');
    case 'floor':
      return tpl('floor', 'Math.floor($0)');
    case 'ceil':
      return tpl('ceil', 'Math.ceil($0)');
    case 'floor_decimal':
      return path === 'bigint' ? tpl('floor_decimal_big', '($0 >= 0n ? $0 / $1 : -((-$0 + $1 - 1n) / $1))') : tpl('floor_decimal', 'Math.floor($0 / $1)');
    case 'ceil_decimal':
      return path === 'bigint' ? tpl('ceil_decimal_big', '($0 >= 0n ? ($0 + $1 - 1n) / $1 : -((-$0) / $1))') : tpl('ceil_decimal', 'Math.ceil($0 / $1)');
    case 'sqrt':
      return tpl('sqrt', 'H.sqrt($0)');
    case 'power':
      return tpl('power', 'H.power($0, $1)');
    case 'ln':
      return tpl('ln', 'H.ln($0)');
    case 'log10':
      return tpl('log10', 'H.log10($0)');
    case 'exp':
      return tpl('exp', 'Math.exp($0)');
    case 'extract_year':
    case 'extract_month':
    case 'extract_day':
    case 'extract_quarter':
    case 'extract_dow':
    case 'extract_isodow':
    case 'extract_doy':
    case 'extract_week': {
      const part = fn.slice('extract_'.length);
      const f = { year: 'yearOf', month: 'monthOf', day: 'dayOf', quarter: 'quarterOf', dow: 'dowOf', isodow: 'isodowOf', doy: 'doyOf', week: 'weekOf' }[part]!;
      return args[0]!.id === TypeId.DATE ? tpl(`${fn}_date`, `H.${f}($0)`) : tpl(`${fn}_ts`, `H.${f}(H.daysOfMicros($0))`);
    }
    case 'extract_hour':
      return tpl('extract_hour', 'Math.floor((($0 % 86400000000) + 86400000000) % 86400000000 / 3600000000)');
    case 'extract_minute':
      return tpl('extract_minute', 'Math.floor((($0 % 3600000000) + 3600000000) % 3600000000 / 60000000)');
    case 'extract_second':
      return tpl('extract_second', 'Math.floor((($0 % 60000000) + 60000000) % 60000000 / 1000000)');
    case 'extract_epoch':
      return args[0]!.id === TypeId.DATE ? tpl('extract_epoch_date', '$0 * 86400') : tpl('extract_epoch_ts', '$0 / 1000000');
    case 'date_trunc':
      return args[1]!.id === TypeId.DATE ? tpl('date_trunc_date', 'H.truncDays($0, $1)') : tpl('date_trunc_ts', 'H.truncMicros($0, $1)');
    case 'date_add_days':
      return tpl('date_add_days', `(r = $0 + $1, ${I32_CHECK})`);
    case 'date_sub_days':
      return tpl('date_sub_days', `(r = $0 - $1, ${I32_CHECK})`);
    case 'date_diff_days':
      return tpl('date_diff_days', `(r = $0 - $1, ${I32_CHECK})`);
    case 'date_add_interval':
      // $1 is an Interval constant; the result is a TIMESTAMP (as PostgreSQL and DuckDB).
      return tpl('date_add_interval', 'H.addMonths($0, $1.months) * 86400000000 + $1.days * 86400000000 + $1.micros');
    case 'date_sub_interval':
      return tpl('date_sub_interval', 'H.addMonths($0, -$1.months) * 86400000000 - $1.days * 86400000000 - $1.micros');
    case 'ts_add_interval':
      return tpl('ts_add_interval', 'H.addMonths(H.daysOfMicros($0), $1.months) * 86400000000 + (($0 % 86400000000) + 86400000000) % 86400000000 + $1.days * 86400000000 + $1.micros');
    case 'ts_sub_interval':
      return tpl('ts_sub_interval', 'H.addMonths(H.daysOfMicros($0), -$1.months) * 86400000000 + (($0 % 86400000000) + 86400000000) % 86400000000 - $1.days * 86400000000 - $1.micros');
  }
  const more = moreScalarKernel(fn, args);
  if (more !== null) return more;
  throw internalError(`no kernel for function ${fn}(${args.map((a) => a.id).join(', ')})`);
}

/** True when the function's kernels take the exact BigInt path for these result types. */
export function hasBigIntPath(fn: string, ret: LogicalType): boolean {
  return isWideInteger(ret) && (fn in ARITH || fn === 'divide' || fn === 'modulo' || fn === 'negate' || fn === 'abs' || fn === 'round_decimal' || fn === 'floor_decimal' || fn === 'ceil_decimal');
}
