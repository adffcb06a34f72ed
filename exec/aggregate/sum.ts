// SUM. Integer and DECIMAL inputs sum exactly in two-limb accumulators (sum-accumulators.ts)
// and return BIGINT / DECIMAL(38,s): Float64Array when every group's sum fits in 2^53, else
// BigInt64Array; a sum outside int64 is an OVERFLOW_ERROR (as DESIGN.md decides). REAL and
// DOUBLE inputs (and any DOUBLE result type) sum as doubles with compensation. A group with no
// non-NULL input sums to NULL.

import { isFloat, isIntegral, type LogicalType, TypeId, typeToString } from '../../common/types.js';
import type { FlatVector } from '../../common/vector.js';
import { internalError } from '../../common/errors.js';
import type { AggregateSpec } from '../plan.js';
import { limbsToFlat } from '../hash/int64-limbs.js';
import { FloatSums, LimbSums } from './sum-accumulators.js';
import {
  type AggregateState,
  arrayAt,
  grownCapacity,
  growU8,
  mapGroup,
  sameState,
  type SerializedAggregate,
} from './state.js';

/** True when a sum of `arg` into `result` runs on exact limbs (else on doubles). */
export function exactSum(arg: LogicalType, result: LogicalType, fn: string): boolean {
  if (isFloat(result)) {
    if (!isFloat(arg) && !isIntegral(arg) && arg.id !== TypeId.DECIMAL && arg.id !== TypeId.NULL) {
      throw internalError(`${fn} of ${typeToString(arg)} is not defined`);
    }
    return !isFloat(arg) && arg.id !== TypeId.NULL;
  }
  if (result.id !== TypeId.BIGINT && result.id !== TypeId.DECIMAL) {
    throw internalError(`${fn} cannot return ${typeToString(result)}`);
  }
  if (arg.id === TypeId.NULL) return true;
  if (!isIntegral(arg) && arg.id !== TypeId.DECIMAL) {
    throw internalError(`${fn} of ${typeToString(arg)} cannot return ${typeToString(result)}`);
  }
  const argScale = arg.scale ?? 0;
  const resultScale = result.scale ?? 0;
  if (argScale !== resultScale) {
    throw internalError(`${fn} of ${typeToString(arg)} must keep scale ${argScale}, not return ${typeToString(result)}`);
  }
  return true;
}

export class SumState implements AggregateState {
  readonly spec: AggregateSpec;
  groupCount = 0;
  private capacity = 0;
  /** 1 once the group saw a non-NULL value. */
  private seen = new Uint8Array(0);
  private readonly limbs: LimbSums | null;
  private readonly floats: FloatSums | null;

  constructor(spec: AggregateSpec) {
    this.spec = spec;
    const arg = spec.argTypes[0];
    if (arg === undefined) throw internalError('sum takes one argument');
    // When the result is a float type, integer inputs still sum exactly, then convert.
    const exact = exactSum(arg, spec.type, 'sum');
    const message = spec.type.id === TypeId.DECIMAL
      ? `numeric value out of range: sum exceeds ${typeToString(spec.type)}'s 64-bit range`
      : 'bigint out of range';
    this.limbs = exact ? new LimbSums(message) : null;
    this.floats = exact ? null : new FloatSums();
  }

  init(groupCount: number): void {
    if (groupCount > this.capacity) {
      this.capacity = grownCapacity(this.capacity, groupCount);
      this.seen = growU8(this.seen, this.capacity);
      this.limbs?.grow(this.capacity);
      this.floats?.grow(this.capacity);
    }
    if (groupCount > this.groupCount) this.groupCount = groupCount;
  }

  update(arg: FlatVector | null, rows: Int32Array | null, groups: Int32Array, count: number): void {
    if (arg === null) throw internalError('sum needs an argument column');
    if (arg.type.id === TypeId.NULL) return;
    if (this.limbs !== null) this.limbs.add(arg, rows, groups, count, this.seen, null);
    else this.floats!.add(arg, rows, groups, count, this.seen, null);
  }

  updateRuns(values: FlatVector, runEnds: Int32Array, group: number): void {
    if (values.type.id === TypeId.NULL) return;
    const data = values.data as Float64Array | Int32Array | BigInt64Array;
    const valid = values.validity;
    let start = 0;
    for (let r = 0; r < runEnds.length; r++) {
      const times = runEnds[r]! - start;
      start = runEnds[r]!;
      if (valid !== null && valid[r] === 0) continue;
      this.seen[group] = 1;
      if (this.limbs !== null) this.limbs.addTimes(group, data[r]!, times);
      else this.floats!.addOne(group, Number(data[r]!) * times);
    }
  }

  merge(other: AggregateState, map: Int32Array | null): void {
    const o = sameState(this, other, 'sum');
    for (let g = 0; g < o.groupCount; g++) {
      if (o.seen[g] === 0) continue;
      const t = mapGroup(map, g);
      this.seen[t] = 1;
      if (this.limbs !== null) this.limbs.mergeGroup(t, o.limbs!, g);
      else this.floats!.mergeGroup(t, o.floats!, g);
    }
  }

  finalize(): FlatVector {
    const n = this.groupCount;
    const type = this.spec.type;
    const seen = this.seen;
    let validity: Uint8Array | null = seen.slice(0, n);
    if (validity.indexOf(0) < 0) validity = null;
    if (this.limbs !== null) {
      const limbs = this.limbs;
      if (isFloat(type)) {
        const out = new Float64Array(n);
        for (let g = 0; g < n; g++) if (seen[g] === 1) out[g] = limbs.value(g);
        return { kind: 'flat', type, length: n, data: out, validity };
      }
      for (let g = 0; g < n; g++) if (seen[g] === 1) limbs.checkInt64(g);
      return limbsToFlat(type, limbs.hi, limbs.lo, seen, 0, n);
    }
    const floats = this.floats!;
    const out = new Float64Array(n);
    for (let g = 0; g < n; g++) if (seen[g] === 1) out[g] = floats.value(g);
    return { kind: 'flat', type, length: n, data: out, validity };
  }

  serialize(): SerializedAggregate {
    const n = this.groupCount;
    const sums = this.limbs !== null ? this.limbs.serialize(n) : this.floats!.serialize(n);
    return { fn: 'sum', distinct: false, groupCount: n, arrays: [this.seen.slice(0, n), ...sums] };
  }

  static deserialize(spec: AggregateSpec, s: SerializedAggregate): SumState {
    const state = new SumState(spec);
    const n = s.groupCount;
    state.init(n);
    state.seen.set(arrayAt(s, 0, Uint8Array, n).subarray(0, n));
    const a = arrayAt(s, 1, Float64Array, n);
    const b = arrayAt(s, 2, Float64Array, n);
    if (state.limbs !== null) state.limbs.load(a, b, n);
    else state.floats!.load(a, b, n);
    return state;
  }
}
