// Materialized rows: the build side of joins, the input of a sort, and helpers to gather rows
// out of them. A RowCollection takes batches of any vector kinds (with or without selection),
// keeps them as flat parts, and `finish` concatenates each column into one flat vector
// (BIGINT/DECIMAL become BigInt64Array if any part is, written word by word, never through a
// BigInt per value). Gathers copy BigInt64Array data through Int32Array word views for the same
// reason.

import type { Batch } from '../../common/batch.js';
import { type LogicalType, TypeId } from '../../common/types.js';
import type { ColumnData, FlatVector, Vector } from '../../common/vector.js';
import { allocData, flatten, gather, gatherAny, runIndexes, vectorBytes } from '../../common/vector.js';
import type { MemoryTracker, Reservation } from '../memory.js';
import { type BatchStream, type ExecContext, pace } from '../context.js';
import { notSupported } from '../../common/errors.js';
import { HI_WORD, LO_WORD, TWO32, wordsOf } from './int64-limbs.js';

export class RowCollection {
  readonly types: readonly LogicalType[];
  private parts: FlatVector[][];
  private rows = 0;
  /** The query's count of the bytes held here (exec/memory.ts), if it keeps one. */
  private readonly memory: Reservation | null;

  constructor(types: readonly LogicalType[], what: string, memory?: MemoryTracker) {
    this.memory = memory?.reservation(`the rows held for ${what}`) ?? null;
    for (const t of types) {
      if (t.id === TypeId.INTERVAL) {
        throw notSupported(`INTERVAL columns cannot pass through ${what} yet; cast them to VARCHAR or compute them after it`);
      }
    }
    this.types = types;
    this.parts = types.map(() => []);
  }

  get rowCount(): number {
    return this.rows;
  }

  /** Adds the batch's selected rows. Flat vectors without a selection are kept, not copied. */
  append(batch: Batch): void {
    const n = batch.count;
    if (n === 0) return;
    const sel = batch.selection;
    let bytes = 0;
    for (let c = 0; c < this.parts.length; c++) {
      const v = batch.columns[c]!;
      let f: FlatVector;
      if (sel === null) f = flatten(v);
      else if (v.kind === 'flat') f = gatherFlat(v, sel, n, v.type);
      else f = flatten(gatherAny(v, sel, n));
      this.parts[c]!.push(f);
      bytes += vectorBytes(f);
    }
    this.rows += n;
    this.memory?.add(bytes);
  }

  /** Appends every batch of an input, giving the event loop its turns (context.ts pace). */
  async appendAll(input: BatchStream, ctx: ExecContext): Promise<void> {
    for await (const b of input) {
      await pace(ctx);
      this.append(b);
    }
  }

  /** Stops counting the rows held here (the operator is done with them). */
  release(): void {
    this.memory?.release();
  }

  /** Adds `count` rows given as flat columns. */
  appendColumns(cols: readonly FlatVector[], count: number): void {
    if (count === 0) return;
    for (let c = 0; c < this.parts.length; c++) this.parts[c]!.push(cols[c]!);
    this.rows += count;
    this.memory?.add(cols.reduce((n, c) => n + vectorBytes(c), 0));
  }

  /** One flat vector per column holding every row appended, typed as `types`. */
  finish(): FlatVector[] {
    return this.parts.map((p, c) => concatColumn(this.types[c]!, p, this.rows));
  }
}

function concatColumn(type: LogicalType, parts: FlatVector[], n: number): FlatVector {
  if (parts.length === 1 && parts[0]!.length === n) return retypeFlat(parts[0]!, type);
  let wide = false;
  let anyNull = false;
  for (const p of parts) {
    if (p.data instanceof BigInt64Array) wide = true;
    if (p.validity !== null) anyNull = true;
  }
  if (type.id === TypeId.NULL) {
    return { kind: 'flat', type, length: n, data: new Float64Array(n), validity: new Uint8Array(n) };
  }
  const data = allocData(type, n, wide);
  const validity = anyNull ? new Uint8Array(n).fill(1) : null;
  let off = 0;
  for (const p of parts) {
    copyInto(p.data, data, off, p.length);
    if (validity !== null && p.validity !== null) validity.set(p.validity, off);
    off += p.length;
  }
  return { kind: 'flat', type, length: n, data, validity };
}

/** dst[off + i] = src[i] for i < len, converting safe doubles into BigInt64Array by words. */
function copyInto(src: ColumnData, dst: ColumnData, off: number, len: number): void {
  if (Array.isArray(dst)) {
    const s = src as string[];
    for (let i = 0; i < len; i++) dst[off + i] = s[i]!;
  } else if (dst instanceof BigInt64Array && !(src instanceof BigInt64Array)) {
    const words = wordsOf(dst);
    const s = src as Float64Array | Int32Array;
    for (let i = 0; i < len; i++) {
      const x = s[i]!;
      const h = Math.floor(x / TWO32);
      words[2 * (off + i) + HI_WORD] = h;
      words[2 * (off + i) + LO_WORD] = x - h * TWO32;
    }
  } else if (dst instanceof BigInt64Array) {
    dst.set(src as BigInt64Array, off);
  } else {
    (dst as Float64Array).set(src as Float64Array, off);
  }
}

/**
 * out[k] = col[idx[k]] for k < count, where idx[k] < 0 gives NULL. The result is flat, dense
 * and typed `type`.
 */
export function gatherFlat(col: FlatVector, idx: Int32Array, count: number, type: LogicalType): FlatVector {
  const src = col.data;
  const sv = col.validity;
  let hasMissing = false;
  for (let k = 0; k < count; k++) {
    if (idx[k]! < 0) {
      hasMissing = true;
      break;
    }
  }
  if (!hasMissing && !(src instanceof BigInt64Array)) {
    const g = gather(col, idx, count);
    return g.type === type ? g : { ...g, type };
  }
  let data: ColumnData;
  if (Array.isArray(src)) {
    const out = new Array<string>(count);
    for (let k = 0; k < count; k++) {
      const j = idx[k]!;
      out[k] = j < 0 ? '' : src[j]!;
    }
    data = out;
  } else if (src instanceof BigInt64Array) {
    const out = new BigInt64Array(count);
    const sw = wordsOf(src);
    const dw = wordsOf(out);
    for (let k = 0; k < count; k++) {
      const j = idx[k]!;
      if (j < 0) continue;
      dw[2 * k] = sw[2 * j]!;
      dw[2 * k + 1] = sw[2 * j + 1]!;
    }
    data = out;
  } else {
    const out = new (src.constructor as { new (n: number): Float64Array | Int32Array | Uint8Array })(count);
    for (let k = 0; k < count; k++) {
      const j = idx[k]!;
      if (j >= 0) out[k] = src[j]!;
    }
    data = out;
  }
  let validity: Uint8Array | null = null;
  if (sv !== null || hasMissing) {
    validity = new Uint8Array(count);
    let nulls = 0;
    for (let k = 0; k < count; k++) {
      const j = idx[k]!;
      const b = j < 0 ? 0 : sv === null ? 1 : sv[j]!;
      validity[k] = b;
      nulls += b ^ 1;
    }
    if (nulls === 0) validity = null;
  }
  return { kind: 'flat', type, length: count, data, validity };
}

/**
 * Gathers rows of any vector kind (idx >= 0): dictionary vectors stay dictionary vectors (only
 * codes are gathered), constants stay constant, flat data is copied by gatherFlat.
 */
export function gatherVector(v: Vector, idx: Int32Array, count: number, type: LogicalType): Vector {
  switch (v.kind) {
    case 'flat':
      return gatherFlat(v, idx, count, type);
    case 'constant':
      return { ...v, type, length: count };
    case 'dictionary':
      return withType(gatherAny(v, idx, count), type);
    case 'rle':
      return gatherFlat(v.values, runIndexes(v, idx, count), count, type);
  }
}

/** Rows [start, end) of a flat vector; typed arrays are shared (subarray), not copied. */
export function sliceFlat(v: FlatVector, start: number, end: number, type: LogicalType): FlatVector {
  if (start === 0 && end === v.length) return retypeFlat(v, type);
  const d = v.data;
  const data: ColumnData = Array.isArray(d) ? d.slice(start, end) : d.subarray(start, end);
  return { kind: 'flat', type, length: end - start, data, validity: v.validity === null ? null : v.validity.subarray(start, end) };
}

function retypeFlat(v: FlatVector, type: LogicalType): FlatVector {
  return v.type === type ? v : { ...v, type };
}

/** The same vector labelled with `type` (output vectors MUST carry the node's types). */
export function withType(v: Vector, type: LogicalType): Vector {
  if (v.type === type) return v;
  switch (v.kind) {
    case 'flat':
    case 'constant':
      return { ...v, type };
    case 'dictionary':
      return { ...v, type, dictionary: retypeFlat(v.dictionary, type) };
    case 'rle':
      return { ...v, type, values: retypeFlat(v.values, type) };
  }
}
