// Aggregates with ORDER BY inside the call (string_agg(x, ',' ORDER BY y DESC), arg_min(a, v
// ORDER BY t), first(x ORDER BY t)): the wrapped aggregate must see each group's rows in that
// order, which neither the input order nor a merge of partial states gives. So this state only
// collects: per update it appends the rows' group ids, argument columns and sort-key columns
// to flat column buffers (a RowCollection, gathered through the row selection once per batch).
// Finalize encodes the sort keys once (KeyEncoder, as the sort operator does), sorts an Int32Array
// permutation of all collected rows — stable, so rows tied on every key keep their arrival order
// ("first row seen" for arg_min/arg_max ties and any_value) — and folds the rows into a fresh
// plain state through that permutation, BATCH_SIZE rows per update. Sorting all rows by the keys
// alone is enough: the plain state folds rows of different groups independently, so each group
// sees its own rows in key order. Merging appends the other state's rows with their groups
// mapped, so GROUPING SETS roll-ups and partial states from workers order the union correctly.
//
// Different ORDER BYs in one SELECT are independent states, each with its own permutation.

import { BATCH_SIZE } from '../../common/batch.js';
import { internalError } from '../../common/errors.js';
import type { LogicalType } from '../../common/types.js';
import { allocData, type ColumnData, type FlatVector } from '../../common/vector.js';
import type { AggregateOrderKey, AggregateSpec } from '../plan.js';
import { KeyEncoder, keyKindOf } from '../hash/key-columns.js';
import { gatherFlat, RowCollection, sliceFlat } from '../hash/row-collection.js';
import { makeComparator, sortPermutation } from '../sort/compare.js';
import {
  type AggregateState,
  arrayAt,
  decodeStrings,
  encodeStrings,
  growI32,
  grownCapacity,
  sameState,
  type SerializedAggregate,
  type StateArray,
} from './state.js';

export class OrderedAggregateState implements AggregateState {
  readonly spec: AggregateSpec;
  groupCount = 0;
  private readonly order: readonly AggregateOrderKey[];
  /** The spec of the wrapped state: the same aggregate without ORDER BY. */
  private readonly plainSpec: AggregateSpec;
  /** Buffered columns: the arguments, then the sort keys. */
  private readonly types: readonly LogicalType[];
  private rows: RowCollection;
  /** Group id of each buffered row. */
  private groups = new Int32Array(0);

  /** plain: makes the state of the same aggregate without ORDER BY, fed at finalize. */
  constructor(
    spec: AggregateSpec,
    private readonly plain: (spec: AggregateSpec) => AggregateState,
  ) {
    const order = spec.orderBy ?? [];
    if (order.length === 0) throw internalError(`an ordered ${spec.fn} state needs ORDER BY keys`);
    if (spec.args.length === 0 || spec.argTypes.length !== spec.args.length) throw internalError(`${spec.fn} with ORDER BY needs its argument columns`);
    this.spec = spec;
    this.order = order;
    this.plainSpec = { fn: spec.fn, args: spec.args, argTypes: spec.argTypes, distinct: spec.distinct, filter: spec.filter, type: spec.type };
    this.types = [...spec.argTypes, ...order.map((k) => k.type)];
    this.rows = new RowCollection(this.types, `${spec.fn}(... ORDER BY ...)`);
  }

  init(groupCount: number): void {
    if (groupCount > this.groupCount) this.groupCount = groupCount;
  }

  /** `more` holds the arguments after the first, then one column per ORDER BY key. */
  update(arg: FlatVector | null, rows: Int32Array | null, groups: Int32Array, count: number, more?: readonly FlatVector[]): void {
    if (arg === null) throw internalError(`${this.spec.fn} with ORDER BY needs an argument column`);
    const cols = [arg, ...(more ?? [])];
    if (cols.length !== this.types.length) throw internalError(`${this.spec.fn} with ORDER BY expects ${this.types.length} columns, got ${cols.length}`);
    if (count === 0) return;
    const dense = cols.map((c) => (rows !== null ? gatherFlat(c, rows, count, c.type) : c.length === count ? c : sliceFlat(c, 0, count, c.type)));
    this.appendRows(dense, groups, null, count);
  }

  merge(other: AggregateState, map: Int32Array | null): void {
    const o = sameState(this, other, `${this.spec.fn}(... ORDER BY ...)`);
    const n = o.rows.rowCount;
    if (n === 0) return;
    this.appendRows(o.rows.finish(), o.groups, map, n);
  }

  finalize(): FlatVector {
    const inner = this.plain(this.plainSpec);
    inner.init(this.groupCount);
    const n = this.rows.rowCount;
    if (n === 0) return inner.finalize();
    const cols = this.rows.finish();
    const nArgs = this.spec.args.length;
    const keyCols = cols.slice(nArgs);
    const keys = new KeyEncoder(this.order.map((k) => keyKindOf(k.type))).encode(keyCols, null, n, false);
    const perm = sortPermutation(n, makeComparator(keys, keys, this.order.map((k, i) => ({ index: i, desc: k.desc, nullsFirst: k.nullsFirst }))));
    const sortedGroups = new Int32Array(n);
    const groups = this.groups;
    for (let k = 0; k < n; k++) sortedGroups[k] = groups[perm[k]!]!;
    const arg = cols[0]!;
    const more = cols.slice(1, nArgs);
    for (let start = 0; start < n; start += BATCH_SIZE) {
      const end = Math.min(n, start + BATCH_SIZE);
      inner.update(arg, perm.subarray(start, end), sortedGroups.subarray(start, end), end - start, more);
    }
    return inner.finalize();
  }

  /** Arrays: the rows' groups, then per buffered column its validity and its data (strings as
   *  UTF-8 bytes plus end offsets). */
  serialize(): SerializedAggregate {
    const n = this.rows.rowCount;
    const arrays: StateArray[] = [this.groups.slice(0, n)];
    const cols = n > 0 ? this.rows.finish() : this.types.map((t) => emptyColumn(t));
    for (const c of cols) {
      arrays.push(c.validity !== null ? c.validity.slice(0, n) : new Uint8Array(n).fill(1));
      if (Array.isArray(c.data)) arrays.push(...encodeStrings(c.data, n));
      else arrays.push(c.data.slice(0, n) as StateArray);
    }
    // `distinct` tells a DISTINCT set (distinct.ts), which an ordered state never wraps.
    return { fn: this.spec.fn, distinct: false, groupCount: this.groupCount, arrays };
  }

  static deserialize(spec: AggregateSpec, s: SerializedAggregate, plain: (spec: AggregateSpec) => AggregateState): OrderedAggregateState {
    const state = new OrderedAggregateState(spec, plain);
    state.init(s.groupCount);
    const groups = arrayAt(s, 0, Int32Array, 0);
    const n = groups.length;
    let at = 1;
    const cols: FlatVector[] = state.types.map((type) => {
      const validity = arrayAt(s, at++, Uint8Array, n).subarray(0, n);
      let data: ColumnData;
      if (Array.isArray(allocData(type, 0))) {
        data = decodeStrings(arrayAt(s, at, Uint8Array, 0), arrayAt(s, at + 1, Int32Array, n), n);
        at += 2;
      } else {
        const a = s.arrays[at++];
        if (a === undefined || a instanceof Uint32Array || a.length < n) throw internalError(`serialized ${s.fn} ORDER BY state: column data ${at - 1} is missing or of the wrong kind`);
        data = a.subarray(0, n);
      }
      return { kind: 'flat', type, length: n, data, validity: validity.indexOf(0) < 0 ? null : validity };
    });
    for (let i = 0; i < n; i++) {
      if (groups[i]! < 0 || groups[i]! >= s.groupCount) throw internalError(`serialized ${s.fn} ORDER BY state: row ${i} is in group ${groups[i]}, past ${s.groupCount} groups`);
    }
    state.appendRows(cols, groups, null, n);
    return state;
  }

  /** Buffers `count` dense rows of `cols` in groups `groups[k]` (mapped through `map`). */
  private appendRows(cols: readonly FlatVector[], groups: Int32Array, map: Int32Array | null, count: number): void {
    const start = this.rows.rowCount;
    const need = start + count;
    if (need > this.groups.length) this.groups = growI32(this.groups, grownCapacity(this.groups.length, need));
    const dst = this.groups;
    if (map === null) dst.set(groups.subarray(0, count), start);
    else for (let k = 0; k < count; k++) dst[start + k] = map[groups[k]!]!;
    this.rows.appendColumns(cols, count);
  }
}

function emptyColumn(type: LogicalType): FlatVector {
  return { kind: 'flat', type, length: 0, data: allocData(type, 0), validity: null };
}
