// The aggregate function registry: which state class computes each AggregateSpec, and how a
// serialized partial state comes back. DISTINCT wraps the plain state (distinct.ts), except for
// MIN, MAX and ANY_VALUE, where duplicates cannot change the result.
// DISTINCT is honoured for count, sum and avg (a distinct set) and for min, max, any_value,
// bool_and, bool_or and approx_count_distinct (duplicates cannot change them); the binder
// rejects it for the others. ORDER BY inside the call wraps the plain state too (ordered.ts);
// the binder keeps it only for aggregates that take no DISTINCT set.

import { internalError } from '../../common/errors.js';
import type { AggregateSpec } from '../plan.js';
import { AnyValueState } from './any-value.js';
import { ApproxCountDistinctState } from './approx-count-distinct.js';
import { ArgMinMaxState } from './arg-min-max.js';
import { AvgState } from './avg.js';
import { BoolAndOrState } from './bool-and-or.js';
import { CountState } from './count.js';
import { DistinctState } from './distinct.js';
import { MinMaxState } from './min-max.js';
import { OrderedAggregateState } from './ordered.js';
import { QuantileState } from './quantile.js';
import type { AggregateState, SerializedAggregate } from './state.js';
import { StringAggState } from './string-agg.js';
import { SumState } from './sum.js';
import { VarianceState } from './variance.js';

function needsDistinctSet(spec: AggregateSpec): boolean {
  return spec.distinct && (spec.fn === 'count' || spec.fn === 'sum' || spec.fn === 'avg');
}

function isOrdered(spec: AggregateSpec): boolean {
  if (spec.orderBy === undefined || spec.orderBy.length === 0) return false;
  if (needsDistinctSet(spec)) throw internalError(`${spec.fn}(DISTINCT ... ORDER BY ...) needs no order: the binder drops it`);
  return true;
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
    case 'stddev_samp':
    case 'stddev_pop':
    case 'var_samp':
    case 'var_pop':
      return new VarianceState(spec);
    case 'bool_and':
    case 'bool_or':
      return new BoolAndOrState(spec);
    case 'arg_min':
    case 'arg_max':
      return new ArgMinMaxState(spec);
    case 'string_agg':
      return new StringAggState(spec);
    case 'quantile_cont':
    case 'quantile_disc':
      return new QuantileState(spec);
    case 'approx_count_distinct':
      return new ApproxCountDistinctState(spec);
  }
}

/** How many argument columns each aggregate takes. */
export function aggregateArity(fn: AggregateSpec['fn']): number {
  switch (fn) {
    case 'count_star':
      return 0;
    case 'arg_min':
    case 'arg_max':
    case 'string_agg':
    case 'quantile_cont':
    case 'quantile_disc':
      return 2;
    default:
      return 1;
  }
}

/** A fresh state (no groups yet) for one aggregate of an AggregateNode. */
export function createAggregateState(spec: AggregateSpec): AggregateState {
  const expected = aggregateArity(spec.fn);
  if (spec.args.length !== expected || spec.argTypes.length !== expected) {
    throw internalError(`${spec.fn} takes ${expected} argument(s), the plan gives ${spec.args.length}`);
  }
  if (isOrdered(spec)) return new OrderedAggregateState(spec, createPlain);
  return needsDistinctSet(spec) ? new DistinctState(spec, createPlain) : createPlain(spec);
}

/** Rebuilds a state from serialize()'s arrays; `spec` must be the one it was made with. */
export function deserializeAggregateState(spec: AggregateSpec, s: SerializedAggregate): AggregateState {
  if (s.fn !== spec.fn || s.distinct !== needsDistinctSet(spec)) {
    throw internalError(`a serialized ${s.fn}${s.distinct ? ' DISTINCT' : ''} state does not match ${spec.fn}${spec.distinct ? ' DISTINCT' : ''}`);
  }
  if (isOrdered(spec)) return OrderedAggregateState.deserialize(spec, s, createPlain);
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
    case 'stddev_samp':
    case 'stddev_pop':
    case 'var_samp':
    case 'var_pop':
      return VarianceState.deserialize(spec, s);
    case 'bool_and':
    case 'bool_or':
      return BoolAndOrState.deserialize(spec, s);
    case 'arg_min':
    case 'arg_max':
      return ArgMinMaxState.deserialize(spec, s);
    case 'string_agg':
      return StringAggState.deserialize(spec, s);
    case 'quantile_cont':
    case 'quantile_disc':
      return QuantileState.deserialize(spec, s);
    case 'approx_count_distinct':
      return ApproxCountDistinctState.deserialize(spec, s);
  }
}
