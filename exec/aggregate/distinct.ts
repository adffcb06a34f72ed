// DISTINCT aggregates (count(DISTINCT x), sum(DISTINCT x), ...): the state is the set of
// distinct (group, value) pairs, held in a typed GroupTable keyed by [group id, value] — NULL
// values included, as one entry, since the wrapped aggregate skips NULLs itself. Finalize feeds
// each group's distinct values once to a fresh plain state of the same function. Merging unions
// the sets, so partial states from workers or shards combine correctly (merging the plain
// aggregates' results would count a value seen by two workers twice).

import { type LogicalType, T } from '../../common/types.js';
import type { FlatVector } from '../../common/vector.js';
import { internalError } from '../../common/errors.js';
import type { AggregateSpec } from '../plan.js';
import { GroupTable } from '../hash/group-table.js';
import {
  hashKeyRow,
  KEY_F64,
  KEY_I32,
  KEY_STR,
  KEY_WIDE,
  type KeyColumn,
  KeyColumns,
  keyColumnToVector,
  KeyEncoder,
  keyKindOf,
} from '../hash/key-columns.js';
import { gatherFlat } from '../hash/row-collection.js';
import {
  type AggregateState,
  arrayAt,
  decodeStrings,
  encodeStrings,
  sameState,
  type SerializedAggregate,
  type StateArray,
} from './state.js';

export class DistinctState implements AggregateState {
  readonly spec: AggregateSpec;
  groupCount = 0;
  private readonly argType: LogicalType;
  private readonly table: GroupTable;
  private readonly encoder: KeyEncoder;
  private ids = new Int32Array(0);

  /** plain: makes the non-DISTINCT state of the same function, fed at finalize. */
  constructor(
    spec: AggregateSpec,
    private readonly plain: (spec: AggregateSpec) => AggregateState,
  ) {
    const arg = spec.argTypes[0];
    if (arg === undefined) throw internalError(`${spec.fn}(DISTINCT ...) takes one argument`);
    this.spec = spec;
    this.argType = arg;
    const kinds = [KEY_I32, keyKindOf(arg)] as const;
    this.table = new GroupTable(kinds);
    this.encoder = new KeyEncoder(kinds);
  }

  init(groupCount: number): void {
    if (groupCount > this.groupCount) this.groupCount = groupCount;
  }

  update(arg: FlatVector | null, rows: Int32Array | null, groups: Int32Array, count: number): void {
    if (arg === null) throw internalError(`${this.spec.fn}(DISTINCT ...) needs an argument column`);
    if (count === 0) return;
    const values = rows === null ? arg : gatherFlat(arg, rows, count, arg.type);
    const groupVector: FlatVector = { kind: 'flat', type: T.INTEGER, length: count, data: groups, validity: null };
    const keys = this.encoder.encode([groupVector, values], null, count, true);
    if (this.ids.length < count) this.ids = new Int32Array(count);
    this.table.findOrInsertAll(keys, this.ids);
  }

  merge(other: AggregateState, map: Int32Array | null): void {
    const o = sameState(this, other, `${this.spec.fn}(DISTINCT ...)`);
    this.insertEntries(o.table.store, map);
  }

  finalize(): FlatVector {
    const store = this.table.store;
    const n = store.count;
    const inner = this.plain({ ...this.spec, distinct: false });
    inner.init(this.groupCount);
    if (n > 0) {
      const groups = store.cols[0]!.i32.subarray(0, n);
      inner.update(keyColumnToVector(store, 1, this.argType, 0, n), null, groups, n);
    }
    return inner.finalize();
  }

  serialize(): SerializedAggregate {
    const store = this.table.store;
    const n = store.count;
    const g = store.cols[0]!;
    const v = store.cols[1]!;
    const arrays: StateArray[] = [g.i32.slice(0, n), v.valid.slice(0, n)];
    switch (store.kinds[1]) {
      case KEY_I32:
        arrays.push(v.i32.slice(0, n));
        break;
      case KEY_F64:
        arrays.push(v.f64.slice(0, n));
        break;
      case KEY_WIDE:
        arrays.push(v.i32.slice(0, n), v.lo.slice(0, n));
        break;
      case KEY_STR:
        arrays.push(...encodeStrings(v.str, n));
        break;
    }
    return { fn: this.spec.fn, distinct: true, groupCount: this.groupCount, arrays };
  }

  static deserialize(spec: AggregateSpec, s: SerializedAggregate, plain: (spec: AggregateSpec) => AggregateState): DistinctState {
    const state = new DistinctState(spec, plain);
    state.init(s.groupCount);
    const n = s.arrays[0]?.length ?? 0;
    const entries = new KeyColumns(state.table.store.kinds, n);
    entries.count = n;
    entries.cols[0]!.i32.set(arrayAt(s, 0, Int32Array, n));
    entries.cols[0]!.valid.fill(1, 0, n);
    const v: KeyColumn = entries.cols[1]!;
    v.valid.set(arrayAt(s, 1, Uint8Array, n).subarray(0, n));
    switch (entries.kinds[1]) {
      case KEY_I32:
        v.i32.set(arrayAt(s, 2, Int32Array, n).subarray(0, n));
        break;
      case KEY_F64:
        v.f64.set(arrayAt(s, 2, Float64Array, n).subarray(0, n));
        break;
      case KEY_WIDE:
        v.i32.set(arrayAt(s, 2, Int32Array, n).subarray(0, n));
        v.lo.set(arrayAt(s, 3, Int32Array, n).subarray(0, n));
        break;
      case KEY_STR: {
        const strs = decodeStrings(arrayAt(s, 2, Uint8Array, 0), arrayAt(s, 3, Int32Array, n), n);
        for (let i = 0; i < n; i++) v.str[i] = strs[i]!;
        break;
      }
    }
    state.insertEntries(entries, null);
    return state;
  }

  /** Adds (map[group], value) for every entry of `src` (a [group, value] KeyColumns). */
  private insertEntries(src: KeyColumns, map: Int32Array | null): void {
    const n = src.count;
    const kinds = this.table.store.kinds;
    const tmp = new KeyColumns(kinds, n);
    for (let r = 0; r < n; r++) tmp.appendRow(src, r);
    const groups = tmp.cols[0]!.i32;
    if (map !== null) for (let r = 0; r < n; r++) groups[r] = map[groups[r]!]!;
    for (let r = 0; r < n; r++) {
      const g = groups[r]!;
      if (g >= this.groupCount) throw internalError(`a DISTINCT entry's group ${g} is past the ${this.groupCount} groups initialized`);
      this.table.findOrInsert(tmp, r, hashKeyRow(tmp, r));
    }
  }
}
