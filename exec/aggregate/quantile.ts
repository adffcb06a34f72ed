// QUANTILE_CONT(x, q), QUANTILE_DISC(x, q) and MEDIAN(x) (= quantile_cont(x, 0.5), as DuckDB).
// Exact quantiles need every value, so the state keeps all non-NULL inputs of all groups as two
// parallel typed arrays (value as a double, group id): 12 bytes per non-NULL input row, however
// many groups there are. Finalize orders the pairs by group with a counting sort, sorts each
// group's values (NaN last) and reads the quantile:
//   quantile_cont: position q * (n - 1), interpolated linearly between its neighbours (DOUBLE);
//   quantile_disc: the value at index ceil(q * n) - 1, clamped to the first (the smallest value
//   with at least a fraction q of the group at or below it, as PostgreSQL's percentile_disc
//   and DuckDB), returned in the argument's type.
// The fraction q is the second argument column, a constant (the binder checks it lies in
// [0, 1]). Values are held as doubles, so a BIGINT beyond 2^53 is read rounded to a double.

import type { FlatVector } from '../../common/vector.js';
import { internalError } from '../../common/errors.js';
import { TypeId } from '../../common/types.js';
import type { AggregateSpec } from '../plan.js';
import { KEY_F64, KEY_I32, keyKindOf } from '../hash/key-columns.js';
import { type AggregateState, arrayAt, growF64, growI32, mapGroup, sameState, type SerializedAggregate } from './state.js';

export class QuantileState implements AggregateState {
  readonly spec: AggregateSpec;
  groupCount = 0;
  private size = 0;
  private values = new Float64Array(0);
  private groupIds = new Int32Array(0);
  /** The fraction, NaN until the first row brings it. */
  private q = NaN;
  private readonly discrete: boolean;

  constructor(spec: AggregateSpec) {
    if ((spec.fn !== 'quantile_cont' && spec.fn !== 'quantile_disc') || spec.args.length !== 2) {
      throw internalError(`QuantileState cannot compute ${spec.fn} of ${spec.args.length} arguments`);
    }
    this.spec = spec;
    this.discrete = spec.fn === 'quantile_disc';
  }

  init(groupCount: number): void {
    if (groupCount > this.groupCount) this.groupCount = groupCount;
  }

  private reserve(extra: number): void {
    const need = this.size + extra;
    if (need <= this.values.length) return;
    let cap = Math.max(this.values.length, 64);
    while (cap < need) cap *= 2;
    this.values = growF64(this.values, cap);
    this.groupIds = growI32(this.groupIds, cap);
  }

  update(arg: FlatVector | null, rows: Int32Array | null, groups: Int32Array, count: number, more?: readonly FlatVector[]): void {
    const qv = more?.[0];
    if (arg === null || qv === undefined) throw internalError(`${this.spec.fn} needs two argument columns`);
    if (arg.type.id === TypeId.NULL || count === 0) return;
    if (Number.isNaN(this.q)) this.q = fractionOf(qv, rows === null ? 0 : rows[0]!);
    this.reserve(count);
    const valid = arg.validity;
    const out = this.values;
    const ids = this.groupIds;
    let m = this.size;
    const data = arg.data;
    if (data instanceof BigInt64Array) {
      for (let k = 0; k < count; k++) {
        const i = rows === null ? k : rows[k]!;
        if (valid !== null && valid[i] === 0) continue;
        out[m] = Number(data[i]!);
        ids[m++] = groups[k]!;
      }
    } else {
      const d = data as Float64Array | Int32Array;
      for (let k = 0; k < count; k++) {
        const i = rows === null ? k : rows[k]!;
        if (valid !== null && valid[i] === 0) continue;
        out[m] = d[i]!;
        ids[m++] = groups[k]!;
      }
    }
    this.size = m;
  }

  merge(other: AggregateState, map: Int32Array | null): void {
    const o = sameState(this, other, this.spec.fn);
    if (Number.isNaN(this.q)) this.q = o.q;
    this.reserve(o.size);
    for (let r = 0; r < o.size; r++) {
      this.values[this.size] = o.values[r]!;
      this.groupIds[this.size++] = mapGroup(map, o.groupIds[r]!);
    }
  }

  finalize(): FlatVector {
    const n = this.groupCount;
    // Counting sort of the values by group.
    const starts = new Int32Array(n + 1);
    for (let r = 0; r < this.size; r++) starts[this.groupIds[r]! + 1]++;
    for (let g = 0; g < n; g++) starts[g + 1] += starts[g]!;
    const sorted = new Float64Array(this.size);
    const fill = starts.slice(0, n);
    for (let r = 0; r < this.size; r++) sorted[fill[this.groupIds[r]!]++] = this.values[r]!;
    const kind = keyKindOf(this.spec.type);
    const intOut = this.discrete && kind === KEY_I32;
    const out = intOut ? new Int32Array(n) : new Float64Array(n);
    const validity = new Uint8Array(n);
    let nulls = 0;
    const q = this.q;
    for (let g = 0; g < n; g++) {
      const lo = starts[g]!;
      const len = starts[g + 1]! - lo;
      if (len === 0) {
        nulls++;
        continue;
      }
      validity[g] = 1;
      const seg = sorted.subarray(lo, lo + len).sort();
      if (this.discrete) {
        out[g] = seg[Math.max(Math.ceil(q * len) - 1, 0)]!;
      } else {
        const pos = q * (len - 1);
        const below = Math.floor(pos);
        const a = seg[below]!;
        out[g] = below === pos ? a : a + (pos - below) * (seg[below + 1]! - a);
      }
    }
    if (!intOut && kind !== KEY_F64 && this.spec.type.id !== TypeId.BIGINT && this.spec.type.id !== TypeId.DECIMAL) {
      throw internalError(`${this.spec.fn} cannot return ${this.spec.type.id}`);
    }
    return { kind: 'flat', type: this.spec.type, length: n, data: out, validity: nulls === 0 ? null : validity };
  }

  serialize(): SerializedAggregate {
    const m = this.size;
    return { fn: this.spec.fn, distinct: false, groupCount: this.groupCount, arrays: [Float64Array.of(this.q), this.values.slice(0, m), this.groupIds.slice(0, m)] };
  }

  static deserialize(spec: AggregateSpec, s: SerializedAggregate): QuantileState {
    const state = new QuantileState(spec);
    state.init(s.groupCount);
    state.q = arrayAt(s, 0, Float64Array, 1)[0]!;
    const values = arrayAt(s, 1, Float64Array, 0);
    const ids = arrayAt(s, 2, Int32Array, values.length);
    state.reserve(values.length);
    state.values.set(values);
    state.groupIds.set(ids.subarray(0, values.length));
    state.size = values.length;
    for (let r = 0; r < state.size; r++) {
      if (state.groupIds[r]! >= s.groupCount) throw internalError(`serialized ${spec.fn} state: group ${state.groupIds[r]} is past its ${s.groupCount} groups`);
    }
    return state;
  }
}

/** The fraction at row i of the (constant) fraction column. */
function fractionOf(v: FlatVector, i: number): number {
  const q = (v.data as Float64Array)[i];
  if (q === undefined || (v.validity !== null && v.validity[i] === 0)) throw internalError('the quantile fraction column holds no value');
  return q;
}
