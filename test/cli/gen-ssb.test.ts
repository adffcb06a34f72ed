// Tests of the SSB data generator (cli/gen-ssb.ts) at SF 0.01: row counts, byte-identical
// reruns, the .tbl format, dbgen's value domains and formulas, and that the 13 SSB queries,
// evaluated in plain JS over the parsed files, select rows and groups as they should.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QuiverError } from '../../common/errors.js';
import { generateSsb, ssbCardinalities, type SsbTableFile } from '../../cli/gen-ssb.js';

const SF = 0.01;
const TABLES = ['customer', 'supplier', 'part', 'date', 'lineorder'];
const FIELD_COUNTS: Record<string, number> = { customer: 8, supplier: 7, part: 9, date: 17, lineorder: 17 };

// TPC-H's nations in dbgen's order (phone prefix = 10 + index) and their regions: written out
// here on purpose rather than imported, so the test checks the generator against the spec.
const NATION_REGION: [string, string][] = [
  ['ALGERIA', 'AFRICA'], ['ARGENTINA', 'AMERICA'], ['BRAZIL', 'AMERICA'], ['CANADA', 'AMERICA'],
  ['EGYPT', 'MIDDLE EAST'], ['ETHIOPIA', 'AFRICA'], ['FRANCE', 'EUROPE'], ['GERMANY', 'EUROPE'],
  ['INDIA', 'ASIA'], ['INDONESIA', 'ASIA'], ['IRAN', 'MIDDLE EAST'], ['IRAQ', 'MIDDLE EAST'],
  ['JAPAN', 'ASIA'], ['JORDAN', 'MIDDLE EAST'], ['KENYA', 'AFRICA'], ['MOROCCO', 'AFRICA'],
  ['MOZAMBIQUE', 'AFRICA'], ['PERU', 'AMERICA'], ['CHINA', 'ASIA'], ['ROMANIA', 'EUROPE'],
  ['SAUDI ARABIA', 'MIDDLE EAST'], ['VIETNAM', 'ASIA'], ['RUSSIA', 'EUROPE'],
  ['UNITED KINGDOM', 'EUROPE'], ['UNITED STATES', 'AMERICA'],
];
const NATION_INDEX = new Map(NATION_REGION.map(([n], i) => [n, i]));
const REGION_OF = new Map(NATION_REGION);

type Rows = string[][];

let dir = '';
let dirAgain = '';
let results: SsbTableFile[] = [];
const progress: { table: string; rows: number; total: number }[] = [];
const text: Record<string, string> = {};
const rows: Record<string, Rows> = {};

function parse(content: string): Rows {
  const lines = content.split('\n');
  lines.pop(); // the empty string after the last '\n'
  return lines.map((l) => l.split('|').slice(0, -1));
}

/** Days from a to b, both yyyymmdd. */
function daysBetween(a: number, b: number): number {
  const utc = (k: number) => Date.UTC(Math.floor(k / 10000), (Math.floor(k / 100) % 100) - 1, k % 100);
  return Math.round((utc(b) - utc(a)) / 86_400_000);
}

/** dbgen's rpb_routine, in cents. */
const retailPrice = (partkey: number) => 90000 + (Math.floor(partkey / 10) % 20001) + (partkey % 1000) * 100;

/**
 * Collects the first violations of per-row rules: one expect() per row field would make these
 * tests take seconds over 60,000 rows, so rows are checked in plain JS and the list compared once.
 */
class Violations {
  readonly found: string[] = [];
  check(ok: boolean, what: string, row: string[]): void {
    if (!ok && this.found.length < 10) this.found.push(`${what}: ${row.join('|')}`);
  }
}

const sha256 = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quiver-gen-ssb-'));
  dirAgain = await mkdtemp(join(tmpdir(), 'quiver-gen-ssb-'));
  results = await generateSsb({ sf: SF, outDir: dir, onProgress: (table, r, total) => progress.push({ table, rows: r, total }) });
  for (const t of TABLES) {
    text[t] = await readFile(join(dir, `${t}.tbl`), 'latin1');
    rows[t] = parse(text[t]);
  }
});

afterAll(async () => {
  for (const d of [dir, dirAgain]) if (d) await rm(d, { recursive: true, force: true });
});

describe('ssbCardinalities', () => {
  it('scales as dbgen: part by floor(1 + log2 SF) from SF 1, by SF below it', () => {
    expect(ssbCardinalities(0.01)).toEqual({ customer: 300, supplier: 20, part: 2000, date: 2556, orders: 15000 });
    expect(ssbCardinalities(1)).toEqual({ customer: 30000, supplier: 2000, part: 200000, date: 2556, orders: 1500000 });
    expect(ssbCardinalities(0.5).part).toBe(100000);
    expect(ssbCardinalities(2).part).toBe(400000);
    expect(ssbCardinalities(10)).toEqual({ customer: 300000, supplier: 20000, part: 800000, date: 2556, orders: 15000000 });
    expect(ssbCardinalities(0.07).supplier).toBe(140); // 0.07 * 2000 is 139.99999999999997 in doubles
  });

  it('rejects scale factors that are not positive, too small for a supplier, or too large', () => {
    for (const sf of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 1001, 0.0001]) {
      expect(() => ssbCardinalities(sf)).toThrow(QuiverError);
    }
    expect(() => ssbCardinalities(0.0001)).toThrow(/too small.*--sf 0\.0005/);
  });
});

describe('generateSsb files', () => {
  it('reports each table with its row count, path and size', async () => {
    expect(results.map((r) => r.table)).toEqual(TABLES);
    for (const r of results) {
      expect(r.file).toBe(join(dir, `${r.table}.tbl`));
      expect(r.rows).toBe(rows[r.table].length);
      expect(r.bytes).toBe(Buffer.byteLength(text[r.table], 'latin1'));
    }
    const count = Object.fromEntries(results.map((r) => [r.table, r.rows]));
    expect(count).toMatchObject({ customer: 300, supplier: 20, part: 2000, date: 2556 });
    // 15,000 orders of 1..7 lines: 60,000 expected, standard deviation about 250.
    expect(count.lineorder).toBeGreaterThan(58_500);
    expect(count.lineorder).toBeLessThan(61_500);
  });

  it('reports progress per table, ending at the table total', () => {
    for (const r of results) {
      const calls = progress.filter((p) => p.table === r.table);
      expect(calls.length).toBeGreaterThan(0);
      expect(calls.at(-1)).toEqual({ table: r.table, rows: r.rows, total: r.rows });
      for (let i = 1; i < calls.length; i++) expect(calls[i].rows).toBeGreaterThanOrEqual(calls[i - 1].rows);
    }
  });

  it('writes byte-identical files on a second run', async () => {
    await generateSsb({ sf: SF, outDir: dirAgain });
    for (const t of TABLES) expect(await sha256(join(dirAgain, `${t}.tbl`))).toBe(await sha256(join(dir, `${t}.tbl`)));
  });

  it('writes dbgen .tbl lines: trailing pipe, \\n endings, the schema field count, no empty field', () => {
    for (const t of TABLES) {
      expect(text[t].endsWith('|\n')).toBe(true);
      expect(text[t]).not.toContain('\r');
      const v = new Violations();
      for (const line of text[t].split('\n').slice(0, -1)) v.check(line.endsWith('|'), `${t}: no trailing pipe`, [line]);
      for (const r of rows[t]) {
        v.check(r.length === FIELD_COUNTS[t], `${t}: field count`, r);
        v.check(r.every((f) => f.length > 0), `${t}: empty field`, r);
      }
      expect(v.found).toEqual([]);
    }
  });

  it('rejects bad options with a clear error', async () => {
    await expect(generateSsb({ sf: 0, outDir: dirAgain })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(generateSsb({ sf: SF, outDir: '' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const file = join(dirAgain, 'not-a-folder');
    await writeFile(file, 'x');
    await expect(generateSsb({ sf: SF, outDir: file })).rejects.toMatchObject({ code: 'IO_ERROR' });
  });
});

describe('value domains', () => {
  it('customer and supplier: keys, names, addresses, geography, phones, segments', () => {
    const segments = new Set(['AUTOMOBILE', 'BUILDING', 'FURNITURE', 'HOUSEHOLD', 'MACHINERY']);
    for (const [t, tag] of [['customer', 'Customer#'], ['supplier', 'Supplier#']] as const) {
      const v = new Violations();
      const regions = new Set<string>();
      const nations = new Set<string>();
      rows[t].forEach((r, i) => {
        v.check(r[0] === String(i + 1), 'key', r);
        v.check(r[1] === `${tag}${String(i + 1).padStart(9, '0')}`, 'name', r);
        v.check(/^[0-9a-zA-Z, ]{6,24}$/.test(r[2]), 'address', r);
        const [city, nation, region, phone] = r.slice(3, 7);
        v.check(REGION_OF.get(nation) === region, 'region of nation', r);
        v.check(city.length === 10 && city.slice(0, 9) === nation.slice(0, 9).padEnd(9, ' ') && /[0-9]/.test(city[9]), 'city', r);
        v.check(/^\d\d-\d{3}-\d{3}-\d{4}$/.test(phone), 'phone format', r);
        v.check(Number(phone.slice(0, 2)) === 10 + (NATION_INDEX.get(nation) ?? -100), 'phone prefix', r);
        if (t === 'customer') v.check(segments.has(r[7]), 'market segment', r);
        regions.add(region);
        nations.add(nation);
      });
      expect(v.found).toEqual([]);
      if (t === 'customer') {
        expect([...regions].sort()).toEqual(['AFRICA', 'AMERICA', 'ASIA', 'EUROPE', 'MIDDLE EAST']);
        expect(nations.size).toBe(25);
        expect(new Set(rows.customer.map((r) => r[7])).size).toBe(5);
      }
    }
    // Cities as the queries spell them.
    const cities = new Set(rows.customer.map((r) => r[3]));
    expect(cities.has('UNITED KI1') || cities.has('UNITED KI5')).toBe(true);
    expect([...cities].some((c) => c.startsWith('MOROCCO  '))).toBe(true);
  });

  it('part: mfgr, category within mfgr, brand within category, colors, types, sizes, containers', () => {
    const v = new Violations();
    const categories = new Set<string>();
    const colors = new Set<string>();
    const type = /^(STANDARD|SMALL|MEDIUM|LARGE|ECONOMY|PROMO) (ANODIZED|BURNISHED|PLATED|POLISHED|BRUSHED) (TIN|NICKEL|BRASS|STEEL|COPPER)$/;
    const container = /^(SM|LG|MED|JUMBO|WRAP) (CASE|BOX|BAG|JAR|PKG|PACK|CAN|DRUM)$/;
    rows.part.forEach((r, i) => {
      v.check(r[0] === String(i + 1), 'key', r);
      const [, name, mfgr, category, brand, color] = r;
      v.check(/^MFGR#[1-5]$/.test(mfgr), 'mfgr', r);
      v.check(/^MFGR#[1-5][1-5]$/.test(category) && category.startsWith(mfgr), 'category within mfgr', r);
      // dbgen appends the brand number 1..40 without zero padding: MFGR#131, MFGR#1340.
      const brandNo = brand.slice(category.length);
      v.check(brand.startsWith(category) && /^[1-9][0-9]?$/.test(brandNo) && Number(brandNo) <= 40, 'brand within category', r);
      const words = name.split(' ');
      v.check(words.length === 2 && new Set([...words, color]).size === 3, 'name of two more colors', r);
      v.check([...words, color].every((w) => /^[a-z]+$/.test(w)), 'color words', r);
      v.check(type.test(r[6]), 'type', r);
      v.check(Number(r[7]) >= 1 && Number(r[7]) <= 50 && String(Number(r[7])) === r[7], 'size', r);
      v.check(container.test(r[8]), 'container', r);
      categories.add(category);
      colors.add(color);
    });
    expect(v.found).toEqual([]);
    expect(categories.size).toBe(25);
    expect(colors.size).toBeGreaterThan(85); // of dbgen's 92, over 2,000 parts
    expect(colors.size).toBeLessThanOrEqual(92);
  });

  it('date: 1992-01-01 .. 1998-12-30 with the derived columns dbgen writes', () => {
    const d = rows.date;
    // dbgen's own first row, except d_lastdayinmonthfl, which we compute right (0 on Jan 1).
    expect(d[0].join('|')).toBe('19920101|January 1, 1992|Thursday|January|1992|199201|Jan1992|5|1|1|1|1|Winter|0|0|1|1');
    expect(d.at(-1)?.[0]).toBe('19981230');
    const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
    const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
    const season = (m: number) => (m >= 11 ? 'Christmas' : m >= 5 && m <= 8 ? 'Summer' : m <= 3 ? 'Winter' : m === 4 ? 'Spring' : 'Fall');
    const holidaysPerYear = new Map<string, number>();
    const v = new Violations();
    d.forEach((r, i) => {
      const key = Number(r[0]);
      v.check(daysBetween(19920101, key) === i, 'consecutive days', r);
      const [year, month, day] = [Math.floor(key / 10000), Math.floor(key / 100) % 100, key % 100];
      const monthName = months[month - 1];
      // dbgen's weekday numbering, one day later than the calendar, names Sunday = 1.
      const dayInWeek = ((new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1) % 7) + 1;
      const dayInYear = daysBetween(year * 10000 + 101, key) + 1;
      const expected = [
        key, `${monthName} ${day}, ${year}`, weekdays[dayInWeek - 1], monthName, year, year * 100 + month,
        `${monthName.slice(0, 3)}${year}`, dayInWeek, day, dayInYear, month, Math.floor(dayInYear / 7) + 1,
        season(month), dayInWeek === 7 ? 1 : 0, new Date(Date.UTC(year, month, 0)).getUTCDate() === day ? 1 : 0,
      ].map(String);
      v.check(r.slice(0, 15).join('|') === expected.join('|'), `derived columns (expected ${expected.join('|')})`, r);
      v.check(r[16] === (dayInWeek === 1 || dayInWeek === 7 ? '0' : '1'), 'weekday flag', r);
      if (r[15] === '1') holidaysPerYear.set(r[4], (holidaysPerYear.get(r[4]) ?? 0) + 1);
    });
    expect(v.found).toEqual([]);
    // Ten holidays every year: 1998's last one, Christmas Eve, falls before the calendar ends.
    expect([...holidaysPerYear.values()]).toEqual([10, 10, 10, 10, 10, 10, 10]);
  });

  it('lineorder: keys, lines, dates, priorities and dbgen price formulas', () => {
    const { customer, part, supplier } = ssbCardinalities(SF);
    const dateKeys = new Set(rows.date.map((r) => r[0]));
    const priorities = new Set(['1-URGENT', '2-HIGH', '3-MEDIUM', '4-NOT SPECI', '5-LOW']);
    const shipModes = new Set(['REG AIR', 'AIR', 'RAIL', 'SHIP', 'TRUCK', 'MAIL', 'FOB']);
    const between = (s: string, lo: number, hi: number) => Number(s) >= lo && Number(s) <= hi && String(Number(s)) === s;
    const v = new Violations();
    const discounts = new Set<string>();
    const years = new Set<string>();
    let order = 0;
    let line = 0;
    let first: string[] = [];
    let orderTotal = 0;
    const checkTotal = () => v.check(Number(first[10]) === orderTotal, `order total (expected ${orderTotal})`, first);
    for (const r of rows.lineorder) {
      const [orderkey, linenumber, custkey, partkey, suppkey, orderdate, priority, shipPriority, qty, extended, total, discount, revenue, supplycost, tax, commitdate, shipmode] = r;
      if (linenumber === '1') {
        if (order > 0) checkTotal();
        order++;
        v.check(orderkey === String(order), 'consecutive order keys', r);
        line = 1;
        first = r;
        orderTotal = 0;
      } else {
        line++;
        v.check(linenumber === String(line) && line <= 7, 'line numbers 1..k, k <= 7', r);
        // Order-level columns repeat on each line of the order.
        v.check([orderkey, custkey, orderdate, priority, total].join() === [first[0], first[2], first[5], first[6], first[10]].join(), 'order columns', r);
      }
      // dbgen: a customer whose key is a multiple of 3 never orders.
      v.check(between(custkey, 1, customer) && Number(custkey) % 3 !== 0, 'custkey', r);
      v.check(between(partkey, 1, part) && between(suppkey, 1, supplier), 'part and supplier keys', r);
      v.check(dateKeys.has(orderdate) && Number(orderdate) <= 19980802, 'order date', r);
      const lag = daysBetween(Number(orderdate), Number(commitdate));
      v.check(lag >= 30 && lag <= 90, 'commit date 30..90 days after the order', r);
      v.check(priorities.has(priority) && shipPriority === '0' && shipModes.has(shipmode), 'priorities and ship mode', r);
      v.check(between(qty, 1, 50) && between(discount, 0, 10) && between(tax, 0, 8), 'quantity, discount, tax', r);
      const price = retailPrice(Number(partkey));
      v.check(Number(extended) === Number(qty) * price, 'extended price = quantity x retail price', r);
      v.check(Number(revenue) === Math.floor((Number(extended) * (100 - Number(discount))) / 100), 'revenue', r);
      v.check(Number(supplycost) === Math.floor((6 * price) / 10), 'supply cost', r);
      orderTotal += Math.floor((Number(revenue) * (100 + Number(tax))) / 100);
      discounts.add(discount);
      years.add(orderdate.slice(0, 4));
    }
    checkTotal();
    expect(v.found).toEqual([]);
    expect(order).toBe(15000);
    expect(discounts.size).toBe(11);
    expect([...years].sort()).toEqual(['1992', '1993', '1994', '1995', '1996', '1997', '1998']);
    expect(rows.lineorder.some((r) => r[5] === '19980802')).toBe(true);
    expect(new Set(rows.lineorder.map((r) => r[2])).size).toBeGreaterThan(190); // of the 200 who order
  });
});

describe('the 13 SSB queries over the generated data', () => {
  interface Joined {
    lo: string[];
    d: string[];
    c: string[];
    s: string[];
    p: string[];
  }
  interface Query {
    name: string;
    where: (j: Joined) => boolean;
    group: (j: Joined) => string;
    /** Rows selected at SF 0.01 must exceed this. */
    minRows: number;
    /** The number of groups allowed: at least min, at most the domain's size. */
    groups: [number, number];
  }
  const num = (s: string) => Number(s);
  const lo = (j: Joined, i: number) => num(j.lo[i]);
  const [LO_QTY, LO_DISCOUNT] = [8, 11];
  const [D_YEAR, D_YEARMONTHNUM, D_YEARMONTH, D_WEEK] = [4, 5, 6, 11];
  const [C_CITY, C_NATION, C_REGION] = [3, 4, 5];
  const [S_CITY, S_NATION, S_REGION] = [3, 4, 5];
  const [P_MFGR, P_CATEGORY, P_BRAND] = [2, 3, 4];
  const ukCity = (city: string) => city === 'UNITED KI1' || city === 'UNITED KI5';
  const year = (j: Joined) => num(j.d[D_YEAR]);
  const america = (j: Joined) => j.c[C_REGION] === 'AMERICA' && j.s[S_REGION] === 'AMERICA';
  const mfgr12 = (j: Joined) => j.p[P_MFGR] === 'MFGR#1' || j.p[P_MFGR] === 'MFGR#2';
  // Group-count limits are the largest the domains allow (q2.1: 7 years x 40 brands); lower
  // bounds are what SF 0.01 reaches with room to spare. At SF 1 the generator gives q2.1 280,
  // q2.2 56, q2.3 7, q3.1 150, q3.2 600, q3.3 24, q3.4 3, q4.1 35, q4.2 100, q4.3 397 groups
  // (dbgen's data: the same but q3.2 596 and q4.3 330).
  const queries: Query[] = [
    { name: 'q1.1', where: (j) => year(j) === 1993 && lo(j, LO_DISCOUNT) >= 1 && lo(j, LO_DISCOUNT) <= 3 && lo(j, LO_QTY) < 25, group: () => '', minRows: 100, groups: [1, 1] },
    { name: 'q1.2', where: (j) => num(j.d[D_YEARMONTHNUM]) === 199401 && lo(j, LO_DISCOUNT) >= 4 && lo(j, LO_DISCOUNT) <= 6 && lo(j, LO_QTY) >= 26 && lo(j, LO_QTY) <= 35, group: () => '', minRows: 10, groups: [1, 1] },
    { name: 'q1.3', where: (j) => num(j.d[D_WEEK]) === 6 && year(j) === 1994 && lo(j, LO_DISCOUNT) >= 5 && lo(j, LO_DISCOUNT) <= 7 && lo(j, LO_QTY) >= 26 && lo(j, LO_QTY) <= 35, group: () => '', minRows: 1, groups: [1, 1] },
    { name: 'q2.1', where: (j) => j.p[P_CATEGORY] === 'MFGR#12' && j.s[S_REGION] === 'AMERICA', group: (j) => `${year(j)}|${j.p[P_BRAND]}`, minRows: 100, groups: [150, 280] },
    { name: 'q2.2', where: (j) => j.p[P_BRAND] >= 'MFGR#2221' && j.p[P_BRAND] <= 'MFGR#2228' && j.s[S_REGION] === 'ASIA', group: (j) => `${year(j)}|${j.p[P_BRAND]}`, minRows: 20, groups: [20, 56] },
    { name: 'q2.3', where: (j) => j.p[P_BRAND] === 'MFGR#2221' && j.s[S_REGION] === 'EUROPE', group: (j) => `${year(j)}|${j.p[P_BRAND]}`, minRows: 0, groups: [1, 7] },
    { name: 'q3.1', where: (j) => j.c[C_REGION] === 'ASIA' && j.s[S_REGION] === 'ASIA' && year(j) <= 1997, group: (j) => `${j.c[C_NATION]}|${j.s[S_NATION]}|${year(j)}`, minRows: 500, groups: [60, 150] },
    { name: 'q3.2', where: (j) => j.c[C_NATION] === 'UNITED STATES' && j.s[S_NATION] === 'UNITED STATES' && year(j) <= 1997, group: (j) => `${j.c[C_CITY]}|${j.s[S_CITY]}|${year(j)}`, minRows: 20, groups: [20, 600] },
    { name: 'q4.1', where: (j) => america(j) && mfgr12(j), group: (j) => `${year(j)}|${j.c[C_NATION]}`, minRows: 500, groups: [35, 35] },
    { name: 'q4.2', where: (j) => america(j) && (year(j) === 1997 || year(j) === 1998) && mfgr12(j), group: (j) => `${year(j)}|${j.s[S_NATION]}|${j.p[P_CATEGORY]}`, minRows: 100, groups: [40, 100] },
    { name: 'q4.3', where: (j) => j.c[C_REGION] === 'AMERICA' && j.s[S_NATION] === 'UNITED STATES' && (year(j) === 1997 || year(j) === 1998) && j.p[P_CATEGORY] === 'MFGR#14', group: (j) => `${year(j)}|${j.s[S_CITY]}|${j.p[P_BRAND]}`, minRows: 1, groups: [1, 800] },
  ];

  it('every query selects rows and a plausible number of groups', () => {
    const byKey = (t: string) => new Map(rows[t].map((r) => [r[0], r]));
    const [dates, customers, suppliers, parts] = [byKey('date'), byKey('customer'), byKey('supplier'), byKey('part')];
    const selected = queries.map(() => 0);
    const groups = queries.map(() => new Set<string>());
    let dangling = 0;
    for (const r of rows.lineorder) {
      const j: Joined = { lo: r, d: dates.get(r[5]) ?? [], c: customers.get(r[2]) ?? [], s: suppliers.get(r[4]) ?? [], p: parts.get(r[3]) ?? [] };
      if (j.d.length * j.c.length * j.s.length * j.p.length === 0) dangling++;
      queries.forEach((q, i) => {
        if (q.where(j)) {
          selected[i]++;
          groups[i].add(q.group(j));
        }
      });
    }
    expect(dangling).toBe(0); // every foreign key joins
    queries.forEach((q, i) => {
      const got = { query: q.name, rows: selected[i], groups: groups[i].size };
      expect(got.rows, q.name).toBeGreaterThan(q.minRows);
      expect(got.groups, q.name).toBeGreaterThanOrEqual(q.groups[0]);
      expect(got.groups, q.name).toBeLessThanOrEqual(q.groups[1]);
    });
    // q1.1 keeps about 1/7 x 3/11 x 24/50 of the rows, as in dbgen's data (~1.9%).
    const q11 = selected[0] / rows.lineorder.length;
    expect(q11).toBeGreaterThan(0.015);
    expect(q11).toBeLessThan(0.023);
  });

  it('the predicates of q3.3 and q3.4 find their values (too rare to join at SF 0.01, as with dbgen)', () => {
    // At SF 1 dbgen has about 16 suppliers in UNITED KI1/KI5; at SF 0.01 there are 20 suppliers
    // in all, so the joined result is empty there, as dbgen's would be.
    expect(rows.customer.some((r) => ukCity(r[C_CITY]))).toBe(true);
    const custUk = new Set(rows.customer.filter((r) => ukCity(r[C_CITY])).map((r) => r[0]));
    expect(rows.lineorder.some((r) => custUk.has(r[2]))).toBe(true);
    const dec1997 = new Set(rows.date.filter((r) => r[D_YEARMONTH] === 'Dec1997').map((r) => r[0]));
    expect(dec1997.size).toBe(31);
    expect(rows.lineorder.some((r) => dec1997.has(r[5]))).toBe(true);
  });
});
