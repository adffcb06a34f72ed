// AVG, returning DOUBLE. Integer and DECIMAL inputs keep an exact two-limb sum (as SUM does)
// and a count, and divide once at the end (a DECIMAL's scaled sum is divided by 10^scale too);
// REAL and DOUBLE inputs keep a compensated double sum. A group with no non-NULL input is NULL.

import { isFloat, pow10, TypeId, typeToString } from '../../common/types.js';
import type { FlatVector } from '../../common/vector.js';
import { internalError } from '../../common/errors.js';
import type { AggregateSpec } from '../plan.js';
import { FloatSums, LimbSums } from './sum-accumulators.js';
import { exactSum } from './sum.js';
import {
  type AggregateState,
  arrayAt,
  growF64,
  grownCapacity,
  mapGroup,
  sameState,
  type SerializedAggregate,
} from './state.js';

export class AvgState implements AggregateState {
  readonly spec: AggregateSpec;
  groupCount = 0;
  private capacity = 0;
  private counts = new Float64Array(0);
  private readonly limbs: LimbSums | null;
  private readonly floats: FloatSums | null;
  /** 10^scale of a DECIMAL input (1 otherwise). */
  private readonly divisor: number;

  constructor(spec: AggregateSpec) {
    this.spec = spec;
    const arg = spec.argTypes[0];
    if (arg === undefined) throw internalError('avg takes one argument');
    if (!isFloat(spec.type)) throw internalError(`avg returns DOUBLE, not ${typeToString(spec.type)}`);
    const exact = exactSum(arg, spec.type, 'avg');
    // AVG over a huge sum still has a meaningful double result; the limb guard only protects
    // exactness, and passing it would need more than 2^84 in one group.
    this.limbs = exact ? new LimbSums('avg: sum out of range') : null;
    this.floats = exact ? null : new FloatSums();
    this.divisor = arg.id === TypeId.DECIMAL ? pow10(arg.scale ?? 0) : 1;
  }

  init(groupCount: number): void {
    if (groupCount > this.capacity) {
      this.capacity = grownCapacity(this.capacity, groupCount);
      this.counts = growF64(this.counts, this.capacity);
      this.limbs?.grow(this.capacity);
      this.floats?.grow(this.capacity);
    }
    if (groupCount > this.groupCount) this.groupCount = groupCount;
  }

  update(arg: FlatVector | null, rows: Int32Array | null, groups: Int32Array, count: number): void {
    if (arg === null) throw internalError('avg needs an argument column');
    if (arg.type.id === TypeId.NULL) return;
    if (this.limbs !== null) this.limbs.add(arg, rows, groups, count, null, this.counts);
    else this.floats!.add(arg, rows, groups, count, null, this.counts);
  }

  merge(other: AggregateState, map: Int32Array | null): void {
    const o = sameState(this, other, 'avg');
    for (let g = 0; g < o.groupCount; g++) {
      if (o.counts[g] === 0) continue;
      const t = mapGroup(map, g);
      this.counts[t] += o.counts[g]!;
      if (this.limbs !== null) this.limbs.mergeGroup(t, o.limbs!, g);
      else this.floats!.mergeGroup(t, o.floats!, g);
    }
  }

  finalize(): FlatVector {
    const n = this.groupCount;
    const out = new Float64Array(n);
    const validity = new Uint8Array(n);
    let nulls = 0;
    for (let g = 0; g < n; g++) {
      const c = this.counts[g]!;
      if (c === 0) {
        nulls++;
        continue;
      }
      validity[g] = 1;
      out[g] = this.limbs !== null ? exactMean(this.limbs, g, c * this.divisor) : this.floats!.value(g) / c;
    }
    return { kind: 'flat', type: this.spec.type, length: n, data: out, validity: nulls === 0 ? null : validity };
  }

  serialize(): SerializedAggregate {
    const n = this.groupCount;
    const sums = this.limbs !== null ? this.limbs.serialize(n) : this.floats!.serialize(n);
    return { fn: 'avg', distinct: false, groupCount: n, arrays: [this.counts.slice(0, n), ...sums] };
  }

  static deserialize(spec: AggregateSpec, s: SerializedAggregate): AvgState {
    const state = new AvgState(spec);
    const n = s.groupCount;
    state.init(n);
    state.counts.set(arrayAt(s, 0, Float64Array, n).subarray(0, n));
    const a = arrayAt(s, 1, Float64Array, n);
    const b = arrayAt(s, 2, Float64Array, n);
    if (state.limbs !== null) state.limbs.load(a, b, n);
    else state.floats!.load(a, b, n);
    return state;
  }
}

/** sum / divisor for an exact limb sum, rounded once: doubles when the sum is exact in one,
 *  otherwise BigInt division with the remainder added as a fraction. */
function exactMean(limbs: LimbSums, g: number, divisor: number): number {
  const sum = limbs.value(g);
  if (Math.abs(sum) < 2 ** 53 && divisor < 2 ** 53) return sum / divisor;
  const exact = limbs.exact(g);
  const d = BigInt(divisor);
  const q = exact / d;
  return Number(q) + Number(exact - q * d) / divisor;
}
