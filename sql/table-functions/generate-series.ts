// generate_series(start, stop[, step]) and range(start, stop[, step]) as in DuckDB: integers
// (BIGINT, step 1 by default; one argument means 0..stop) or DATE/TIMESTAMP with an INTERVAL step
// (the result is TIMESTAMP, as DuckDB's). generate_series includes stop, range excludes it. A
// step of 0 (or an interval that does not move) is an error. Rows are produced batch by batch:
// a long series is never held whole. Integer series are limited to |value| <= 2^53 (BIGINT values
// travel as doubles); timestamps step by repeated addition, so a month step from Jan 31 clamps to
// Feb 29 and continues from there, as DuckDB does.

import { BATCH_SIZE, makeBatch } from '../../common/batch.js';
import { binderError, notSupported } from '../../common/errors.js';
import { MICROS_PER_DAY } from '../../common/text-values.js';
import { T, TypeId, typeToString } from '../../common/types.js';
import type { Interval } from '../../common/vector.js';
import { addMonths, daysOfMicros } from '../../exec/expression/helpers.js';
import type { Pos } from '../ast.js';
import type { TableFunction, TableFunctionArgument } from './table-function.js';

const SAFE = Number.MAX_SAFE_INTEGER;
/** A guess for join ordering when the series length cannot be computed cheaply. */
const TIMESTAMP_ESTIMATE = 1000;

function makeSeries(name: 'generate_series' | 'range', inclusive: boolean): TableFunction {
  const usage = `${name}(start, stop[, step]) over integers, or ${name}(DATE|TIMESTAMP start, stop, INTERVAL step)`;
  const fail = (msg: string, pos: Pos) => binderError(`${name}: ${msg}; call it as ${usage}`, pos);

  return {
    name,
    usage,
    bind(args, named, _catalog, pos) {
      const extra = Object.values(named)[0];
      if (extra !== undefined) throw fail('takes no named arguments', extra.pos);
      if (args.length < 1 || args.length > 3) throw fail(`takes 1 to 3 arguments, not ${args.length}`, pos);
      const columns = [{ name, type: T.BIGINT }];
      const temporal = args.some((a) => isTemporal(a.type.id));
      // A NULL argument gives no rows (DuckDB's behaviour).
      if (args.some((a) => a.value === null)) return { args: ['int', 0, 1, 0, 1], columns: temporal ? [{ name, type: T.TIMESTAMP }] : columns, estimatedRows: 0 };
      if (temporal) {
        if (args.length !== 3) throw fail('a DATE or TIMESTAMP series needs start, stop and an INTERVAL step', pos);
        const [start, stop, step] = [micros(args[0]!, fail), micros(args[1]!, fail), args[2]!];
        if (step.type.id !== TypeId.INTERVAL) throw fail(`the step of a DATE or TIMESTAMP series must be an INTERVAL, not ${typeToString(step.type)}`, step.pos);
        const iv = step.value as Interval;
        if (addInterval(start, iv) === start) throw fail('the step interval cannot be 0', step.pos);
        return { args: ['ts', start, stop, iv.months, iv.days, iv.micros], columns: [{ name, type: T.TIMESTAMP }], estimatedRows: TIMESTAMP_ESTIMATE };
      }
      const ints = args.map((a) => integer(a, fail));
      const [start, stop] = ints.length === 1 ? [0, ints[0]!] : [ints[0]!, ints[1]!];
      const step = ints[2] ?? 1;
      if (step === 0) throw fail('the step cannot be 0', args[2]!.pos);
      const count = Math.max(0, Math.floor((stop - start) / step) + 1);
      return { args: ['int', 0, start, stop, step], columns, estimatedRows: count };
    },

    async *run(args) {
      if (args[0] === 'int') yield* integers(args[2] as number, args[3] as number, args[4] as number, inclusive);
      else {
        const step: Interval = { months: args[3] as number, days: args[4] as number, micros: args[5] as number };
        yield* timestamps(args[1] as number, args[2] as number, step, inclusive);
      }
    },
  };
}

export const generateSeries = makeSeries('generate_series', true);
export const range = makeSeries('range', false);

function isTemporal(id: TypeId): boolean {
  return id === TypeId.DATE || id === TypeId.TIMESTAMP || id === TypeId.TIMESTAMPTZ;
}

function integer(a: TableFunctionArgument, fail: (msg: string, pos: Pos) => Error): number {
  const id = a.type.id;
  if (id !== TypeId.SMALLINT && id !== TypeId.INTEGER && id !== TypeId.BIGINT) {
    throw fail(`the arguments must be integers, not ${typeToString(a.type)}`, a.pos);
  }
  const v = Number(a.value as number | bigint);
  if (Math.abs(v) > SAFE) throw notSupported(`generate_series: ${String(a.value)} is beyond 2^53, the largest series value supported`);
  return v;
}

function micros(a: TableFunctionArgument, fail: (msg: string, pos: Pos) => Error): number {
  if (a.type.id === TypeId.DATE) return (a.value as number) * MICROS_PER_DAY;
  if (a.type.id === TypeId.TIMESTAMP || a.type.id === TypeId.TIMESTAMPTZ) return a.value as number;
  throw fail(`start and stop must both be DATE or TIMESTAMP, not ${typeToString(a.type)}`, a.pos);
}

function addInterval(us: number, iv: Interval): number {
  const days = daysOfMicros(us);
  const timeOfDay = us - days * MICROS_PER_DAY;
  return (addMonths(days, iv.months) + iv.days) * MICROS_PER_DAY + timeOfDay + iv.micros;
}

async function* integers(start: number, stop: number, step: number, inclusive: boolean): AsyncGenerator<ReturnType<typeof makeBatch>> {
  const total = step > 0 ? stop - start : start - stop;
  let count = Math.floor(total / Math.abs(step)) + 1;
  if (total < 0) count = 0;
  // range() excludes stop: drop the last value when it lands exactly on it.
  else if (!inclusive && total % Math.abs(step) === 0) count--;
  for (let done = 0; done < count; done += BATCH_SIZE) {
    const n = Math.min(BATCH_SIZE, count - done);
    const data = new Float64Array(n);
    const first = start + done * step;
    for (let i = 0; i < n; i++) data[i] = first + i * step;
    yield makeBatch([{ kind: 'flat', type: T.BIGINT, length: n, data, validity: null }], n);
  }
}

async function* timestamps(start: number, stop: number, step: Interval, inclusive: boolean): AsyncGenerator<ReturnType<typeof makeBatch>> {
  const up = addInterval(start, step) > start;
  const within = (v: number) => (up ? (inclusive ? v <= stop : v < stop) : inclusive ? v >= stop : v > stop);
  let cur = start;
  while (within(cur)) {
    const data = new Float64Array(BATCH_SIZE);
    let n = 0;
    while (n < BATCH_SIZE && within(cur)) {
      data[n++] = cur;
      cur = addInterval(cur, step);
    }
    yield makeBatch([{ kind: 'flat', type: T.TIMESTAMP, length: n, data: n === BATCH_SIZE ? data : data.slice(0, n), validity: null }], n);
  }
}
