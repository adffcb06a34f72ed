// Star Schema Benchmark data generator behind `quiver gen ssb --sf N --out DIR`.
//
// Writes the five SSB tables (customer, supplier, part, date, lineorder) as dbgen-format `.tbl`
// files: pipe-delimited, a trailing `|` on every line, `\n` line endings, no quoting, dates as
// yyyymmdd integers, columns in the order dbgen writes them (../shared/ssb/schema.sql).
//
// It follows the official SSB dbgen's cardinalities, value domains and formulas, so every one of
// the 13 queries selects a realistic fraction of rows, but not dbgen's random streams: the values
// are not dbgen's bit for bit. Where dbgen's output differs from what one might expect, we keep
// dbgen's behaviour and say so where it is handled (p_brand1 without zero padding, the weekday
// names shifted by one day, customers whose key is a multiple of 3 never ordering).
//
// Speed and memory: rows are encoded byte by byte into a large preallocated buffer (no strings,
// no per-row objects), and two such buffers alternate so one is written to the file while the
// other fills; a table is never held in memory. The same SF always gives byte-identical files:
// all randomness comes from seeded xoshiro128** streams, one per table.

import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { QuiverError } from '../common/errors.js';

export interface SsbGenOptions {
  /** Scale factor: 1 is about 600 MB of data; fractions (0.01, 0.1) make small test sets. */
  sf: number;
  /** Output folder; created if missing. Existing `.tbl` files of the same names are replaced. */
  outDir: string;
  /** Called after every written chunk and once at the end of each table. */
  onProgress?: (table: string, rows: number, total: number) => void;
}

export interface SsbTableFile {
  table: string;
  rows: number;
  file: string;
  bytes: number;
}

/** Rows of each table (orders, not lineorder lines: each order has 1..7 lines). */
export interface SsbCardinalities {
  customer: number;
  supplier: number;
  part: number;
  date: number;
  orders: number;
}

// dbgen's base cardinalities at SF 1.
const CUSTOMER_BASE = 30_000;
const SUPPLIER_BASE = 2_000;
const PART_BASE = 200_000;
const ORDERS_BASE = 1_500_000;
/** 1992-01-01 .. 1998-12-30, at every SF. */
const DATE_ROWS = 2_556;
/** dbgen's MAX_SCALE; also keeps lo_orderkey (1.5e9 at SF 1000) within INTEGER. */
const MAX_SF = 1000;
/** Guards floor(base x sf) against 0.07 * 2000 = 139.99999... style float error. */
const COUNT_EPSILON = 1e-9;

/**
 * The table sizes dbgen makes at `sf`: customers 30,000 x SF, suppliers 2,000 x SF, orders
 * 1,500,000 x SF, parts 200,000 x floor(1 + log2 SF) from SF 1 up and 200,000 x SF below it.
 */
export function ssbCardinalities(sf: number): SsbCardinalities {
  if (typeof sf !== 'number' || !Number.isFinite(sf) || sf <= 0 || sf > MAX_SF) {
    throw new QuiverError('INVALID_INPUT', `gen ssb: the scale factor must be a number greater than 0 and at most ${MAX_SF} (got ${String(sf)}); try --sf 1`);
  }
  const scaled = (base: number) => Math.floor(base * sf + COUNT_EPSILON);
  const counts: SsbCardinalities = {
    customer: scaled(CUSTOMER_BASE),
    supplier: scaled(SUPPLIER_BASE),
    part: sf >= 1 ? PART_BASE * Math.floor(1 + Math.log2(sf) + COUNT_EPSILON) : scaled(PART_BASE),
    date: DATE_ROWS,
    orders: scaled(ORDERS_BASE),
  };
  // The supplier table is the smallest scaled one: it reaches one row at SF 0.0005.
  if (counts.supplier < 1) {
    throw new QuiverError('INVALID_INPUT', `gen ssb: scale factor ${sf} is too small: the supplier table would be empty; use --sf 0.0005 or more`);
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Random numbers: xoshiro128** (32-bit state words, so only Math.imul and shifts: no BigInt).

class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // splitmix32 spreads the seed over the four state words (never all zero).
    let s = seed >>> 0;
    const mix = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
  }

  /** A uniform 32-bit unsigned integer. */
  nextU32(): number {
    const b5 = Math.imul(this.b, 5);
    const result = Math.imul((b5 << 7) | (b5 >>> 25), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = (this.d << 11) | (this.d >>> 21);
    return result;
  }

  /**
   * A uniform integer in [lo, hi]. u / 2^32 is exact and below 1 by at least 2^-32, more than
   * the rounding error of the product for any range we use, so the result never reaches hi + 1.
   */
  int(lo: number, hi: number): number {
    return lo + Math.floor((this.nextU32() / 4294967296) * (hi - lo + 1));
  }
}

// One fixed seed per table (and one for lineorder's line counts, so a first pass can count the
// lines exactly without drawing the rest of the rows).
const SEED_CUSTOMER = 0x5eb0c001;
const SEED_SUPPLIER = 0x5eb05002;
const SEED_PART = 0x5eb0a003;
const SEED_LINEORDER = 0x5eb01004;
const SEED_LINE_COUNTS = 0x5eb01005;

// ---------------------------------------------------------------------------------------------
// Value domains, as dbgen's dists.dss and build.c define them.

const bytes = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));

const REGIONS = ['AFRICA', 'AMERICA', 'ASIA', 'EUROPE', 'MIDDLE EAST'];
/** TPC-H's 25 nations in dbgen's order (the index gives the phone prefix 10 + i) with their region. */
const NATIONS: readonly [string, number][] = [
  ['ALGERIA', 0], ['ARGENTINA', 1], ['BRAZIL', 1], ['CANADA', 1], ['EGYPT', 4],
  ['ETHIOPIA', 0], ['FRANCE', 3], ['GERMANY', 3], ['INDIA', 2], ['INDONESIA', 2],
  ['IRAN', 4], ['IRAQ', 4], ['JAPAN', 2], ['JORDAN', 4], ['KENYA', 0],
  ['MOROCCO', 0], ['MOZAMBIQUE', 0], ['PERU', 1], ['CHINA', 2], ['ROMANIA', 3],
  ['SAUDI ARABIA', 4], ['VIETNAM', 2], ['RUSSIA', 3], ['UNITED KINGDOM', 3], ['UNITED STATES', 1],
];
/** Bytes `nation|region|` for each nation, written after the city. */
const NATION_REGION_FIELDS = NATIONS.map(([n, r]) => bytes(`${n}|${REGIONS[r]}|`));
/** A city is the nation name cut or padded with spaces to 9 characters, then a digit 0-9. */
const CITY_PREFIX_LEN = 9;
const CITY_PREFIXES = NATIONS.map(([n]) => bytes(n.slice(0, CITY_PREFIX_LEN).padEnd(CITY_PREFIX_LEN, ' ')));
/** Phone country codes start at 10 (dbgen: 10 + nation index). */
const PHONE_PREFIX_BASE = 10;

const MKT_SEGMENTS = ['AUTOMOBILE', 'BUILDING', 'FURNITURE', 'MACHINERY', 'HOUSEHOLD'].map(bytes);
const ORDER_PRIORITIES = ['1-URGENT', '2-HIGH', '3-MEDIUM', '4-NOT SPECI', '5-LOW'].map(bytes); // dbgen cuts "4-NOT SPECIFIED" to 11 characters
const SHIP_MODES = ['REG AIR', 'AIR', 'RAIL', 'SHIP', 'TRUCK', 'MAIL', 'FOB'].map(bytes);

/** dbgen's 92 colors: p_color is one, p_name two more, all three distinct. */
const COLORS = [
  'almond', 'antique', 'aquamarine', 'azure', 'beige', 'bisque', 'black', 'blanched', 'blue', 'blush',
  'brown', 'burlywood', 'burnished', 'chartreuse', 'chiffon', 'chocolate', 'coral', 'cornflower',
  'cornsilk', 'cream', 'cyan', 'dark', 'deep', 'dim', 'dodger', 'drab', 'firebrick', 'floral', 'forest',
  'frosted', 'gainsboro', 'ghost', 'goldenrod', 'green', 'grey', 'honeydew', 'hot', 'indian', 'ivory',
  'khaki', 'lace', 'lavender', 'lawn', 'lemon', 'light', 'lime', 'linen', 'magenta', 'maroon', 'medium',
  'metallic', 'midnight', 'mint', 'misty', 'moccasin', 'navajo', 'navy', 'olive', 'orange', 'orchid',
  'pale', 'papaya', 'peach', 'peru', 'pink', 'plum', 'powder', 'puff', 'purple', 'red', 'rose', 'rosy',
  'royal', 'saddle', 'salmon', 'sandy', 'seashell', 'sienna', 'sky', 'slate', 'smoke', 'snow', 'spring',
  'steel', 'tan', 'thistle', 'tomato', 'turquoise', 'violet', 'wheat', 'white', 'yellow',
].map(bytes);
/** p_type: 6 x 5 x 5 = 150 types, as dbgen's p_types list. */
const TYPES = ['STANDARD', 'SMALL', 'MEDIUM', 'LARGE', 'ECONOMY', 'PROMO'].flatMap((s1) =>
  ['ANODIZED', 'BURNISHED', 'PLATED', 'POLISHED', 'BRUSHED'].flatMap((s2) =>
    ['TIN', 'NICKEL', 'BRASS', 'STEEL', 'COPPER'].map((s3) => bytes(`${s1} ${s2} ${s3}`))));
/** p_container: 5 x 8 = 40 containers. */
const CONTAINERS = ['SM', 'LG', 'MED', 'JUMBO', 'WRAP'].flatMap((s1) =>
  ['CASE', 'BOX', 'BAG', 'JAR', 'PKG', 'PACK', 'CAN', 'DRUM'].map((s2) => bytes(`${s1} ${s2}`)));

const MFGR_COUNT = 5;
const CATEGORIES_PER_MFGR = 5;
const BRANDS_PER_CATEGORY = 40;
const PART_SIZE_MAX = 50;

/** dbgen's a_rnd alphabet for addresses: 64 characters, so a 32-bit draw gives five of them. */
const ADDRESS_CHARS = bytes('0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ, ');
/** dbgen's V_STR(15): lengths 0.4 x 15 .. 1.6 x 15. */
const ADDRESS_MIN_LEN = 6;
const ADDRESS_MAX_LEN = 24;

const CUST_MORTALITY = 3; // dbgen: customers whose key is a multiple of 3 place no orders
const LINES_MIN = 1;
const LINES_MAX = 7;
const QUANTITY_MAX = 50;
const DISCOUNT_MAX = 10;
const TAX_MAX = 8;
const COMMIT_MIN_DAYS = 30;
const COMMIT_MAX_DAYS = 90;
/**
 * Order dates are days 0 .. 2,405 after 1992-01-01 (1998-08-02): dbgen ends them 151 days (the
 * longest ship plus receipt delay it inherits from TPC-H) and one day before the end of its
 * 2,557-day calendar.
 */
const ORDER_DATE_LAST_DAY = 2_557 - 151 - 1;
const ORDER_DATE_DAYS = ORDER_DATE_LAST_DAY + 1;

/** dbgen's retail price in cents from the part key (rpb_routine). */
function retailPrice(partkey: number): number {
  return 90_000 + (Math.floor(partkey / 10) % 20_001) + (partkey % 1000) * 100;
}

// ---------------------------------------------------------------------------------------------
// The calendar: the day after 1992-01-01 as a yyyymmdd key, and dbgen's derived date columns.

const EPOCH_1992 = Date.UTC(1992, 0, 1);
const DAY_MS = 86_400_000;
const DATEKEY_LEN = 8;
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
/** dbgen's holidays (month, day); d_holidayfl is 1 on these. */
const HOLIDAYS: readonly [number, number][] = [[12, 24], [1, 1], [2, 20], [4, 20], [5, 20], [7, 20], [8, 20], [9, 20], [10, 20], [11, 20]];

/** dbgen's selling seasons by month: Christmas Nov-Dec, Summer May-Aug, Winter Jan-Mar, Spring Apr, Fall Sep-Oct. */
function sellingSeason(month: number): string {
  if (month >= 11) return 'Christmas';
  if (month >= 5 && month <= 8) return 'Summer';
  if (month <= 3) return 'Winter';
  if (month === 4) return 'Spring';
  return 'Fall';
}

/** yyyymmdd bytes of every day of the calendar, 8 bytes each, for lineorder's date columns. */
function dateKeyBytes(days: number): Uint8Array {
  const out = new Uint8Array(days * DATEKEY_LEN);
  for (let i = 0; i < days; i++) {
    const d = new Date(EPOCH_1992 + i * DAY_MS);
    const key = d.getUTCFullYear() * 10_000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
    out.set(bytes(String(key)), i * DATEKEY_LEN);
  }
  return out;
}

/** One line of the date table (without the newline), as dbgen's mk_date computes it. */
function dateLine(dayIndex: number): string {
  const d = new Date(EPOCH_1992 + dayIndex * DAY_MS);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  // dbgen computes ((tm_wday + 1) % 7) + 1 and names the result with Sunday = 1, which shifts
  // every name by one day against the calendar (1992-01-01, a Wednesday, is "Thursday", 5). We
  // keep dbgen's values: they are what SSB data says, and the flags below follow from them.
  const dayNumInWeek = ((d.getUTCDay() + 1) % 7) + 1;
  const dayNumInYear = Math.round((Date.UTC(year, month - 1, day) - Date.UTC(year, 0, 1)) / DAY_MS) + 1;
  const lastDayOfMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const holiday = HOLIDAYS.some(([m, dd]) => m === month && dd === day);
  const monthName = MONTH_NAMES[month - 1];
  const fields = [
    year * 10_000 + month * 100 + day,
    `${monthName} ${day}, ${year}`,
    WEEKDAY_NAMES[dayNumInWeek - 1],
    monthName,
    year,
    year * 100 + month,
    `${monthName.slice(0, 3)}${year}`,
    dayNumInWeek,
    day,
    dayNumInYear,
    month,
    Math.floor(dayNumInYear / 7) + 1,
    sellingSeason(month),
    dayNumInWeek === 7 ? 1 : 0,
    day === lastDayOfMonth ? 1 : 0,
    holiday ? 1 : 0,
    dayNumInWeek !== 1 && dayNumInWeek !== 7 ? 1 : 0,
  ];
  return `${fields.join('|')}|`;
}

// ---------------------------------------------------------------------------------------------
// Byte encoding: each helper writes at buf[p] and returns the position after what it wrote.

const PIPE = 0x7c;
const NEWLINE = 0x0a;
const SPACE = 0x20;
const DASH = 0x2d;
const ZERO = 0x30;

function putBytes(buf: Uint8Array, p: number, src: Uint8Array): number {
  for (let i = 0; i < src.length; i++) buf[p + i] = src[i];
  return p + src.length;
}

/** A non-negative integer below 2^53, in decimal. */
function putUint(buf: Uint8Array, p: number, v: number): number {
  let digits = 1;
  for (let t = v; t >= 10; t = Math.floor(t / 10)) digits++;
  let end = p + digits;
  let rest = v;
  while (end > p) {
    const q = Math.floor(rest / 10);
    buf[--end] = ZERO + (rest - q * 10);
    rest = q;
  }
  return p + digits;
}

/** A non-negative integer zero-padded to `width` digits (dbgen's %0Nld). */
function putPadded(buf: Uint8Array, p: number, v: number, width: number): number {
  let rest = v;
  for (let i = width - 1; i >= 0; i--) {
    const q = Math.floor(rest / 10);
    buf[p + i] = ZERO + (rest - q * 10);
    rest = q;
  }
  return p + width;
}

/** `prefix` then the key zero-padded to 9 digits: `Customer#000000001`. */
function putKeyName(buf: Uint8Array, p: number, prefix: Uint8Array, key: number): number {
  return putPadded(buf, putBytes(buf, p, prefix), key, 9);
}

/** dbgen's random address: 6..24 characters of the 64-character alphabet (may start with a space). */
function putAddress(buf: Uint8Array, p: number, rng: Rng): number {
  const len = rng.int(ADDRESS_MIN_LEN, ADDRESS_MAX_LEN);
  let bits = 0;
  for (let i = 0; i < len; i++) {
    if (i % 5 === 0) bits = rng.nextU32();
    buf[p + i] = ADDRESS_CHARS[bits & 63];
    bits >>>= 6;
  }
  return p + len;
}

/** dbgen's phone `NN-NNN-NNN-NNNN`, NN = 10 + nation index. */
function putPhone(buf: Uint8Array, p: number, nation: number, rng: Rng): number {
  p = putPadded(buf, p, PHONE_PREFIX_BASE + nation, 2);
  buf[p++] = DASH;
  p = putPadded(buf, p, rng.int(100, 999), 3);
  buf[p++] = DASH;
  p = putPadded(buf, p, rng.int(100, 999), 3);
  buf[p++] = DASH;
  return putPadded(buf, p, rng.int(1000, 9999), 4);
}

/** City, nation and region fields of a customer or supplier, with their pipes. */
function putGeography(buf: Uint8Array, p: number, nation: number, rng: Rng): number {
  p = putBytes(buf, p, CITY_PREFIXES[nation]);
  buf[p++] = ZERO + rng.int(0, 9);
  buf[p++] = PIPE;
  return putBytes(buf, p, NATION_REGION_FIELDS[nation]);
}

// ---------------------------------------------------------------------------------------------
// Output: a .tbl file written through two alternating buffers.

/** Bytes per write; a row is far shorter than the slack kept at the end of a buffer. */
const CHUNK_BYTES = 1 << 22;
const ROW_SLACK = 1024;
const FLUSH_AT = CHUNK_BYTES - ROW_SLACK;

class TblWriter {
  /** The buffer being filled; rows are encoded directly into it from `pos` on. */
  buf: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  pos = 0;
  bytes = 0;
  private spare: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private pending: Promise<void> | null = null;
  private failure: unknown = null;

  private constructor(private readonly fh: FileHandle, readonly path: string) {}

  static async create(path: string): Promise<TblWriter> {
    return new TblWriter(await open(path, 'w'), path);
  }

  /**
   * Hands the filled buffer to the file and continues in the spare one. At most one write is in
   * flight: waiting for the previous one first is the backpressure that bounds memory.
   */
  async flush(): Promise<void> {
    await this.settle();
    if (this.pos === 0) return;
    const full = this.buf;
    const length = this.pos;
    this.bytes += length;
    this.buf = this.spare;
    this.spare = full;
    this.pos = 0;
    // The rejection is caught here and rethrown by the next settle(), so it is never unhandled
    // while the generator runs synchronously between flushes.
    this.pending = this.writeAll(full, length).catch((e: unknown) => {
      this.failure = e;
    });
  }

  async close(): Promise<void> {
    try {
      await this.flush();
      await this.settle();
    } finally {
      await this.fh.close();
    }
  }

  private async settle(): Promise<void> {
    if (this.pending) await this.pending;
    this.pending = null;
    if (this.failure) throw this.failure;
  }

  private async writeAll(buf: Buffer, length: number): Promise<void> {
    let done = 0;
    while (done < length) {
      const { bytesWritten } = await this.fh.write(buf, done, length - done);
      done += bytesWritten;
    }
  }
}

type Progress = ((table: string, rows: number, total: number) => void) | undefined;

/**
 * Writes `name.tbl` in `dir` with `fill`, through a temporary file renamed at the end, so an
 * interrupted run never leaves a complete-looking but partial table.
 */
async function writeTable(
  dir: string,
  table: string,
  fill: (w: TblWriter) => Promise<number>,
): Promise<SsbTableFile> {
  const file = join(dir, `${table}.tbl`);
  const tmp = `${file}.tmp`;
  let writer: TblWriter | null = null;
  try {
    writer = await TblWriter.create(tmp);
    const rows = await fill(writer);
    await writer.close();
    await rename(tmp, file);
    return { table, rows, file, bytes: writer.bytes };
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    if (e instanceof QuiverError) throw e;
    const reason = e instanceof Error ? e.message : String(e);
    throw new QuiverError('IO_ERROR', `gen ssb: cannot write ${file}: ${reason}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The tables.

const CUSTOMER_NAME = bytes('Customer#');
const SUPPLIER_NAME = bytes('Supplier#');
const MFGR_PREFIX = bytes('MFGR#');

async function fillDate(w: TblWriter, progress: Progress): Promise<number> {
  // 2,556 rows: building each line as a string is cheap here and keeps dbgen's rules readable.
  for (let i = 0; i < DATE_ROWS; i++) {
    w.pos += w.buf.write(dateLine(i), w.pos, 'latin1');
    w.buf[w.pos++] = NEWLINE;
    if (w.pos > FLUSH_AT) await w.flush();
  }
  progress?.('date', DATE_ROWS, DATE_ROWS);
  return DATE_ROWS;
}

/** The columns customer and supplier rows share: `key|Name#key|address|city|nation|region|phone|`. */
function putParty(buf: Buffer, p: number, name: Uint8Array, key: number, rng: Rng): number {
  p = putUint(buf, p, key);
  buf[p++] = PIPE;
  p = putKeyName(buf, p, name, key);
  buf[p++] = PIPE;
  p = putAddress(buf, p, rng);
  buf[p++] = PIPE;
  const nation = rng.int(0, NATIONS.length - 1);
  p = putGeography(buf, p, nation, rng);
  p = putPhone(buf, p, nation, rng);
  buf[p++] = PIPE;
  return p;
}

async function fillCustomer(w: TblWriter, count: number, progress: Progress): Promise<number> {
  const rng = new Rng(SEED_CUSTOMER);
  let buf = w.buf;
  let p = w.pos;
  for (let key = 1; key <= count; key++) {
    p = putParty(buf, p, CUSTOMER_NAME, key, rng);
    p = putBytes(buf, p, MKT_SEGMENTS[rng.int(0, MKT_SEGMENTS.length - 1)]);
    buf[p++] = PIPE;
    buf[p++] = NEWLINE;
    if (p > FLUSH_AT) {
      w.pos = p;
      await w.flush();
      progress?.('customer', key, count);
      buf = w.buf;
      p = w.pos;
    }
  }
  w.pos = p;
  progress?.('customer', count, count);
  return count;
}

async function fillSupplier(w: TblWriter, count: number, progress: Progress): Promise<number> {
  const rng = new Rng(SEED_SUPPLIER);
  let buf = w.buf;
  let p = w.pos;
  for (let key = 1; key <= count; key++) {
    p = putParty(buf, p, SUPPLIER_NAME, key, rng);
    buf[p++] = NEWLINE;
    if (p > FLUSH_AT) {
      w.pos = p;
      await w.flush();
      progress?.('supplier', key, count);
      buf = w.buf;
      p = w.pos;
    }
  }
  w.pos = p;
  progress?.('supplier', count, count);
  return count;
}

async function fillPart(w: TblWriter, count: number, progress: Progress): Promise<number> {
  const rng = new Rng(SEED_PART);
  const colorCount = COLORS.length;
  let buf = w.buf;
  let p = w.pos;
  for (let key = 1; key <= count; key++) {
    // dbgen draws three distinct colors: the first is p_color, the other two make p_name.
    const color = rng.int(0, colorCount - 1);
    let name1 = rng.int(0, colorCount - 1);
    while (name1 === color) name1 = rng.int(0, colorCount - 1);
    let name2 = rng.int(0, colorCount - 1);
    while (name2 === color || name2 === name1) name2 = rng.int(0, colorCount - 1);
    const mfgr = rng.int(1, MFGR_COUNT);
    const category = rng.int(1, CATEGORIES_PER_MFGR);
    const brand = rng.int(1, BRANDS_PER_CATEGORY);

    p = putUint(buf, p, key);
    buf[p++] = PIPE;
    p = putBytes(buf, p, COLORS[name1]);
    buf[p++] = SPACE;
    p = putBytes(buf, p, COLORS[name2]);
    buf[p++] = PIPE;
    p = putBytes(buf, p, MFGR_PREFIX);
    buf[p++] = ZERO + mfgr;
    buf[p++] = PIPE;
    p = putBytes(buf, p, MFGR_PREFIX);
    buf[p++] = ZERO + mfgr;
    buf[p++] = ZERO + category;
    buf[p++] = PIPE;
    // dbgen appends the brand number 1..40 without padding ("%s%ld"): MFGR#513, MFGR#5540.
    p = putBytes(buf, p, MFGR_PREFIX);
    buf[p++] = ZERO + mfgr;
    buf[p++] = ZERO + category;
    p = putUint(buf, p, brand);
    buf[p++] = PIPE;
    p = putBytes(buf, p, COLORS[color]);
    buf[p++] = PIPE;
    p = putBytes(buf, p, TYPES[rng.int(0, TYPES.length - 1)]);
    buf[p++] = PIPE;
    p = putUint(buf, p, rng.int(1, PART_SIZE_MAX));
    buf[p++] = PIPE;
    p = putBytes(buf, p, CONTAINERS[rng.int(0, CONTAINERS.length - 1)]);
    buf[p++] = PIPE;
    buf[p++] = NEWLINE;
    if (p > FLUSH_AT) {
      w.pos = p;
      await w.flush();
      progress?.('part', key, count);
      buf = w.buf;
      p = w.pos;
    }
  }
  w.pos = p;
  progress?.('part', count, count);
  return count;
}

/** Lines of all orders: a pass over the line-count stream alone, so progress has a true total. */
function countLines(orders: number): number {
  const rng = new Rng(SEED_LINE_COUNTS);
  let total = 0;
  for (let o = 0; o < orders; o++) total += rng.int(LINES_MIN, LINES_MAX);
  return total;
}

async function fillLineorder(w: TblWriter, counts: SsbCardinalities, totalLines: number, progress: Progress): Promise<number> {
  const rng = new Rng(SEED_LINEORDER);
  const lineCounts = new Rng(SEED_LINE_COUNTS);
  const dates = dateKeyBytes(ORDER_DATE_DAYS + COMMIT_MAX_DAYS);
  const { customer: customers, part: parts, supplier: suppliers, orders } = counts;
  // An order's lines are drawn first (its total price goes on every line), then written.
  const partkey = new Int32Array(LINES_MAX);
  const suppkey = new Int32Array(LINES_MAX);
  const quantity = new Int32Array(LINES_MAX);
  const discount = new Int32Array(LINES_MAX);
  const tax = new Int32Array(LINES_MAX);
  const commit = new Int32Array(LINES_MAX);
  const shipmode = new Int32Array(LINES_MAX);
  const price = new Float64Array(LINES_MAX);
  const extended = new Float64Array(LINES_MAX);
  const revenue = new Float64Array(LINES_MAX);
  let buf = w.buf;
  let p = w.pos;
  let rows = 0;
  for (let orderkey = 1; orderkey <= orders; orderkey++) {
    const lines = lineCounts.int(LINES_MIN, LINES_MAX);
    const orderDate = rng.int(0, ORDER_DATE_DAYS - 1);
    // dbgen's rule: a key that is a multiple of 3 moves to a neighbour, so a third of the
    // customers never order.
    let custkey = rng.int(1, customers);
    let delta = 1;
    while (custkey % CUST_MORTALITY === 0) {
      custkey = Math.min(custkey + delta, customers);
      delta = -delta;
    }
    const priority = ORDER_PRIORITIES[rng.int(0, ORDER_PRIORITIES.length - 1)];
    let total = 0;
    for (let l = 0; l < lines; l++) {
      const pk = rng.int(1, parts);
      partkey[l] = pk;
      suppkey[l] = rng.int(1, suppliers);
      quantity[l] = rng.int(1, QUANTITY_MAX);
      discount[l] = rng.int(0, DISCOUNT_MAX);
      tax[l] = rng.int(0, TAX_MAX);
      commit[l] = orderDate + rng.int(COMMIT_MIN_DAYS, COMMIT_MAX_DAYS);
      shipmode[l] = rng.int(0, SHIP_MODES.length - 1);
      price[l] = retailPrice(pk);
      extended[l] = price[l] * quantity[l];
      revenue[l] = Math.floor((extended[l] * (100 - discount[l])) / 100);
      total += Math.floor((revenue[l] * (100 + tax[l])) / 100);
    }
    const dateAt = orderDate * DATEKEY_LEN;
    for (let l = 0; l < lines; l++) {
      p = putUint(buf, p, orderkey);
      buf[p++] = PIPE;
      p = putUint(buf, p, l + 1);
      buf[p++] = PIPE;
      p = putUint(buf, p, custkey);
      buf[p++] = PIPE;
      p = putUint(buf, p, partkey[l]);
      buf[p++] = PIPE;
      p = putUint(buf, p, suppkey[l]);
      buf[p++] = PIPE;
      for (let i = 0; i < DATEKEY_LEN; i++) buf[p + i] = dates[dateAt + i];
      p += DATEKEY_LEN;
      buf[p++] = PIPE;
      p = putBytes(buf, p, priority);
      buf[p++] = PIPE;
      buf[p++] = ZERO; // lo_shippriority is always 0
      buf[p++] = PIPE;
      p = putUint(buf, p, quantity[l]);
      buf[p++] = PIPE;
      p = putUint(buf, p, extended[l]);
      buf[p++] = PIPE;
      p = putUint(buf, p, total);
      buf[p++] = PIPE;
      p = putUint(buf, p, discount[l]);
      buf[p++] = PIPE;
      p = putUint(buf, p, revenue[l]);
      buf[p++] = PIPE;
      // dbgen: 6 * price / 10 in integers ("round off problem with linux if use 0.6").
      p = putUint(buf, p, Math.floor((6 * price[l]) / 10));
      buf[p++] = PIPE;
      p = putUint(buf, p, tax[l]);
      buf[p++] = PIPE;
      const commitAt = commit[l] * DATEKEY_LEN;
      for (let i = 0; i < DATEKEY_LEN; i++) buf[p + i] = dates[commitAt + i];
      p += DATEKEY_LEN;
      buf[p++] = PIPE;
      p = putBytes(buf, p, SHIP_MODES[shipmode[l]]);
      buf[p++] = PIPE;
      buf[p++] = NEWLINE;
    }
    rows += lines;
    if (p > FLUSH_AT) {
      w.pos = p;
      await w.flush();
      progress?.('lineorder', rows, totalLines);
      buf = w.buf;
      p = w.pos;
    }
  }
  w.pos = p;
  progress?.('lineorder', rows, totalLines);
  return rows;
}

/**
 * Generates the SSB tables at scale factor `sf` into `outDir` as customer.tbl, supplier.tbl,
 * part.tbl, date.tbl and lineorder.tbl, and returns what it wrote. The same SF always gives
 * byte-identical files.
 */
export async function generateSsb(options: SsbGenOptions): Promise<SsbTableFile[]> {
  const { sf, outDir, onProgress } = options;
  const counts = ssbCardinalities(sf);
  if (typeof outDir !== 'string' || outDir === '') {
    throw new QuiverError('INVALID_INPUT', 'gen ssb: an output folder is required (--out DIR)');
  }
  try {
    await mkdir(outDir, { recursive: true });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new QuiverError('IO_ERROR', `gen ssb: cannot create the output folder ${outDir}: ${reason}`);
  }
  const totalLines = countLines(counts.orders);
  return [
    await writeTable(outDir, 'customer', (w) => fillCustomer(w, counts.customer, onProgress)),
    await writeTable(outDir, 'supplier', (w) => fillSupplier(w, counts.supplier, onProgress)),
    await writeTable(outDir, 'part', (w) => fillPart(w, counts.part, onProgress)),
    await writeTable(outDir, 'date', (w) => fillDate(w, onProgress)),
    await writeTable(outDir, 'lineorder', (w) => fillLineorder(w, counts, totalLines, onProgress)),
  ];
}
