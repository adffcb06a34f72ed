// VAR_SAMP, VAR_POP, STDDEV_SAMP and STDDEV_POP (STDDEV and VARIANCE are the sample forms), all
// returning DOUBLE over an argument the binder has cast to DOUBLE. Each group keeps Welford's
// running count, mean and sum of squared deviations (m2) in Float64Arrays, which is stable where
// the naive sum-of-squares formula cancels; partial states merge with Chan et al.'s pairwise
// formula. The values are shifted by the group's first value before they enter (the "shifted
// data" method): large values with small deviations (ids near 1e12 that differ by thousands)
// would otherwise lose digits in the running mean — differences of nearby doubles are exact. A group with no non-NULL input is NULL, and so is a sample statistic of one value.

import type { FlatVector } from '../../common/vector.js';
import { internalError } from '../../common/errors.js';
import { TypeId } from '../../common/types.js';
import type { AggregateSpec } from '../plan.js';
import { type AggregateState, arrayAt, growF64, grownCapacity, mapGroup, sameState, type SerializedAggregate } from './state.js';

export class VarianceState implements AggregateState {
  readonly spec: AggregateSpec;
  groupCount = 0;
  private capacity = 0;
  private counts = new Float64Array(0);
  private means = new Float64Array(0);
  private m2 = new Float64Array(0);
  /** Per group, the value every input is taken relative to (its first one); `means` is of x - shift. */
  private shifts = new Float64Array(0);
  private readonly sample: boolean;
  private readonly root: boolean;

  constructor(spec: AggregateSpec) {
    const fn = spec.fn;
    if (fn !== 'var_samp' && fn !== 'var_pop' && fn !== 'stddev_samp' && fn !== 'stddev_pop') throw internalError(`VarianceState cannot compute ${fn}`);
    if (spec.argTypes[0]?.id !== TypeId.DOUBLE) throw internalError(`${fn} expects a DOUBLE argument (the binder casts it)`);
    this.spec = spec;
    this.sample = fn === 'var_samp' || fn === 'stddev_samp';
    this.root = fn === 'stddev_samp' || fn === 'stddev_pop';
  }

  init(groupCount: number): void {
    if (groupCount > this.capacity) {
      this.capacity = grownCapacity(this.capacity, groupCount);
      this.counts = growF64(this.counts, this.capacity);
      this.means = growF64(this.means, this.capacity);
      this.m2 = growF64(this.m2, this.capacity);
      this.shifts = growF64(this.shifts, this.capacity);
    }
    if (groupCount > this.groupCount) this.groupCount = groupCount;
  }

  update(arg: FlatVector | null, rows: Int32Array | null, groups: Int32Array, count: number): void {
    if (arg === null) throw internalError(`${this.spec.fn} needs an argument column`);
    if (arg.type.id === TypeId.NULL) return;
    const d = arg.data as Float64Array;
    const valid = arg.validity;
    const counts = this.counts;
    const means = this.means;
    const m2 = this.m2;
    const shifts = this.shifts;
    for (let k = 0; k < count; k++) {
      const i = rows === null ? k : rows[k]!;
      if (valid !== null && valid[i] === 0) continue;
      const g = groups[k]!;
      if (counts[g] === 0) shifts[g] = d[i]!;
      const x = d[i]! - shifts[g]!;
      const n = counts[g]! + 1;
      const delta = x - means[g]!;
      const mean = means[g]! + delta / n;
      counts[g] = n;
      means[g] = mean;
      m2[g] += delta * (x - mean);
    }
  }

  merge(other: AggregateState, map: Int32Array | null): void {
    const o = sameState(this, other, this.spec.fn);
    for (let g = 0; g < o.groupCount; g++) {
      const nb = o.counts[g]!;
      if (nb === 0) continue;
      const t = mapGroup(map, g);
      const na = this.counts[t]!;
      if (na === 0) {
        this.counts[t] = nb;
        this.means[t] = o.means[g]!;
        this.m2[t] = o.m2[g]!;
        this.shifts[t] = o.shifts[g]!;
        continue;
      }
      const n = na + nb;
      // The other mean, relative to this group's shift.
      const delta = o.shifts[g]! - this.shifts[t]! + (o.means[g]! - this.means[t]!);
      this.means[t] += (delta * nb) / n;
      this.m2[t] += o.m2[g]! + (delta * delta * na * nb) / n;
      this.counts[t] = n;
    }
  }

  finalize(): FlatVector {
    const n = this.groupCount;
    const out = new Float64Array(n);
    const validity = new Uint8Array(n);
    let nulls = 0;
    const minCount = this.sample ? 2 : 1;
    for (let g = 0; g < n; g++) {
      const c = this.counts[g]!;
      if (c < minCount) {
        nulls++;
        continue;
      }
      validity[g] = 1;
      // Rounding can leave m2 a hair below zero for constant input.
      const v = Math.max(this.m2[g]!, 0) / (this.sample ? c - 1 : c);
      out[g] = this.root ? Math.sqrt(v) : v;
    }
    return { kind: 'flat', type: this.spec.type, length: n, data: out, validity: nulls === 0 ? null : validity };
  }

  serialize(): SerializedAggregate {
    const n = this.groupCount;
    return { fn: this.spec.fn, distinct: false, groupCount: n, arrays: [this.counts.slice(0, n), this.means.slice(0, n), this.m2.slice(0, n), this.shifts.slice(0, n)] };
  }

  static deserialize(spec: AggregateSpec, s: SerializedAggregate): VarianceState {
    const state = new VarianceState(spec);
    const n = s.groupCount;
    state.init(n);
    state.counts.set(arrayAt(s, 0, Float64Array, n).subarray(0, n));
    state.means.set(arrayAt(s, 1, Float64Array, n).subarray(0, n));
    state.m2.set(arrayAt(s, 2, Float64Array, n).subarray(0, n));
    state.shifts.set(arrayAt(s, 3, Float64Array, n).subarray(0, n));
    return state;
  }
}
