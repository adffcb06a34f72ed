// Compares a query's result from a reference engine (DuckDB) with the result from the engine
// under test (Quiver), as DESIGN.md's differential-test rules say:
// - numbers by value: DuckDB's HUGEINT sums, Quiver's BIGINT bigints and DECIMAL digit strings,
//   and plain numbers are all exact decimals; a column that is DOUBLE on either side is compared
//   with a relative tolerance of 1e-9;
// - dates as 'YYYY-MM-DD' and timestamps in one canonical text form;
// - without ORDER BY the rows are a multiset; with ORDER BY the rows are compared in order, but
//   a run of rows with equal sort keys is a multiset (engines may order ties either way).
// A mismatch is described in words; mismatchReport() adds the query, both results and the plan.
//
// It lives in cli/ because `quiver bench ssb` checks its answers with it; the differential tests
// (test/differential/) use the same code.

export interface ResultColumn {
  name: string;
  /** The engine's type name: 'INTEGER', 'DECIMAL(38,2)', 'HUGEINT', 'DOUBLE', 'DATE'... */
  type: string;
}

/**
 * A query result as plain JS values: numbers, bigints, strings (DECIMAL as exact digits, DATE
 * as 'YYYY-MM-DD', TIMESTAMP as text), booleans and null.
 */
export interface ResultSet {
  columns: ResultColumn[];
  rows: unknown[][];
}

/** One ORDER BY item of a query, as an output column position. */
export interface OrderKey {
  column: number;
  desc: boolean;
  nullsFirst: boolean;
}

export const FLOAT_RELATIVE_TOLERANCE = 1e-9;
/** Below this, two floats are equal whatever their ratio (results that should be 0). */
export const FLOAT_ABSOLUTE_TOLERANCE = 1e-12;
/** Rows of each result printed in a mismatch report. */
const REPORT_ROWS = 20;
/** Above this many rows, a failed sorted comparison is not retried by pairwise matching. */
const MATCHING_LIMIT = 5000;

type ColumnClass = 'float' | 'exact' | 'string' | 'bool' | 'date' | 'timestamp' | 'other';

/** A normalized value: exact numbers are mantissa * 10^-scale with no trailing zeros. */
type Norm =
  | null
  | { readonly k: 'b'; readonly v: boolean }
  | { readonly k: 'x'; readonly m: bigint; readonly s: number }
  | { readonly k: 'f'; readonly v: number }
  | { readonly k: 's'; readonly v: string };

function classOf(type: string): ColumnClass {
  const t = type.toUpperCase();
  if (t === 'DOUBLE' || t === 'FLOAT' || t === 'REAL' || t === 'FLOAT4' || t === 'FLOAT8') return 'float';
  if (/^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|INT\d*|DECIMAL.*|NUMERIC.*)$/.test(t)) return 'exact';
  if (t === 'VARCHAR' || t === 'TEXT' || t.startsWith('VARCHAR(')) return 'string';
  if (t === 'BOOLEAN') return 'bool';
  if (t === 'DATE') return 'date';
  if (t.startsWith('TIMESTAMP')) return 'timestamp';
  return 'other';
}

/**
 * The class one side of a column is normalized with: its own type's, except that a number is
 * compared as a float when either side's column is a float (DOUBLE on one side, DECIMAL on the
 * other). A string column stays a string: '1.5' never equals 1.5.
 */
function sideClass(own: string, other: string): ColumnClass {
  const o = classOf(own);
  const p = classOf(other);
  if ((o === 'float' || o === 'exact') && (o === 'float' || p === 'float')) return 'float';
  return o;
}

const EXACT_RE = /^([+-]?)(\d+)(?:\.(\d*))?$/;

function exact(m: bigint, s: number): Norm {
  while (s > 0 && m % 10n === 0n) {
    m /= 10n;
    s--;
  }
  return { k: 'x', m, s };
}

function parseExact(text: string): Norm | undefined {
  const match = EXACT_RE.exec(text.trim());
  if (!match) return undefined;
  const frac = match[3] ?? '';
  const m = BigInt(match[2] + frac) * (match[1] === '-' ? -1n : 1n);
  return exact(m, frac.length);
}

const TIMESTAMP_RE = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(?:Z|[+-]00(?::?00)?)?$/;

/** 'YYYY-MM-DD HH:MM:SS.ffffff' for the text forms engines print timestamps in. */
function canonicalTimestamp(text: string): string | undefined {
  const m = TIMESTAMP_RE.exec(text.trim());
  if (!m) return undefined;
  const frac = (m[5] ?? '').padEnd(6, '0').slice(0, 6);
  return `${m[1]} ${m[2] ?? '00'}:${m[3] ?? '00'}:${m[4] ?? '00'}.${frac}`;
}

function normalize(v: unknown, cls: ColumnClass): Norm {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return { k: 'b', v };
  if (v instanceof Date) {
    const iso = v.toISOString();
    return { k: 's', v: cls === 'date' ? iso.slice(0, 10) : (canonicalTimestamp(iso) ?? iso) };
  }
  if (cls === 'float') {
    if (typeof v === 'number') return { k: 'f', v };
    if (typeof v === 'bigint') return { k: 'f', v: Number(v) };
    if (typeof v === 'string' && EXACT_RE.test(v.trim())) return { k: 'f', v: Number(v) };
  }
  if (typeof v === 'number') {
    return Number.isSafeInteger(v) ? exact(BigInt(v), 0) : { k: 'f', v };
  }
  if (typeof v === 'bigint') return exact(v, 0);
  if (typeof v === 'string') {
    if (cls === 'exact') return parseExact(v) ?? { k: 's', v };
    if (cls === 'timestamp') return { k: 's', v: canonicalTimestamp(v) ?? v };
    return { k: 's', v };
  }
  return { k: 's', v: `<${typeof v}> ${String(v)}` };
}

function exactToNumber(n: { m: bigint; s: number }): number {
  return Number(n.m) / 10 ** n.s;
}

function numericValue(n: Norm): number | undefined {
  if (n === null) return undefined;
  if (n.k === 'f') return n.v;
  if (n.k === 'x') return exactToNumber(n);
  return undefined;
}

function compareExact(a: { m: bigint; s: number }, b: { m: bigint; s: number }): number {
  const s = Math.max(a.s, b.s);
  const am = a.m * 10n ** BigInt(s - a.s);
  const bm = b.m * 10n ** BigInt(s - b.s);
  return am < bm ? -1 : am > bm ? 1 : 0;
}

const KIND_RANK = { b: 1, x: 2, f: 2, s: 3 } as const;

/** A total order on normalized values, the same for both results (NULL first). */
function compareNorm(a: Norm, b: Norm): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  const ra = KIND_RANK[a.k];
  const rb = KIND_RANK[b.k];
  if (ra !== rb) return ra - rb;
  if (a.k === 'b' && b.k === 'b') return a.v === b.v ? 0 : a.v ? 1 : -1;
  if (a.k === 's' && b.k === 's') return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
  if (a.k === 'x' && b.k === 'x') return compareExact(a, b);
  const x = numericValue(a) as number;
  const y = numericValue(b) as number;
  return x < y ? -1 : x > y ? 1 : 0;
}

export function floatsEqual(x: number, y: number): boolean {
  if (x === y) return true;
  if (Number.isNaN(x) && Number.isNaN(y)) return true;
  const diff = Math.abs(x - y);
  return diff <= FLOAT_ABSOLUTE_TOLERANCE || diff <= FLOAT_RELATIVE_TOLERANCE * Math.max(Math.abs(x), Math.abs(y));
}

function normEqual(a: Norm, b: Norm): boolean {
  if (a === null || b === null) return a === b;
  if (a.k === 'x' && b.k === 'x') return a.m === b.m && a.s === b.s;
  if ((a.k === 'x' || a.k === 'f') && (b.k === 'x' || b.k === 'f')) {
    return floatsEqual(numericValue(a) as number, numericValue(b) as number);
  }
  if (a.k === 'b' && b.k === 'b') return a.v === b.v;
  if (a.k === 's' && b.k === 's') return a.v === b.v;
  return false;
}

function rowsEqual(a: readonly Norm[], b: readonly Norm[], cols?: readonly number[]): boolean {
  if (cols) {
    for (const c of cols) if (!normEqual(a[c], b[c])) return false;
    return true;
  }
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!normEqual(a[i], b[i])) return false;
  return true;
}

function formatValue(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

function formatNorm(n: Norm): string {
  if (n === null) return 'NULL';
  switch (n.k) {
    case 'b':
      return String(n.v);
    case 'f':
      return String(n.v);
    case 's':
      return JSON.stringify(n.v);
    case 'x': {
      if (n.s === 0) return n.m.toString();
      const neg = n.m < 0n;
      const digits = (neg ? -n.m : n.m).toString().padStart(n.s + 1, '0');
      return `${neg ? '-' : ''}${digits.slice(0, digits.length - n.s)}.${digits.slice(digits.length - n.s)}`;
    }
  }
}

export function formatRow(row: readonly unknown[]): string {
  return `(${row.map(formatValue).join(', ')})`;
}

function formatNormRow(row: readonly Norm[]): string {
  return `(${row.map(formatNorm).join(', ')})`;
}

/**
 * Compares two multisets of rows. Sorting both sides and comparing pairwise decides almost
 * every case; floats equal within tolerance but sorted apart fall back to a pairwise matching.
 */
function compareMultiset(expected: Norm[][], actual: Norm[][], floatCols: ReadonlySet<number>): string | null {
  const width = expected.length > 0 ? expected[0].length : 0;
  // Floats last in the sort key, so rows tied on everything else meet side by side.
  const order: number[] = [];
  for (let c = 0; c < width; c++) if (!floatCols.has(c)) order.push(c);
  for (let c = 0; c < width; c++) if (floatCols.has(c)) order.push(c);
  const cmp = (a: Norm[], b: Norm[]) => {
    for (const c of order) {
      const r = compareNorm(a[c], b[c]);
      if (r !== 0) return r;
    }
    return 0;
  };
  const e = expected.slice().sort(cmp);
  const a = actual.slice().sort(cmp);
  let firstBad = -1;
  for (let i = 0; i < e.length; i++) {
    if (!rowsEqual(e[i], a[i])) {
      firstBad = i;
      break;
    }
  }
  if (firstBad < 0) return null;
  if (e.length <= MATCHING_LIMIT) {
    const used = new Uint8Array(a.length);
    const missing: Norm[][] = [];
    for (const row of e) {
      let found = -1;
      for (let j = 0; j < a.length; j++) {
        if (!used[j] && rowsEqual(row, a[j])) {
          found = j;
          break;
        }
      }
      if (found < 0) missing.push(row);
      else used[found] = 1;
    }
    if (missing.length === 0) return null;
    const extra: Norm[][] = [];
    for (let j = 0; j < a.length; j++) if (!used[j]) extra.push(a[j]);
    return (
      `${missing.length} row(s) differ. Expected but missing: ${missing.slice(0, 5).map(formatNormRow).join(' ')}` +
      `${missing.length > 5 ? ' ...' : ''}; present instead: ${extra.slice(0, 5).map(formatNormRow).join(' ')}${extra.length > 5 ? ' ...' : ''}`
    );
  }
  return `rows differ (sorted, row ${firstBad}): expected ${formatNormRow(e[firstBad])}, got ${formatNormRow(a[firstBad])}`;
}

/**
 * Compares `actual` with `expected` (the reference). With `orderBy`, rows must come in the
 * reference's order except within runs of equal sort keys. Returns null when they agree, else
 * a description of the first difference.
 */
export function compareResults(expected: ResultSet, actual: ResultSet, orderBy: readonly OrderKey[] | null): string | null {
  const width = expected.columns.length;
  if (actual.columns.length !== width) {
    return `column count differs: expected ${width} (${expected.columns.map((c) => c.name).join(', ')}), got ${actual.columns.length} (${actual.columns.map((c) => c.name).join(', ')})`;
  }
  if (actual.rows.length !== expected.rows.length) {
    return `row count differs: expected ${expected.rows.length}, got ${actual.rows.length}`;
  }
  const expectedClasses: ColumnClass[] = [];
  const actualClasses: ColumnClass[] = [];
  const floatCols = new Set<number>();
  for (let c = 0; c < width; c++) {
    expectedClasses.push(sideClass(expected.columns[c].type, actual.columns[c].type));
    actualClasses.push(sideClass(actual.columns[c].type, expected.columns[c].type));
    if (expectedClasses[c] === 'float') floatCols.add(c);
  }
  const norm = (rows: unknown[][], classes: ColumnClass[], side: string): Norm[][] =>
    rows.map((row, r) => {
      if (row.length !== width) throw new Error(`${side} row ${r} has ${row.length} values for ${width} columns`);
      return row.map((v, c) => normalize(v, classes[c]));
    });
  const e = norm(expected.rows, expectedClasses, 'expected');
  const a = norm(actual.rows, actualClasses, 'actual');

  if (!orderBy || orderBy.length === 0) return compareMultiset(e, a, floatCols);

  const keyCols = orderBy.map((k) => k.column);
  for (const c of keyCols) {
    if (c < 0 || c >= width) throw new Error(`ORDER BY key column ${c} is outside the ${width} result columns`);
  }
  let start = 0;
  while (start < e.length) {
    let end = start + 1;
    while (end < e.length && rowsEqual(e[end - 1], e[end], keyCols)) end++;
    for (let i = start; i < end; i++) {
      // Float keys within tolerance chain into one run, so a[i] may match any key of the run.
      let inRun = rowsEqual(e[i], a[i], keyCols);
      for (let j = start; !inRun && j < end; j++) inRun = rowsEqual(e[j], a[i], keyCols);
      if (!inRun) {
        return `order differs at row ${i}: expected sort key ${formatNormRow(keyCols.map((c) => e[i][c]))}, got ${formatNormRow(keyCols.map((c) => a[i][c]))} (row ${formatNormRow(a[i])})`;
      }
    }
    const diff = compareMultiset(e.slice(start, end), a.slice(start, end), floatCols);
    if (diff !== null) return `in rows ${start}..${end - 1} (equal sort keys): ${diff}`;
    start = end;
  }
  return null;
}

function formatResult(r: ResultSet | null, error: string | null): string {
  if (error !== null) return `  error: ${error}`;
  if (r === null) return '  (no result)';
  const lines = [`  ${r.rows.length} row(s); columns ${r.columns.map((c) => `${c.name} ${c.type}`).join(', ')}`];
  for (const row of r.rows.slice(0, REPORT_ROWS)) lines.push(`  ${formatRow(row)}`);
  if (r.rows.length > REPORT_ROWS) lines.push(`  ... ${r.rows.length - REPORT_ROWS} more`);
  return lines.join('\n');
}

export interface MismatchInfo {
  title: string;
  sql: string;
  reason: string;
  expected: ResultSet | null;
  expectedError: string | null;
  actual: ResultSet | null;
  actualError: string | null;
  plan: string | null;
  expectedName?: string;
  actualName?: string;
}

/** The failure text: the query, why it failed, the first rows of both results and the plan. */
export function mismatchReport(m: MismatchInfo): string {
  return [
    `${m.title}: ${m.reason}`,
    'SQL:',
    `  ${m.sql}`,
    `${m.expectedName ?? 'DuckDB'}:`,
    formatResult(m.expected, m.expectedError),
    `${m.actualName ?? 'Quiver'}:`,
    formatResult(m.actual, m.actualError),
    `${m.actualName ?? 'Quiver'} plan:`,
    m.plan === null ? '  (not available)' : m.plan.split('\n').map((l) => `  ${l}`).join('\n'),
  ].join('\n');
}
