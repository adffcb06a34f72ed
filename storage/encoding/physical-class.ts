// The physical layout of a column's values (common/types.ts): encoders switch on this class,
// never on the logical type, so e.g. DATE and INTEGER share every Int32 code path.

import { internalError } from '../../common/errors.js';
import { type LogicalType, TypeId, typeToString } from '../../common/types.js';
import type { ColumnData } from '../../common/vector.js';

export enum PhysicalClass {
  /** Uint8Array of 0/1. */
  BOOL,
  /** Int32Array: SMALLINT, INTEGER, DATE. */
  INT32,
  /** Float64Array: REAL, DOUBLE, TIMESTAMP(TZ), and the untyped NULL. */
  FLOAT64,
  /** BIGINT, DECIMAL: Float64Array of integers when every |v| <= 2^53, else BigInt64Array. */
  WIDE,
  /** string[]: VARCHAR. */
  STRING,
}

export function physicalClass(type: LogicalType): PhysicalClass {
  switch (type.id) {
    case TypeId.BOOLEAN:
      return PhysicalClass.BOOL;
    case TypeId.SMALLINT:
    case TypeId.INTEGER:
    case TypeId.DATE:
      return PhysicalClass.INT32;
    case TypeId.REAL:
    case TypeId.DOUBLE:
    case TypeId.TIMESTAMP:
    case TypeId.TIMESTAMPTZ:
    case TypeId.NULL:
      return PhysicalClass.FLOAT64;
    case TypeId.BIGINT:
    case TypeId.DECIMAL:
      return PhysicalClass.WIDE;
    case TypeId.VARCHAR:
      return PhysicalClass.STRING;
    case TypeId.INTERVAL:
      throw internalError('INTERVAL values exist only as constants and cannot be stored in a column block');
  }
}

/** Throws unless `data` is the array a vector of `type` holds (a caller bug, never user input). */
export function checkData(type: LogicalType, cls: PhysicalClass, data: ColumnData): void {
  const ok =
    cls === PhysicalClass.BOOL
      ? data instanceof Uint8Array
      : cls === PhysicalClass.INT32
        ? data instanceof Int32Array
        : cls === PhysicalClass.FLOAT64
          ? data instanceof Float64Array
          : cls === PhysicalClass.WIDE
            ? data instanceof Float64Array || data instanceof BigInt64Array
            : Array.isArray(data);
  if (!ok) {
    const got = Array.isArray(data) ? 'an array' : data.constructor.name;
    throw internalError(`a ${typeToString(type)} block cannot hold ${got} values`);
  }
}
