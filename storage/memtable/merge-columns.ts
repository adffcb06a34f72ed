// Moves each column of merged runs (merge-runs.ts) to its output chunks along a CopyPlan: one
// typed-array copy per planned copy, or a loop for short ones (a copy through subarray() costs
// an object; runs that interleave row by row make copies of a row or two). Each column keeps
// one representation throughout, as sort-batches.ts's scatter does: BIGINT/DECIMAL become
// BigInt64Array when any piece holds them so, and dictionary pieces are recoded into one
// dictionary (column-pieces.ts).

import { type LogicalType, TypeId } from '../../common/types.js';
import { type ColumnData, type DictionaryVector, flatten, type NumericArray } from '../../common/vector.js';
import { isIdentity, type Piece, type SortedColumn, unionDictionary } from './column-pieces.js';
import type { CopyPlan } from './merge-runs.js';

/** Copies this short or shorter go row by row. */
const SHORT_COPY = 32;

/** The column (pieces in input order) in merged order. */
export function mergeColumn(type: LogicalType, given: readonly Piece[], plan: CopyPlan): SortedColumn {
  if (given.every((p) => p.kind === 'dictionary')) return mergeCodes(type, given as DictionaryVector[], plan);
  const pieces = given.map(flatten);
  let validity: Uint8Array[] | null = null;
  if (pieces.some((p) => p.validity !== null)) {
    const out = plan.chunkRows.map((rows) => new Uint8Array(rows));
    const fill = (k: number, out: Uint8Array): void => {
      out.fill(1, plan.to[k]!, plan.to[k]! + plan.rows[k]!);
    };
    moveEach(plan, pieces.map((p) => p.validity), out, fill);
    validity = out;
  }
  let chunks: ColumnData[];
  if (type.id === TypeId.VARCHAR) {
    chunks = plan.chunkRows.map((rows) => new Array<string>(rows));
    moveEach(plan, pieces.map((p) => p.data), chunks as unknown as NumericArray[]);
  } else if (pieces.some((p) => p.data instanceof BigInt64Array)) {
    const out = plan.chunkRows.map((rows) => new BigInt64Array(rows));
    // Float64 BIGINT/DECIMAL values are integers within 2^53 (the representation invariant), so BigInt is exact.
    const widen = (k: number, into: BigInt64Array): void => {
      const src = pieces[plan.piece[k]!]!.data as Float64Array;
      const from = plan.from[k]!;
      const to = plan.to[k]!;
      for (let j = 0; j < plan.rows[k]!; j++) into[to + j] = BigInt(src[from + j]!);
    };
    moveEach(plan, pieces.map((p) => (p.data instanceof BigInt64Array ? p.data : null)), out, widen);
    chunks = out;
  } else {
    const first = pieces[0]!.data as NumericArray;
    const make = first.constructor as new (rows: number) => NumericArray;
    const out = plan.chunkRows.map((rows) => new make(rows));
    moveEach(plan, pieces.map((p) => p.data as NumericArray), out);
    chunks = out;
  }
  const validityOf = (chunk: number): Uint8Array | null => (validity === null ? null : validity[chunk]!);
  return (chunk, start, end) => ({ kind: 'flat', type, length: end - start, data: chunks[chunk]!, validity: validityOf(chunk) });
}

/**
 * Every planned copy from its piece's array to its chunk's; a piece without an array (null)
 * is written by `instead` (validity that is all 1s, numbers widened to bigints).
 */
function moveEach<A extends NumericArray | BigInt64Array | string[]>(
  plan: CopyPlan,
  sources: readonly (A | null)[],
  out: A[],
  instead?: (k: number, into: A) => void,
): void {
  for (let k = 0; k < plan.count; k++) {
    const src = sources[plan.piece[k]!]!;
    const into = out[plan.chunk[k]!]!;
    if (src === null) {
      instead!(k, into);
      continue;
    }
    const from = plan.from[k]!;
    const to = plan.to[k]!;
    const rows = plan.rows[k]!;
    if (rows > SHORT_COPY && !Array.isArray(src)) (into as NumericArray).set((src as NumericArray).subarray(from, from + rows), to);
    else for (let j = 0; j < rows; j++) into[to + j] = src[from + j]!;
  }
}

/** mergeColumn for dictionary pieces: their codes, recoded into one dictionary. */
function mergeCodes(type: LogicalType, pieces: readonly DictionaryVector[], plan: CopyPlan): SortedColumn {
  const { dictionary, remaps } = unionDictionary(type, pieces);
  const identity = new Map<Int32Array, boolean>();
  const recode = pieces.map((p): Int32Array | null => {
    const remap = remaps.get(p.dictionary)!;
    if (!identity.has(remap)) identity.set(remap, isIdentity(remap));
    return identity.get(remap) === true ? null : remap;
  });
  const chunks = plan.chunkRows.map((rows) => new Int32Array(rows));
  for (let k = 0; k < plan.count; k++) {
    const p = plan.piece[k]!;
    const src = pieces[p]!.codes;
    const into = chunks[plan.chunk[k]!]!;
    const from = plan.from[k]!;
    const to = plan.to[k]!;
    const rows = plan.rows[k]!;
    const remap = recode[p] ?? null;
    if (remap !== null) for (let j = 0; j < rows; j++) into[to + j] = remap[src[from + j]!]!;
    else if (rows > SHORT_COPY) into.set(src.subarray(from, from + rows), to);
    else for (let j = 0; j < rows; j++) into[to + j] = src[from + j]!;
  }
  return (chunk, start, end) => ({ kind: 'dictionary', type, length: end - start, codes: chunks[chunk]!, dictionary });
}
