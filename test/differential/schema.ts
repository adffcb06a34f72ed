// The small star schema of the differential tests: a fact table (sales) and three dimensions
// (customers, products, dates), filled from a seeded PRNG. The data is built to reach the edge
// cases engines get wrong: NULLs in nearly every column (~10%), foreign keys that match no
// dimension row, dimension keys that occur twice (joins multiply rows) or are NULL, duplicate
// and low-cardinality strings (some with leading/trailing blanks, mixed case, non-ASCII), negative
// numbers (integer division and modulo signs), DOUBLE values that are multiples of 1/8 (so sums
// are exact in any order), and a BIGINT column whose values pass 2^53 (the exact path).
//
// Both engines load the same SQL text: loadStatements() returns CREATE TABLE and INSERT ... VALUES
// statements in chunks, using only types and literal forms both DuckDB and Quiver accept.

import { Rng } from './rng.js';

export type SqlType = 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'DECIMAL(12,2)' | 'VARCHAR' | 'DATE' | 'BOOLEAN';

/**
 * A column value as the data set holds it: INTEGER and DOUBLE are numbers, BIGINT a bigint,
 * DECIMAL a string of exact digits ('12.50'), DATE 'YYYY-MM-DD', BOOLEAN a boolean, NULL null.
 */
export type Value = number | bigint | string | boolean | null;

/** What a foreign key column refers to, or what a key column identifies: joins pair equal roles. */
export type KeyRole = 'customer' | 'product' | 'date';

export interface ColumnSpec {
  readonly name: string;
  readonly type: SqlType;
  /** Set on the key of a dimension and on the fact's foreign keys. */
  readonly key?: KeyRole;
}

export interface TableSpec {
  readonly name: string;
  /** The alias prefix queries use for this table (s, c, p, d). */
  readonly alias: string;
  readonly isFact: boolean;
  readonly columns: readonly ColumnSpec[];
}

export interface Dataset {
  readonly seed: number;
  readonly tables: ReadonlyMap<string, readonly (readonly Value[])[]>;
}

export const SALES: TableSpec = {
  name: 'sales',
  alias: 's',
  isFact: true,
  columns: [
    { name: 's_id', type: 'BIGINT' },
    { name: 's_customer', type: 'INTEGER', key: 'customer' },
    { name: 's_product', type: 'INTEGER', key: 'product' },
    { name: 's_date', type: 'DATE', key: 'date' },
    { name: 's_qty', type: 'INTEGER' },
    { name: 's_price', type: 'DECIMAL(12,2)' },
    { name: 's_discount', type: 'DOUBLE' },
    { name: 's_units', type: 'BIGINT' },
    { name: 's_channel', type: 'VARCHAR' },
    { name: 's_note', type: 'VARCHAR' },
  ],
};

export const CUSTOMERS: TableSpec = {
  name: 'customers',
  alias: 'c',
  isFact: false,
  columns: [
    { name: 'c_id', type: 'INTEGER', key: 'customer' },
    { name: 'c_name', type: 'VARCHAR' },
    { name: 'c_city', type: 'VARCHAR' },
    { name: 'c_segment', type: 'VARCHAR' },
    { name: 'c_level', type: 'INTEGER' },
    { name: 'c_balance', type: 'DECIMAL(12,2)' },
    { name: 'c_score', type: 'DOUBLE' },
    { name: 'c_since', type: 'DATE' },
  ],
};

export const PRODUCTS: TableSpec = {
  name: 'products',
  alias: 'p',
  isFact: false,
  columns: [
    { name: 'p_id', type: 'INTEGER', key: 'product' },
    { name: 'p_name', type: 'VARCHAR' },
    { name: 'p_category', type: 'VARCHAR' },
    { name: 'p_brand', type: 'VARCHAR' },
    { name: 'p_price', type: 'DECIMAL(12,2)' },
    { name: 'p_weight', type: 'DOUBLE' },
    { name: 'p_stock', type: 'INTEGER' },
    { name: 'p_code', type: 'BIGINT' },
  ],
};

export const DATES: TableSpec = {
  name: 'dates',
  alias: 'd',
  isFact: false,
  columns: [
    { name: 'd_date', type: 'DATE', key: 'date' },
    { name: 'd_year', type: 'INTEGER' },
    { name: 'd_month', type: 'INTEGER' },
    { name: 'd_dow', type: 'INTEGER' },
    { name: 'd_month_name', type: 'VARCHAR' },
    { name: 'd_season', type: 'VARCHAR' },
    { name: 'd_weekend', type: 'BOOLEAN' },
    { name: 'd_rate', type: 'DECIMAL(12,2)' },
  ],
};

export const TABLES: readonly TableSpec[] = [SALES, CUSTOMERS, PRODUCTS, DATES];

export function tableSpec(name: string): TableSpec {
  const t = TABLES.find((x) => x.name === name);
  if (!t) throw new Error(`differential schema: no table named ${name}`);
  return t;
}

// Sizes: big enough for joins and groups to mean something, small enough for 400 queries
// on two engines in well under a minute.
export const SALES_ROWS = 4000;
export const CUSTOMER_KEYS = 200;
export const PRODUCT_KEYS = 120;
/** Foreign keys are drawn past the dimension's keys, so some match nothing. */
const CUSTOMER_FK_MAX = 215;
const PRODUCT_FK_MAX = 130;
/** Keys present twice in their dimension: a join on them multiplies fact rows. */
const DUPLICATE_CUSTOMER_KEYS = [7, 42];
const DUPLICATE_PRODUCT_KEYS = [3, 77];
const DATE_DIM_FROM = '2023-01-01';
const DATE_DIM_TO = '2024-03-31';
/** Every DATE_DIM_GAP-th day is left out of the date dimension. */
const DATE_DIM_GAP = 23;
const SALES_DATE_FROM = '2022-12-01';
const SALES_DATE_TO = '2024-05-31';
const NULL_FRACTION = 0.1;
const FK_NULL_FRACTION = 0.08;

const CITIES = ['Berlin', 'Paris', 'Oslo', 'Lima', 'Zürich', 'São Paulo', ' Rome', 'Tokyo ', 'berlin', 'PARIS', "Val d'Or"];
const SEGMENTS = ['AUTOMOBILE', 'BUILDING', 'FURNITURE', 'MACHINERY', 'HOUSEHOLD'];
const CATEGORIES = ['Books', 'Games', 'Garden', 'Tools', 'Toys', 'food'];
const CHANNELS = ['web', 'store', 'phone', 'partner'];
const NOTES = ['gift', 'rush order', 'returned', 'promo_10%', '  padded  ', 'n/a', 'GIFT', 'x'];
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SEASONS = ['Winter', 'Spring', 'Summer', 'Fall'];
const NAME_SYLLABLES = ['ka', 'lo', 'mi', 'ra', 'to', 'ne', 'su', 'vi'];

const DAY_MS = 86_400_000;

export function dateToDays(iso: string): number {
  const ms = Date.parse(`${iso}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new Error(`not a date: ${iso}`);
  return Math.round(ms / DAY_MS);
}

export function daysToDate(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

/** A DECIMAL(12,2) value as exact digits from an integer number of cents. */
export function centsToDecimal(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100);
  const frac = abs % 100;
  return `${sign}${whole}.${frac < 10 ? '0' : ''}${frac}`;
}

function maybeNull(rng: Rng, fraction: number, v: Value): Value {
  return rng.chance(fraction) ? null : v;
}

function makeName(rng: Rng, prefix: string): string {
  let s = prefix;
  const n = rng.int(2, 3);
  for (let i = 0; i < n; i++) s += rng.pick(NAME_SYLLABLES);
  return s;
}

function customerRows(rng: Rng): Value[][] {
  const keys: (number | null)[] = [];
  for (let k = 1; k <= CUSTOMER_KEYS; k++) keys.push(k);
  keys.push(...DUPLICATE_CUSTOMER_KEYS, null);
  const rows: Value[][] = [];
  for (const k of keys) {
    const name = rng.chance(0.03) ? "O'Hara" : makeName(rng, rng.pick(['Al', 'Be', 'Co', 'di']));
    rows.push([
      k,
      maybeNull(rng, 0.05, name),
      maybeNull(rng, NULL_FRACTION, rng.pick(CITIES)),
      maybeNull(rng, NULL_FRACTION, rng.pick(SEGMENTS)),
      maybeNull(rng, NULL_FRACTION, rng.int(1, 5)),
      maybeNull(rng, NULL_FRACTION, centsToDecimal(rng.int(-99_999, 999_999))),
      maybeNull(rng, NULL_FRACTION, rng.int(-800, 800) / 8),
      maybeNull(rng, NULL_FRACTION, daysToDate(rng.int(dateToDays('2015-01-01'), dateToDays('2024-06-30')))),
    ]);
  }
  return rows;
}

function productRows(rng: Rng): Value[][] {
  const keys: number[] = [];
  for (let k = 1; k <= PRODUCT_KEYS; k++) keys.push(k);
  keys.push(...DUPLICATE_PRODUCT_KEYS);
  const rows: Value[][] = [];
  for (const k of keys) {
    // p_code: mostly beyond 32 bits, a few beyond 2^53 (exact BIGINT path).
    const code = rng.chance(0.1)
      ? 9_007_199_254_740_993n + BigInt(rng.int(0, 1_000_000)) * 1_000n
      : BigInt(rng.int(0, 2_000_000)) * 1_000_003n + 3_000_000_000n;
    rows.push([
      k,
      maybeNull(rng, 0.05, makeName(rng, 'P-')),
      maybeNull(rng, NULL_FRACTION, rng.pick(CATEGORIES)),
      maybeNull(rng, NULL_FRACTION, `Brand#${rng.int(1, 12)}`),
      maybeNull(rng, NULL_FRACTION, centsToDecimal(rng.int(1, 99_999))),
      maybeNull(rng, NULL_FRACTION, rng.int(0, 2000) / 4),
      maybeNull(rng, NULL_FRACTION, rng.int(0, 1000)),
      maybeNull(rng, NULL_FRACTION, code),
    ]);
  }
  return rows;
}

function dateRows(rng: Rng): Value[][] {
  const rows: Value[][] = [];
  const from = dateToDays(DATE_DIM_FROM);
  const to = dateToDays(DATE_DIM_TO);
  for (let day = from; day <= to; day++) {
    if ((day - from) % DATE_DIM_GAP === DATE_DIM_GAP - 1) continue;
    const d = new Date(day * DAY_MS);
    const month = d.getUTCMonth();
    const dow = d.getUTCDay();
    rows.push([
      daysToDate(day),
      d.getUTCFullYear(),
      maybeNull(rng, 0.05, month + 1),
      maybeNull(rng, 0.05, dow),
      maybeNull(rng, 0.05, MONTH_NAMES[month]),
      maybeNull(rng, NULL_FRACTION, SEASONS[Math.floor(((month + 1) % 12) / 3)]),
      maybeNull(rng, 0.05, dow === 0 || dow === 6),
      maybeNull(rng, NULL_FRACTION, centsToDecimal(rng.int(50, 200))),
    ]);
  }
  // A row whose key is NULL: it must never join.
  rows.push([null, 2023, 1, 1, 'Jan', 'Winter', false, '1.00']);
  return rows;
}

function salesRows(rng: Rng): Value[][] {
  const rows: Value[][] = [];
  const dFrom = dateToDays(SALES_DATE_FROM);
  const dTo = dateToDays(SALES_DATE_TO);
  for (let i = 0; i < SALES_ROWS; i++) {
    let units: bigint;
    const r = rng.next();
    if (r < 0.01) units = 9_007_199_254_740_992n + BigInt(rng.int(1, 1_000_000_000)) * 1_000_003n;
    else if (r < 0.09) units = BigInt(rng.int(1_000, 4_000_000)) * 1_000_000n + BigInt(rng.int(0, 999_999));
    else units = BigInt(rng.int(0, 100_000));
    rows.push([
      1_000_000_000_000n + BigInt(i),
      maybeNull(rng, FK_NULL_FRACTION, rng.int(1, CUSTOMER_FK_MAX)),
      maybeNull(rng, FK_NULL_FRACTION, rng.int(1, PRODUCT_FK_MAX)),
      maybeNull(rng, FK_NULL_FRACTION, daysToDate(rng.int(dFrom, dTo))),
      maybeNull(rng, NULL_FRACTION, rng.int(-20, 100)),
      maybeNull(rng, NULL_FRACTION, centsToDecimal(rng.chance(0.05) ? rng.int(-5_000, -1) : rng.int(0, 99_999))),
      maybeNull(rng, NULL_FRACTION, rng.int(0, 320) / 8),
      maybeNull(rng, NULL_FRACTION, units),
      maybeNull(rng, NULL_FRACTION, rng.pick(CHANNELS)),
      maybeNull(rng, 0.3, rng.pick(NOTES)),
    ]);
  }
  return rows;
}

/** Builds every table's rows from the seed; the same seed always gives the same data. */
export function generateDataset(seed: number): Dataset {
  const rng = new Rng(seed);
  const tables = new Map<string, Value[][]>();
  tables.set(CUSTOMERS.name, customerRows(rng));
  tables.set(PRODUCTS.name, productRows(rng));
  tables.set(DATES.name, dateRows(rng));
  tables.set(SALES.name, salesRows(rng));
  return { seed, tables };
}

/** A value as a SQL literal of the column's type, in a form both engines read the same way. */
export function sqlLiteral(type: SqlType, v: Value): string {
  if (v === null) return 'NULL';
  switch (type) {
    case 'INTEGER':
    case 'BIGINT':
    case 'DOUBLE':
      return String(v);
    case 'DECIMAL(12,2)':
      return String(v);
    case 'VARCHAR':
      return `'${String(v).replace(/'/g, "''")}'`;
    case 'DATE':
      return `DATE '${String(v)}'`;
    case 'BOOLEAN':
      return v ? 'TRUE' : 'FALSE';
  }
}

export const INSERT_CHUNK_ROWS = 500;

/** CREATE TABLE and INSERT statements (one statement per string, no trailing semicolon). */
export function loadStatements(data: Dataset): string[] {
  const out: string[] = [];
  for (const t of TABLES) {
    out.push(`CREATE TABLE ${t.name} (${t.columns.map((c) => `${c.name} ${c.type}`).join(', ')})`);
    const rows = data.tables.get(t.name);
    if (!rows) throw new Error(`differential data set has no rows for ${t.name}`);
    for (let start = 0; start < rows.length; start += INSERT_CHUNK_ROWS) {
      const chunk = rows.slice(start, start + INSERT_CHUNK_ROWS);
      const values = chunk.map((row) => `(${row.map((v, i) => sqlLiteral(t.columns[i].type, v)).join(', ')})`);
      out.push(`INSERT INTO ${t.name} VALUES ${values.join(',\n')}`);
    }
  }
  return out;
}
