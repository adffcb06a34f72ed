// The aggregate function registry: which state class computes each AggregateSpec, and how a
// serialized partial state comes back. DISTINCT wraps the plain state (distinct.ts), except for
// MIN, MAX and ANY_VALUE, where duplicates cannot change the result.

import { internalError } from '../../common/errors.js';
import type { AggregateSpec } from '../plan.js';
import { AnyValueState } from './any-value.js';
import { AvgState } from './avg.js';
import { CountState } from './count.js';
import { DistinctState } from './distinct.js';
import { MinMaxState } from './min-max.js';
import type { AggregateState, SerializedAggregate } from './state.js';
import { SumState } from './sum.js';

function needsDistinctSet(spec: AggregateSpec): boolean {
  return spec.distinct && (spec.fn === 'count' || spec.fn === 'sum' || spec.fn === 'avg');
}

function createPlain(spec: AggregateSpec): AggregateState {
  switch (spec.fn) {
    case 'count_star':
    case 'count':
      return new CountState(spec);
    case 'sum':
      return new SumState(spec);
    case 'avg':
      return new AvgState(spec);
    case 'min':
    case 'max':
      return new MinMaxState(spec);
    case 'any_value':
      return new AnyValueState(spec);
  }
}

/** A fresh state (no groups yet) for one aggregate of an AggregateNode. */
export function createAggregateState(spec: AggregateSpec): AggregateState {
  const expected = spec.fn === 'count_star' ? 0 : 1;
  if (spec.args.length !== expected || spec.argTypes.length !== expected) {
    throw internalError(`${spec.fn} takes ${expected} argument(s), the plan gives ${spec.args.length}`);
  }
  return needsDistinctSet(spec) ? new DistinctState(spec, createPlain) : createPlain(spec);
}

/** Rebuilds a state from serialize()'s arrays; `spec` must be the one it was made with. */
export function deserializeAggregateState(spec: AggregateSpec, s: SerializedAggregate): AggregateState {
  if (s.fn !== spec.fn || s.distinct !== needsDistinctSet(spec)) {
    throw internalError(`a serialized ${s.fn}${s.distinct ? ' DISTINCT' : ''} state does not match ${spec.fn}${spec.distinct ? ' DISTINCT' : ''}`);
  }
  if (needsDistinctSet(spec)) return DistinctState.deserialize(spec, s, createPlain);
  switch (spec.fn) {
    case 'count_star':
    case 'count':
      return CountState.deserialize(spec, s);
    case 'sum':
      return SumState.deserialize(spec, s);
    case 'avg':
      return AvgState.deserialize(spec, s);
    case 'min':
    case 'max':
      return MinMaxState.deserialize(spec, s);
    case 'any_value':
      return AnyValueState.deserialize(spec, s);
  }
}
