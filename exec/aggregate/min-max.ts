// MIN and MAX for every type, in one state class with a direction flag. Orders are PostgreSQL's:
// NaN is greater than every other double; strings compare by UTF-16 code unit (C collation);
// BOOLEAN false < true. BIGINT/DECIMAL compare as doubles while narrow and as (hi, lo) limbs
// once a BigInt64Array input arrives (group-values.ts), never through a BigInt per row.

import type { FlatVector } from '../../common/vector.js';
import { internalError } from '../../common/errors.js';
import { TypeId } from '../../common/types.js';
import type { AggregateSpec } from '../plan.js';
import { KEY_F64, KEY_I32, KEY_STR, KEY_WIDE } from '../hash/key-columns.js';
import { HI_WORD, LO_WORD, TWO32, wordsOf } from '../hash/int64-limbs.js';
import { GroupValues } from './group-values.js';
import { type AggregateState, mapGroup, sameState, type SerializedAggregate } from './state.js';

export class MinMaxState implements AggregateState {
  readonly spec: AggregateSpec;
  private readonly values: GroupValues;
  private readonly max: boolean;

  constructor(spec: AggregateSpec) {
    if (spec.fn !== 'min' && spec.fn !== 'max') throw internalError(`MinMaxState cannot compute ${spec.fn}`);
    this.spec = spec;
    this.max = spec.fn === 'max';
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
    if (arg === null) throw internalError(`${this.spec.fn} needs an argument column`);
    if (arg.type.id === TypeId.NULL) return;
    const v = this.values;
    const data = arg.data;
    const valid = arg.validity;
    const has = v.has;
    const max = this.max;
    switch (v.kind) {
      case KEY_I32: {
        const d = data as Int32Array | Uint8Array;
        const cur = v.i32;
        for (let k = 0; k < count; k++) {
          const i = rows === null ? k : rows[k]!;
          if (valid !== null && valid[i] === 0) continue;
          const g = groups[k]!;
          const x = d[i]!;
          if (has[g] === 0 || (max ? x > cur[g]! : x < cur[g]!)) {
            cur[g] = x;
            has[g] = 1;
          }
        }
        return;
      }
      case KEY_F64:
        updateDoubles(v.f64, has, data as Float64Array, valid, rows, groups, count, max);
        return;
      case KEY_WIDE:
        if (data instanceof BigInt64Array) {
          v.toWide();
          updateWords(v, wordsOf(data), valid, rows, groups, count, max);
        } else if (v.wide) {
          updateSplit(v, data as Float64Array, valid, rows, groups, count, max);
        } else {
          updateDoubles(v.f64, has, data as Float64Array, valid, rows, groups, count, max);
        }
        return;
      case KEY_STR: {
        const d = data as string[];
        const cur = v.str;
        for (let k = 0; k < count; k++) {
          const i = rows === null ? k : rows[k]!;
          if (valid !== null && valid[i] === 0) continue;
          const g = groups[k]!;
          const x = d[i]!;
          if (has[g] === 0 || (max ? x > cur[g]! : x < cur[g]!)) {
            cur[g] = x;
            has[g] = 1;
          }
        }
        return;
      }
    }
  }

  merge(other: AggregateState, map: Int32Array | null): void {
    const o = sameState(this, other, this.spec.fn).values;
    const v = this.values;
    for (let g = 0; g < o.count; g++) {
      if (o.has[g] === 0) continue;
      const t = mapGroup(map, g);
      if (v.has[t] === 0) {
        v.copyGroup(t, o, g);
        continue;
      }
      const c = v.compareGroups(t, o, g);
      if (this.max ? c < 0 : c > 0) v.copyGroup(t, o, g);
    }
  }

  finalize(): FlatVector {
    return this.values.finalize();
  }

  serialize(): SerializedAggregate {
    return { fn: this.spec.fn, distinct: false, groupCount: this.values.count, arrays: this.values.serialize() };
  }

  static deserialize(spec: AggregateSpec, s: SerializedAggregate): MinMaxState {
    const state = new MinMaxState(spec);
    state.values.load(s.groupCount, s.arrays);
    return state;
  }
}

/** Doubles with NaN greatest: max takes NaN over a number, min a number over NaN. */
function updateDoubles(
  cur: Float64Array,
  has: Uint8Array,
  d: Float64Array | Int32Array,
  valid: Uint8Array | null,
  rows: Int32Array | null,
  groups: Int32Array,
  count: number,
  max: boolean,
): void {
  for (let k = 0; k < count; k++) {
    const i = rows === null ? k : rows[k]!;
    if (valid !== null && valid[i] === 0) continue;
    const g = groups[k]!;
    const x = d[i]!;
    if (has[g] === 0) {
      cur[g] = x;
      has[g] = 1;
      continue;
    }
    const c = cur[g]!;
    if (max ? x > c || (x !== x && c === c) : x < c || (c !== c && x === x)) cur[g] = x;
  }
}

/** BigInt64Array input read as words, against limbs. */
function updateWords(
  v: GroupValues,
  words: Int32Array,
  valid: Uint8Array | null,
  rows: Int32Array | null,
  groups: Int32Array,
  count: number,
  max: boolean,
): void {
  const has = v.has;
  const hi = v.hi;
  const lo = v.lo;
  for (let k = 0; k < count; k++) {
    const i = rows === null ? k : rows[k]!;
    if (valid !== null && valid[i] === 0) continue;
    const g = groups[k]!;
    const h = words[2 * i + HI_WORD]!;
    const l = words[2 * i + LO_WORD]! >>> 0;
    if (has[g] === 0 || (max ? h > hi[g]! || (h === hi[g] && l > lo[g]!) : h < hi[g]! || (h === hi[g] && l < lo[g]!))) {
      hi[g] = h;
      lo[g] = l;
      has[g] = 1;
    }
  }
}

/** Float64Array input split into limbs, once the state is wide. */
function updateSplit(
  v: GroupValues,
  d: Float64Array,
  valid: Uint8Array | null,
  rows: Int32Array | null,
  groups: Int32Array,
  count: number,
  max: boolean,
): void {
  const has = v.has;
  const hi = v.hi;
  const lo = v.lo;
  for (let k = 0; k < count; k++) {
    const i = rows === null ? k : rows[k]!;
    if (valid !== null && valid[i] === 0) continue;
    const g = groups[k]!;
    const x = d[i]!;
    const h = Math.floor(x / TWO32);
    const l = x - h * TWO32;
    if (has[g] === 0 || (max ? h > hi[g]! || (h === hi[g] && l > lo[g]!) : h < hi[g]! || (h === hi[g] && l < lo[g]!))) {
      hi[g] = h;
      lo[g] = l;
      has[g] = 1;
    }
  }
}
