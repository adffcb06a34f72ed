// Test helper shared by the expression tests: flat vectors from JS values.

import type { LogicalType } from '../../../common/types.js';
import { type FlatVector, type Scalar, allocData } from '../../../common/vector.js';

/** A flat vector of JS values (null = NULL); BIGINT/DECIMAL as BigInt64Array when `wide`. */
export function vec(type: LogicalType, values: readonly Scalar[], wide = false): FlatVector {
  const n = values.length;
  const data = allocData(type, n, wide);
  const validity = new Uint8Array(n).fill(1);
  let nulls = 0;
  values.forEach((v, i) => {
    if (v === null) {
      validity[i] = 0;
      nulls++;
    } else if (data instanceof BigInt64Array) data[i] = BigInt(v as number | bigint);
    else if (Array.isArray(data)) data[i] = v as string;
    else data[i] = Number(v as number);
  });
  return { kind: 'flat', type, length: n, data, validity: nulls === 0 ? null : validity };
}
