// The columns of a bulk load's batches as sort-batches.ts and merge-runs.ts move them: per
// input batch one piece, flat or a VARCHAR column's dictionary vector; and the sorted column
// handed out per output chunk. Pieces of several parsing threads have dictionaries of their
// own, so a sorted dictionary column is recoded into one dictionary over all of them.

import type { LogicalType } from '../../common/types.js';
import type { DictionaryVector, FlatVector } from '../../common/vector.js';

/** A column of one input batch: flat, or a VARCHAR column's dictionary vector (kept so). */
export type Piece = FlatVector | DictionaryVector;

/** A sorted column, handed out as the vector of rows [start, end) of output chunk `chunk`. */
export type SortedColumn = (chunk: number, start: number, end: number) => Piece;

/** One dictionary holding every piece's values once, and per piece dictionary its codes in it. */
export interface UnionDictionary {
  readonly dictionary: FlatVector;
  readonly remaps: Map<FlatVector, Int32Array>;
}

export function unionDictionary(type: LogicalType, pieces: readonly DictionaryVector[]): UnionDictionary {
  const codeOf = new Map<string, number>();
  const values: string[] = [];
  const remaps = new Map<FlatVector, Int32Array>();
  for (const p of pieces) {
    if (remaps.has(p.dictionary)) continue;
    const words = p.dictionary.data as string[];
    const remap = new Int32Array(words.length);
    for (let k = 0; k < words.length; k++) {
      let code = codeOf.get(words[k]!);
      if (code === undefined) {
        code = values.length;
        codeOf.set(words[k]!, code);
        values.push(words[k]!);
      }
      remap[k] = code;
    }
    remaps.set(p.dictionary, remap);
  }
  return { dictionary: { kind: 'flat', type, length: values.length, data: values, validity: null }, remaps };
}

/** Whether the remap leaves every code as it is (the first dictionary's, usually). */
export function isIdentity(remap: Int32Array): boolean {
  for (let k = 0; k < remap.length; k++) if (remap[k] !== k) return false;
  return true;
}
