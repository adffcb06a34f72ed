// Test helpers for parts: columns as plain JS values cut into batches of every shape the writer
// accepts (plain, with a selection over interleaved junk rows, as dictionary vectors, as
// constants), reading a whole scan back into JS values, and a temporary directory on disk.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Batch, makeBatch } from '../../../common/batch.js';
import type { LogicalType } from '../../../common/types.js';
import { constantVector, type FlatVector, getScalar, type Scalar, type Vector } from '../../../common/vector.js';
import { vectorOf } from '../encoding/blocks.js';

export type BatchShape = 'plain' | 'selection' | 'dictionary';

/** A column's values (null = NULL) as a vector of the given kind. */
function columnVector(type: LogicalType, values: Scalar[], dictionary: boolean): Vector {
  const flat: FlatVector = vectorOf({ type, values, asBigInt: false });
  if (!dictionary) return flat;
  // Every row its own dictionary entry, in reverse: codes the writer must resolve.
  const n = values.length;
  const reversed: FlatVector = vectorOf({ type, values: [...values].reverse(), asBigInt: false });
  const codes = Int32Array.from({ length: n }, (_, i) => n - 1 - i);
  return { kind: 'dictionary', type, length: n, codes, dictionary: reversed };
}

/** One batch holding rows [start, end) of `columns`, in the given shape. */
export function batchOf(types: readonly LogicalType[], columns: readonly Scalar[][], start: number, end: number, shape: BatchShape): Batch {
  const n = end - start;
  if (shape === 'selection') {
    // Physical row 2i + 1 holds logical row i; the even rows are junk the selection leaves out.
    const vectors = types.map((t, c) => {
      const rows = columns[c]!.slice(start, end);
      const junk = rows.length > 0 ? rows[rows.length - 1]! : null;
      const physical = rows.flatMap((v) => [junk, v]);
      return columnVector(t, physical, false);
    });
    const selection = Int32Array.from({ length: n }, (_, i) => 2 * i + 1);
    return makeBatch(vectors, 2 * n, selection);
  }
  return makeBatch(types.map((t, c) => columnVector(t, columns[c]!.slice(start, end), shape === 'dictionary')), n);
}

/** A batch of `n` rows whose every column is one constant value. */
export function constantBatch(types: readonly LogicalType[], values: readonly Scalar[], n: number): Batch {
  return makeBatch(types.map((t, c) => constantVector(t, values[c]!, n)), n);
}

/** Every row of the scan, column by column, as JS values. */
export async function collect(scan: AsyncIterable<Batch>, columnCount: number): Promise<Scalar[][]> {
  const out: Scalar[][] = Array.from({ length: columnCount }, () => []);
  for await (const b of scan) {
    for (let c = 0; c < columnCount; c++) {
      const v = b.columns[c]!;
      for (let k = 0; k < b.count; k++) out[c]!.push(getScalar(v, b.selection === null ? k : b.selection[k]!));
    }
  }
  return out;
}

/** A fresh temporary directory and a function removing it. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
