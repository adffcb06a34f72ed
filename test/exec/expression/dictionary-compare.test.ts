// Comparisons of a dictionary column with a constant run once per dictionary entry and keep the
// rows' codes; the result must equal the comparison over the expanded rows, NULLs included.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { T } from '../../../common/types.js';
import { constantVector, type DictionaryVector, flatten, type Vector } from '../../../common/vector.js';
import { runKernel } from '../../../exec/expression/compile.js';

const OPS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'];

describe('comparisons over dictionary vectors', () => {
  it('give the rows the comparison of their entry', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.constantFrom('', 'a', 'b', 'ab', 'zz'), { nil: null }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { minLength: 7, maxLength: 40 }),
        fc.constantFrom('', 'a', 'ab', 'c'),
        fc.constantFrom(...OPS),
        fc.boolean(),
        (entries, picks, constant, op, constantFirst) => {
          const validity = entries.includes(null) ? Uint8Array.from(entries, (e) => (e === null ? 0 : 1)) : null;
          const dictionary = { kind: 'flat' as const, type: T.VARCHAR, length: entries.length, data: entries.map((e) => e ?? ''), validity };
          const codes = Int32Array.from(picks, (p) => p % entries.length);
          const dict: DictionaryVector = { kind: 'dictionary', type: T.VARCHAR, length: codes.length, codes, dictionary };
          const c = constantVector(T.VARCHAR, constant, codes.length);
          const args = (v: Vector): Vector[] => (constantFirst ? [c, v] : [v, c]);
          const lifted = runKernel(op, args(dict), [T.VARCHAR, T.VARCHAR], T.BOOLEAN, codes.length, false, null);
          expect(lifted.kind).toBe('dictionary');
          const rowWise = runKernel(op, args(flatten(dict)), [T.VARCHAR, T.VARCHAR], T.BOOLEAN, codes.length, false, null);
          const rows = (v: Vector) => {
            const f = flatten(v);
            return Array.from({ length: f.length }, (_, i) => (f.validity !== null && f.validity[i] === 0 ? null : f.data[i]));
          };
          expect(rows(lifted)).toEqual(rows(rowWise));
        },
      ),
      { seed: 5, numRuns: 300 },
    );
  });
});
