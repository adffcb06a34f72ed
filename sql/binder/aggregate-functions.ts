// Binds the statistical and other aggregates of issue 4 (variance and standard deviation,
// bool_and/or, arg_min/max, string_agg, median and quantiles, approx_count_distinct): their
// names and aliases, argument counts and casts, and result types. count/sum/avg/min/max/
// any_value stay in function-binder.ts.

import { binderError, notSupported, typeError } from '../../common/errors.js';
import { type LogicalType, T, TypeId, isNumeric, isTemporal, pow10, typeToString } from '../../common/types.js';
import type { AggregateFn } from '../../exec/plan.js';
import type { OrderItem, Pos } from '../ast.js';
import { type LExpr, type SortItem, exprEquals } from '../logical/plan.js';
import { castTo } from './coercion.js';

/** Aggregate names of this module, with aliases, and the function each computes. */
const NAMES: Record<string, AggregateFn> = {
  stddev: 'stddev_samp', stddev_samp: 'stddev_samp', stddev_pop: 'stddev_pop',
  variance: 'var_samp', var_samp: 'var_samp', var_pop: 'var_pop',
  bool_and: 'bool_and', bool_or: 'bool_or',
  arg_min: 'arg_min', argmin: 'arg_min', min_by: 'arg_min',
  arg_max: 'arg_max', argmax: 'arg_max', max_by: 'arg_max',
  string_agg: 'string_agg',
  median: 'quantile_cont', quantile_cont: 'quantile_cont', quantile_disc: 'quantile_disc', quantile: 'quantile_disc',
  approx_count_distinct: 'approx_count_distinct',
};

export const MORE_AGGREGATES: ReadonlySet<string> = new Set(Object.keys(NAMES));

export function moreAggregateFn(name: string): AggregateFn | undefined {
  return NAMES[name];
}

/** Aggregates whose result can depend on the order rows arrive in (string_agg's order of
 *  values; which of tied rows arg_min/arg_max and any_value keep: the first seen). For the
 *  others ORDER BY inside the call is accepted and dropped, as in DuckDB. */
const ORDER_SENSITIVE = new Set<AggregateFn>(['string_agg', 'arg_min', 'arg_max', 'any_value']);

/**
 * The sort keys of an aggregate's ORDER BY (`keys`, bound in the aggregate's scope): empty when
 * there are none or when `fn` cannot depend on row order. With DISTINCT, every key must be one
 * of the arguments as written (`written`), as PostgreSQL and DuckDB require: ordering distinct
 * values by anything else is ill-defined.
 */
export function bindAggregateOrder(fn: AggregateFn, name: string, distinct: boolean, written: LExpr[], keys: { item: OrderItem; expr: LExpr }[], pos?: Pos): SortItem[] {
  if (keys.length === 0) return [];
  if (distinct && !keys.every((k) => written.some((a) => exprEquals(a, k.expr)))) {
    throw binderError(`in an aggregate with DISTINCT, ORDER BY expressions must appear in the argument list: ${name}(DISTINCT x ORDER BY x)`, pos);
  }
  if (!ORDER_SENSITIVE.has(fn)) return [];
  // NULLs are larger than every value: last on ASC, first on DESC, unless told otherwise.
  return keys.map(({ item, expr }) => ({ expr, desc: item.desc, nullsFirst: item.nulls === undefined ? item.desc : item.nulls === 'first' }));
}

/** Aggregates where DISTINCT cannot change the result (it is dropped). */
const DUPLICATE_INSENSITIVE = new Set<AggregateFn>(['bool_and', 'bool_or', 'approx_count_distinct']);

/**
 * Checks and casts the arguments of one of this module's aggregates; returns the arguments the
 * plan computes and whether DISTINCT stays. `name` is the name as written (for messages).
 */
export function bindMoreAggregateArgs(fn: AggregateFn, name: string, args: LExpr[], distinct: boolean, pos?: Pos): { args: LExpr[]; distinct: boolean } {
  if (distinct && !DUPLICATE_INSENSITIVE.has(fn)) throw notSupported(`${name}(DISTINCT ...) is not supported`, pos);
  const want = name === 'median' ? 1 : fn === 'arg_min' || fn === 'arg_max' || fn === 'string_agg' || fn.startsWith('quantile') ? 2 : 1;
  if (args.length !== want) throw binderError(`aggregate ${name}() takes ${want === 1 ? 'exactly one argument' : `${want} arguments`}, got ${args.length}`, pos);
  const a = args[0]!;
  switch (fn) {
    case 'stddev_samp':
    case 'stddev_pop':
    case 'var_samp':
    case 'var_pop':
      if (a.type.id !== TypeId.NULL && !isNumeric(a.type)) throw typeError(`${name} needs a numeric argument, not ${typeToString(a.type)}`, pos);
      return { args: [castTo(a, T.DOUBLE)], distinct: false };
    case 'bool_and':
    case 'bool_or':
      if (a.type.id !== TypeId.NULL && a.type.id !== TypeId.BOOLEAN) throw typeError(`${name} needs a BOOLEAN argument, not ${typeToString(a.type)}`, pos);
      return { args: [castTo(a, T.BOOLEAN)], distinct: false };
    case 'arg_min':
    case 'arg_max': {
      const v = args[1]!;
      if (v.type.id === TypeId.INTERVAL) throw typeError(`${name} cannot order by an INTERVAL value`, pos);
      return { args: [nullAs(a, T.INTEGER), nullAs(v, T.INTEGER)], distinct: false };
    }
    case 'string_agg': {
      const sep = args[1]!;
      if (sep.kind !== 'const') throw binderError(`${name} needs a constant separator`, pos);
      return { args: [castTo(a, T.VARCHAR), castTo(sep, T.VARCHAR)], distinct: false };
    }
    case 'quantile_cont':
    case 'quantile_disc': {
      const q = name === 'median' ? ({ kind: 'const', value: 0.5, type: T.DOUBLE } as LExpr) : args[1]!;
      // A DECIMAL constant's value is its scaled integer.
      const qv = q.kind === 'const' && q.value !== null ? Number(q.value) / (q.type.id === TypeId.DECIMAL ? pow10(q.type.scale ?? 0) : 1) : NaN;
      if (q.kind !== 'const' || q.value === null || !isNumeric(q.type) || !(qv >= 0 && qv <= 1)) {
        throw binderError(`${name} needs a constant fraction between 0 and 1 as its second argument`, pos);
      }
      const x = nullAs(a, T.DOUBLE);
      if (!isNumeric(x.type) && !(fn === 'quantile_disc' && isTemporal(x.type))) {
        throw typeError(`${name} needs a numeric argument${fn === 'quantile_disc' ? ' or a date/timestamp' : ''}, not ${typeToString(x.type)}`, pos);
      }
      return { args: [fn === 'quantile_cont' ? castTo(x, T.DOUBLE) : x, { kind: 'const', value: qv, type: T.DOUBLE }], distinct: false };
    }
    case 'approx_count_distinct':
      return { args: [nullAs(a, T.INTEGER)], distinct: false };
    default:
      throw binderError(`${name} is not an aggregate of this module`, pos);
  }
}

function nullAs(e: LExpr, t: LogicalType): LExpr {
  return e.type.id === TypeId.NULL ? castTo(e, t) : e;
}

/** Result type of one of this module's aggregates over its (bound) first argument type. */
export function moreAggregateType(fn: AggregateFn, arg: LogicalType | null): LogicalType | null {
  switch (fn) {
    case 'stddev_samp':
    case 'stddev_pop':
    case 'var_samp':
    case 'var_pop':
    case 'quantile_cont':
      return T.DOUBLE;
    case 'bool_and':
    case 'bool_or':
      return T.BOOLEAN;
    case 'string_agg':
      return T.VARCHAR;
    case 'approx_count_distinct':
      return T.BIGINT;
    case 'arg_min':
    case 'arg_max':
    case 'quantile_disc':
      return arg ?? T.INTEGER;
    default:
      return null;
  }
}
