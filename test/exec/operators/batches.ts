// Test helpers for operator tests: build vectors and batches from plain JS values in every
// physical form (flat, flat behind a selection, dictionary, constant, run-length, BIGINT as
// Float64Array or BigInt64Array), split row sets into random batches, run operators and read
// their output back as rows while checking the Batch invariants.

import { BATCH_SIZE, type Batch, makeBatch } from '../../../common/batch.js';
import { type LogicalType, T, TypeId, typesEqual, typeToString } from '../../../common/types.js';
import {
  allocData,
  type FlatVector,
  getScalar,
  type Scalar,
  type Vector,
} from '../../../common/vector.js';
import type { BatchStream, ExecContext } from '../../../exec/context.js';
import type { CompiledExpr } from '../../../exec/expression/compiled.js';
import type { JoinType, PlanNode } from '../../../exec/plan.js';

export type Row = Scalar[];

export function testContext(): ExecContext {
  return {
    snapshot: () => {
      throw new Error('no tables in operator tests');
    },
    outer: [],
    signal: null,
    stats: { rowsRead: 0, bytesRead: 0 },
    codegenLog: null,
  };
}

/** A flat vector of `values` (null = NULL). BIGINT/DECIMAL: BigInt64Array when `wide`. */
export function flat(type: LogicalType, values: readonly Scalar[], wide = false): FlatVector {
  const n = values.length;
  const isWide = wide || values.some((v) => typeof v === 'bigint' && (v > 2n ** 53n || v < -(2n ** 53n)));
  const data = type.id === TypeId.NULL ? new Float64Array(n) : allocData(type, n, isWide && (type.id === TypeId.BIGINT || type.id === TypeId.DECIMAL));
  const validity = new Uint8Array(n).fill(1);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      validity[i] = 0;
      nulls++;
      continue;
    }
    if (data instanceof BigInt64Array) data[i] = BigInt(v as number | bigint);
    else if (Array.isArray(data)) data[i] = v as string;
    else data[i] = Number(v as number | bigint);
  }
  return { kind: 'flat', type, length: n, data, validity: nulls === 0 ? null : validity };
}

/** A dictionary vector: distinct values (first-seen order, plus an unused entry) and codes. */
export function dictionary(type: LogicalType, values: readonly Scalar[]): Vector {
  const entries: Scalar[] = [];
  const codes = new Int32Array(values.length);
  const index = new Map<string, number>();
  for (let i = 0; i < values.length; i++) {
    const key = canonKey(values[i]!);
    let code = index.get(key);
    if (code === undefined) {
      code = entries.length;
      index.set(key, code);
      entries.push(values[i] ?? null);
    }
    codes[i] = code;
  }
  // An entry no row uses: operators must not invent a group or row for it.
  entries.push(entries.length > 0 ? entries[0]! : null);
  return { kind: 'dictionary', type, length: values.length, codes, dictionary: flat(type, entries) };
}

/** A run-length vector of values. */
export function runLength(type: LogicalType, values: readonly Scalar[]): Vector {
  const runValues: Scalar[] = [];
  const ends: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (i > 0 && canonKey(values[i]!) === canonKey(values[i - 1]!)) ends[ends.length - 1] = i + 1;
    else {
      runValues.push(values[i] ?? null);
      ends.push(i + 1);
    }
  }
  return { kind: 'rle', type, length: values.length, values: flat(type, runValues), runEnds: Int32Array.from(ends) };
}

export type Form = 'flat' | 'wide' | 'dictionary' | 'constant' | 'rle';

/** A vector of `values` in the given physical form (falls back to flat where it cannot apply). */
export function vectorOf(type: LogicalType, values: readonly Scalar[], form: Form): Vector {
  switch (form) {
    case 'wide':
      return flat(type, values, type.id === TypeId.BIGINT || type.id === TypeId.DECIMAL);
    case 'dictionary':
      return dictionary(type, values);
    case 'constant':
      if (values.length > 0 && values.every((v) => canonKey(v) === canonKey(values[0]!))) {
        const v = values[0] ?? null;
        return { kind: 'constant', type, length: values.length, value: v };
      }
      return flat(type, values);
    case 'rle':
      return runLength(type, values);
    case 'flat':
      return flat(type, values);
  }
}

/**
 * A batch of rows. With `selection`, filler rows are interleaved and a selection vector picks
 * the real ones, so operators must honour it.
 */
export function batchOf(types: readonly LogicalType[], rows: readonly Row[], forms: readonly Form[] = [], selection = false): Batch {
  if (!selection) {
    const cols = types.map((t, c) => vectorOf(t, rows.map((r) => r[c]!), forms[c] ?? 'flat'));
    return makeBatch(cols, rows.length);
  }
  const physical: Row[] = [];
  const sel: number[] = [];
  for (const r of rows) {
    physical.push(types.map((t) => filler(t)));
    sel.push(physical.length);
    physical.push(r);
  }
  physical.push(types.map((t) => filler(t)));
  const cols = types.map((t, c) => vectorOf(t, physical.map((r) => r[c]!), forms[c] ?? 'flat'));
  return makeBatch(cols, physical.length, Int32Array.from(sel));
}

function filler(t: LogicalType): Scalar {
  switch (t.id) {
    case TypeId.VARCHAR:
      return 'FILLER';
    case TypeId.NULL:
      return null;
    case TypeId.BOOLEAN:
      return 1;
    default:
      return 999;
  }
}

export async function* streamOf(batches: readonly Batch[]): AsyncGenerator<Batch> {
  for (const b of batches) yield b;
}

/** A tiny seeded PRNG (mulberry32), for splitting and random data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Splits rows into random batches (some empty), each in a random physical form. */
export function randomBatches(types: readonly LogicalType[], rows: readonly Row[], seed: number): Batch[] {
  const r = rng(seed);
  const forms: Form[] = ['flat', 'wide', 'dictionary', 'constant', 'rle'];
  const out: Batch[] = [];
  let i = 0;
  while (i < rows.length || out.length === 0) {
    const size = r() < 0.15 ? 0 : 1 + Math.floor(r() * 7);
    const part = rows.slice(i, i + size);
    i += part.length;
    const f = types.map(() => forms[Math.floor(r() * forms.length)]!);
    out.push(batchOf(types, part, f, r() < 0.4));
    if (part.length === 0 && i >= rows.length) break;
  }
  return out;
}

/** Reads an operator's output as rows, checking the Batch invariants against `types`. */
export async function collect(stream: BatchStream, types: readonly LogicalType[]): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const b of stream) {
    checkBatch(b, types);
    for (let k = 0; k < b.count; k++) {
      const i = b.selection === null ? k : b.selection[k]!;
      rows.push(b.columns.map((v) => canon(getScalar(v, i))));
    }
  }
  return rows;
}

export function checkBatch(b: Batch, types: readonly LogicalType[]): void {
  if (b.count > BATCH_SIZE) throw new Error(`batch of ${b.count} rows is over BATCH_SIZE`);
  if (b.columns.length !== types.length) throw new Error(`batch has ${b.columns.length} columns, expected ${types.length}`);
  if (b.selection !== null && b.selection.length !== b.count) throw new Error('selection length differs from count');
  if (b.selection === null && b.count !== b.length) throw new Error('count differs from length without selection');
  b.columns.forEach((v, c) => {
    if (!typesEqual(v.type, types[c]!)) throw new Error(`column ${c} is ${typeToString(v.type)}, expected ${typeToString(types[c]!)}`);
    if (v.length !== b.length) throw new Error(`column ${c} has length ${v.length}, batch length ${b.length}`);
    if (v.kind === 'flat') checkData(v, types[c]!, c);
  });
}

function checkData(v: FlatVector, t: LogicalType, c: number): void {
  const d = v.data;
  const ok =
    t.id === TypeId.VARCHAR ? Array.isArray(d)
    : t.id === TypeId.BOOLEAN ? d instanceof Uint8Array
    : t.id === TypeId.SMALLINT || t.id === TypeId.INTEGER || t.id === TypeId.DATE ? d instanceof Int32Array
    : t.id === TypeId.BIGINT || t.id === TypeId.DECIMAL ? d instanceof Float64Array || d instanceof BigInt64Array
    : d instanceof Float64Array;
  if (!ok) throw new Error(`column ${c} (${typeToString(t)}) holds a ${d.constructor.name}`);
  if (d.length !== v.length) throw new Error(`column ${c} data length ${d.length} differs from ${v.length}`);
}

/** Values made comparable: bigints that fit in a double become numbers, others strings. */
export function canon(v: Scalar): Scalar {
  if (typeof v === 'bigint') return v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : `${v}n`;
  return v;
}

function canonKey(v: Scalar): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'bigint') return `b${canon(v) as number | string}`;
  return `${typeof v}:${Object.is(v, -0) ? '-0' : String(v)}`;
}

/** Rows as a sorted list of strings, for multiset comparison. */
export function multiset(rows: readonly Row[]): string[] {
  return rows.map((r) => r.map((v) => canonKey(canon(v))).join('|')).sort();
}

/** A hand-built compiled predicate over a batch's columns (tests only: reads values one by one). */
export function predicate(fn: (row: readonly Scalar[]) => boolean | null): CompiledExpr {
  return {
    evaluate(batch: Batch): Vector {
      const n = batch.count;
      const data = new Uint8Array(n);
      const validity = new Uint8Array(n).fill(1);
      for (let k = 0; k < n; k++) {
        const i = batch.selection === null ? k : batch.selection[k]!;
        const r = fn(batch.columns.map((v) => canon(getScalar(v, i))));
        if (r === null) validity[k] = 0;
        else data[k] = r ? 1 : 0;
      }
      return { kind: 'flat', type: T.BOOLEAN, length: n, data, validity };
    },
  };
}

/** A stand-in input node: operators read only its output types. */
export function child(types: LogicalType[]): PlanNode {
  return { op: 'empty', types, names: types.map((_, i) => `c${i}`) };
}

/** Output types of a join of left and right columns. */
export function outputTypes(joinType: JoinType, l: LogicalType[], r: LogicalType[]): LogicalType[] {
  if (joinType === 'semi' || joinType === 'anti') return [...l];
  if (joinType === 'mark') return [...l, T.BOOLEAN];
  return [...l, ...r];
}
