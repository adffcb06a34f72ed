// ARG_MIN(arg, val) and ARG_MAX(arg, val): the arg of the row with the smallest / largest val in
// each group (DuckDB). Rows where arg or val is NULL are skipped; on ties the first row seen
// wins (so the result among tied rows depends on input order, as in DuckDB). Both the best val
// and its arg are held per group in GroupValues (typed arrays by key kind); a row is compared
// by copying its val into a one-slot scratch GroupValues, so no object is made per row.

import type { FlatVector } from '../../common/vector.js';
import { internalError } from '../../common/errors.js';
import { TypeId } from '../../common/types.js';
import type { AggregateSpec } from '../plan.js';
import { GroupValues } from './group-values.js';
import { type AggregateState, mapGroup, sameState, type SerializedAggregate } from './state.js';

export class ArgMinMaxState implements AggregateState {
  readonly spec: AggregateSpec;
  private readonly args: GroupValues;
  private readonly keys: GroupValues;
  private readonly scratch: GroupValues;
  private readonly max: boolean;

  constructor(spec: AggregateSpec) {
    if (spec.fn !== 'arg_min' && spec.fn !== 'arg_max') throw internalError(`ArgMinMaxState cannot compute ${spec.fn}`);
    const valType = spec.argTypes[1];
    if (valType === undefined || spec.args.length !== 2) throw internalError(`${spec.fn} takes two arguments`);
    this.spec = spec;
    this.max = spec.fn === 'arg_max';
    this.args = new GroupValues(spec.type);
    this.keys = new GroupValues(valType);
    this.scratch = new GroupValues(valType);
    this.scratch.init(1);
  }

  get groupCount(): number {
    return this.args.count;
  }

  init(groupCount: number): void {
    this.args.init(groupCount);
    this.keys.init(groupCount);
  }

  update(arg: FlatVector | null, rows: Int32Array | null, groups: Int32Array, count: number, more?: readonly FlatVector[]): void {
    const val = more?.[0];
    if (arg === null || val === undefined) throw internalError(`${this.spec.fn} needs two argument columns`);
    if (arg.type.id === TypeId.NULL || val.type.id === TypeId.NULL) return;
    const aValid = arg.validity;
    const vValid = val.validity;
    const keys = this.keys;
    const scratch = this.scratch;
    for (let k = 0; k < count; k++) {
      const i = rows === null ? k : rows[k]!;
      if ((aValid !== null && aValid[i] === 0) || (vValid !== null && vValid[i] === 0)) continue;
      const g = groups[k]!;
      if (keys.has[g] === 1) {
        scratch.setFrom(0, val.data, i);
        const c = keys.compareGroups(g, scratch, 0);
        if (this.max ? c >= 0 : c <= 0) continue;
        keys.copyGroup(g, scratch, 0);
      } else keys.setFrom(g, val.data, i);
      this.args.setFrom(g, arg.data, i);
    }
  }

  merge(other: AggregateState, map: Int32Array | null): void {
    const o = sameState(this, other, this.spec.fn);
    for (let g = 0; g < o.keys.count; g++) {
      if (o.keys.has[g] === 0) continue;
      const t = mapGroup(map, g);
      if (this.keys.has[t] === 1) {
        const c = this.keys.compareGroups(t, o.keys, g);
        if (this.max ? c >= 0 : c <= 0) continue;
      }
      this.keys.copyGroup(t, o.keys, g);
      this.args.copyGroup(t, o.args, g);
    }
  }

  finalize(): FlatVector {
    return this.args.finalize();
  }

  serialize(): SerializedAggregate {
    const a = this.args.serialize();
    // The arg arrays' count first, so deserialize knows where the val arrays start.
    return { fn: this.spec.fn, distinct: false, groupCount: this.args.count, arrays: [Int32Array.of(a.length), ...a, ...this.keys.serialize()] };
  }

  static deserialize(spec: AggregateSpec, s: SerializedAggregate): ArgMinMaxState {
    const state = new ArgMinMaxState(spec);
    const head = s.arrays[0];
    if (!(head instanceof Int32Array) || head.length !== 1) throw internalError(`serialized ${spec.fn} state: array 0 should hold the arg array count`);
    const split = 1 + head[0]!;
    state.args.load(s.groupCount, s.arrays.slice(1, split));
    state.keys.load(s.groupCount, s.arrays.slice(split));
    return state;
  }
}
