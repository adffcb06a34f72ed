// Type rules of Quiver's dialect (DESIGN.md, "SQL dialect decisions"): which types mix,
// what arithmetic returns, and the implicit casts the binder inserts. PostgreSQL's rules
// where engines differ, except that a string is never implicitly a number.

import { notSupported, typeError } from '../../common/errors.js';
import type { Pos } from '../ast.js';
import {
  type LogicalType, MAX_DECIMAL_PRECISION, T, TypeId, decimalType, isFloat, isIntegral, isNumeric, isTemporal, typeToString, typesEqual,
} from '../../common/types.js';
import type { LExpr } from '../logical/plan.js';
import { castScalar } from '../../exec/expression/cast.js';

const INT_RANK: Partial<Record<TypeId, number>> = { [TypeId.SMALLINT]: 1, [TypeId.INTEGER]: 2, [TypeId.BIGINT]: 3 };

/** Digits before the point an integer type needs as a DECIMAL. */
function integerDigits(t: LogicalType): number {
  return t.id === TypeId.SMALLINT ? 5 : t.id === TypeId.INTEGER ? 10 : 19;
}

/** An integral or decimal type as DECIMAL(p, s). */
export function asDecimal(t: LogicalType): LogicalType {
  if (t.id === TypeId.DECIMAL) return t;
  return decimalType(Math.min(38, integerDigits(t)), 0);
}

/** The common type two numeric types compute in, for arithmetic and comparison. */
export function numericSupertype(a: LogicalType, b: LogicalType): LogicalType {
  if (isFloat(a) || isFloat(b)) return a.id === TypeId.REAL && b.id === TypeId.REAL ? T.REAL : T.DOUBLE;
  if (a.id === TypeId.DECIMAL || b.id === TypeId.DECIMAL) {
    const da = asDecimal(a);
    const db = asDecimal(b);
    const scale = Math.max(da.scale!, db.scale!);
    const intDigits = Math.max(da.precision! - da.scale!, db.precision! - db.scale!);
    return decimalType(Math.min(38, intDigits + scale), scale);
  }
  return INT_RANK[a.id]! >= INT_RANK[b.id]! ? a : b;
}

/** The type values of both types can be compared or unified in (CASE, UNION, IN, =). Null when
 *  they do not mix (a string and a number, for example). */
export function commonType(a: LogicalType, b: LogicalType): LogicalType | null {
  if (a.id === TypeId.NULL) return b;
  if (b.id === TypeId.NULL) return a;
  if (typesEqual(a, b)) return a;
  if (isNumeric(a) && isNumeric(b)) return numericSupertype(a, b);
  if (isTemporal(a) && isTemporal(b)) return a.id === TypeId.TIMESTAMPTZ || b.id === TypeId.TIMESTAMPTZ ? T.TIMESTAMPTZ : T.TIMESTAMP;
  if (a.id === b.id) return a;
  return null;
}

/** Unifies the types of several expressions (CASE branches, COALESCE, UNION columns, VALUES). */
export function unify(types: LogicalType[], what: string, pos?: Pos): LogicalType {
  let t: LogicalType = T.NULL;
  for (const x of types) {
    const c = commonType(t, x);
    if (c === null) throw typeError(`${what} types ${typeToString(t)} and ${typeToString(x)} cannot be matched; add an explicit CAST`, pos);
    t = c;
  }
  return t;
}

/** Casts `e` to `to` if it is not already of that type; constants are cast now. */
export function castTo(e: LExpr, to: LogicalType): LExpr {
  if (typesEqual(e.type, to)) return e;
  if (e.kind === 'const') {
    try {
      return { kind: 'const', value: castScalar(e.value, e.type, to), type: to };
    } catch {
      // Leave the error to run time: constant folding never raises what execution would not.
    }
  }
  return { kind: 'cast', expr: e, type: to, try: false };
}

/** Implicitly casts a string literal to a temporal type when compared with one (PostgreSQL's
 *  "unknown" literals). Other string/number mixes stay type errors. */
export function coerceForComparison(l: LExpr, r: LExpr, opText: string, pos?: Pos): [LExpr, LExpr] {
  const lt = l.type;
  const rt = r.type;
  if (lt.id === TypeId.INTERVAL || rt.id === TypeId.INTERVAL) {
    throw notSupported(`comparing INTERVAL values (operator ${opText}) is not supported yet`, pos);
  }
  // A parameter given as a JS string takes the type of what it is compared with (PostgreSQL's
  // untyped parameters): `dec_col = $1` with '1.50', as results hand DECIMALs out as strings.
  if (l.kind === 'const' && l.untyped === true && rt.id !== TypeId.VARCHAR && rt.id !== TypeId.NULL) return [castTo(l, rt), r];
  if (r.kind === 'const' && r.untyped === true && lt.id !== TypeId.VARCHAR && lt.id !== TypeId.NULL) return [l, castTo(r, lt)];
  if (lt.id === TypeId.VARCHAR && l.kind === 'const' && (isTemporal(rt) || rt.id === TypeId.BOOLEAN)) {
    return [castTo(l, rt), r];
  }
  if (rt.id === TypeId.VARCHAR && r.kind === 'const' && (isTemporal(lt) || lt.id === TypeId.BOOLEAN)) {
    return [l, castTo(r, lt)];
  }
  // A constant that is exactly representable in the other side's exact type is cast to it,
  // so `dec_col = 0.010` compares at the column's scale instead of widening the column.
  if (isExact(lt) && isExact(rt) && !typesEqual(lt, rt)) {
    if (r.kind === 'const' && l.kind !== 'const') {
      const down = exactConstCast(r, lt);
      if (down !== null) return [l, down];
    } else if (l.kind === 'const' && r.kind !== 'const') {
      const down = exactConstCast(l, rt);
      if (down !== null) return [down, r];
    }
  }
  let c = commonType(lt, rt);
  if (c === null) {
    throw typeError(
      `cannot compare ${typeToString(lt)} with ${typeToString(rt)} (operator ${opText}); add an explicit CAST to make both sides the same type`,
      pos,
    );
  }
  // DECIMALs are held in 64 bits (18 digits). When aligning the scales of the two sides would
  // need more (BIGINT against DECIMAL(12,2) is DECIMAL(21,2)), compare as DOUBLE rather than
  // fail on values that fit each side's own type.
  if (c.id === TypeId.DECIMAL && c.precision! > MAX_DECIMAL_PRECISION) c = T.DOUBLE;
  return [castTo(l, c), castTo(r, c)];
}

/** Result type of + - * / % over numeric operands, with operands cast as needed. */
export function arithmeticTypes(op: string, l: LogicalType, r: LogicalType): { left: LogicalType; right: LogicalType; result: LogicalType } | null {
  if (!isNumeric(l) && l.id !== TypeId.NULL) return null;
  if (!isNumeric(r) && r.id !== TypeId.NULL) return null;
  const lt = l.id === TypeId.NULL ? (r.id === TypeId.NULL ? T.INTEGER : r) : l;
  const rt = r.id === TypeId.NULL ? lt : r;
  if (lt.id === TypeId.DECIMAL || rt.id === TypeId.DECIMAL) {
    if (isFloat(lt) || isFloat(rt)) return { left: T.DOUBLE, right: T.DOUBLE, result: T.DOUBLE };
    if (op === '/') return { left: T.DOUBLE, right: T.DOUBLE, result: T.DOUBLE };
    const dl = asDecimal(lt);
    const dr = asDecimal(rt);
    if (op === '*') {
      const scale = dl.scale! + dr.scale!;
      const precision = Math.min(38, dl.precision! + dr.precision!);
      return { left: dl, right: dr, result: decimalType(Math.max(precision, scale), scale) };
    }
    const scale = Math.max(dl.scale!, dr.scale!);
    const intDigits = Math.max(dl.precision! - dl.scale!, dr.precision! - dr.scale!);
    const aligned = (d: LogicalType) => decimalType(Math.min(38, d.precision! - d.scale! + scale), scale);
    const result = decimalType(Math.min(38, intDigits + scale + (op === '%' ? 0 : 1)), scale);
    return { left: aligned(dl), right: aligned(dr), result };
  }
  const t = numericSupertype(lt, rt);
  return { left: t, right: t, result: t };
}

export const isBooleanType = (t: LogicalType) => t.id === TypeId.BOOLEAN || t.id === TypeId.NULL;

export function requireBoolean(e: LExpr, what: string, pos?: Pos): LExpr {
  if (e.type.id === TypeId.NULL) return castTo(e, T.BOOLEAN);
  if (e.type.id !== TypeId.BOOLEAN) throw typeError(`${what} must be BOOLEAN, not ${typeToString(e.type)}`, pos);
  return e;
}

export { isIntegral, isNumeric };

const isExact = (t: LogicalType) => isIntegral(t) || t.id === TypeId.DECIMAL;

/** The constant cast to `to` when that loses nothing (the value casts back unchanged), else null. */
function exactConstCast(c: Extract<LExpr, { kind: 'const' }>, to: LogicalType): LExpr | null {
  if (c.value === null) return null;
  try {
    const v = castScalar(c.value, c.type, to);
    const back = castScalar(v, to, c.type);
    const same = typeof back === 'bigint' || typeof c.value === 'bigint' ? BigInt(back as number | bigint) === BigInt(c.value as number | bigint) : back === c.value;
    return same ? { kind: 'const', value: v, type: to } : null;
  } catch {
    return null;
  }
}
