// ANY_VALUE: the first non-NULL value a group sees (used for columns functionally dependent on
// the group keys). A value is copied only the first time a group gets one, so the loop is a
// flag test per row.

import type { FlatVector } from '../../common/vector.js';
import { internalError } from '../../common/errors.js';
import { TypeId } from '../../common/types.js';
import type { AggregateSpec } from '../plan.js';
import { GroupValues } from './group-values.js';
import { type AggregateState, mapGroup, sameState, type SerializedAggregate } from './state.js';

export class AnyValueState implements AggregateState {
  readonly spec: AggregateSpec;
  private readonly values: GroupValues;

  constructor(spec: AggregateSpec) {
    this.spec = spec;
    this.values = new GroupValues(spec.type);
  }

  get groupCount(): number {
    return this.values.count;
  }

  init(groupCount: number): void {
    this.values.init(groupCount);
  }

  /** Repeats do not change the result: the run values are folded in as rows. */
  updateRuns(values: FlatVector, _runEnds: Int32Array, group: number): void {
    this.update(values, null, new Int32Array(values.length).fill(group), values.length);
  }

  update(arg: FlatVector | null, rows: Int32Array | null, groups: Int32Array, count: number): void {
    if (arg === null) throw internalError('any_value needs an argument column');
    if (arg.type.id === TypeId.NULL) return;
    const v = this.values;
    const has = v.has;
    const valid = arg.validity;
    const data = arg.data;
    for (let k = 0; k < count; k++) {
      const g = groups[k]!;
      if (has[g] === 1) continue;
      const i = rows === null ? k : rows[k]!;
      if (valid !== null && valid[i] === 0) continue;
      v.setFrom(g, data, i);
    }
  }

  merge(other: AggregateState, map: Int32Array | null): void {
    const o = sameState(this, other, 'any_value').values;
    const v = this.values;
    for (let g = 0; g < o.count; g++) {
      const t = mapGroup(map, g);
      if (o.has[g] === 1 && v.has[t] === 0) v.copyGroup(t, o, g);
    }
  }

  finalize(): FlatVector {
    return this.values.finalize();
  }

  serialize(): SerializedAggregate {
    return { fn: 'any_value', distinct: false, groupCount: this.values.count, arrays: this.values.serialize() };
  }

  static deserialize(spec: AggregateSpec, s: SerializedAggregate): AnyValueState {
    const state = new AnyValueState(spec);
    state.values.load(s.groupCount, s.arrays);
    return state;
  }
}
