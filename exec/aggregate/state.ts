// The aggregate state contract shared by every aggregate function: one state object holds the
// running values of ALL groups of one aggregate (columns of per-group values in typed arrays),
// so an update is one loop over a batch, never an object per group or per row.
//
// Life cycle: create (registry.ts) -> init(groupCount) whenever groups are added -> update per
// batch -> [merge partial states from other workers / shards] -> finalize into one vector.
// serialize() turns a state into plain typed arrays (for worker threads and cluster transport);
// the registry's deserializeAggregateState turns them back into a state that can merge.

import type { FlatVector } from '../../common/vector.js';
import { internalError } from '../../common/errors.js';
import type { AggregateFn, AggregateSpec } from '../plan.js';

export type StateArray = Float64Array | Int32Array | Uint8Array | Uint32Array | BigInt64Array;

export interface SerializedAggregate {
  fn: AggregateFn;
  distinct: boolean;
  groupCount: number;
  arrays: StateArray[];
}

export interface AggregateState {
  readonly spec: AggregateSpec;
  /** Groups that have a state. */
  readonly groupCount: number;
  /** Adds empty states for groups [this.groupCount, groupCount); never shrinks. */
  init(groupCount: number): void;
  /**
   * Folds `count` rows in: row k reads row `rows[k]` (or k when rows is null) of `arg` and
   * belongs to group `groups[k]` (< groupCount). `arg` is null for count_star. Rows already
   * passed the aggregate's FILTER; NULL arguments are skipped here (except by count_star).
   * `more` holds the argument columns after the first, for aggregates of several arguments
   * (string_agg's separator, quantile's fraction, arg_min's value), read at the same rows.
   */
  update(arg: FlatVector | null, rows: Int32Array | null, groups: Int32Array, count: number, more?: readonly FlatVector[]): void;
  /**
   * Optional: folds a run-length column in as its runs, all rows in group `group` — run r holds
   * values[r] for rows [runEnds[r - 1], runEnds[r]) — without expanding it to rows. States
   * without it get the rows flattened.
   */
  updateRuns?(values: FlatVector, runEnds: Int32Array, group: number): void;
  /**
   * Folds another state of the same spec in: its group g goes to group map[g] of this state
   * (or g when map is null). The caller has init()ed this state for those groups.
   */
  merge(other: AggregateState, map: Int32Array | null): void;
  /** One value per group, of type spec.type. */
  finalize(): FlatVector;
  serialize(): SerializedAggregate;
}

/** Capacity for n groups, doubling from the current one so repeated init() is amortized O(1). */
export function grownCapacity(current: number, n: number): number {
  let cap = Math.max(current, 16);
  while (cap < n) cap *= 2;
  return cap;
}

export function growF64(a: Float64Array<ArrayBuffer>, cap: number): Float64Array<ArrayBuffer> {
  if (a.length >= cap) return a;
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}
export function growI32(a: Int32Array<ArrayBuffer>, cap: number): Int32Array<ArrayBuffer> {
  if (a.length >= cap) return a;
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}
export function growU8(a: Uint8Array<ArrayBuffer>, cap: number): Uint8Array<ArrayBuffer> {
  if (a.length >= cap) return a;
  const b = new Uint8Array(cap);
  b.set(a);
  return b;
}
export function growStrings(a: string[], cap: number): string[] {
  if (a.length >= cap) return a;
  const b = new Array<string>(cap).fill('');
  for (let i = 0; i < a.length; i++) b[i] = a[i]!;
  return b;
}

/** The state another partial state must be, to merge into `self`. */
export function sameState<S>(self: S, other: unknown, what: string): S {
  if (other === null || typeof other !== 'object' || other.constructor !== (self as object).constructor) {
    throw internalError(`cannot merge a different aggregate state into ${what}`);
  }
  return other as S;
}

/** The target group of other's group g in a merge. */
export function mapGroup(map: Int32Array | null, g: number): number {
  return map === null ? g : map[g]!;
}

/** Reads serialized array i, checking its kind (the arrays may come from another process). */
export function arrayAt<A extends StateArray>(
  s: SerializedAggregate,
  i: number,
  ctor: { new (n: number): A; readonly name: string },
  minLength: number,
): A {
  const a = s.arrays[i];
  if (!(a instanceof ctor) || a.length < minLength) {
    throw internalError(`serialized ${s.fn} state: array ${i} should be a ${ctor.name} of at least ${minLength} values`);
  }
  return a;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Strings as UTF-8 bytes plus Int32 end offsets (the shape dictionaries cross threads in). */
export function encodeStrings(values: readonly string[], n: number): [Uint8Array, Int32Array] {
  const ends = new Int32Array(n);
  let bytes = new Uint8Array(Math.max(16, n * 4));
  let off = 0;
  for (let i = 0; i < n; i++) {
    const s = values[i]!;
    // A UTF-16 code unit takes at most 3 UTF-8 bytes.
    if (off + s.length * 3 > bytes.length) {
      const grown = new Uint8Array(Math.max(bytes.length * 2, off + s.length * 3));
      grown.set(bytes.subarray(0, off));
      bytes = grown;
    }
    off += encoder.encodeInto(s, bytes.subarray(off)).written;
    ends[i] = off;
  }
  return [bytes.slice(0, off), ends];
}

export function decodeStrings(bytes: Uint8Array, ends: Int32Array, n: number): string[] {
  const out = new Array<string>(n);
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = ends[i]!;
    out[i] = decoder.decode(bytes.subarray(start, end));
    start = end;
  }
  return out;
}
