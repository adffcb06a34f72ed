// Plain encoding: every value in its plain layout (plain-values.ts), NULLs in the per-row
// validity bitmap. Holds every type; the fallback when nothing else is smaller or applies.
// Decodes to a flat vector with a single copy of the value bytes.

import type { Vector } from '../../common/vector.js';
import type { BlockEncoding } from './block-encoding.js';
import { EncodingId } from './encoding-kind.js';
import { plainValuesBytes, readPlainValues, writePlainValues } from './plain-values.js';

export const plain: BlockEncoding = {
  id: EncodingId.PLAIN,
  name: 'plain',
  rowValidity: true,

  unsupported: () => null,

  estimate: (a) => plainValuesBytes(a.cls, a.stats.rows, a.textUnits),

  encode(a, w) {
    const v = a.values;
    writePlainValues(w, a.cls, v.data, v.validity, null, v.length, a.wide);
  },

  decode(r, h, validity): Vector {
    const data = readPlainValues(r, h.cls, h.rows, h.wide, 0);
    return { kind: 'flat', type: h.type, length: h.rows, data, validity };
  },
};
