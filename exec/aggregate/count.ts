// COUNT(*) and COUNT(x): a Float64Array of per-group counts (BIGINT results; a count stays far
// below 2^53, so the Float64Array is the BIGINT vector itself). COUNT(x) skips NULLs. An empty
// group (no keys, empty input) counts 0, never NULL.

import { TypeId } from '../../common/types.js';
import type { FlatVector } from '../../common/vector.js';
import type { AggregateSpec } from '../plan.js';
import {
  type AggregateState,
  arrayAt,
  growF64,
  grownCapacity,
  mapGroup,
  sameState,
  type SerializedAggregate,
} from './state.js';

export class CountState implements AggregateState {
  readonly spec: AggregateSpec;
  groupCount = 0;
  private counts = new Float64Array(0);

  constructor(spec: AggregateSpec) {
    this.spec = spec;
  }

  init(groupCount: number): void {
    if (groupCount > this.counts.length) this.counts = growF64(this.counts, grownCapacity(this.counts.length, groupCount));
    if (groupCount > this.groupCount) this.groupCount = groupCount;
  }

  update(arg: FlatVector | null, rows: Int32Array | null, groups: Int32Array, count: number): void {
    const counts = this.counts;
    const valid = this.spec.fn === 'count_star' || arg === null ? null : arg.validity;
    if (arg !== null && this.spec.fn === 'count' && arg.type.id === TypeId.NULL) return;
    if (valid === null) {
      for (let k = 0; k < count; k++) counts[groups[k]!]++;
      return;
    }
    for (let k = 0; k < count; k++) {
      if (valid[rows === null ? k : rows[k]!] === 1) counts[groups[k]!]++;
    }
  }

  updateRuns(values: FlatVector, runEnds: Int32Array, group: number): void {
    const n = runEnds.length === 0 ? 0 : runEnds[runEnds.length - 1]!;
    const valid = this.spec.fn === 'count_star' ? null : values.validity;
    if (this.spec.fn === 'count' && values.type.id === TypeId.NULL) return;
    if (valid === null) {
      this.counts[group] += n;
      return;
    }
    let start = 0;
    for (let r = 0; r < runEnds.length; r++) {
      if (valid[r] === 1) this.counts[group] += runEnds[r]! - start;
      start = runEnds[r]!;
    }
  }

  merge(other: AggregateState, map: Int32Array | null): void {
    const o = sameState(this, other, this.spec.fn);
    for (let g = 0; g < o.groupCount; g++) this.counts[mapGroup(map, g)] += o.counts[g]!;
  }

  finalize(): FlatVector {
    const n = this.groupCount;
    return { kind: 'flat', type: this.spec.type, length: n, data: this.counts.slice(0, n), validity: null };
  }

  serialize(): SerializedAggregate {
    const n = this.groupCount;
    return { fn: this.spec.fn, distinct: false, groupCount: n, arrays: [this.counts.slice(0, n)] };
  }

  static deserialize(spec: AggregateSpec, s: SerializedAggregate): CountState {
    const state = new CountState(spec);
    state.init(s.groupCount);
    state.counts.set(arrayAt(s, 0, Float64Array, s.groupCount).subarray(0, s.groupCount));
    return state;
  }
}
