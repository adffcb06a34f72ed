// BOOL_AND and BOOL_OR over a BOOLEAN argument: per group a seen flag and the running AND / OR
// in Uint8Arrays. NULL inputs are skipped; a group with no non-NULL input is NULL.

import type { FlatVector } from '../../common/vector.js';
import { internalError } from '../../common/errors.js';
import { TypeId } from '../../common/types.js';
import type { AggregateSpec } from '../plan.js';
import { type AggregateState, arrayAt, grownCapacity, growU8, mapGroup, sameState, type SerializedAggregate } from './state.js';

export class BoolAndOrState implements AggregateState {
  readonly spec: AggregateSpec;
  groupCount = 0;
  private capacity = 0;
  private has = new Uint8Array(0);
  private values = new Uint8Array(0);
  private readonly and: boolean;

  constructor(spec: AggregateSpec) {
    if (spec.fn !== 'bool_and' && spec.fn !== 'bool_or') throw internalError(`BoolAndOrState cannot compute ${spec.fn}`);
    this.spec = spec;
    this.and = spec.fn === 'bool_and';
  }

  init(groupCount: number): void {
    if (groupCount > this.capacity) {
      this.capacity = grownCapacity(this.capacity, groupCount);
      this.has = growU8(this.has, this.capacity);
      this.values = growU8(this.values, this.capacity);
    }
    if (groupCount > this.groupCount) this.groupCount = groupCount;
  }

  /** Repeats do not change the result: the run values are folded in as rows. */
  updateRuns(values: FlatVector, _runEnds: Int32Array, group: number): void {
    this.update(values, null, new Int32Array(values.length).fill(group), values.length);
  }

  update(arg: FlatVector | null, rows: Int32Array | null, groups: Int32Array, count: number): void {
    if (arg === null) throw internalError(`${this.spec.fn} needs an argument column`);
    if (arg.type.id === TypeId.NULL) return;
    const d = arg.data as Uint8Array;
    const valid = arg.validity;
    const has = this.has;
    const values = this.values;
    for (let k = 0; k < count; k++) {
      const i = rows === null ? k : rows[k]!;
      if (valid !== null && valid[i] === 0) continue;
      this.fold(groups[k]!, d[i]!, has, values);
    }
  }

  private fold(g: number, x: number, has: Uint8Array, values: Uint8Array): void {
    if (has[g] === 0) {
      has[g] = 1;
      values[g] = x;
    } else values[g] = this.and ? values[g]! & x : values[g]! | x;
  }

  merge(other: AggregateState, map: Int32Array | null): void {
    const o = sameState(this, other, this.spec.fn);
    for (let g = 0; g < o.groupCount; g++) {
      if (o.has[g] === 1) this.fold(mapGroup(map, g), o.values[g]!, this.has, this.values);
    }
  }

  finalize(): FlatVector {
    const n = this.groupCount;
    let validity: Uint8Array | null = this.has.slice(0, n);
    if (validity.indexOf(0) < 0) validity = null;
    return { kind: 'flat', type: this.spec.type, length: n, data: this.values.slice(0, n), validity };
  }

  serialize(): SerializedAggregate {
    const n = this.groupCount;
    return { fn: this.spec.fn, distinct: false, groupCount: n, arrays: [this.has.slice(0, n), this.values.slice(0, n)] };
  }

  static deserialize(spec: AggregateSpec, s: SerializedAggregate): BoolAndOrState {
    const state = new BoolAndOrState(spec);
    const n = s.groupCount;
    state.init(n);
    state.has.set(arrayAt(s, 0, Uint8Array, n).subarray(0, n));
    state.values.set(arrayAt(s, 1, Uint8Array, n).subarray(0, n));
    return state;
  }
}
