// Block statistics, computed in one pass over a block's values before it is encoded: the zone
// map the storage engine keeps per block (min, max, null count, distinct count, sortedness) and
// what the chooser and the encoders need (runs, value range, largest step, dictionary codes).
// The dictionary codes and run starts found here are the ones the encoders write, so a block's
// values are hashed and compared once.
//
// Orders: numbers numerically, with NaN above every number (as PostgreSQL sorts it), so a block
// holding a NaN has max NaN; strings by UTF-16 code units (JavaScript's <), as Quiver sorts.
// Equality for runs and dictionaries is bitwise for doubles (so -0 and 0 stay apart and decode
// exactly), except that every NaN is one dictionary value.

import { SAFE_LIMIT } from '../../common/types.js';
import type { FlatVector, Scalar } from '../../common/vector.js';
import { bitWidth } from './bit-packing.js';
import { limbsAreSafe, limbsToBigInt, limbsToNumber, TWO_32 } from './limbs.js';
import { PhysicalClass } from './physical-class.js';
import { ValueHashTable } from './value-hash-table.js';

/** The zone map of one block. */
export interface BlockStats {
  readonly rows: number;
  readonly nulls: number;
  /** Smallest non-NULL value; null when every row is NULL. BIGINT/DECIMAL: a bigint beyond 2^53. */
  readonly min: Scalar;
  /** Largest non-NULL value (NaN when the block holds one); null when every row is NULL. */
  readonly max: Scalar;
  /** Distinct non-NULL values: exact up to DICTIONARY_LIMIT, extrapolated above it. */
  readonly distinct: number;
  /** Non-NULL values are non-decreasing in row order (NULLs are skipped). */
  readonly sorted: boolean;
}

/** Everything known about a block after the statistics pass. Arrays are indexed by row or code. */
export interface BlockAnalysis {
  readonly values: FlatVector;
  readonly cls: PhysicalClass;
  readonly stats: BlockStats;
  /** BIGINT/DECIMAL that some |v| > 2^53: the block holds, and decodes to, BigInt64 values. */
  readonly wide: boolean;
  /** Every non-NULL value is an integer the integer encodings hold exactly (no -0, |v| <= 2^53 for doubles). */
  readonly integral: boolean;
  /** Bits of max - min (integral blocks; approximate above 2^32). */
  readonly rangeBits: number;
  /** Bits of the largest step between consecutive non-NULL values (sorted integral blocks). */
  readonly deltaBits: number;
  /** Maximal runs of equal values; consecutive NULLs form one run. */
  readonly runs: number;
  /** runStarts[r] = first row of run r, for r < runs. */
  readonly runStarts: Int32Array;
  /** Rows in the longest run. */
  readonly longestRun: number;
  /**
   * Dictionary code per row in first-seen order (-1 for NULL rows); codes < stats.distinct.
   * Null when the block has more than DICTIONARY_LIMIT distinct values (counting stopped there).
   */
  readonly codes: Int32Array | null;
  /** firstRows[c] = the first row holding code c. */
  readonly firstRows: Int32Array;
  /** VARCHAR: UTF-16 code units over all values, over the first value of each run, and over the distinct values. */
  readonly textUnits: number;
  readonly runTextUnits: number;
  readonly distinctTextUnits: number;
}

/**
 * Most distinct values a block counts exactly and a dictionary holds. Past it a dictionary would
 * rarely beat the other encodings, and hashing every value of a high-cardinality block (keys,
 * prices) would cost more than the rest of its encoding.
 */
export const DICTIONARY_LIMIT = 8192;

/**
 * The distinct count: exact while counting, else extrapolated at the rate seen until counting
 * stopped, when the (DICTIONARY_LIMIT + 1)-th distinct value turned up after `validAtStop` values.
 */
function distinctOf(counting: boolean, counted: number, validAtStop: number, valid: number): number {
  return counting ? counted : Math.min(valid, Math.round(((DICTIONARY_LIMIT + 1) * valid) / validAtStop));
}

/** Accumulators every class fills in; the class-specific loops below write into one. */
interface Counts {
  nulls: number;
  runs: number;
  sorted: boolean;
}

export function analyzeBlock(values: FlatVector, cls: PhysicalClass): BlockAnalysis {
  const data = values.data;
  switch (cls) {
    case PhysicalClass.BOOL:
      return analyzeBool(values, data as Uint8Array);
    case PhysicalClass.INT32:
      return analyzeInt32(values, data as Int32Array);
    case PhysicalClass.FLOAT64:
      return analyzeFloat64(values, data as Float64Array, cls);
    case PhysicalClass.WIDE:
      return data instanceof BigInt64Array ? analyzeBigInt64(values, data) : analyzeFloat64(values, data as Float64Array, cls);
    case PhysicalClass.STRING:
      return analyzeString(values, data as string[]);
  }
}

function longestRunOf(runStarts: Int32Array, runs: number, n: number): number {
  let longest = 0;
  for (let r = 0; r < runs; r++) {
    const len = (r + 1 < runs ? runStarts[r + 1]! : n) - runStarts[r]!;
    if (len > longest) longest = len;
  }
  return longest;
}

function finish(
  values: FlatVector,
  cls: PhysicalClass,
  c: Counts,
  min: Scalar,
  max: Scalar,
  distinct: number,
  runStarts: Int32Array,
  codes: Int32Array | null,
  firstRows: Int32Array,
  extra: Pick<BlockAnalysis, 'wide' | 'integral' | 'rangeBits' | 'deltaBits' | 'textUnits' | 'runTextUnits' | 'distinctTextUnits'>,
): BlockAnalysis {
  const n = values.length;
  return {
    values,
    cls,
    stats: { rows: n, nulls: c.nulls, min, max, distinct, sorted: c.sorted },
    runs: c.runs,
    runStarts,
    longestRun: longestRunOf(runStarts, c.runs, n),
    codes,
    firstRows: codes === null ? firstRows : firstRows.subarray(0, distinct),
    ...extra,
  };
}

const NO_TEXT = { textUnits: 0, runTextUnits: 0, distinctTextUnits: 0 };

function analyzeBool(values: FlatVector, data: Uint8Array): BlockAnalysis {
  const n = values.length;
  const valid = values.validity;
  const codes = new Int32Array(n);
  const firstRows = new Int32Array(2);
  const runStarts = new Int32Array(n);
  const codeOf = new Int32Array([-1, -1]);
  let runs = 0;
  let nulls = 0;
  let sorted = true;
  let distinct = 0;
  let min = 1;
  let max = 0;
  let prev = -1; // the previous row: -1 none, 2 NULL, else its value
  let prevValue = 0;
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) {
      nulls++;
      codes[i] = -1;
      if (prev !== 2) runStarts[runs++] = i;
      prev = 2;
      continue;
    }
    const x = data[i] !== 0 ? 1 : 0;
    let code = codeOf[x]!;
    if (code < 0) {
      code = codeOf[x] = distinct++;
      firstRows[code] = i;
    }
    codes[i] = code;
    if (prev !== x) runStarts[runs++] = i;
    if (x < prevValue) sorted = false;
    if (x < min) min = x;
    if (x > max) max = x;
    prev = x;
    prevValue = x;
  }
  const any = distinct > 0;
  const c: Counts = { nulls, runs, sorted };
  return finish(values, PhysicalClass.BOOL, c, any ? min : null, any ? max : null, distinct, runStarts, codes, firstRows, {
    wide: false,
    integral: false,
    rangeBits: 1,
    deltaBits: 1,
    ...NO_TEXT,
  });
}

/**
 * Value ranges below this give an INTEGER block's dictionary codes by direct indexing (value -
 * min into a table of codes) instead of hashing: about three times faster, and most columns
 * that repeat values (dates, quantities, small keys) have such a range.
 */
const DIRECT_RANGE = 1 << 17;
/** The direct table, code + 1 per value - min (0: not seen); all zero between blocks. */
const directCodes = new Int32Array(DIRECT_RANGE);

/** The smallest and largest non-NULL value of an INTEGER block (0, 0 when there are none). */
function int32Bounds(data: Int32Array, valid: Uint8Array | null, n: number): [number, number] {
  let min = 0;
  let max = 0;
  let seen = false;
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const x = data[i]!;
    if (!seen) {
      seen = true;
      min = max = x;
    } else if (x < min) min = x;
    else if (x > max) max = x;
  }
  return [min, max];
}

function analyzeInt32(values: FlatVector, data: Int32Array): BlockAnalysis {
  const n = values.length;
  const valid = values.validity;
  const [low, high] = int32Bounds(data, valid, n);
  if (high - low < DIRECT_RANGE) return analyzeInt32Direct(values, data, low);
  const table = new ValueHashTable(Math.min(n, DICTIONARY_LIMIT + 1));
  const codes = new Int32Array(n);
  const firstRows = new Int32Array(Math.min(n, DICTIONARY_LIMIT));
  let counting = true;
  let validAtStop = 0;
  const runStarts = new Int32Array(n);
  let runs = 0;
  let nulls = 0;
  let sorted = true;
  let seen = false;
  let prevNull = false;
  let min = 0;
  let max = 0;
  let prev = 0;
  let maxStep = 0;
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) {
      nulls++;
      codes[i] = -1;
      if (!prevNull) runStarts[runs++] = i;
      prevNull = true;
      continue;
    }
    const x = data[i]!;
    if (counting && seen && !prevNull && x === prev) {
      codes[i] = codes[i - 1]!; // the run goes on: its code, without hashing the value again
    } else if (counting) {
      const size = table.size;
      const code = table.codeOf(0, x);
      codes[i] = code;
      if (code === size) {
        if (size === DICTIONARY_LIMIT) {
          counting = false;
          validAtStop = i + 1 - nulls;
        } else firstRows[code] = i;
      }
    }
    if (!seen) {
      seen = true;
      min = max = x;
      runStarts[runs++] = i;
    } else {
      if (prevNull || x !== prev) runStarts[runs++] = i;
      if (x < min) min = x;
      else if (x > max) max = x;
      if (x < prev) sorted = false;
      else if (x - prev > maxStep) maxStep = x - prev;
    }
    prev = x;
    prevNull = false;
  }
  const c: Counts = { nulls, runs, sorted };
  return finish(values, PhysicalClass.INT32, c, seen ? min : null, seen ? max : null, distinctOf(counting, table.size, validAtStop, n - nulls), runStarts, counting ? codes : null, firstRows, {
    wide: false,
    integral: true,
    rangeBits: bitWidth(max - min),
    deltaBits: sorted ? bitWidth(maxStep) : 64,
    ...NO_TEXT,
  });
}

/** analyzeInt32 for a block whose values lie in [low, low + DIRECT_RANGE): the same result. */
function analyzeInt32Direct(values: FlatVector, data: Int32Array, low: number): BlockAnalysis {
  const n = values.length;
  const valid = values.validity;
  const table = directCodes;
  let size = 0;
  const codes = new Int32Array(n);
  const firstRows = new Int32Array(Math.min(n, DICTIONARY_LIMIT));
  let counting = true;
  let validAtStop = 0;
  const runStarts = new Int32Array(n);
  let runs = 0;
  let nulls = 0;
  let sorted = true;
  let seen = false;
  let prevNull = false;
  let min = 0;
  let max = 0;
  let prev = 0;
  let maxStep = 0;
  try {
    for (let i = 0; i < n; i++) {
      if (valid !== null && valid[i] === 0) {
        nulls++;
        codes[i] = -1;
        if (!prevNull) runStarts[runs++] = i;
        prevNull = true;
        continue;
      }
      const x = data[i]!;
      if (counting && seen && !prevNull && x === prev) {
        codes[i] = codes[i - 1]!;
      } else if (counting) {
        const k = x - low;
        const c = table[k]! - 1;
        if (c >= 0) codes[i] = c;
        else if (size === DICTIONARY_LIMIT) {
          // As the hash table counts: the value past the limit gets code DICTIONARY_LIMIT.
          codes[i] = size;
          counting = false;
          validAtStop = i + 1 - nulls;
        } else {
          codes[i] = size;
          firstRows[size] = i;
          table[k] = ++size;
        }
      }
      if (!seen) {
        seen = true;
        min = max = x;
        runStarts[runs++] = i;
      } else {
        if (prevNull || x !== prev) runStarts[runs++] = i;
        if (x < min) min = x;
        else if (x > max) max = x;
        if (x < prev) sorted = false;
        else if (x - prev > maxStep) maxStep = x - prev;
      }
      prev = x;
      prevNull = false;
    }
  } finally {
    // Back to all zero for the next block: only the entries of the values seen were set.
    for (let c = 0; c < size; c++) table[data[firstRows[c]!]! - low] = 0;
  }
  const c: Counts = { nulls, runs, sorted };
  return finish(values, PhysicalClass.INT32, c, seen ? min : null, seen ? max : null, distinctOf(counting, size, validAtStop, n - nulls), runStarts, counting ? codes : null, firstRows, {
    wide: false,
    integral: true,
    rangeBits: bitWidth(max - min),
    deltaBits: sorted ? bitWidth(maxStep) : 64,
    ...NO_TEXT,
  });
}

/** High half of the one hash key every NaN gets (so all NaNs are one distinct value). */
export const NAN_KEY_HI = 0x7ff80000;

function analyzeFloat64(values: FlatVector, data: Float64Array, cls: PhysicalClass): BlockAnalysis {
  const n = values.length;
  const valid = values.validity;
  const bits = new Int32Array(data.buffer, data.byteOffset, n * 2);
  const table = new ValueHashTable(Math.min(n, DICTIONARY_LIMIT + 1));
  const codes = new Int32Array(n);
  const firstRows = new Int32Array(Math.min(n, DICTIONARY_LIMIT));
  let counting = true;
  let validAtStop = 0;
  const runStarts = new Int32Array(n);
  let runs = 0;
  let nulls = 0;
  let sorted = true;
  let integral = true;
  let prevNull = true;
  let seen = false;
  let hasNaN = false;
  let numbers = 0;
  let min = Infinity;
  let max = -Infinity;
  let prev = 0;
  let prevLo = 0;
  let prevHi = 0;
  let maxStep = 0;
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) {
      nulls++;
      codes[i] = -1;
      if (!prevNull || i === 0) runStarts[runs++] = i;
      prevNull = true;
      continue;
    }
    const x = data[i]!;
    const lo = bits[2 * i]!;
    const hi = bits[2 * i + 1]!;
    const sameRun = !prevNull && lo === prevLo && hi === prevHi;
    if (!sameRun) runStarts[runs++] = i;
    if (counting && sameRun) {
      codes[i] = codes[i - 1]!;
    } else if (counting) {
      const size = table.size;
      const code = x !== x ? table.codeOf(NAN_KEY_HI, 0) : table.codeOf(hi, lo);
      codes[i] = code;
      if (code === size) {
        if (size === DICTIONARY_LIMIT) {
          counting = false;
          validAtStop = i + 1 - nulls;
        } else firstRows[code] = i;
      }
    }
    if (x !== x) {
      hasNaN = true;
      integral = false;
    } else {
      numbers++;
      if (x < min) min = x;
      if (x > max) max = x;
      if (seen) {
        if (prev !== prev || x < prev) sorted = false;
        else if (x - prev > maxStep) maxStep = x - prev;
      }
      // -0 (sign bit set, value zero) would decode as 0 through the integer encodings.
      if (integral && (x !== Math.floor(x) || x > SAFE_LIMIT || x < -SAFE_LIMIT || (x === 0 && hi < 0))) integral = false;
    }
    seen = true;
    prev = x;
    prevLo = lo;
    prevHi = hi;
    prevNull = false;
  }
  const c: Counts = { nulls, runs, sorted };
  const minOut: Scalar = numbers > 0 ? min : hasNaN ? NaN : null;
  const maxOut: Scalar = hasNaN ? NaN : numbers > 0 ? max : null;
  return finish(values, cls, c, minOut, maxOut, distinctOf(counting, table.size, validAtStop, n - nulls), runStarts, counting ? codes : null, firstRows, {
    wide: false,
    integral,
    rangeBits: integral ? bitWidth(max - min) : 64,
    deltaBits: integral && sorted ? bitWidth(maxStep) : 64,
    ...NO_TEXT,
  });
}

function analyzeBigInt64(values: FlatVector, data: BigInt64Array): BlockAnalysis {
  const n = values.length;
  const valid = values.validity;
  const halves = new Int32Array(data.buffer, data.byteOffset, n * 2);
  const table = new ValueHashTable(Math.min(n, DICTIONARY_LIMIT + 1));
  const codes = new Int32Array(n);
  const firstRows = new Int32Array(Math.min(n, DICTIONARY_LIMIT));
  let counting = true;
  let validAtStop = 0;
  const runStarts = new Int32Array(n);
  let runs = 0;
  let nulls = 0;
  let sorted = true;
  let prevNull = true;
  let seen = false;
  let minHi = 0;
  let minLo = 0;
  let maxHi = 0;
  let maxLo = 0;
  let prevHi = 0;
  let prevLo = 0;
  let maxStep = 0;
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) {
      nulls++;
      codes[i] = -1;
      if (!prevNull || i === 0) runStarts[runs++] = i;
      prevNull = true;
      continue;
    }
    const lo = halves[2 * i]! >>> 0;
    const hi = halves[2 * i + 1]!;
    const sameRun = !prevNull && lo === prevLo && hi === prevHi;
    if (!sameRun) runStarts[runs++] = i;
    if (counting && sameRun) {
      codes[i] = codes[i - 1]!;
    } else if (counting) {
      const size = table.size;
      const code = table.codeOf(hi, lo);
      codes[i] = code;
      if (code === size) {
        if (size === DICTIONARY_LIMIT) {
          counting = false;
          validAtStop = i + 1 - nulls;
        } else firstRows[code] = i;
      }
    }
    if (!seen) {
      seen = true;
      minHi = maxHi = hi;
      minLo = maxLo = lo;
    } else {
      if (hi < minHi || (hi === minHi && lo < minLo)) {
        minHi = hi;
        minLo = lo;
      }
      if (hi > maxHi || (hi === maxHi && lo > maxLo)) {
        maxHi = hi;
        maxLo = lo;
      }
      if (hi < prevHi || (hi === prevHi && lo < prevLo)) sorted = false;
      else {
        const step = (hi - prevHi) * TWO_32 + (lo - prevLo);
        if (step > maxStep) maxStep = step;
      }
    }
    prevHi = hi;
    prevLo = lo;
    prevNull = false;
  }
  const wide = seen && !(limbsAreSafe(minHi, minLo) && limbsAreSafe(maxHi, maxLo));
  const toScalar = wide ? limbsToBigInt : limbsToNumber;
  const c: Counts = { nulls, runs, sorted };
  return finish(values, PhysicalClass.WIDE, c, seen ? toScalar(minHi, minLo) : null, seen ? toScalar(maxHi, maxLo) : null, distinctOf(counting, table.size, validAtStop, n - nulls), runStarts, counting ? codes : null, firstRows, {
    wide,
    integral: true,
    rangeBits: bitWidth((maxHi - minHi) * TWO_32 + (maxLo - minLo)),
    deltaBits: sorted ? bitWidth(maxStep) : 64,
    ...NO_TEXT,
  });
}

function analyzeString(values: FlatVector, data: string[]): BlockAnalysis {
  const n = values.length;
  const valid = values.validity;
  const index = new Map<string, number>();
  const codes = new Int32Array(n);
  const firstRows = new Int32Array(Math.min(n, DICTIONARY_LIMIT));
  let counting = true;
  let validAtStop = 0;
  const runStarts = new Int32Array(n);
  let runs = 0;
  let nulls = 0;
  let sorted = true;
  let prevNull = true;
  let seen = false;
  let min = '';
  let max = '';
  let prev = '';
  let textUnits = 0;
  let runTextUnits = 0;
  let distinctTextUnits = 0;
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) {
      nulls++;
      codes[i] = -1;
      if (!prevNull || i === 0) runStarts[runs++] = i;
      prevNull = true;
      continue;
    }
    const s = data[i]!;
    textUnits += s.length;
    const sameRun = !prevNull && s === prev;
    if (!sameRun) {
      runStarts[runs++] = i;
      runTextUnits += s.length;
    }
    let isNew = false;
    if (counting && sameRun) {
      codes[i] = codes[i - 1]!;
    } else if (counting) {
      let code = index.get(s);
      if (code === undefined) {
        isNew = true;
        code = index.size;
        if (code === DICTIONARY_LIMIT) {
          counting = false;
          validAtStop = i + 1 - nulls;
        } else {
          index.set(s, code);
          firstRows[code] = i;
          distinctTextUnits += s.length;
        }
      }
      codes[i] = code;
    }
    if (!seen) {
      seen = true;
      min = max = s;
    } else if (!sameRun) {
      // While counting, a value seen before was compared when first seen: string comparisons
      // (which read both strings) only for new values, and for the order until it breaks.
      if (isNew || !counting) {
        if (s < min) min = s;
        else if (s > max) max = s;
      }
      if (sorted && s < prev) sorted = false;
    }
    prev = s;
    prevNull = false;
  }
  const c: Counts = { nulls, runs, sorted };
  return finish(values, PhysicalClass.STRING, c, seen ? min : null, seen ? max : null, distinctOf(counting, index.size, validAtStop, n - nulls), runStarts, counting ? codes : null, firstRows, {
    wide: false,
    integral: false,
    rangeBits: 64,
    deltaBits: 64,
    textUnits,
    runTextUnits,
    distinctTextUnits,
  });
}
