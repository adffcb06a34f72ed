// date_part('field', x) for the differential query generator, in place of an
// extract(field FROM x) the main generator has finished. It draws from its own Rng, and the
// replacement's values stay within the bound the generator already states for the extract, so
// queries of a seed that get none of these stay what they were.
//
// The fields are those both engines know under these names and answer alike for dates and
// timestamps (checked on DuckDB 1.5: ISO week, dow 0 = Sunday, isodow 7 = Sunday, whole seconds);
// every one is a BIGINT there and in Quiver. Not epoch (a DOUBLE). Now and then x becomes a
// timestamp (x plus some minutes or seconds), so hour, minute and second are not all 0.

import type { Rng } from './rng.js';

/** [spelling, largest value] for dates of years below 2100. */
const FIELDS: readonly [string, number][] = [
  ['year', 2100],
  ['years', 2100],
  ['month', 12],
  ['quarter', 4],
  ['day', 31],
  ['days', 31],
  ['dow', 6],
  ['dayofweek', 6],
  ['isodow', 7],
  ['doy', 366],
  ['dayofyear', 366],
  ['week', 53],
  ['weeks', 53],
  ['hour', 23],
  ['hours', 23],
  ['minute', 59],
  ['minutes', 59],
  ['second', 59],
  ['seconds', 59],
];

export class DatePartGenerator {
  constructor(private readonly rng: Rng) {}

  /**
   * With some chance, date_part of the DATE x with a field whose values stay within maxAbs (the
   * bound of the extract it replaces).
   */
  datePart(x: string, maxAbs: number, chance: number): string | null {
    if (!this.rng.chance(chance)) return null;
    const fields = FIELDS.filter(([, max]) => max <= maxAbs);
    if (fields.length === 0) return null;
    const [field] = this.rng.pick(fields);
    let arg = x;
    if (this.rng.chance(0.4)) {
      arg = this.rng.chance(0.5)
        ? `(${x} + INTERVAL '${this.rng.int(1, 5000)} minutes')`
        : `(${x} + INTERVAL '${this.rng.int(1, 200_000)} seconds')`;
    }
    return `${this.rng.chance(0.15) ? 'datepart' : 'date_part'}('${field}', ${arg})`;
  }
}
