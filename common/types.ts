// Logical types: what SQL sees. Each maps to one physical representation in vectors:
//
//   BOOLEAN                    Uint8Array (0/1)
//   SMALLINT, INTEGER, DATE    Int32Array (DATE = days since 1970-01-01)
//   REAL, DOUBLE               Float64Array
//   BIGINT, DECIMAL(p,s)       Float64Array of integer values when every |v| <= 2^53 ("safe"),
//                              BigInt64Array otherwise. DECIMAL is held as an integer scaled by 10^s.
//   TIMESTAMP(TZ)              Float64Array of microseconds since the epoch (UTC)
//   INTERVAL                   Float64Array triplets are not needed: {months, days, micros} are
//                              held per value as an Interval object in constant vectors only.
//   VARCHAR                    string[]
//
// NULL is the type of an untyped NULL literal; it casts implicitly to anything.

import { typeError } from './errors.js';

export enum TypeId {
  NULL = 'NULL',
  BOOLEAN = 'BOOLEAN',
  SMALLINT = 'SMALLINT',
  INTEGER = 'INTEGER',
  BIGINT = 'BIGINT',
  REAL = 'REAL',
  DOUBLE = 'DOUBLE',
  DECIMAL = 'DECIMAL',
  DATE = 'DATE',
  TIMESTAMP = 'TIMESTAMP',
  TIMESTAMPTZ = 'TIMESTAMPTZ',
  INTERVAL = 'INTERVAL',
  VARCHAR = 'VARCHAR',
}

export interface LogicalType {
  readonly id: TypeId;
  /** DECIMAL only. */
  readonly precision?: number;
  /** DECIMAL only. */
  readonly scale?: number;
}

const simple = (id: TypeId): LogicalType => Object.freeze({ id });

export const T = {
  NULL: simple(TypeId.NULL),
  BOOLEAN: simple(TypeId.BOOLEAN),
  SMALLINT: simple(TypeId.SMALLINT),
  INTEGER: simple(TypeId.INTEGER),
  BIGINT: simple(TypeId.BIGINT),
  REAL: simple(TypeId.REAL),
  DOUBLE: simple(TypeId.DOUBLE),
  DATE: simple(TypeId.DATE),
  TIMESTAMP: simple(TypeId.TIMESTAMP),
  TIMESTAMPTZ: simple(TypeId.TIMESTAMPTZ),
  INTERVAL: simple(TypeId.INTERVAL),
  VARCHAR: simple(TypeId.VARCHAR),
} as const;

/** The widest DECIMAL held exactly: 18 digits fit in a signed 64-bit integer. */
export const MAX_DECIMAL_PRECISION = 18;

export function decimalType(precision: number, scale: number): LogicalType {
  if (!Number.isInteger(precision) || precision < 1 || precision > 38) {
    throw typeError(`DECIMAL precision must be between 1 and 38, got ${precision}`);
  }
  if (!Number.isInteger(scale) || scale < 0 || scale > precision) {
    throw typeError(`DECIMAL scale must be between 0 and the precision (${precision}), got ${scale}`);
  }
  return Object.freeze({ id: TypeId.DECIMAL, precision, scale });
}

export function typeToString(t: LogicalType): string {
  return t.id === TypeId.DECIMAL ? `DECIMAL(${t.precision},${t.scale})` : t.id;
}

export function typesEqual(a: LogicalType, b: LogicalType): boolean {
  return a.id === b.id && a.precision === b.precision && a.scale === b.scale;
}

export const isIntegral = (t: LogicalType) =>
  t.id === TypeId.SMALLINT || t.id === TypeId.INTEGER || t.id === TypeId.BIGINT;
export const isFloat = (t: LogicalType) => t.id === TypeId.REAL || t.id === TypeId.DOUBLE;
export const isNumeric = (t: LogicalType) => isIntegral(t) || isFloat(t) || t.id === TypeId.DECIMAL;
export const isTemporal = (t: LogicalType) =>
  t.id === TypeId.DATE || t.id === TypeId.TIMESTAMP || t.id === TypeId.TIMESTAMPTZ;
/** Types whose vectors may be BigInt64Array (exact 64-bit integers). */
export const isWideInteger = (t: LogicalType) => t.id === TypeId.BIGINT || t.id === TypeId.DECIMAL;
export const isString = (t: LogicalType) => t.id === TypeId.VARCHAR;

const ALIASES: Record<string, TypeId> = {
  BOOLEAN: TypeId.BOOLEAN,
  BOOL: TypeId.BOOLEAN,
  LOGICAL: TypeId.BOOLEAN,
  SMALLINT: TypeId.SMALLINT,
  INT2: TypeId.SMALLINT,
  SHORT: TypeId.SMALLINT,
  TINYINT: TypeId.SMALLINT,
  INT1: TypeId.SMALLINT,
  INTEGER: TypeId.INTEGER,
  INT: TypeId.INTEGER,
  INT4: TypeId.INTEGER,
  SIGNED: TypeId.INTEGER,
  MEDIUMINT: TypeId.INTEGER,
  BIGINT: TypeId.BIGINT,
  INT8: TypeId.BIGINT,
  LONG: TypeId.BIGINT,
  REAL: TypeId.REAL,
  FLOAT4: TypeId.REAL,
  FLOAT: TypeId.DOUBLE,
  FLOAT8: TypeId.DOUBLE,
  DOUBLE: TypeId.DOUBLE,
  DECIMAL: TypeId.DECIMAL,
  NUMERIC: TypeId.DECIMAL,
  DATE: TypeId.DATE,
  TIMESTAMP: TypeId.TIMESTAMP,
  DATETIME: TypeId.TIMESTAMP,
  TIMESTAMPTZ: TypeId.TIMESTAMPTZ,
  INTERVAL: TypeId.INTERVAL,
  VARCHAR: TypeId.VARCHAR,
  TEXT: TypeId.VARCHAR,
  STRING: TypeId.VARCHAR,
  CHAR: TypeId.VARCHAR,
  CHARACTER: TypeId.VARCHAR,
  BPCHAR: TypeId.VARCHAR,
  NVARCHAR: TypeId.VARCHAR,
};

/**
 * Resolves a type name as written in SQL (any case, with aliases) plus its parenthesized
 * arguments. `DOUBLE PRECISION`, `CHARACTER VARYING` and `TIMESTAMP WITH TIME ZONE` are
 * normalized by the parser before they reach here.
 */
export function resolveTypeName(name: string, args: number[] = []): LogicalType {
  const id = ALIASES[name.toUpperCase()];
  if (id === undefined) {
    throw typeError(`unknown type "${name}"; supported types are BOOLEAN, SMALLINT, INTEGER, BIGINT, REAL, DOUBLE, DECIMAL(p,s), DATE, TIMESTAMP, TIMESTAMPTZ, INTERVAL, VARCHAR`);
  }
  if (id === TypeId.DECIMAL) {
    // As in PostgreSQL and DuckDB, a bare DECIMAL is DECIMAL(18,3) in DuckDB; we follow DuckDB.
    const precision = args[0] ?? 18;
    const scale = args[1] ?? (args.length === 0 ? 3 : 0);
    return decimalType(precision, scale);
  }
  return simple(id);
}

/** Integer range checks for the narrow integer types. */
export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
export const INT16_MIN = -32768;
export const INT16_MAX = 32767;
/** Largest magnitude a double holds exactly as an integer (2^53). */
export const SAFE_LIMIT = 9007199254740992;
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

export function pow10(n: number): number {
  return POW10[n]!;
}
export function pow10n(n: number): bigint {
  return 10n ** BigInt(n);
}
const POW10: number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);
