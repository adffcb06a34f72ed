// STRING_AGG(x, sep): the group's non-NULL values of x joined by sep, in the order the rows
// arrive (without ORDER BY inside the call that is the input order, which a parallel plan does
// not fix; with it, ordered.ts sorts each group's rows before they reach this state). The separator is read per row and
// goes before every value but the group's first (PostgreSQL's rule; a NULL separator adds
// nothing). A group with no non-NULL value is NULL. Per group one accumulated string in a
// string[] plus a Uint8Array flag; merging appends the other state's text after a separator.

import type { FlatVector } from '../../common/vector.js';
import { internalError } from '../../common/errors.js';
import { TypeId } from '../../common/types.js';
import type { AggregateSpec } from '../plan.js';
import {
  type AggregateState,
  arrayAt,
  decodeStrings,
  encodeStrings,
  grownCapacity,
  growStrings,
  growU8,
  mapGroup,
  sameState,
  type SerializedAggregate,
} from './state.js';

export class StringAggState implements AggregateState {
  readonly spec: AggregateSpec;
  groupCount = 0;
  private capacity = 0;
  private has = new Uint8Array(0);
  private text: string[] = [];
  /** The separator seen last, used to join partial states in merge(). */
  private lastSep = '';

  constructor(spec: AggregateSpec) {
    if (spec.fn !== 'string_agg' || spec.args.length !== 2) throw internalError(`StringAggState cannot compute ${spec.fn} of ${spec.args.length} arguments`);
    this.spec = spec;
  }

  init(groupCount: number): void {
    if (groupCount > this.capacity) {
      this.capacity = grownCapacity(this.capacity, groupCount);
      this.has = growU8(this.has, this.capacity);
      this.text = growStrings(this.text, this.capacity);
    }
    if (groupCount > this.groupCount) this.groupCount = groupCount;
  }

  update(arg: FlatVector | null, rows: Int32Array | null, groups: Int32Array, count: number, more?: readonly FlatVector[]): void {
    const sep = more?.[0];
    if (arg === null || sep === undefined) throw internalError('string_agg needs two argument columns');
    if (arg.type.id === TypeId.NULL) return;
    const d = arg.data as string[];
    const valid = arg.validity;
    const seps = sep.type.id === TypeId.NULL ? null : (sep.data as string[]);
    const sepValid = sep.validity;
    const has = this.has;
    const text = this.text;
    for (let k = 0; k < count; k++) {
      const i = rows === null ? k : rows[k]!;
      if (valid !== null && valid[i] === 0) continue;
      const g = groups[k]!;
      const s = seps === null || (sepValid !== null && sepValid[i] === 0) ? '' : seps[i]!;
      this.lastSep = s;
      if (has[g] === 0) {
        has[g] = 1;
        text[g] = d[i]!;
      } else text[g] += s + d[i]!;
    }
  }

  merge(other: AggregateState, map: Int32Array | null): void {
    const o = sameState(this, other, 'string_agg');
    const sep = o.lastSep !== '' ? o.lastSep : this.lastSep;
    for (let g = 0; g < o.groupCount; g++) {
      if (o.has[g] === 0) continue;
      const t = mapGroup(map, g);
      if (this.has[t] === 0) {
        this.has[t] = 1;
        this.text[t] = o.text[g]!;
      } else this.text[t] += sep + o.text[g]!;
    }
    if (this.lastSep === '') this.lastSep = o.lastSep;
  }

  finalize(): FlatVector {
    const n = this.groupCount;
    let validity: Uint8Array | null = this.has.slice(0, n);
    if (validity.indexOf(0) < 0) validity = null;
    return { kind: 'flat', type: this.spec.type, length: n, data: this.text.slice(0, n), validity };
  }

  serialize(): SerializedAggregate {
    const n = this.groupCount;
    const [sepBytes, sepEnds] = encodeStrings([this.lastSep], 1);
    return { fn: 'string_agg', distinct: false, groupCount: n, arrays: [this.has.slice(0, n), ...encodeStrings(this.text, n), sepBytes, sepEnds] };
  }

  static deserialize(spec: AggregateSpec, s: SerializedAggregate): StringAggState {
    const state = new StringAggState(spec);
    const n = s.groupCount;
    state.init(n);
    state.has.set(arrayAt(s, 0, Uint8Array, n).subarray(0, n));
    const text = decodeStrings(arrayAt(s, 1, Uint8Array, 0), arrayAt(s, 2, Int32Array, n), n);
    for (let g = 0; g < n; g++) state.text[g] = text[g]!;
    state.lastSep = decodeStrings(arrayAt(s, 3, Uint8Array, 0), arrayAt(s, 4, Int32Array, 1), 1)[0]!;
    return state;
  }
}
