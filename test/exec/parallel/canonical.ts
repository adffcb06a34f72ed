// How the parallel tests compare answers of one thread and several.

/** Rows as sorted text, floats to 9 significant digits (sums of doubles differ in the last bits
 *  with the order of addition, which the threads change). */
export function canonical(rows: unknown[][]): string[] {
  return rows
    .map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(9)) : v)))
    .sort();
}
