// Binds function calls by name: checks argument types, inserts casts, and decides the
// result type. Scalar functions become `call` expressions naming an exec kernel; a few
// (NULLIF, GREATEST, LEAST) are rewritten into CASE; aggregates become `agg` expressions.

import { binderError, typeError } from '../../common/errors.js';
import type { Pos } from '../ast.js';
import {
  type LogicalType, T, TypeId, decimalType, isFloat, isIntegral, isNumeric, isTemporal, pow10, typeToString,
} from '../../common/types.js';
import type { AggregateFn } from '../../exec/plan.js';
import type { LExpr } from '../logical/plan.js';
import { arithmeticTypes, castTo, coerceForComparison, unify } from './coercion.js';
import { MORE_AGGREGATES, moreAggregateType } from './aggregate-functions.js';
import { bindMoreScalarFunction } from './more-scalar-functions.js';

export const AGGREGATES = new Set(['count', 'sum', 'avg', 'min', 'max', 'any_value', 'first', 'arbitrary', ...MORE_AGGREGATES]);

const call = (fn: string, args: LExpr[], type: LogicalType): LExpr => ({ kind: 'call', fn, args, type });
const konst = (value: number | string | bigint | null, type: LogicalType): LExpr => ({ kind: 'const', value, type });

function argError(name: string, args: LExpr[], pos?: Pos, hint = ''): never {
  throw typeError(`no function matches ${name}(${args.map((a) => typeToString(a.type)).join(', ')})${hint}`, pos);
}

function requireArgs(name: string, args: LExpr[], min: number, max: number, pos?: Pos): void {
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw binderError(`function ${name} takes ${want} argument${want === '1' ? '' : 's'}, got ${args.length}`, pos);
  }
}

/** Casts a string-function argument: VARCHAR or NULL only (no implicit number-to-text). */
function str(name: string, args: LExpr[], i: number, pos?: Pos): LExpr {
  const a = args[i]!;
  if (a.type.id === TypeId.VARCHAR) return a;
  if (a.type.id === TypeId.NULL) return castTo(a, T.VARCHAR);
  return argError(name, args, pos, `; argument ${i + 1} must be VARCHAR (add an explicit CAST)`);
}
function int(name: string, args: LExpr[], i: number, pos?: Pos): LExpr {
  const a = args[i]!;
  if (a.type.id === TypeId.NULL || isIntegral(a.type)) return castTo(a, T.INTEGER);
  return argError(name, args, pos, `; argument ${i + 1} must be an integer`);
}
function dbl(name: string, args: LExpr[], i: number, pos?: Pos): LExpr {
  const a = args[i]!;
  if (a.type.id === TypeId.NULL || isNumeric(a.type)) return castTo(a, T.DOUBLE);
  return argError(name, args, pos, `; argument ${i + 1} must be numeric`);
}

const EXTRACT_FIELDS: Record<string, string> = {
  year: 'year', years: 'year', month: 'month', months: 'month', day: 'day', days: 'day', quarter: 'quarter',
  dow: 'dow', dayofweek: 'dow', isodow: 'isodow', doy: 'doy', dayofyear: 'doy', week: 'week', weeks: 'week',
  hour: 'hour', hours: 'hour', minute: 'minute', minutes: 'minute', second: 'second', seconds: 'second', epoch: 'epoch',
};

/** EXTRACT(field FROM x) / date_part('field', x). */
export function bindExtract(field: string, x: LExpr, pos?: Pos): LExpr {
  const f = EXTRACT_FIELDS[field.toLowerCase()];
  if (f === undefined) throw binderError(`unknown date part "${field}"; use one of ${[...new Set(Object.values(EXTRACT_FIELDS))].join(', ')}`, pos);
  let arg = x;
  if (arg.type.id === TypeId.NULL || (arg.type.id === TypeId.VARCHAR && arg.kind === 'const')) arg = castTo(arg, T.TIMESTAMP);
  if (!isTemporal(arg.type)) throw typeError(`EXTRACT needs a DATE or TIMESTAMP, not ${typeToString(arg.type)}`, pos);
  if (arg.type.id === TypeId.DATE && (f === 'hour' || f === 'minute' || f === 'second')) {
    // A date's time of day is midnight; a NULL date stays NULL.
    return { kind: 'case', whens: [{ when: { kind: 'is_null', arg, negated: false, type: T.BOOLEAN }, then: konst(null, T.BIGINT) }], else: konst(0, T.BIGINT), type: T.BIGINT };
  }
  const type = f === 'epoch' ? T.DOUBLE : T.BIGINT;
  return call(`extract_${f}`, [arg], type);
}

const TRUNC_UNITS = new Set(['millennium', 'century', 'decade', 'year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second', 'milliseconds', 'microseconds']);

export function bindScalarFunction(name: string, args: LExpr[], pos?: Pos): LExpr {
  switch (name) {
    case 'lower':
    case 'upper':
    case 'lcase':
    case 'ucase':
      requireArgs(name, args, 1, 1, pos);
      return call(name === 'lcase' ? 'lower' : name === 'ucase' ? 'upper' : name, [str(name, args, 0, pos)], T.VARCHAR);
    case 'length':
    case 'char_length':
    case 'character_length':
    case 'len':
      requireArgs(name, args, 1, 1, pos);
      return call('length', [str(name, args, 0, pos)], T.INTEGER);
    case 'substring':
    case 'substr':
      requireArgs(name, args, 2, 3, pos);
      return call('substring', [str(name, args, 0, pos), ...args.slice(1).map((_, i) => int(name, args, i + 1, pos))], T.VARCHAR);
    case 'trim':
    case 'btrim':
    case 'ltrim':
    case 'rtrim':
      requireArgs(name, args, 1, 2, pos);
      return call(name === 'btrim' ? 'trim' : name, args.map((_, i) => str(name, args, i, pos)), T.VARCHAR);
    case 'replace':
      requireArgs(name, args, 3, 3, pos);
      return call('replace', args.map((_, i) => str(name, args, i, pos)), T.VARCHAR);
    case 'starts_with':
      requireArgs(name, args, 2, 2, pos);
      return call('starts_with', args.map((_, i) => str(name, args, i, pos)), T.BOOLEAN);
    case 'position':
      requireArgs(name, args, 2, 2, pos);
      return call('strpos', [str(name, args, 1, pos), str(name, args, 0, pos)], T.INTEGER);
    case 'strpos':
    case 'instr':
      requireArgs(name, args, 2, 2, pos);
      return call('strpos', [str(name, args, 0, pos), str(name, args, 1, pos)], T.INTEGER);
    case 'concat':
      requireArgs(name, args, 1, Infinity, pos);
      return call('concat', args.map((a) => castTo(a, T.VARCHAR)), T.VARCHAR);
    case 'abs': {
      requireArgs(name, args, 1, 1, pos);
      const a = args[0]!.type.id === TypeId.NULL ? castTo(args[0]!, T.INTEGER) : args[0]!;
      if (!isNumeric(a.type)) argError(name, args, pos);
      return call('abs', [a], a.type);
    }
    case 'sign':
      requireArgs(name, args, 1, 1, pos);
      return call('sign', [dbl(name, args, 0, pos)], T.DOUBLE);
    case 'round':
      requireArgs(name, args, 1, 2, pos);
      return bindRound(args, pos);
    case 'floor':
    case 'ceil':
    case 'ceiling':
      requireArgs(name, args, 1, 1, pos);
      return bindFloorCeil(name === 'floor' ? 'floor' : 'ceil', args, pos);
    case 'sqrt':
    case 'ln':
    case 'log10':
    case 'exp':
      requireArgs(name, args, 1, 1, pos);
      return call(name, [dbl(name, args, 0, pos)], T.DOUBLE);
    case 'log':
      requireArgs(name, args, 1, 1, pos);
      return call('log10', [dbl(name, args, 0, pos)], T.DOUBLE);
    case 'power':
    case 'pow':
      requireArgs(name, args, 2, 2, pos);
      return call('power', [dbl(name, args, 0, pos), dbl(name, args, 1, pos)], T.DOUBLE);
    case 'mod':
      requireArgs(name, args, 2, 2, pos);
      return bindArithmeticCall('%', args[0]!, args[1]!, pos);
    case 'pi':
      requireArgs(name, args, 0, 0, pos);
      return konst(Math.PI, T.DOUBLE);
    case 'coalesce':
    case 'ifnull': {
      requireArgs(name, args, 1, Infinity, pos);
      const t = unify(args.map((a) => a.type), 'COALESCE argument', pos);
      return call('coalesce', args.map((a) => castTo(a, t)), t);
    }
    case 'nullif': {
      requireArgs(name, args, 2, 2, pos);
      // NULLIF has the type of its first argument (DESIGN.md).
      const [l, r] = coerceForComparison(args[0]!, args[1]!, 'NULLIF', pos);
      return { kind: 'case', whens: [{ when: call('eq', [l, r], T.BOOLEAN), then: konst(null, args[0]!.type) }], else: args[0]!, type: args[0]!.type };
    }
    case 'greatest':
    case 'least':
      requireArgs(name, args, 1, Infinity, pos);
      return bindGreatest(name === 'greatest', args, pos);
    case 'date_part':
    case 'datepart': {
      requireArgs(name, args, 2, 2, pos);
      const f = args[0]!;
      if (f.kind !== 'const' || typeof f.value !== 'string') throw binderError(`${name} needs a constant date part such as 'year'`, pos);
      return bindExtract(f.value, args[1]!, pos);
    }
    case 'year':
    case 'month':
    case 'day':
    case 'quarter':
    case 'dayofweek':
    case 'dayofyear':
    case 'week':
    case 'hour':
    case 'minute':
    case 'second':
      requireArgs(name, args, 1, 1, pos);
      return bindExtract(name, args[0]!, pos);
    case 'date_trunc':
    case 'datetrunc': {
      requireArgs(name, args, 2, 2, pos);
      const u = args[0]!;
      if (u.kind !== 'const' || typeof u.value !== 'string') throw binderError(`${name} needs a constant unit such as 'month'`, pos);
      const unit = u.value.toLowerCase().replace(/s$/, '') === 'millisecond' ? 'milliseconds' : u.value.toLowerCase().replace(/s$/, '');
      if (!TRUNC_UNITS.has(unit)) throw binderError(`unknown date_trunc unit "${u.value}"`, pos);
      let x = args[1]!;
      if (x.type.id === TypeId.VARCHAR && x.kind === 'const') x = castTo(x, T.TIMESTAMP);
      if (!isTemporal(x.type) && x.type.id !== TypeId.NULL) argError(name, args, pos);
      if (x.type.id === TypeId.NULL) x = castTo(x, T.TIMESTAMP);
      // As DuckDB: truncating a DATE to a unit of a day or more gives a DATE.
      const dateResult = x.type.id === TypeId.DATE && !['hour', 'minute', 'second', 'milliseconds', 'microseconds'].includes(unit);
      if (x.type.id === TypeId.DATE && !dateResult) x = castTo(x, T.TIMESTAMP);
      return call('date_trunc', [konst(unit, T.VARCHAR), x], dateResult ? T.DATE : x.type);
    }
  }
  const more = bindMoreScalarFunction(name, args, pos);
  if (more !== null) return more;
  throw binderError(`function ${name}() does not exist`, pos);
}

function bindRound(args: LExpr[], pos?: Pos): LExpr {
  let x = args[0]!;
  if (x.type.id === TypeId.NULL) x = castTo(x, T.DOUBLE);
  if (!isNumeric(x.type)) argError('round', args, pos);
  let digits = 0;
  if (args.length === 2) {
    const d = args[1]!;
    if (d.type.id !== TypeId.NULL && !isIntegral(d.type)) argError('round', args, pos, '; the number of digits must be an integer');
    if (isFloat(x.type) || !(d.kind === 'const' && typeof d.value === 'number')) {
      return call('round', [castTo(x, T.DOUBLE), int('round', args, 1, pos)], T.DOUBLE);
    }
    digits = d.value;
  }
  if (isFloat(x.type)) return call('round', [x], T.DOUBLE);
  if (isIntegral(x.type)) {
    if (digits >= 0) return x;
    const f = pow10(-digits);
    const wide = castTo(x, T.BIGINT);
    return castTo(call('round_decimal', [wide, konst(-digits, T.INTEGER), konst(f, T.BIGINT)], T.BIGINT), x.type);
  }
  const s = x.type.scale!;
  if (digits >= s) return x;
  const newScale = Math.max(digits, 0);
  const mult = digits < 0 ? pow10(-digits) : 1;
  const type = decimalType(x.type.precision!, newScale);
  return call('round_decimal', [x, konst(s - digits, T.INTEGER), konst(mult, T.BIGINT)], type);
}

function bindFloorCeil(fn: 'floor' | 'ceil', args: LExpr[], pos?: Pos): LExpr {
  let x = args[0]!;
  if (x.type.id === TypeId.NULL) x = castTo(x, T.DOUBLE);
  if (isIntegral(x.type)) return x;
  if (isFloat(x.type)) return call(fn, [x], T.DOUBLE);
  if (x.type.id === TypeId.DECIMAL) {
    const s = x.type.scale!;
    if (s === 0) return x;
    return call(`${fn}_decimal`, [x, konst(pow10(s), T.BIGINT)], decimalType(x.type.precision!, 0));
  }
  return argError(fn, args, pos);
}

function bindGreatest(greatest: boolean, args: LExpr[], pos?: Pos): LExpr {
  const t = unify(args.map((a) => a.type), greatest ? 'GREATEST argument' : 'LEAST argument', pos);
  if (t.id === TypeId.INTERVAL) throw typeError(`${greatest ? 'GREATEST' : 'LEAST'} of INTERVAL values is not supported`, pos);
  // GREATEST/LEAST ignore NULLs (PostgreSQL): NULL only when every argument is NULL.
  return call(greatest ? 'greatest' : 'least', args.map((a) => castTo(a, t.id === TypeId.NULL ? T.INTEGER : t)), t.id === TypeId.NULL ? T.INTEGER : t);
}

/** Binds + - * / % between two expressions (numbers, or dates and intervals). */
export function bindArithmeticCall(op: string, l: LExpr, r: LExpr, pos?: Pos): LExpr {
  const lt = l.type.id;
  const rt = r.type.id;
  // Date and time arithmetic.
  if (op === '+' || op === '-') {
    const temporal = bindTemporalArithmetic(op, l, r);
    if (temporal !== null) return temporal;
  }
  const fn = { '+': 'add', '-': 'subtract', '*': 'multiply', '/': 'divide', '%': 'modulo' }[op]!;
  const types = arithmeticTypes(op, l.type, r.type);
  if (types === null) {
    throw typeError(
      `operator does not exist: ${typeToString(l.type)} ${op} ${typeToString(r.type)}${lt === TypeId.VARCHAR || rt === TypeId.VARCHAR ? '; strings are not numbers here: add an explicit CAST' : ''}`,
      pos,
    );
  }
  return call(fn, [castTo(l, types.left), castTo(r, types.right)], types.result);
}

function bindTemporalArithmetic(op: string, l: LExpr, r: LExpr): LExpr | null {
  let lt = l.type.id;
  let rt = r.type.id;
  let left = l;
  let right = r;
  // A string literal next to a date or interval reads as that type.
  if (lt === TypeId.VARCHAR && left.kind === 'const' && (rt === TypeId.INTERVAL)) {
    left = castTo(left, T.TIMESTAMP);
    lt = TypeId.TIMESTAMP;
  }
  if (rt === TypeId.VARCHAR && right.kind === 'const' && (lt === TypeId.DATE || lt === TypeId.TIMESTAMP)) {
    right = castTo(right, T.INTERVAL);
    rt = TypeId.INTERVAL;
  }
  if (lt === TypeId.DATE && isIntegral(right.type)) {
    return call(op === '+' ? 'date_add_days' : 'date_sub_days', [left, castTo(right, T.INTEGER)], T.DATE);
  }
  if (op === '+' && isIntegral(left.type) && rt === TypeId.DATE) {
    return call('date_add_days', [right, castTo(left, T.INTEGER)], T.DATE);
  }
  if (op === '-' && lt === TypeId.DATE && rt === TypeId.DATE) return call('date_diff_days', [left, right], T.INTEGER);
  if (rt === TypeId.INTERVAL && (lt === TypeId.DATE || lt === TypeId.TIMESTAMP || lt === TypeId.TIMESTAMPTZ)) {
    if (right.kind !== 'const') throw typeError('only constant INTERVAL values are supported in date arithmetic');
    const fn = lt === TypeId.DATE ? (op === '+' ? 'date_add_interval' : 'date_sub_interval') : op === '+' ? 'ts_add_interval' : 'ts_sub_interval';
    return call(fn, [left, right], lt === TypeId.DATE ? T.TIMESTAMP : left.type);
  }
  if (op === '+' && lt === TypeId.INTERVAL && (rt === TypeId.DATE || rt === TypeId.TIMESTAMP)) {
    return bindTemporalArithmetic(op, right, left);
  }
  return null;
}

/** Result type of an aggregate over an argument type. */
export function aggregateType(fn: AggregateFn, arg: LogicalType | null, pos?: Pos): LogicalType {
  switch (fn) {
    case 'count_star':
    case 'count':
      return T.BIGINT;
    case 'sum':
      if (arg === null || arg.id === TypeId.NULL) return T.BIGINT;
      if (isIntegral(arg)) return T.BIGINT;
      if (arg.id === TypeId.DECIMAL) return decimalType(38, arg.scale!);
      if (isFloat(arg)) return T.DOUBLE;
      throw typeError(`SUM needs a numeric argument, not ${typeToString(arg)}`, pos);
    case 'avg':
      if (arg === null || arg.id === TypeId.NULL || isNumeric(arg)) return T.DOUBLE;
      throw typeError(`AVG needs a numeric argument, not ${typeToString(arg)}`, pos);
    case 'min':
    case 'max':
    case 'any_value':
      return arg === null || arg.id === TypeId.NULL ? T.INTEGER : arg;
    default: {
      const t = moreAggregateType(fn, arg);
      if (t === null) throw typeError(`no result type for aggregate ${fn}`, pos);
      return t;
    }
  }
}
