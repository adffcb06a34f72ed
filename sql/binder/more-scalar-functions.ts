// Binds the later scalar functions (issue 4): strftime, date_diff/datediff, make_date, dayname,
// monthname, now/current_timestamp, current_date, regexp_matches, regexp_replace, split_part,
// lpad/rpad and left/right. function-binder.ts asks here for the names it does not know.
// Constant regex patterns, options and strftime formats are checked here, so a bad one is an
// error at bind time even over an empty table.

import { binderError, typeError } from '../../common/errors.js';
import { type LogicalType, T, TypeId, isIntegral, isTemporal, typeToString } from '../../common/types.js';
import { DATE_DIFF_PARTS, parseFormat } from '../../exec/expression/datetime-functions.js';
import { compileRegex } from '../../exec/expression/text-functions.js';
import { MICROS_PER_DAY } from '../../common/text-values.js';
import type { Pos } from '../ast.js';
import type { LExpr } from '../logical/plan.js';
import { castTo } from './coercion.js';

const call = (fn: string, args: LExpr[], type: LogicalType): LExpr => ({ kind: 'call', fn, args, type });
const konst = (value: number | string | null, type: LogicalType): LExpr => ({ kind: 'const', value, type });

function arity(name: string, args: LExpr[], min: number, max: number, pos?: Pos): void {
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min}` : `${min} to ${max}`;
    throw binderError(`function ${name} takes ${want} argument${want === '1' ? '' : 's'}, got ${args.length}`, pos);
  }
}

function mismatch(name: string, args: LExpr[], hint: string, pos?: Pos): never {
  throw typeError(`no function matches ${name}(${args.map((a) => typeToString(a.type)).join(', ')}); ${hint}`, pos);
}

function str(name: string, args: LExpr[], i: number, pos?: Pos): LExpr {
  const a = args[i]!;
  if (a.type.id === TypeId.VARCHAR) return a;
  if (a.type.id === TypeId.NULL) return castTo(a, T.VARCHAR);
  return mismatch(name, args, `argument ${i + 1} must be VARCHAR (add an explicit CAST)`, pos);
}

function int(name: string, args: LExpr[], i: number, pos?: Pos): LExpr {
  const a = args[i]!;
  if (a.type.id === TypeId.NULL || isIntegral(a.type)) return castTo(a, T.INTEGER);
  return mismatch(name, args, `argument ${i + 1} must be an integer`, pos);
}

/** A DATE, TIMESTAMP or TIMESTAMPTZ argument; a NULL literal reads as a DATE. */
function temporal(name: string, args: LExpr[], i: number, pos?: Pos): LExpr {
  const a = args[i]!;
  if (isTemporal(a.type)) return a;
  if (a.type.id === TypeId.NULL) return castTo(a, T.DATE);
  return mismatch(name, args, `argument ${i + 1} must be a DATE or TIMESTAMP`, pos);
}

/** A constant string argument's value (null for a NULL constant), or undefined if not constant. */
function constText(e: LExpr): string | null | undefined {
  if (e.kind !== 'const') return undefined;
  return e.value === null ? null : String(e.value);
}

/** Checks a constant regex pattern and options now; per-row ones are checked as they come. */
function checkRegex(pattern: LExpr, options: LExpr | undefined, global: boolean): void {
  const p = constText(pattern);
  const o = options === undefined ? '' : constText(options);
  if (typeof p === 'string' && typeof o === 'string') compileRegex(p, o, global);
}

export function bindMoreScalarFunction(name: string, args: LExpr[], pos?: Pos): LExpr | null {
  switch (name) {
    case 'strftime': {
      arity(name, args, 2, 2, pos);
      const x = temporal(name, args, 0, pos);
      const f = str(name, args, 1, pos);
      const text = constText(f);
      if (typeof text === 'string') parseFormat(text);
      return call('strftime', [x, f], T.VARCHAR);
    }
    case 'date_diff':
    case 'datediff': {
      arity(name, args, 3, 3, pos);
      const part = constText(args[0]!);
      if (typeof part !== 'string') throw binderError(`${name} needs a constant date part such as 'day' as its first argument`, pos);
      const p = DATE_DIFF_PARTS[part.toLowerCase()];
      if (p === undefined) throw binderError(`unknown ${name} part '${part}'; use one of ${[...new Set(Object.values(DATE_DIFF_PARTS))].join(', ')}`, pos);
      let a = temporal(name, args, 1, pos);
      let b = temporal(name, args, 2, pos);
      const subDay = p === 'hour' || p === 'minute' || p === 'second' || p === 'millisecond' || p === 'microsecond';
      // Both sides share one representation: days when both are dates and the part is a day or
      // more, microseconds otherwise.
      if (a.type.id !== TypeId.DATE || b.type.id !== TypeId.DATE || subDay) {
        if (a.type.id === TypeId.DATE) a = castTo(a, T.TIMESTAMP);
        if (b.type.id === TypeId.DATE) b = castTo(b, T.TIMESTAMP);
      }
      return call('date_diff', [konst(p, T.VARCHAR), a, b], T.BIGINT);
    }
    case 'make_date':
      arity(name, args, 3, 3, pos);
      return call('make_date', [0, 1, 2].map((i) => int(name, args, i, pos)), T.DATE);
    case 'dayname':
    case 'monthname':
      arity(name, args, 1, 1, pos);
      return call(name, [temporal(name, args, 0, pos)], T.VARCHAR);
    case 'now':
    case 'current_timestamp':
    case 'get_current_timestamp':
    case 'transaction_timestamp':
      arity(name, args, 0, 0, pos);
      return currentValue('current_timestamp');
    case 'current_date':
    case 'today':
      arity(name, args, 0, 0, pos);
      return currentValue('current_date');
    case 'regexp_matches': {
      arity(name, args, 2, 3, pos);
      const bound = args.map((_, i) => str(name, args, i, pos));
      checkRegex(bound[1]!, bound[2], false);
      return call('regexp_matches', bound.length === 2 ? [...bound, konst('', T.VARCHAR)] : bound, T.BOOLEAN);
    }
    case 'regexp_replace': {
      arity(name, args, 3, 4, pos);
      const bound = args.map((_, i) => str(name, args, i, pos));
      checkRegex(bound[1]!, bound[3], true);
      return call('regexp_replace', bound.length === 3 ? [...bound, konst('', T.VARCHAR)] : bound, T.VARCHAR);
    }
    case 'split_part':
      arity(name, args, 3, 3, pos);
      return call('split_part', [str(name, args, 0, pos), str(name, args, 1, pos), int(name, args, 2, pos)], T.VARCHAR);
    case 'lpad':
    case 'rpad':
      arity(name, args, 3, 3, pos);
      return call(name, [str(name, args, 0, pos), int(name, args, 1, pos), str(name, args, 2, pos)], T.VARCHAR);
    case 'left':
    case 'right':
      arity(name, args, 2, 2, pos);
      return call(name, [str(name, args, 0, pos), int(name, args, 1, pos)], T.VARCHAR);
  }
  return null;
}

/** Names that read as these functions without parentheses when no column has the name. */
export const NILADIC_FUNCTIONS = new Set(['current_date', 'current_timestamp']);

/**
 * now() / current_timestamp (TIMESTAMPTZ) and current_date (DATE, in UTC), read from the clock
 * when the statement is bound and kept as a constant: a statement binds once, so every row
 * and every use in it sees the same instant. Milliseconds are the clock's resolution.
 */
export function currentValue(which: 'current_timestamp' | 'current_date'): LExpr {
  const us = Date.now() * 1000;
  return which === 'current_date' ? konst(Math.floor(us / MICROS_PER_DAY), T.DATE) : konst(us, T.TIMESTAMPTZ);
}
