// A seeded random SELECT generator over the differential star schema (schema.ts). Every query
// it produces must run on DuckDB and mean the same thing there as in Quiver (DESIGN.md, "SQL
// dialect decisions"), so the generator stays inside the common ground of the two engines:
//
// - Expressions are typed while they are built: a comparison never mixes a string with a number,
//   set-operation branches agree column by column, and DECIMAL scales are tracked.
// - Integer overflow never happens: every numeric expression carries an upper bound of |value|
//   (maxAbs) and of the sum of |value| over all rows of its FROM (sumAbs), so INTEGER stays inside
//   int32, BIGINT and SUM(BIGINT) inside int64, and DECIMAL inside 18 digits. Joins multiply the
//   bounds by how many rows share a key (maxDup), measured on the data.
// - Answers are deterministic: LIMIT comes only with an ORDER BY over every output column
//   (DOUBLE columns last, so near-ties in floats cannot change which rows are kept), scalar
//   subqueries are aggregates without GROUP BY (one row), and floats come from multiples of 1/8
//   so their sums are exact in any order unless a division is involved, which SUM and AVG avoid.
// - Constructs where DuckDB and PostgreSQL disagree are avoided: date_trunc is cast to DATE,
//   % only on integers, round() of a DOUBLE only to whole numbers, HAVING never names an alias.
//
// Each query records the features it uses, so the test can prove it covered joins, outer joins,
// NULL group keys, subqueries, ORDER BY + LIMIT and the rest.

import { Rng } from './rng.js';
import { type GroupingSetsClause, groupingSetsClause } from './grouping-sets-generator.js';
import { type WindowExpr, WindowGenerator } from './window-generator.js';
import { ScalarFunctionGenerator, type ScalarOperand } from './scalar-function-generator.js';
import { AggregateFunctionGenerator } from './aggregate-function-generator.js';
import { GreatestLeastGenerator, type OrderedOperands } from './greatest-least-generator.js';
import { DatePartGenerator } from './date-part-generator.js';
import { PositionGenerator } from './position-generator.js';
import { BoolAggregateGenerator, type BoolAggOperand } from './bool-aggregate-generator.js';
import { ArgMinMaxGenerator, type ArgMinMaxOperands } from './arg-min-max-generator.js';
import type { OrderKey } from '../../cli/compare-results.js';
import {
  centsToDecimal,
  daysToDate,
  dateToDays,
  TABLES,
  type Dataset,
  type KeyRole,
  type SqlType,
  type TableSpec,
  type Value,
} from './schema.js';

export type GType = 'int' | 'bigint' | 'decimal' | 'double' | 'varchar' | 'date' | 'timestamp' | 'bool';

export interface QueryFeatures {
  /** The most joins (FROM items - 1) in one FROM clause of the query. */
  joins: number;
  outerJoin: boolean;
  commaJoin: boolean;
  groupBy: boolean;
  /** GROUP BY ROLLUP / CUBE / GROUPING SETS, with GROUPING(). */
  groupingSets: boolean;
  /** Some GROUP BY key may be NULL. */
  nullGroupKeys: boolean;
  aggregate: boolean;
  aggregateFilter: boolean;
  countDistinct: boolean;
  having: boolean;
  distinct: boolean;
  /** A scalar, IN or EXISTS subquery in an expression. */
  subquery: boolean;
  correlatedSubquery: boolean;
  existsSubquery: boolean;
  inSubquery: boolean;
  scalarSubquery: boolean;
  derivedTable: boolean;
  cte: boolean;
  setOp: boolean;
  orderBy: boolean;
  /** ORDER BY with LIMIT (at the top or in a derived table). */
  orderByLimit: boolean;
  offset: boolean;
  caseExpr: boolean;
  stringFunctions: boolean;
  dateFunctions: boolean;
  cast: boolean;
  /** Window functions in the select list (window-generator.ts). */
  window: boolean;
  qualify: boolean;
  /** strftime, date_diff, make_date, regexp_*, split_part, lpad/rpad, left/right... */
  moreScalarFunctions: boolean;
  /** stddev/variance, samp and pop, in place of an AVG. */
  statisticalAggregates: boolean;
  /** median(x), in place of an AVG (aggregate-function-generator.ts). */
  median: boolean;
  /** quantile_cont(x, q), in place of an AVG. */
  quantileCont: boolean;
  /** quantile_disc(x, q), in place of a MIN or MAX. */
  quantileDisc: boolean;
  /** length(string_agg(s, sep)), in place of a COUNT(s). */
  stringAgg: boolean;
  /** greatest(...) around a finished expression (greatest-least-generator.ts). */
  greatest: boolean;
  /** least(...) around a finished expression. */
  least: boolean;
  /** date_part('field', x), in place of an extract (date-part-generator.ts). */
  datePart: boolean;
  /** position(n IN s), strpos(s, n) or instr(s, n), in place of a length(s) (position-generator.ts). */
  strpos: boolean;
  /** bool_and(p) (bool-aggregate-generator.ts). */
  boolAnd: boolean;
  /** bool_or(p). */
  boolOr: boolean;
  /** arg_min(arg, val), in place of a MIN or MAX (arg-min-max-generator.ts). */
  argMin: boolean;
  /** arg_max(arg, val). */
  argMax: boolean;
}

export type FeatureName = keyof QueryFeatures;

/** A sort key of the result, by output column position (0-based); defined beside the comparison. */
export type { OrderKey };

export interface GeneratedQuery {
  index: number;
  sql: string;
  features: QueryFeatures;
  /** The top-level ORDER BY as output columns, or null when the order of rows is unspecified. */
  orderBy: OrderKey[] | null;
}

const INT_LIMIT = 2_000_000_000;
const BIGINT_LIMIT = 4e18;
/** DECIMAL values stay below 10^17 as scaled integers: Quiver holds 18 digits exactly. */
const DECIMAL_UNSCALED_LIMIT = 1e17;
const MAX_DECIMAL_SCALE = 6;
/** A join whose row bound passes this is not generated (it would be a near cross product). */
const MAX_JOIN_ROWS = 20_000;
const MAX_SAMPLES = 300;
/** Columns with at most this many distinct values make groups and correlations of several rows. */
const LOW_CARDINALITY = 60;
/** Expression nesting depth at the top of an expression. */
const EXPR_DEPTH = 2;
/** Subquery nesting depth limit (derived tables, CTEs and expression subqueries). */
const MAX_QUERY_DEPTH = 2;

const NUMERIC: readonly GType[] = ['int', 'bigint', 'decimal', 'double'];
/** A qualified column reference (alias.column) in generated SQL. */
const COLUMN_REF_RE = /\b[a-z]\d+\.[a-z]/;
/** Values per column offered to the later functions as literals. */
const OPERAND_LITERALS = 30;
/** Largest |value| of an INTEGER column combined with a unique one as an arg_min/arg_max val. */
const ARG_FACTOR_MAX = 1e6;
const WORDS = ['Paris', 'berlin', 'web', 'gift', 'Toys', 'Brand#3', 'Winter', 'a', 'Zürich', 'x', ''];

interface Col {
  qual: string;
  name: string;
  type: GType;
  scale: number;
  nullable: boolean;
  maxAbs: number;
  sumAbs: number;
  /** Most rows that share one non-NULL value of this column. */
  maxDup: number;
  key?: KeyRole;
  /** The base table column this is, when it is one (for correlation on equal attributes). */
  base?: { table: string; column: string };
  samples: readonly Value[];
  /** A DOUBLE computed with a division (AVG too): engines may differ in the last bit. */
  inexact: boolean;
  /** A DECIMAL DuckDB types with precision 38 (SUM): see Expr.wide. */
  wide: boolean;
}

interface Expr {
  sql: string;
  type: GType;
  scale: number;
  nullable: boolean;
  maxAbs: number;
  sumAbs: number;
  /** Contains an aggregate. */
  agg: boolean;
  /** A DOUBLE that went through a division: its sums are not exact. */
  inexact: boolean;
  /**
   * A DECIMAL DuckDB types as DECIMAL(38, s) (a SUM, or arithmetic on one). Where DuckDB unifies
   * it with a DECIMAL of a larger scale (CASE, COALESCE, set operations, IN (subquery)) it keeps
   * precision 38 and drops the extra scale, rounding the other side: 1.25 IN (SELECT SUM(1))
   * is true there. PostgreSQL's numeric does not; the generator avoids those pairings.
   */
  wide: boolean;
  col?: Col;
}

interface Scope {
  cols: Col[];
  rows: number;
}

/** A table-like thing a FROM item can name: a base table, a CTE, or a derived table. */
interface Source {
  kind: 'table' | 'cte' | 'derived';
  /** Table or CTE name; empty for derived tables (their SQL is built when used). */
  name: string;
  cols: Omit<Col, 'qual'>[];
  rows: number;
  table?: TableSpec;
}

interface CteDef {
  name: string;
  source: Source;
}

interface Ctx {
  depth: number;
  ctes: CteDef[];
}

interface FromResult {
  sql: string;
  scope: Scope;
  /** Join equalities of a comma join; they go into WHERE. */
  joinPreds: string[];
  items: number;
}

interface Output {
  expr: Expr;
  alias: string | null;
  /** A GROUP BY key (grouped selects only). */
  isKey: boolean;
}

interface SelectResult {
  sql: string;
  cols: Omit<Col, 'qual'>[];
  rows: number;
  orderBy: OrderKey[] | null;
}

interface SelectOpts {
  mode: 'plain' | 'group' | 'global';
  top: boolean;
  /** Output count and type of each output (set-operation branches, IN subqueries). */
  targetTypes?: GType[];
  /** The columns the outputs are unified with (DECIMAL outputs are fitted to them). */
  unifyWith?: { type: GType; scale: number; wide: boolean }[];
  /** The first output must be a key column of this role (derived tables, CTEs). */
  keyRole?: KeyRole;
  /** Add a correlation predicate with this outer scope. */
  correlateWith?: Scope;
  /** The FROM must name this CTE. */
  requireCte?: CteDef;
  /** Derived tables and CTEs alias every output. */
  aliasAll: boolean;
  /**
   * No output may be an inexact DOUBLE: the rows are deduplicated or compared for equality
   * (set operations, IN subqueries), where a last-bit difference would change the answer.
   */
  exactOutputs?: boolean;
  allowOrderLimit: boolean;
}

function emptyFeatures(): QueryFeatures {
  return {
    joins: 0,
    outerJoin: false,
    commaJoin: false,
    groupBy: false,
    groupingSets: false,
    nullGroupKeys: false,
    aggregate: false,
    aggregateFilter: false,
    countDistinct: false,
    having: false,
    distinct: false,
    subquery: false,
    correlatedSubquery: false,
    existsSubquery: false,
    inSubquery: false,
    scalarSubquery: false,
    derivedTable: false,
    cte: false,
    setOp: false,
    orderBy: false,
    orderByLimit: false,
    offset: false,
    caseExpr: false,
    stringFunctions: false,
    dateFunctions: false,
    cast: false,
    window: false,
    qualify: false,
    moreScalarFunctions: false,
    statisticalAggregates: false,
    median: false,
    quantileCont: false,
    quantileDisc: false,
    stringAgg: false,
    greatest: false,
    least: false,
    datePart: false,
    strpos: false,
    boolAnd: false,
    boolOr: false,
    argMin: false,
    argMax: false,
  };
}

function gtypeOf(t: SqlType): GType {
  switch (t) {
    case 'INTEGER':
      return 'int';
    case 'BIGINT':
      return 'bigint';
    case 'DOUBLE':
      return 'double';
    case 'DECIMAL(12,2)':
      return 'decimal';
    case 'VARCHAR':
      return 'varchar';
    case 'DATE':
      return 'date';
    case 'BOOLEAN':
      return 'bool';
  }
}

const isNumeric = (t: GType) => t === 'int' || t === 'bigint' || t === 'decimal' || t === 'double';
const isIntegral = (t: GType) => t === 'int' || t === 'bigint';

/** Column types two set-operation branches may pair: the same, or INTEGER with BIGINT. */
function sameClass(a: GType, b: GType): boolean {
  return a === b || (isIntegral(a) && isIntegral(b));
}

function absOf(v: Value): number {
  if (typeof v === 'number') return Math.abs(v);
  if (typeof v === 'bigint') return Math.abs(Number(v));
  if (typeof v === 'string') {
    const n = Number(v);
    return Number.isFinite(n) ? Math.abs(n) : 0;
  }
  return 0;
}

function valueKey(v: Value): string {
  return typeof v === 'bigint' ? `${v}n` : `${typeof v}:${String(v)}`;
}

/** A literal for a value of a generator type; negative numbers in parentheses (never `--`). */
function literalSql(type: GType, v: Value): string {
  if (v === null) return 'NULL';
  switch (type) {
    case 'int':
    case 'bigint':
    case 'decimal': {
      const s = String(v);
      return s.startsWith('-') ? `(${s})` : s;
    }
    case 'double':
      // A plain 2.5 is a DECIMAL literal in both engines (and 2 an INTEGER).
      return `CAST(${String(v)} AS DOUBLE)`;
    case 'varchar':
      return `'${String(v).replace(/'/g, "''")}'`;
    case 'date':
      return `DATE '${String(v)}'`;
    case 'bool':
      return v ? 'TRUE' : 'FALSE';
    case 'timestamp':
      return `TIMESTAMP '${String(v)}'`;
  }
}

/** Orders two literal values of one type (numbers, bigints, digit strings, dates, strings). */
function compareValues(x: Value, y: Value): number {
  if (x === null || y === null) return 0;
  if (typeof x === 'string' && typeof y === 'string') {
    const nx = Number(x);
    const ny = Number(y);
    if (x.trim() !== '' && y.trim() !== '' && Number.isFinite(nx) && Number.isFinite(ny)) return nx - ny;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return Number(x) - Number(y);
}

function scaleOf(v: Value): number {
  const s = String(v);
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

export class QueryGenerator {
  private readonly rng: Rng;
  /** Grouping-set choices draw from their own stream (grouping-sets-generator.ts). */
  private readonly gsRng: Rng;
  /** Window functions draw from their own stream too (window-generator.ts). */
  private readonly winRng: Rng;
  /** The later scalar functions draw from their own stream too (scalar-function-generator.ts). */
  private readonly more: ScalarFunctionGenerator;
  /** Its own stream, so adding statistical aggregates left every other query of a seed as it was. */
  private readonly statRng: Rng;
  /** median, quantiles and string_agg draw from their own stream too (aggregate-function-generator.ts). */
  private readonly moreAggs: AggregateFunctionGenerator;
  // greatest/least, date_part, position/strpos, bool_and/bool_or and arg_min/arg_max: each its
  // own stream, so none of them changes another's choices, nor the main generator's.
  private readonly greatestLeast: GreatestLeastGenerator;
  private readonly dateParts: DatePartGenerator;
  private readonly positions: PositionGenerator;
  private readonly boolAggs: BoolAggregateGenerator;
  private readonly argMinMax: ArgMinMaxGenerator;
  private readonly baseSources: Source[];
  private features: QueryFeatures = emptyFeatures();
  private aliasCounter = 0;

  constructor(data: Dataset, seed: number) {
    this.rng = new Rng(seed);
    this.gsRng = new Rng((seed ^ 0x5bd1e995) >>> 0);
    this.winRng = new Rng((seed ^ 0x2545f491) >>> 0);
    this.more = new ScalarFunctionGenerator(new Rng((seed ^ 0x6c8e9cf5) >>> 0));
    this.statRng = new Rng((seed ^ 0x1b873593) >>> 0);
    this.moreAggs = new AggregateFunctionGenerator(new Rng((seed ^ 0x3c6ef372) >>> 0));
    this.greatestLeast = new GreatestLeastGenerator(new Rng((seed ^ 0x85ebca6b) >>> 0));
    this.dateParts = new DatePartGenerator(new Rng((seed ^ 0xc2b2ae35) >>> 0));
    this.positions = new PositionGenerator(new Rng((seed ^ 0x27d4eb2f) >>> 0));
    this.boolAggs = new BoolAggregateGenerator(new Rng((seed ^ 0x165667b1) >>> 0));
    this.argMinMax = new ArgMinMaxGenerator(new Rng((seed ^ 0x9e3779b9) >>> 0));
    this.baseSources = TABLES.map((t) => this.baseSource(t, data));
  }

  /** The next query; the sequence depends only on the data set and the seed. */
  generate(index: number): GeneratedQuery {
    this.features = emptyFeatures();
    this.aliasCounter = 0;
    const kind = this.rng.weighted<'plain' | 'group' | 'global' | 'setop' | 'cte'>([
      ['plain', 24],
      ['group', 36],
      ['global', 9],
      ['setop', 13],
      ['cte', 12],
    ]);
    const ctx: Ctx = { depth: 0, ctes: [] };
    let result: SelectResult;
    if (kind === 'setop') {
      result = this.genSetOp(ctx);
    } else if (kind === 'cte') {
      result = this.genWith(ctx);
    } else {
      result = this.genSelect(ctx, { mode: kind, top: true, aliasAll: false, allowOrderLimit: true });
    }
    // The later aggregates are counted where they reached the SQL (an aggregate drawn for an
    // output that then needed an exact value was dropped again).
    this.features.median = /\bmedian\(/.test(result.sql);
    this.features.quantileCont = /\bquantile_cont\(/.test(result.sql);
    this.features.quantileDisc = /\bquantile_disc\(/.test(result.sql);
    this.features.stringAgg = /\bstring_agg\(/.test(result.sql);
    this.features.greatest = /\bgreatest\(/.test(result.sql);
    this.features.least = /\bleast\(/.test(result.sql);
    this.features.datePart = /\bdate_?part\(/.test(result.sql);
    // position-generator.ts's needles are literals: position(max(s) IN string_agg(...)) is not one.
    this.features.strpos = /\bposition\('|\b(strpos|instr)\(/.test(result.sql);
    this.features.boolAnd = /\bbool_and\(/.test(result.sql);
    this.features.boolOr = /\bbool_or\(/.test(result.sql);
    this.features.argMin = /\barg_min\(/.test(result.sql);
    this.features.argMax = /\barg_max\(/.test(result.sql);
    return { index, sql: result.sql, features: this.features, orderBy: result.orderBy };
  }

  // ---------------------------------------------------------------------------------------
  // Sources and FROM clauses

  private baseSource(t: TableSpec, data: Dataset): Source {
    const rows = data.tables.get(t.name);
    if (!rows) throw new Error(`query generator: the data set has no table ${t.name}`);
    const cols = t.columns.map((c, i) => {
      let maxAbs = 0;
      let sumAbs = 0;
      let nullable = false;
      const counts = new Map<string, number>();
      const samples: Value[] = [];
      for (const row of rows) {
        const v = row[i];
        if (v === null) {
          nullable = true;
          continue;
        }
        const a = absOf(v);
        if (a > maxAbs) maxAbs = a;
        sumAbs += a;
        const k = valueKey(v);
        const n = (counts.get(k) ?? 0) + 1;
        counts.set(k, n);
        if (n === 1 && samples.length < MAX_SAMPLES) samples.push(v);
      }
      let maxDup = 1;
      for (const n of counts.values()) if (n > maxDup) maxDup = n;
      const col: Omit<Col, 'qual'> = {
        name: c.name,
        type: gtypeOf(c.type),
        scale: c.type === 'DECIMAL(12,2)' ? 2 : 0,
        nullable,
        maxAbs,
        sumAbs,
        maxDup,
        base: { table: t.name, column: c.name },
        samples,
        inexact: false,
        wide: false,
      };
      if (c.key) col.key = c.key;
      return col;
    });
    return { kind: 'table', name: t.name, cols, rows: rows.length, table: t };
  }

  private nextAlias(prefix: string): string {
    this.aliasCounter++;
    return `${prefix}${this.aliasCounter}`;
  }

  private sourcesFor(ctx: Ctx): Source[] {
    return [...this.baseSources, ...ctx.ctes.map((c) => c.source)];
  }

  private roles(cols: readonly { key?: KeyRole }[]): KeyRole[] {
    const out: KeyRole[] = [];
    for (const c of cols) if (c.key && !out.includes(c.key)) out.push(c.key);
    return out;
  }

  /** A derived table (subquery in FROM) with a key column of the given role, if any. */
  private derivedSource(ctx: Ctx, role: KeyRole | undefined): Source {
    this.features.derivedTable = true;
    const mode = this.rng.chance(0.65) ? 'group' : 'plain';
    const r = this.genSelect(
      { depth: ctx.depth + 1, ctes: ctx.ctes },
      // No ORDER BY + LIMIT inside derived tables or CTEs: DuckDB 1.5 answers some joins of such
      // a subquery wrongly (it pushes predicates below the LIMIT: with DIFF_SEED=2 query #64,
      // adding filters on another table raised the row count from 0 to 44). Quiver's top-N in
      // subqueries is covered by test/sql/planner/order_by_limit.test instead.
      { mode, top: false, keyRole: role, aliasAll: true, allowOrderLimit: false },
    );
    return { kind: 'derived', name: `(${r.sql})`, cols: r.cols, rows: r.rows };
  }

  private fromItemSql(src: Source, alias: string): string {
    return src.kind === 'derived' ? `${src.name} AS ${alias}` : `${src.name} ${alias}`;
  }

  private instantiate(src: Source, alias: string): Col[] {
    return src.cols.map((c) => ({ ...c, qual: alias }));
  }

  private buildFrom(
    ctx: Ctx,
    opts: { maxItems?: number; mustHaveRole?: KeyRole; requireCte?: CteDef; noFullJoin?: boolean },
  ): FromResult {
    const maxItems = opts.maxItems ?? 4;
    let n = this.rng.weighted<number>([
      [1, 24],
      [2, 28],
      [3, 26],
      [4, 22],
    ]);
    if (n > maxItems) n = maxItems;
    const sources = this.sourcesFor(ctx);

    // The first item.
    let first: Source;
    if (opts.requireCte) {
      first = opts.requireCte.source;
    } else {
      const withRole = opts.mustHaveRole
        ? sources.filter((s) => s.cols.some((c) => c.key === opts.mustHaveRole))
        : sources;
      const fact = withRole.find((s) => s.table?.isFact);
      if (fact && this.rng.chance(n > 1 ? 0.6 : 0.35)) first = fact;
      else if (ctx.depth < MAX_QUERY_DEPTH && this.rng.chance(0.08)) first = this.derivedSource(ctx, opts.mustHaveRole);
      else first = this.rng.pick(withRole.length > 0 ? withRole : sources);
    }
    const used = new Set<Source>([first]);
    const firstAlias = this.nextAlias(first.table?.alias ?? (first.kind === 'cte' ? 'v' : 'q'));
    let cols = this.instantiate(first, firstAlias);
    let rows = first.rows;
    let sql = this.fromItemSql(first, firstAlias);
    const comma = this.rng.chance(0.25);
    const joinPreds: string[] = [];
    let items = 1;

    for (let i = 1; i < n; i++) {
      const haveRoles = this.roles(cols);
      if (haveRoles.length === 0) break;
      const role = this.rng.pick(haveRoles);
      let cand: Source | undefined;
      if (ctx.depth < MAX_QUERY_DEPTH && this.rng.chance(0.1)) {
        cand = this.derivedSource(ctx, role);
      } else {
        const options = sources.filter((s) => !used.has(s) && s.cols.some((c) => c.key === role));
        if (options.length === 0) continue;
        cand = this.rng.pick(options);
      }
      const existing = this.rng.pick(cols.filter((c) => c.key === role));
      const newColTemplate = this.rng.pick(cand.cols.filter((c) => c.key === role));
      const dupExisting = Math.max(1, existing.maxDup);
      const dupNew = Math.max(1, newColTemplate.maxDup);
      const kind = comma
        ? 'INNER'
        : this.rng.weighted<'INNER' | 'LEFT' | 'RIGHT' | 'FULL'>([
            ['INNER', 45],
            ['LEFT', 30],
            ['RIGHT', 12],
            ['FULL', opts.noFullJoin ? 0 : 13],
          ]);
      let newRows = Math.min(rows * dupNew, cand.rows * dupExisting);
      if (kind === 'LEFT' || kind === 'FULL') newRows += rows;
      if (kind === 'RIGHT' || kind === 'FULL') newRows += cand.rows;
      if (newRows > MAX_JOIN_ROWS) continue;

      used.add(cand);
      const alias = this.nextAlias(cand.table?.alias ?? (cand.kind === 'cte' ? 'v' : 'q'));
      const newCols = this.instantiate(cand, alias);
      const newCol = newCols.find((c) => c.name === newColTemplate.name) as Col;
      for (const c of cols) {
        c.sumAbs *= dupNew;
        c.maxDup *= dupNew;
        if (kind === 'RIGHT' || kind === 'FULL') c.nullable = true;
      }
      for (const c of newCols) {
        c.sumAbs *= dupExisting;
        c.maxDup *= dupExisting;
        if (kind === 'LEFT' || kind === 'FULL') c.nullable = true;
      }
      const eq = `${existing.qual}.${existing.name} = ${newCol.qual}.${newCol.name}`;
      if (comma) {
        sql += `, ${this.fromItemSql(cand, alias)}`;
        joinPreds.push(eq);
        this.features.commaJoin = true;
      } else {
        let on = eq;
        if (kind !== 'FULL' && this.rng.chance(0.15)) {
          // Not on FULL joins: PostgreSQL allows only merge- or hash-joinable FULL JOIN conditions.
          const extra = this.genBool({ cols: newCols, rows: newRows }, 1, ctx, false);
          on += ` AND ${extra.sql}`;
        }
        const kw = kind === 'INNER' ? (this.rng.chance(0.5) ? 'JOIN' : 'INNER JOIN') : `${kind} JOIN`;
        sql += ` ${kw} ${this.fromItemSql(cand, alias)} ON ${on}`;
        if (kind !== 'INNER') this.features.outerJoin = true;
      }
      cols = [...cols, ...newCols];
      rows = newRows;
      items++;
    }
    this.features.joins = Math.max(this.features.joins, items - 1);
    return { sql, scope: { cols, rows }, joinPreds, items };
  }

  // ---------------------------------------------------------------------------------------
  // SELECT

  private genSelect(ctx: Ctx, opts: SelectOpts): SelectResult {
    const from = this.buildFrom(ctx, {
      mustHaveRole: opts.keyRole,
      requireCte: opts.requireCte,
      maxItems: ctx.depth > 0 ? 3 : 4,
      noFullJoin: opts.correlateWith !== undefined,
    });
    const scope = from.scope;
    const allowSub = ctx.depth < MAX_QUERY_DEPTH;

    const where: string[] = [...from.joinPreds];
    if (opts.correlateWith) {
      const corr = this.correlation(scope, opts.correlateWith);
      if (corr) where.push(corr);
    }
    const nPreds = this.rng.weighted<number>([
      [0, 30],
      [1, 45],
      [2, 20],
      [3, 5],
    ]);
    for (let i = 0; i < nPreds; i++) where.push(this.genBool(scope, EXPR_DEPTH, ctx, allowSub).sql);

    // The key column a derived table or CTE must expose first.
    let keyCol: Col | undefined;
    if (opts.keyRole) {
      const ks = scope.cols.filter((c) => c.key === opts.keyRole);
      if (ks.length > 0) keyCol = this.rng.pick(ks);
    }

    const outputs: Output[] = [];
    const groupKeys: Expr[] = [];
    let having: string | null = null;
    let distinct = false;

    if (opts.mode === 'plain') {
      const types = opts.targetTypes ?? this.randomTypes(this.rng.int(1, 5), true);
      if (keyCol) outputs.push({ expr: this.colExpr(keyCol), alias: null, isKey: false });
      for (const t of types) {
        let e: Expr;
        if (allowSub && !opts.targetTypes && this.rng.chance(0.07) && t !== 'timestamp' && t !== 'bool') {
          e = this.genScalarSubquery(scope, ctx, t, true);
        } else {
          e = this.genExpr(t, scope, EXPR_DEPTH, ctx, allowSub && this.rng.chance(0.3));
        }
        if (e.inexact && opts.exactOutputs) e = this.leaf(t, scope);
        outputs.push({ expr: e, alias: null, isKey: false });
      }
      if (this.rng.chance(0.12) && !outputs.some((o) => o.expr.inexact)) {
        distinct = true;
        this.features.distinct = true;
      }
    } else if (opts.mode === 'group') {
      this.features.groupBy = true;
      this.features.aggregate = true;
      if (opts.targetTypes) {
        for (const t of opts.targetTypes) {
          if (t !== 'bool' && t !== 'timestamp' && this.rng.chance(0.5)) {
            const a = this.genAggExpr(scope, ctx, t);
            if (a && !(a.inexact && opts.exactOutputs)) {
              outputs.push({ expr: a, alias: null, isKey: false });
              continue;
            }
          }
          const k = this.genGroupKey(scope, ctx, t);
          if (k) {
            groupKeys.push(k);
            outputs.push({ expr: k, alias: null, isKey: true });
          } else {
            // No column of this type: a constant output (allowed next to GROUP BY).
            outputs.push({ expr: this.genExpr(t, { cols: [], rows: scope.rows }, 1, ctx, false), alias: null, isKey: false });
          }
        }
        if (groupKeys.length === 0) {
          // A GROUP BY needs a key; group by one that is not selected.
          groupKeys.push(this.genGroupKey(scope, ctx, undefined) as Expr);
        }
      } else {
        if (keyCol) {
          const k = this.colExpr(keyCol);
          groupKeys.push(k);
          outputs.push({ expr: k, alias: null, isKey: true });
        }
        const nKeys = this.rng.weighted<number>([
          [keyCol ? 0 : 1, 45],
          [keyCol ? 1 : 2, 40],
          [keyCol ? 2 : 3, 15],
        ]);
        for (let i = 0; i < nKeys; i++) {
          const k = this.genGroupKey(scope, ctx, undefined) as Expr;
          groupKeys.push(k);
          // Now and then a key is grouped on but not selected.
          if (!this.rng.chance(0.1) || groupKeys.length === 1) outputs.push({ expr: k, alias: null, isKey: true });
        }
        const nAggs = this.rng.int(1, 3);
        for (let i = 0; i < nAggs; i++) {
          const a = this.genAggExpr(scope, ctx, undefined);
          if (a) outputs.push({ expr: a, alias: null, isKey: false });
        }
        // Expressions over grouped columns.
        const keyScope = this.keyScope(groupKeys, scope.rows);
        if (keyScope.cols.length > 0 && this.rng.chance(0.15)) {
          const t = this.rng.pick<GType>(['int', 'varchar', 'bool', 'date']);
          outputs.push({ expr: this.genExpr(t, keyScope, 1, ctx, false), alias: null, isKey: false });
        }
        if (!keyCol) this.shuffleInPlace(outputs);
      }
      for (const k of groupKeys) if (k.nullable) this.features.nullGroupKeys = true;
      if (this.rng.chance(0.3)) having = this.genHaving(scope, groupKeys, ctx);
    } else {
      this.features.aggregate = true;
      const types = opts.targetTypes ?? null;
      const n = types ? types.length : this.rng.int(1, 4);
      for (let i = 0; i < n; i++) {
        const a = this.genAggExpr(scope, ctx, types ? types[i] : undefined) ?? this.countStar(scope);
        outputs.push({ expr: a, alias: null, isKey: false });
      }
    }

    // Aliases.
    if (opts.unifyWith) {
      const unify = opts.unifyWith;
      outputs.forEach((o, i) => {
        if (unify[i]) o.expr = this.fitDecimal(o.expr, unify[i]);
      });
    }

    // Derived tables and CTEs name their outputs k<n> with n unique in the query: a name an
    // enclosing query also has as an input column would make GROUP BY <name> mean the input.
    let aliasNo = 0;
    for (const o of outputs) {
      aliasNo++;
      if (opts.aliasAll) o.alias = this.nextAlias('k');
      else if (this.rng.chance(0.7)) o.alias = `o${aliasNo}`;
    }

    // Grouping sets only at the top level, where no enclosing query reads the (now nullable) keys.
    let gs: GroupingSetsClause | null = null;
    if (opts.mode === 'group' && opts.top && !opts.targetTypes && !opts.correlateWith && this.gsRng.chance(0.2)) {
      gs = groupingSetsClause(this.gsRng, [...new Set(groupKeys.map((k) => k.sql))]);
      this.features.groupingSets = true;
    }
    // Window functions and QUALIFY only in a top-level plain SELECT (no enclosing query reads them).
    let windows: WindowExpr[] = [];
    let qualify: string | null = null;
    if (opts.mode === 'plain' && opts.top && !opts.targetTypes && !opts.correlateWith && scope.cols.length > 0 && this.winRng.chance(0.6)) {
      const wg = new WindowGenerator(this.winRng, scope.cols.map((c) => ({ sql: `${c.qual}.${c.name}`, type: c.type, summable: this.summable(this.colExpr(c)), inexact: c.inexact })));
      windows = Array.from({ length: this.winRng.int(0, 3) }, () => wg.expr());
      if (windows.length === 0 || this.winRng.chance(0.3)) qualify = wg.qualify();
      if (windows.length > 0) this.features.window = true;
      if (qualify !== null) this.features.qualify = true;
    }
    const head = () => `SELECT ${distinct ? 'DISTINCT ' : ''}${[...outputs.map((o) => (o.alias ? `${o.expr.sql} AS ${o.alias}` : o.expr.sql)), ...(gs?.groupings ?? []), ...windows.map((w) => w.sql)].join(', ')} FROM ${from.sql}`;
    let sql = head();
    const headLength = sql.length;
    if (where.length > 0) sql += ` WHERE ${where.join(' AND ')}`;
    if (qualify !== null) sql += ` QUALIFY ${qualify}`;
    if (opts.mode === 'group') {
      const plain = this.renderGroupBy(groupKeys, outputs);
      sql += ` GROUP BY ${gs ? gs.groupBy : plain}`;
    }
    if (gs?.having) sql += having ? ` HAVING (${having}) AND ${gs.having}` : ` HAVING ${gs.having}`;
    else if (having) sql += ` HAVING ${having}`;

    let rows = opts.mode === 'global' ? 1 : scope.rows;
    let orderBy: OrderKey[] | null = null;
    if (opts.allowOrderLimit && opts.mode !== 'global' && this.rng.chance(opts.top ? 0.5 : 1)) {
      const o = this.orderClause(
        outputs.map((x) => ({ type: x.expr.type, alias: x.alias })),
        opts.top ? this.rng.chance(0.6) : true,
        opts.top,
      );
      if (gs && gs.groupings.length > 0 && o.limit !== null) {
        // A LIMIT needs every output in the ORDER BY: the GROUPING() columns go before the
        // DOUBLE ones (which come last, see orderClause).
        const parts = o.sql.slice(' ORDER BY '.length, o.sql.indexOf(' LIMIT ')).split(', ');
        const at = o.keys.findIndex((k) => outputs[k.column]!.expr.type === 'double');
        const pos = at < 0 ? parts.length : at;
        const extra = gs.groupings.map((_, j) => outputs.length + j);
        parts.splice(pos, 0, ...extra.map((c) => String(c + 1)));
        o.keys.splice(pos, 0, ...extra.map((column) => ({ column, desc: false, nullsFirst: false })));
        o.sql = ` ORDER BY ${parts.join(', ')}${o.sql.slice(o.sql.indexOf(' LIMIT '))}`;
      }
      if (windows.length > 0 && o.limit !== null) {
        // A LIMIT needs every output in the ORDER BY: window columns go before the DOUBLE ones;
        // a DOUBLE window column (a near tie could change the rows kept) is dropped instead.
        const kept = windows.filter((w) => !w.double);
        if (kept.length < windows.length) {
          windows = kept;
          sql = head() + sql.slice(headLength);
        }
        const parts = o.sql.slice(' ORDER BY '.length, o.sql.indexOf(' LIMIT ')).split(', ');
        const at = o.keys.findIndex((k) => k.column < outputs.length && outputs[k.column]!.expr.type === 'double');
        const pos = at < 0 ? parts.length : at;
        const extra = windows.map((_, j) => outputs.length + (gs?.groupings.length ?? 0) + j);
        parts.splice(pos, 0, ...extra.map((c) => String(c + 1)));
        o.keys.splice(pos, 0, ...extra.map((column) => ({ column, desc: false, nullsFirst: false })));
        o.sql = ` ORDER BY ${parts.join(', ')}${o.sql.slice(o.sql.indexOf(' LIMIT '))}`;
      }
      sql += o.sql;
      orderBy = o.keys;
      if (o.limit !== null) rows = Math.min(rows, o.limit);
    }

    const cols = outputs.map((o, i) => this.outputCol(o, i, opts.mode === 'group' ? groupKeys : null, scope.rows));
    return { sql, cols, rows, orderBy };
  }

  private shuffleInPlace<T>(items: T[]): void {
    const s = this.rng.shuffle(items);
    for (let i = 0; i < s.length; i++) items[i] = s[i];
  }

  /** The column an output becomes when the select is used as a table. */
  private outputCol(o: Output, i: number, groupKeys: Expr[] | null, rows: number): Omit<Col, 'qual'> {
    const e = o.expr;
    let maxDup = e.col ? e.col.maxDup : rows;
    if (groupKeys && groupKeys.length === 1 && o.isKey) maxDup = 1;
    const col: Omit<Col, 'qual'> = {
      name: o.alias ?? `k${i + 1}`,
      type: e.type,
      scale: e.scale,
      nullable: e.nullable,
      maxAbs: e.maxAbs,
      sumAbs: e.sumAbs,
      maxDup: Math.max(1, maxDup),
      samples: e.col ? e.col.samples : [],
      inexact: e.inexact,
      wide: e.wide,
    };
    if (e.col?.key) col.key = e.col.key;
    return col;
  }

  private randomTypes(n: number, allowTimestamp: boolean): GType[] {
    const out: GType[] = [];
    for (let i = 0; i < n; i++) {
      out.push(
        this.rng.weighted<GType>([
          ['int', 3],
          ['bigint', 1],
          ['decimal', 2],
          ['double', 1.5],
          ['varchar', 2.5],
          ['date', 1.2],
          ['bool', 1],
          ['timestamp', allowTimestamp ? 0.3 : 0],
        ]),
      );
    }
    return out;
  }

  private renderGroupBy(keys: Expr[], outputs: Output[]): string {
    return keys
      .map((k) => {
        const pos = outputs.findIndex((o) => o.isKey && o.expr === k);
        if (pos >= 0) {
          const r = this.rng.next();
          if (r < 0.3) return String(pos + 1);
          if (r < 0.38 && outputs[pos].alias) return outputs[pos].alias as string;
        }
        return k.sql;
      })
      .join(', ');
  }

  /** ORDER BY over output columns; with LIMIT, over all of them with DOUBLE columns last. */
  private orderClause(
    outs: { type: GType; alias: string | null }[],
    withLimit: boolean,
    top = true,
  ): { sql: string; keys: OrderKey[]; limit: number | null } {
    this.features.orderBy = true;
    let cols: number[];
    if (withLimit) {
      const idx = this.rng.shuffle(outs.map((_, i) => i));
      cols = [...idx.filter((i) => outs[i].type !== 'double'), ...idx.filter((i) => outs[i].type === 'double')];
    } else {
      cols = this.rng.sample(
        outs.map((_, i) => i),
        this.rng.int(1, Math.min(3, outs.length)),
      );
    }
    const keys: OrderKey[] = [];
    const parts: string[] = [];
    for (const c of cols) {
      const desc = this.rng.chance(0.4);
      let nullsFirst = desc;
      let nulls = '';
      if (this.rng.chance(0.3)) {
        nullsFirst = this.rng.chance(0.5);
        nulls = nullsFirst ? ' NULLS FIRST' : ' NULLS LAST';
      }
      const ref = outs[c].alias && this.rng.chance(0.5) ? (outs[c].alias as string) : String(c + 1);
      parts.push(`${ref}${desc ? ' DESC' : this.rng.chance(0.2) ? ' ASC' : ''}${nulls}`);
      keys.push({ column: c, desc, nullsFirst });
    }
    let sql = ` ORDER BY ${parts.join(', ')}`;
    let limit: number | null = null;
    if (withLimit) {
      this.features.orderByLimit = true;
      limit = this.rng.int(1, 40);
      sql += ` LIMIT ${limit}`;
      if (this.rng.chance(0.3)) {
        sql += ` OFFSET ${this.rng.int(0, top ? 15 : 3)}`;
        this.features.offset = true;
      }
    }
    return { sql, keys, limit };
  }

  // ---------------------------------------------------------------------------------------
  // Set operations and WITH

  private genSetOp(ctx: Ctx): SelectResult {
    this.features.setOp = true;
    const op = this.rng.weighted<string>([
      ['UNION', 28],
      ['UNION ALL', 28],
      ['INTERSECT', 16],
      ['EXCEPT', 16],
      ['INTERSECT ALL', 6],
      ['EXCEPT ALL', 6],
    ]);
    let leftSql: string;
    let rightSql: string;
    let cols: Omit<Col, 'qual'>[];
    let rows: number;
    if (this.rng.chance(op.startsWith('UNION') ? 0.45 : 0.85)) {
      // The same select list over the same FROM with different filters: the branches overlap,
      // so INTERSECT and EXCEPT have something to do.
      const from = this.buildFrom(ctx, { maxItems: 3 });
      const types = this.randomTypes(this.rng.int(1, 3), true);
      const exprs = types.map((t) => {
        const e = this.genExpr(t, from.scope, EXPR_DEPTH, ctx, false);
        return e.inexact ? this.leaf(t, from.scope) : e;
      });
      const list = exprs.map((e, i) => `${e.sql} AS o${i + 1}`).join(', ');
      const branch = () => {
        const preds = [...from.joinPreds, this.genBool(from.scope, EXPR_DEPTH, ctx, true).sql];
        return `SELECT ${list} FROM ${from.sql} WHERE ${preds.join(' AND ')}`;
      };
      leftSql = branch();
      rightSql = branch();
      cols = exprs.map((e, i) => this.outputCol({ expr: e, alias: `o${i + 1}`, isKey: false }, i, null, from.scope.rows));
      rows = from.scope.rows * 2;
    } else {
      const inner: Ctx = { depth: ctx.depth + 1, ctes: ctx.ctes };
      const leftMode = this.rng.chance(0.6) ? 'plain' : 'group';
      const left = this.genSelect(inner, {
        mode: leftMode,
        top: false,
        aliasAll: false,
        allowOrderLimit: false,
        exactOutputs: true,
      });
      const types = left.cols.map((c) => c.type);
      const right = this.genSelect(inner, {
        mode: this.rng.chance(0.6) ? 'plain' : 'group',
        top: false,
        targetTypes: types,
        unifyWith: left.cols,
        aliasAll: false,
        allowOrderLimit: false,
        exactOutputs: true,
      });
      for (let i = 0; i < types.length; i++) {
        if (!sameClass(types[i], right.cols[i].type)) {
          throw new Error(`query generator: set-operation branches disagree on column ${i + 1}`);
        }
      }
      leftSql = left.sql;
      rightSql = right.sql;
      cols = left.cols.map((c, i) => ({
        ...c,
        nullable: c.nullable || right.cols[i].nullable,
        maxAbs: Math.max(c.maxAbs, right.cols[i].maxAbs),
        sumAbs: c.sumAbs + right.cols[i].sumAbs,
        maxDup: left.rows + right.rows,
        samples: [...c.samples, ...right.cols[i].samples],
        scale: Math.max(c.scale, right.cols[i].scale),
        inexact: c.inexact || right.cols[i].inexact,
        wide: c.wide || right.cols[i].wide,
      }));
      rows = left.rows + right.rows;
    }
    let sql = `${leftSql} ${op} ${rightSql}`;
    let orderBy: OrderKey[] | null = null;
    if (this.rng.chance(0.5)) {
      const o = this.orderClause(
        cols.map((c) => ({ type: c.type, alias: null })),
        this.rng.chance(0.6),
      );
      sql += o.sql;
      orderBy = o.keys;
      if (o.limit !== null) rows = Math.min(rows, o.limit);
    }
    return { sql, cols, rows, orderBy };
  }

  private genWith(ctx: Ctx): SelectResult {
    this.features.cte = true;
    const n = this.rng.int(1, 2);
    const ctes: CteDef[] = [];
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      const role = this.rng.pick<KeyRole>(['customer', 'product', 'date']);
      const r = this.genSelect(
        { depth: 1, ctes },
        {
          mode: this.rng.chance(0.7) ? 'group' : 'plain',
          top: false,
          keyRole: role,
          aliasAll: true,
          allowOrderLimit: false, // see derivedSource: DuckDB mis-answers LIMIT in joined subqueries
        },
      );
      const name = `w${i + 1}`;
      ctes.push({ name, source: { kind: 'cte', name, cols: r.cols, rows: r.rows } });
      parts.push(`${name} AS (${r.sql})`);
    }
    const main = this.genSelect(
      { depth: ctx.depth, ctes },
      {
        mode: this.rng.weighted<'plain' | 'group' | 'global'>([
          ['plain', 45],
          ['group', 40],
          ['global', 15],
        ]),
        top: true,
        requireCte: this.rng.pick(ctes),
        aliasAll: false,
        allowOrderLimit: true,
      },
    );
    return { ...main, sql: `WITH ${parts.join(', ')} ${main.sql}` };
  }

  // ---------------------------------------------------------------------------------------
  // GROUP BY keys, aggregates, HAVING

  /** A GROUP BY key that reads a column; null if none of the asked type can be made. */
  private genGroupKey(scope: Scope, ctx: Ctx, type: GType | undefined): Expr | null {
    // Prefer columns of few distinct values, so groups hold several rows.
    const cands = scope.cols.filter(
      (c) => (type === undefined ? c.type !== 'double' : sameClass(c.type, type)) && c.samples.length <= LOW_CARDINALITY,
    );
    if (cands.length > 0 && this.rng.chance(0.6)) {
      const pick = this.rng.pick(cands);
      if (type === undefined || pick.type === type) return this.colExpr(pick);
    }
    const t =
      type ??
      this.rng.weighted<GType>([
        ['int', 3],
        ['varchar', 3],
        ['date', 1],
        ['bool', 1],
        ['decimal', 1],
      ]);
    // Grouping on a last-bit-uncertain DOUBLE could split groups differently, and a constant
    // key such as (-1) would read as a GROUP BY position.
    for (let i = 0; i < 3; i++) {
      const e = this.genExpr(t, scope, 1, ctx, false);
      if (!e.inexact && COLUMN_REF_RE.test(e.sql)) return e;
    }
    const cols = scope.cols.filter((c) => c.type === t);
    if (cols.length > 0) return this.colExpr(this.rng.pick(cols));
    if (type !== undefined) return null;
    return this.colExpr(this.rng.pick(scope.cols));
  }

  /** A scope holding the plain columns among the GROUP BY keys. */
  private keyScope(keys: Expr[], rows: number): Scope {
    const cols: Col[] = [];
    for (const k of keys) if (k.col) cols.push(k.col);
    return { cols, rows };
  }

  private countStar(scope: Scope): Expr {
    return {
      sql: 'COUNT(*)',
      type: 'bigint',
      scale: 0,
      nullable: false,
      maxAbs: scope.rows,
      sumAbs: scope.rows,
      agg: true,
      inexact: false,
      wide: false,
    };
  }

  /**
   * An aggregate, or an expression over aggregates, of the given type (null if none fits). Now
   * and then a BOOLEAN one is a bool_and/bool_or instead, and a numeric one is shown only where a
   * bool_and/bool_or holds (own stream, the same type and bounds).
   */
  private genAggExpr(scope: Scope, ctx: Ctx, type: GType | undefined): Expr | null {
    const a = this.genAggExprMain(scope, ctx, type);
    if (a === null) return null;
    if (a.type === 'bool') {
      const b = this.boolAggs.aggregate(() => this.boolAggOperands(scope), 0.6);
      return b === null ? a : { ...a, sql: b };
    }
    if (!isNumeric(a.type)) return a;
    const g = this.boolAggs.guard(a.sql, a.nullable, () => this.boolAggOperands(scope), 0.06);
    return g === null ? a : { ...a, sql: g };
  }

  /** The columns a bool_and/bool_or predicate may read: all but inexact DOUBLEs. */
  private boolAggOperands(scope: Scope): BoolAggOperand[] {
    return scope.cols
      .filter((c) => !c.inexact)
      .map((c) => ({ sql: `${c.qual}.${c.name}`, type: c.type, literals: c.samples.slice(0, OPERAND_LITERALS).map((v) => literalSql(c.type, v)) }));
  }

  private genAggExprMain(scope: Scope, ctx: Ctx, type: GType | undefined): Expr | null {
    if (type === 'bool') {
      const a = this.genAgg(scope, ctx, undefined);
      if (!a || !isNumeric(a.type)) return null;
      return this.boolExpr(`(${a.sql} > ${this.rng.int(0, 20)})`, true, true);
    }
    if (type === 'timestamp') return null;
    if (this.rng.chance(0.2)) {
      const r = this.rng.next();
      if ((type === undefined || type === 'varchar') && r < 0.25) {
        this.features.caseExpr = true;
        return {
          sql: `CASE WHEN COUNT(*) > ${this.rng.int(1, 30)} THEN 'many' ELSE 'few' END`,
          type: 'varchar',
          scale: 0,
          nullable: false,
          maxAbs: 0,
          sumAbs: 0,
          agg: true,
          inexact: false,
          wide: false,
        };
      }
      const a = this.genAgg(scope, ctx, type);
      if (!a) return null;
      if (isNumeric(a.type) && r < 0.5) {
        const b = this.genAgg(scope, ctx, a.type);
        if (b) {
          const op = this.rng.pick(['+', '-']);
          const e = this.arithmetic(a, b, op);
          if (e) return { ...e, agg: true };
        }
      }
      if (isNumeric(a.type) && a.nullable && r < 0.75) {
        return { ...a, sql: `COALESCE(${a.sql}, 0)`, nullable: false };
      }
      if (a.type === 'double' && !a.inexact) {
        return { ...a, sql: `round(${a.sql})` };
      }
      if ((a.type === 'bigint' || a.type === 'decimal') && type === undefined) {
        // SUM / COUNT: integer division of exact values, or a DOUBLE for DECIMAL.
        const c = this.countStar(scope);
        const t: GType = a.type === 'bigint' ? 'bigint' : 'double';
        return {
          sql: `(${a.sql} / ${c.sql})`,
          type: t,
          scale: 0,
          nullable: true,
          maxAbs: a.maxAbs,
          sumAbs: a.sumAbs,
          agg: true,
          inexact: t === 'double',
          wide: false,
        };
      }
      return a;
    }
    return this.genAgg(scope, ctx, type);
  }

  private genAgg(scope: Scope, ctx: Ctx, type: GType | undefined): Expr | null {
    type Fn = 'count*' | 'count' | 'countd' | 'sum' | 'avg' | 'min' | 'max';
    const allowed: [Fn, number][] = [];
    const want = (fn: Fn, w: number, ok: boolean) => {
      if (ok) allowed.push([fn, w]);
    };
    want('count*', 18, type === undefined || type === 'bigint');
    want('count', 10, type === undefined || type === 'bigint');
    want('countd', 10, type === undefined || type === 'bigint');
    want('sum', 25, type === undefined || type === 'bigint' || type === 'decimal' || type === 'double');
    want('avg', 14, type === undefined || type === 'double');
    want('min', 10, type !== 'bool' && type !== 'timestamp');
    want('max', 10, type !== 'bool' && type !== 'timestamp');
    if (allowed.length === 0) return null;
    const fn = this.rng.weighted(allowed);
    this.features.aggregate = true;
    let filter = '';
    if (this.rng.chance(0.2)) {
      filter = ` FILTER (WHERE ${this.genBool(scope, 1, ctx, false).sql})`;
      this.features.aggregateFilter = true;
    }
    const result = (
      sql: string,
      t: GType,
      scale: number,
      nullable: boolean,
      maxAbs: number,
      sumAbs: number,
      inexact: boolean,
      wide = false,
    ): Expr => ({
      sql: `${sql}${filter}`,
      type: t,
      scale,
      nullable,
      maxAbs,
      sumAbs,
      agg: true,
      inexact,
      wide,
    });
    switch (fn) {
      case 'count*':
        return result('COUNT(*)', 'bigint', 0, false, scope.rows, scope.rows, false);
      case 'count':
      case 'countd': {
        const t = this.rng.pick<GType>(['int', 'bigint', 'decimal', 'varchar', 'date', 'double']);
        let arg = this.genExpr(t, scope, 1, ctx, false);
        if (arg.inexact) arg = this.leaf(t, scope);
        if (fn === 'countd') this.features.countDistinct = true;
        // Most COUNTs of a string become the length of its string_agg (own stream).
        const sa = fn === 'count' ? this.moreAggs.stringAggLength(arg, filter, scope.rows, 0.9) : null;
        if (sa) return { sql: sa.sql, type: 'bigint', scale: 0, nullable: true, maxAbs: sa.maxAbs, sumAbs: sa.maxAbs, agg: true, inexact: false, wide: false };
        return result(`COUNT(${fn === 'countd' ? 'DISTINCT ' : ''}${arg.sql})`, 'bigint', 0, false, scope.rows, scope.rows, false);
      }
      case 'sum':
      case 'avg': {
        let argType: GType;
        if (fn === 'sum') {
          argType =
            type === 'bigint'
              ? this.rng.pick<GType>(['int', 'bigint'])
              : type === 'decimal' || type === 'double'
                ? type
                : this.rng.pick(NUMERIC);
        } else {
          argType = this.rng.pick(NUMERIC);
        }
        let arg = this.genExpr(argType, scope, 1, ctx, false);
        if (!this.summable(arg)) {
          const cols = scope.cols.filter((c) => c.type === argType && this.summable(this.colExpr(c)));
          if (cols.length === 0) return type === undefined || type === 'bigint' ? this.countStar(scope) : null;
          arg = this.colExpr(this.rng.pick(cols));
        }
        const distinct = this.rng.chance(0.05) ? 'DISTINCT ' : '';
        if (fn === 'avg') {
          // Half of the AVGs of small integers become a standard deviation or variance (DOUBLE,
          // inexact as AVG). Not over DECIMAL or large values: there DuckDB's running mean loses
          // digits past the comparison's 1e-9 (one group of seed 20240611: exact 908.36468903410,
          // Quiver ...410, DuckDB 908.36468338), while Quiver shifts each group by its first value.
          if (distinct === '' && isIntegral(arg.type) && arg.maxAbs <= 1e6 && this.statRng.chance(0.5)) {
            this.features.statisticalAggregates = true;
            const stat = this.statRng.pick(['STDDEV_SAMP', 'STDDEV_POP', 'VAR_SAMP', 'VAR_POP']);
            const bound = arg.maxAbs * arg.maxAbs * scope.rows;
            return result(`${stat}(${arg.sql})`, 'double', 0, true, bound, bound, true);
          }
          // Some of the others a median or continuous quantile (own stream, the same shape).
          const cont = distinct === '' ? this.moreAggs.continuous(arg, 0.4) : null;
          if (cont) return result(cont, 'double', 0, true, arg.maxAbs, arg.sumAbs, true);
          return result(`AVG(${distinct}${arg.sql})`, 'double', 0, true, arg.maxAbs, arg.sumAbs, true);
        }
        const t: GType = isIntegral(arg.type) ? 'bigint' : arg.type;
        return result(`SUM(${distinct}${arg.sql})`, t, arg.scale, true, arg.sumAbs, arg.sumAbs, arg.inexact, t === 'decimal');
      }
      case 'min':
      case 'max': {
        const t =
          type ?? this.rng.pick<GType>(['int', 'bigint', 'decimal', 'double', 'varchar', 'date']);
        const arg = this.genExpr(t, scope, 1, ctx, false);
        // A fifth of them a discrete quantile, a value of the group as MIN and MAX are (own stream).
        const disc = this.moreAggs.discrete(arg, 0.2);
        // Some an arg_min/arg_max, the arg of the row with the least or greatest unique val (own
        // stream, drawn whether or not the quantile was, so neither stream depends on the other).
        const am = this.argMinMax.argMinMax(arg.sql, () => this.argMinMaxOperands(scope), 0.4);
        if (disc) return result(disc, arg.type, arg.scale, true, arg.maxAbs, arg.sumAbs, arg.inexact, arg.wide);
        if (am) return result(am, arg.type, arg.scale, true, arg.maxAbs, arg.sumAbs, arg.inexact, arg.wide);
        return result(`${fn.toUpperCase()}(${arg.sql})`, arg.type, arg.scale, true, arg.maxAbs, arg.sumAbs, arg.inexact, arg.wide);
      }
    }
  }

  /**
   * arg_min/arg_max operands: columns no two rows of the scope share (maxDup 1, measured on the
   * data and multiplied by every join), and small INTEGER columns to combine them with.
   */
  private argMinMaxOperands(scope: Scope): ArgMinMaxOperands {
    const unique = scope.cols
      .filter((c) => c.maxDup === 1 && !c.inexact && c.samples.length > 0 && c.type !== 'bool' && c.type !== 'timestamp')
      .map((c) => ({ sql: `${c.qual}.${c.name}`, integral: isIntegral(c.type), maxAbs: c.maxAbs }));
    const factors = scope.cols.filter((c) => c.type === 'int' && c.maxAbs <= ARG_FACTOR_MAX).map((c) => ({ sql: `${c.qual}.${c.name}`, maxAbs: c.maxAbs }));
    return { unique, factors };
  }

  /** SUM and AVG of this stay exact and inside the result type. */
  private summable(e: Expr): boolean {
    if (e.type === 'double') return !e.inexact;
    if (isIntegral(e.type)) return e.sumAbs <= BIGINT_LIMIT;
    if (e.type === 'decimal') return e.sumAbs * 10 ** e.scale <= DECIMAL_UNSCALED_LIMIT;
    return false;
  }

  private genHaving(scope: Scope, keys: Expr[], ctx: Ctx): string {
    this.features.having = true;
    const parts: string[] = [];
    const r = this.rng.next();
    // MIN / MAX of a column compared with one of its values: true for some groups, not all.
    const sampled = scope.cols.filter((c) => c.samples.length > 0 && c.type !== 'bool' && !c.inexact);
    if (r < 0.35 || (r >= 0.35 && r < 0.7 && sampled.length === 0)) {
      parts.push(`COUNT(*) ${this.rng.pick(['>', '>=', '<'])} ${this.rng.int(0, 6)}`);
    } else if (r < 0.7) {
      const c = this.rng.pick(sampled);
      const fn = this.rng.pick(['MIN', 'MAX']);
      const lit = literalSql(c.type, this.rng.pick(c.samples));
      parts.push(`${fn}(${c.qual}.${c.name}) ${this.rng.pick(['>', '<', '>=', '<=', '<>'])} ${lit}`);
    } else {
      const a = this.genAgg(scope, ctx, this.rng.pick<GType | undefined>([undefined, 'bigint', 'decimal']));
      if (a && isNumeric(a.type) && !a.inexact) {
        const lit =
          a.type === 'bigint' ? String(this.rng.int(0, a.maxAbs > 50 ? 50 : Math.max(1, Math.floor(a.maxAbs)))) : this.numericLiteral(a);
        parts.push(`${a.sql} ${this.comparisonOp(false)} ${lit}`);
      } else {
        parts.push(`COUNT(*) > ${this.rng.int(0, 5)}`);
      }
    }
    const ks = this.keyScope(keys, scope.rows);
    if (ks.cols.length > 0 && this.rng.chance(0.3)) {
      parts.push(this.genBool(ks, 1, ctx, false).sql);
    } else if (ctx.depth < MAX_QUERY_DEPTH && this.rng.chance(0.1)) {
      // An uncorrelated scalar subquery in HAVING.
      const sub = this.genScalarSubquery(scope, ctx, 'bigint', false);
      parts.push(`COUNT(*) <= ${sub.sql}`);
    }
    const having = parts.join(this.rng.chance(0.7) ? ' AND ' : ' OR ');
    return this.boolAggs.having(having, () => this.boolAggOperands(scope), 0.25) ?? having;
  }

  // ---------------------------------------------------------------------------------------
  // Subqueries

  /** `inner.x = outer.y` for a column pair with the same key role or the same base column. */
  private correlation(inner: Scope, outer: Scope): string | null {
    const pairs: [Col, Col][] = [];
    for (const i of inner.cols) {
      for (const o of outer.cols) {
        if (i.key && i.key === o.key) pairs.push([i, o]);
        else if (
          !i.key &&
          i.base &&
          o.base &&
          i.base.table === o.base.table &&
          i.base.column === o.base.column &&
          i.samples.length <= LOW_CARDINALITY
        )
          pairs.push([i, o]);
      }
    }
    if (pairs.length === 0) return null;
    const [i, o] = this.rng.pick(pairs);
    this.features.correlatedSubquery = true;
    // A non-equality correlation cannot be turned into a hash join: keep it to small inner
    // tables (dimensions), not the fact table (16M pairs even decorrelated).
    const small = inner.rows <= 1000;
    const op = small && i.type !== 'bool' && this.rng.chance(0.1) ? this.rng.pick(['<', '<>']) : '=';
    return `${i.qual}.${i.name} ${op} ${o.qual}.${o.name}`;
  }

  /** A subquery FROM over one or two tables, with an optional correlation to `outer`. */
  private subqueryFrom(outer: Scope, ctx: Ctx, correlate: boolean): { from: FromResult; where: string[] } {
    // DuckDB cannot decorrelate a subquery over a FULL JOIN ("Unsupported join type for
    // flattening correlated subquery").
    const from = this.buildFrom({ depth: ctx.depth + 1, ctes: ctx.ctes }, { maxItems: 2, noFullJoin: true });
    const where = [...from.joinPreds];
    if (correlate) {
      const c = this.correlation(from.scope, outer);
      if (c) where.push(c);
    }
    if (this.rng.chance(0.6)) where.push(this.genBool(from.scope, 1, ctx, false).sql);
    return { from, where };
  }

  private whereSql(where: string[]): string {
    return where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
  }

  /** `(SELECT agg FROM ... WHERE ...)`: an aggregate without GROUP BY, so always one row. */
  private genScalarSubquery(outer: Scope, ctx: Ctx, type: GType, correlate: boolean): Expr {
    this.features.subquery = true;
    this.features.scalarSubquery = true;
    const { from, where } = this.subqueryFrom(outer, ctx, correlate && this.rng.chance(0.6));
    const a = this.genAgg(from.scope, ctx, type) ?? this.countStar(from.scope);
    return {
      sql: `(SELECT ${a.sql} FROM ${from.sql}${this.whereSql(where)})`,
      type: a.type,
      scale: a.scale,
      nullable: true,
      maxAbs: a.maxAbs,
      sumAbs: a.maxAbs * outer.rows,
      agg: false,
      inexact: a.inexact,
      wide: a.wide,
    };
  }

  private genSubqueryPredicate(scope: Scope, ctx: Ctx): Expr | null {
    this.features.subquery = true;
    const r = this.rng.next();
    if (r < 0.35) {
      // [NOT] EXISTS, usually correlated.
      this.features.existsSubquery = true;
      const { from, where } = this.subqueryFrom(scope, ctx, this.rng.chance(0.85));
      const not = this.rng.chance(0.4) ? 'NOT ' : '';
      return this.boolExpr(`(${not}EXISTS (SELECT 1 FROM ${from.sql}${this.whereSql(where)}))`, false, false);
    }
    if (r < 0.75) {
      // x [NOT] IN (SELECT ...).
      this.features.inSubquery = true;
      const not = this.rng.chance(0.35) ? 'NOT ' : '';
      const keyed = scope.cols.filter((c) => c.key);
      if (keyed.length > 0 && this.rng.chance(0.6)) {
        const outerCol = this.rng.pick(keyed);
        const targets = this.baseSources.filter((s) => s.cols.some((c) => c.key === outerCol.key));
        const src = this.rng.pick(targets);
        const alias = this.nextAlias(src.table?.alias ?? 'q');
        const innerCols = this.instantiate(src, alias);
        const innerKey = this.rng.pick(innerCols.filter((c) => c.key === outerCol.key));
        const innerScope: Scope = { cols: innerCols, rows: src.rows };
        const where: string[] = [];
        if (this.rng.chance(0.8)) where.push(this.genBool(innerScope, 1, ctx, false).sql);
        if (this.rng.chance(0.25)) {
          const c = this.correlation(innerScope, scope);
          if (c) where.push(c);
        }
        return this.boolExpr(
          `(${outerCol.qual}.${outerCol.name} ${not}IN (SELECT ${alias}.${innerKey.name} FROM ${this.fromItemSql(src, alias)}${this.whereSql(where)}))`,
          true,
          false,
        );
      }
      const t = this.rng.pick<GType>(['int', 'varchar', 'decimal', 'date']);
      const lhs = this.withColumn(this.genExpr(t, scope, 1, ctx, false), scope);
      if (lhs.type !== t) return null;
      const sub = this.genSelect(
        { depth: ctx.depth + 1, ctes: ctx.ctes },
        {
          mode: this.rng.chance(0.7) ? 'plain' : 'group',
          top: false,
          targetTypes: [t],
          unifyWith: [lhs],
          aliasAll: false,
          allowOrderLimit: false,
          correlateWith: this.rng.chance(0.3) ? scope : undefined,
          exactOutputs: true,
        },
      );
      if (lhs.inexact) return null;
      return this.boolExpr(`(${lhs.sql} ${not}IN (${sub.sql}))`, true, false);
    }
    // A comparison with a scalar subquery.
    const t = this.rng.pick<GType>(['int', 'decimal', 'double', 'bigint']);
    const sub = this.genScalarSubquery(scope, ctx, t, this.rng.chance(0.6));
    const lhs = this.withColumn(this.genExpr(this.rng.pick(NUMERIC), scope, 1, ctx, false), scope);
    if (!isNumeric(lhs.type)) return null;
    // An AVG compared for equality could tip either way by a last bit.
    if (sub.inexact || lhs.inexact) return null;
    return this.boolExpr(`(${lhs.sql} ${this.rng.pick(['<', '>', '=', '<=', '>='])} ${sub.sql})`, true, false);
  }

  // ---------------------------------------------------------------------------------------
  // Expressions

  private colExpr(c: Col): Expr {
    return {
      sql: `${c.qual}.${c.name}`,
      type: c.type,
      scale: c.scale,
      nullable: c.nullable,
      maxAbs: c.maxAbs,
      sumAbs: c.sumAbs,
      agg: false,
      inexact: c.inexact,
      wide: c.wide,
      col: c,
    };
  }

  private boolExpr(sql: string, nullable: boolean, agg: boolean): Expr {
    return { sql, type: 'bool', scale: 0, nullable, maxAbs: 0, sumAbs: 0, agg, inexact: false, wide: false };
  }

  private literal(type: GType, v: Value, rows: number): Expr {
    const a = absOf(v);
    return {
      sql: literalSql(type, v),
      type,
      scale: type === 'decimal' ? scaleOf(v) : 0,
      nullable: v === null,
      maxAbs: a,
      sumAbs: a * rows,
      agg: false,
      inexact: false,
      wide: false,
    };
  }

  private randomValue(type: GType): Value {
    switch (type) {
      case 'int':
        return this.rng.int(-5, 100);
      case 'bigint':
        return this.rng.pick<bigint>([0n, 1000n, 100_000n, 5_000_000_000n, 1_000_000_001_000n, 9_007_199_254_740_993n]);
      case 'decimal':
        return centsToDecimal(this.rng.int(-1_000, 100_000));
      case 'double':
        return this.rng.int(-80, 400) / 8;
      case 'varchar':
        return this.rng.pick(WORDS);
      case 'date':
        return daysToDate(this.rng.int(dateToDays('2022-12-01'), dateToDays('2024-06-30')));
      case 'bool':
        return this.rng.chance(0.5);
      case 'timestamp':
        throw new Error('query generator: no TIMESTAMP literals');
    }
  }

  /** A value of e's type, drawn from e's column values when it is a column. */
  private valueFor(e: Expr): Value {
    const type = e.type === 'timestamp' ? 'date' : e.type;
    if (e.col && e.col.samples.length > 0 && this.rng.chance(0.9)) return this.rng.pick(e.col.samples);
    return this.randomValue(type);
  }

  private literalFor(e: Expr, rows: number): Expr {
    return this.literal(e.type === 'timestamp' ? 'date' : e.type, this.valueFor(e), rows);
  }

  /** b is a literal of one of a's column values. */
  private isSampleLiteral(a: Expr, b: Expr): boolean {
    if (!a.col || b.col || b.agg) return false;
    const t = a.type;
    return a.col.samples.some((v) => literalSql(t, v) === b.sql);
  }

  private numericLiteral(e: Expr): string {
    if (e.type === 'double') return literalSql('double', this.rng.int(0, 800) / 8);
    if (e.type === 'decimal') return literalSql('decimal', centsToDecimal(this.rng.int(0, 500_000)));
    return String(this.rng.int(0, 100));
  }

  private leaf(type: GType, scope: Scope): Expr {
    const cols = scope.cols.filter((c) => c.type === type);
    if (cols.length > 0 && this.rng.chance(0.9)) return this.colExpr(this.rng.pick(cols));
    if (type === 'timestamp') return this.genTimestamp(scope);
    return this.literal(type, this.randomValue(type), scope.rows);
  }

  private genExpr(type: GType, scope: Scope, depth: number, ctx: Ctx, allowSub: boolean): Expr {
    if (depth <= 0 && type !== 'timestamp' && type !== 'bool') return this.leaf(type, scope);
    switch (type) {
      case 'int':
        return this.genInt(scope, depth, ctx);
      case 'bigint':
        return this.genBigint(scope, depth, ctx);
      case 'decimal':
        return this.genDecimal(scope, depth, ctx);
      case 'double':
        return this.genDouble(scope, depth, ctx);
      case 'varchar':
        return this.genVarchar(scope, depth, ctx);
      case 'date':
        return this.genDate(scope, depth, ctx);
      case 'timestamp':
        return this.genTimestamp(scope);
      case 'bool':
        return this.genBool(scope, depth, ctx, allowSub);
    }
  }

  /** Tries weighted alternatives until one applies (returns non-null), else the fallback. */
  private attempt(alts: [() => Expr | null, number][], fallback: () => Expr): Expr {
    for (let i = 0; i < 4; i++) {
      const e = this.rng.weighted(alts)();
      if (e) return e;
    }
    return fallback();
  }

  private withinBounds(type: GType, maxAbs: number, scale: number): boolean {
    if (type === 'int') return maxAbs <= INT_LIMIT;
    if (type === 'bigint') return maxAbs <= BIGINT_LIMIT;
    if (type === 'decimal') return scale <= MAX_DECIMAL_SCALE && maxAbs * 10 ** scale <= DECIMAL_UNSCALED_LIMIT;
    return true;
  }

  /** a op b for + - * on numeric operands, typed as DuckDB and PostgreSQL type it. */
  private arithmetic(a: Expr, b: Expr, op: string): Expr | null {
    let type: GType;
    if (a.type === 'double' || b.type === 'double') type = 'double';
    else if (a.type === 'decimal' || b.type === 'decimal') type = 'decimal';
    else if (a.type === 'bigint' || b.type === 'bigint') type = 'bigint';
    else type = 'int';
    const scale = type === 'decimal' ? (op === '*' ? a.scale + b.scale : Math.max(a.scale, b.scale)) : 0;
    const maxAbs = op === '*' ? a.maxAbs * b.maxAbs : a.maxAbs + b.maxAbs;
    const sumAbs = op === '*' ? Math.min(a.sumAbs * b.maxAbs, b.sumAbs * a.maxAbs) : a.sumAbs + b.sumAbs;
    if (!this.withinBounds(type, maxAbs, scale)) return null;
    return {
      sql: `(${a.sql} ${op} ${b.sql})`,
      type,
      scale,
      nullable: a.nullable || b.nullable,
      maxAbs,
      sumAbs,
      agg: a.agg || b.agg,
      inexact: a.inexact || b.inexact,
      wide: type === 'decimal' && (a.wide || b.wide),
    };
  }

  private operand(type: GType, scope: Scope, depth: number, ctx: Ctx): Expr {
    return this.rng.chance(0.35) ? this.literal(type, this.randomValue(type), scope.rows) : this.genExpr(type, scope, depth, ctx, false);
  }

  /** DuckDB unifies these DECIMALs without losing a digit (see Expr.wide). */
  private unifiable(items: readonly { type: GType; scale: number; wide: boolean }[]): boolean {
    if (!items.some((e) => e.type === 'decimal' && e.wide)) return true;
    const scales = new Set(items.filter((e) => e.type === 'decimal').map((e) => e.scale));
    return scales.size <= 1;
  }

  /**
   * e, made safe to unify with a DECIMAL column like `other` (set-operation branches, IN
   * subqueries): when either is wide and the scales differ, e is cast to DECIMAL(18, other's
   * scale), which both engines round the same way.
   */
  private fitDecimal(e: Expr, other: { type: GType; scale: number; wide: boolean }): Expr {
    if (e.type !== 'decimal' || other.type !== 'decimal') return e;
    if (this.unifiable([e, other])) return e;
    this.features.cast = true;
    return {
      ...e,
      sql: `CAST(${e.sql} AS DECIMAL(18,${other.scale}))`,
      scale: other.scale,
      wide: false,
      maxAbs: e.maxAbs + 1,
      col: undefined,
    };
  }

  private genCase(type: GType, scope: Scope, depth: number, ctx: Ctx): Expr | null {
    this.features.caseExpr = true;
    const branches: Expr[] = [];
    const conds: string[] = [];
    const simple = this.rng.chance(0.3);
    let subject: Expr | null = null;
    if (simple) {
      const cands = scope.cols.filter((c) => c.samples.length > 0 && c.type !== 'double');
      if (cands.length === 0) return null;
      subject = this.colExpr(this.rng.pick(cands));
    }
    const n = this.rng.int(1, 3);
    for (let i = 0; i < n; i++) {
      conds.push(subject ? this.literalFor(subject, scope.rows).sql : this.genBool(scope, depth - 1, ctx, false).sql);
      branches.push(this.genExpr(type, scope, depth - 1, ctx, false));
    }
    const hasElse = this.rng.chance(0.7);
    if (hasElse) branches.push(this.genExpr(type, scope, depth - 1, ctx, false));
    const scale = Math.max(...branches.map((b) => b.scale));
    const maxAbs = Math.max(...branches.map((b) => b.maxAbs));
    if (!this.withinBounds(type, maxAbs, scale) || !this.unifiable(branches)) return null;
    let sql = subject ? `CASE ${subject.sql}` : 'CASE';
    for (let i = 0; i < n; i++) sql += ` WHEN ${conds[i]} THEN ${branches[i].sql}`;
    if (hasElse) sql += ` ELSE ${branches[n].sql}`;
    sql += ' END';
    return {
      sql,
      type,
      scale,
      nullable: !hasElse || branches.some((b) => b.nullable),
      maxAbs,
      sumAbs: branches.reduce((s, b) => s + b.sumAbs, 0),
      agg: false,
      inexact: branches.some((b) => b.inexact),
      wide: branches.some((b) => b.wide),
    };
  }

  private genCoalesce(type: GType, scope: Scope, depth: number, ctx: Ctx): Expr | null {
    const n = this.rng.int(2, 3);
    const args: Expr[] = [];
    for (let i = 0; i < n; i++) {
      args.push(i === n - 1 && this.rng.chance(0.5) ? this.literal(type, this.randomValue(type), scope.rows) : this.genExpr(type, scope, depth - 1, ctx, false));
    }
    const scale = Math.max(...args.map((b) => b.scale));
    const maxAbs = Math.max(...args.map((b) => b.maxAbs));
    if (!this.withinBounds(type, maxAbs, scale) || !this.unifiable(args)) return null;
    return {
      sql: `COALESCE(${args.map((a) => a.sql).join(', ')})`,
      type,
      scale,
      nullable: args.every((a) => a.nullable),
      maxAbs,
      sumAbs: args.reduce((s, b) => s + b.sumAbs, 0),
      agg: false,
      inexact: args.some((b) => b.inexact),
      wide: args.some((b) => b.wide),
    };
  }

  private genNullif(type: GType, scope: Scope, depth: number, ctx: Ctx): Expr | null {
    const a = this.genExpr(type, scope, depth - 1, ctx, false);
    const b = this.rng.chance(0.6) ? this.literalFor(a, scope.rows) : this.genExpr(type, scope, depth - 1, ctx, false);
    if (a.type === 'decimal' && b.scale > a.scale) return null;
    return { ...a, sql: `NULLIF(${a.sql}, ${b.sql})`, nullable: true, col: undefined };
  }

  private unary(a: Expr, fn: 'neg' | 'abs'): Expr {
    return { ...a, sql: fn === 'neg' ? `(- ${a.sql})` : `abs(${a.sql})`, col: undefined };
  }

  private genInt(scope: Scope, depth: number, ctx: Ctx): Expr {
    const d = depth - 1;
    const e = this.attempt(
      [
        [() => this.leaf('int', scope), 4],
        [() => this.arithmetic(this.genExpr('int', scope, d, ctx, false), this.operand('int', scope, d, ctx), this.rng.pick(['+', '-', '*'])), 3],
        [() => this.intDivision(this.genExpr('int', scope, d, ctx, false), this.rng.chance(0.5) ? '/' : '%', 'int', scope, d, ctx), 2],
        [() => this.unary(this.genExpr('int', scope, d, ctx, false), this.rng.chance(0.5) ? 'neg' : 'abs'), 1],
        [() => this.genCase('int', scope, depth, ctx), 1],
        [() => this.genCoalesce('int', scope, depth, ctx), 1],
        [() => this.genNullif('int', scope, depth, ctx), 0.5],
        [() => this.castToInt(scope, d, ctx), 0.8],
        [() => this.extract(scope, d, ctx), 1],
        [() => this.lengthOf(scope, d, ctx), 0.6],
        [() => this.dateDiff(scope, d, ctx), 0.4],
      ],
      () => this.leaf('int', scope),
    );
    return this.withGreatestLeast(e, scope);
  }

  private intDivision(a: Expr, op: '/' | '%', type: GType, scope: Scope, depth: number, ctx: Ctx): Expr | null {
    const b = this.rng.chance(0.5)
      ? this.literal('int', this.rng.pick([2, 3, 7, 10, -4, 0]), scope.rows)
      : this.genExpr('int', scope, depth, ctx, false);
    const t: GType = a.type === 'bigint' || type === 'bigint' ? 'bigint' : 'int';
    return {
      sql: `(${a.sql} ${op} ${b.sql})`,
      type: t,
      scale: 0,
      nullable: true,
      maxAbs: op === '%' ? Math.min(a.maxAbs, Math.max(b.maxAbs, 1)) : a.maxAbs,
      sumAbs: a.sumAbs,
      agg: false,
      inexact: false,
      wide: false,
    };
  }

  private castToInt(scope: Scope, depth: number, ctx: Ctx): Expr | null {
    const from = this.rng.pick<GType>(['decimal', 'double', 'bigint', 'varchar']);
    if (from === 'varchar') {
      // Only strings known to hold integers: CAST(CAST(int AS VARCHAR) AS INTEGER).
      const a = this.genExpr('int', scope, depth, ctx, false);
      this.features.cast = true;
      return { ...a, sql: `CAST(CAST(${a.sql} AS VARCHAR) AS INTEGER)`, col: undefined };
    }
    const a = this.genExpr(from, scope, depth, ctx, false);
    if (a.inexact || a.maxAbs + 1 > INT_LIMIT) return null;
    this.features.cast = true;
    return {
      sql: `CAST(${a.sql} AS INTEGER)`,
      type: 'int',
      scale: 0,
      nullable: a.nullable,
      maxAbs: a.maxAbs + 1,
      sumAbs: a.sumAbs + scope.rows,
      agg: false,
      inexact: false,
      wide: false,
    };
  }

  private extract(scope: Scope, depth: number, ctx: Ctx): Expr {
    const d = this.genExpr('date', scope, depth, ctx, false);
    const field = this.rng.pick(['year', 'month', 'day', 'quarter', 'dow']);
    this.features.dateFunctions = true;
    const maxAbs = field === 'year' ? 2100 : 31;
    // Now and then date_part of a field within the same bound (own stream).
    const part = this.dateParts.datePart(d.sql, maxAbs, 0.35);
    return {
      sql: part ?? `extract(${field} FROM ${d.sql})`,
      type: 'int',
      scale: 0,
      nullable: d.nullable,
      maxAbs,
      sumAbs: maxAbs * scope.rows,
      agg: false,
      inexact: false,
      wide: false,
    };
  }

  private lengthOf(scope: Scope, depth: number, ctx: Ctx): Expr {
    const s = this.genExpr('varchar', scope, depth, ctx, false);
    this.features.stringFunctions = true;
    // Now and then the position of a needle instead, at most the length (own stream).
    const pos = this.positions.position(s.sql, () => this.stringValues(scope), 0.5);
    return { sql: pos ?? `length(${s.sql})`, type: 'int', scale: 0, nullable: s.nullable, maxAbs: 200, sumAbs: 200 * scope.rows, agg: false, inexact: false, wide: false };
  }

  private dateDiff(scope: Scope, depth: number, ctx: Ctx): Expr {
    const a = this.genExpr('date', scope, depth, ctx, false);
    const b = this.genExpr('date', scope, depth, ctx, false);
    this.features.dateFunctions = true;
    return {
      sql: `(${a.sql} - ${b.sql})`,
      type: 'int',
      scale: 0,
      nullable: a.nullable || b.nullable,
      maxAbs: 20_000,
      sumAbs: 20_000 * scope.rows,
      agg: false,
      inexact: false,
      wide: false,
    };
  }

  private genBigint(scope: Scope, depth: number, ctx: Ctx): Expr {
    const d = depth - 1;
    const main = this.attempt(
      [
        [() => this.leaf('bigint', scope), 4],
        [
          () => {
            const a = this.genExpr('int', scope, d, ctx, false);
            this.features.cast = true;
            return { ...a, sql: `CAST(${a.sql} AS BIGINT)`, type: 'bigint', col: undefined };
          },
          1.5,
        ],
        [() => this.arithmetic(this.genExpr('bigint', scope, d, ctx, false), this.operand(this.rng.pick<GType>(['int', 'bigint']), scope, d, ctx), this.rng.pick(['+', '-', '*'])), 2],
        [() => this.intDivision(this.genExpr('bigint', scope, d, ctx, false), this.rng.chance(0.5) ? '/' : '%', 'bigint', scope, d, ctx), 1],
        [() => this.unary(this.genExpr('bigint', scope, d, ctx, false), 'abs'), 0.5],
        [() => this.genCase('bigint', scope, depth, ctx), 0.7],
        [() => this.genCoalesce('bigint', scope, depth, ctx), 0.7],
      ],
      () => this.leaf('bigint', scope),
    );
    const e = this.withGreatestLeast(main, scope);
    const diff = this.more.dateDiff(this.dateOperands(scope), 0.12);
    if (diff === null) return e;
    this.features.moreScalarFunctions = true;
    return { sql: diff.sql, type: 'bigint', scale: 0, nullable: diff.nullable, maxAbs: diff.maxAbs, sumAbs: diff.maxAbs * scope.rows, agg: false, inexact: false, wide: false };
  }

  /**
   * e, now and then inside greatest(...) or least(...) (own stream). Only an expression that reads
   * a column and is not one: a bare column keeps its column facts (samples, keys, uniqueness),
   * and the wrapper keeps e's type and stated bounds (see greatest-least-generator.ts).
   */
  private withGreatestLeast(e: Expr, scope: Scope): Expr {
    if (e.col || !COLUMN_REF_RE.test(e.sql)) return e;
    let sql: string | null = null;
    if (isNumeric(e.type)) sql = this.greatestLeast.number(e, 0.04);
    else if (e.type === 'varchar' || e.type === 'date') sql = this.greatestLeast.ordered(e, () => this.orderedOperands(e.type, scope), 0.06);
    return sql === null ? e : { ...e, sql };
  }

  /** The scope's columns of a type, and literals of their values, for greatest/least. */
  private orderedOperands(type: GType, scope: Scope): OrderedOperands {
    const cols = scope.cols.filter((c) => c.type === type);
    return {
      columns: cols.map((c) => `${c.qual}.${c.name}`),
      literals: cols.flatMap((c) => c.samples.slice(0, OPERAND_LITERALS).map((v) => literalSql(type, v))),
    };
  }

  /** Values of the scope's string columns, to cut position() needles from. */
  private stringValues(scope: Scope): string[] {
    return scope.cols.filter((c) => c.type === 'varchar').flatMap((c) => c.samples.slice(0, OPERAND_LITERALS).map(String));
  }

  /** The scope's DATE columns, as operands of the later scalar functions. */
  private dateOperands(scope: Scope): ScalarOperand[] {
    return scope.cols.filter((c) => c.type === 'date').map((c) => ({ sql: `${c.qual}.${c.name}`, nullable: c.nullable }));
  }

  private genDecimal(scope: Scope, depth: number, ctx: Ctx): Expr {
    const d = depth - 1;
    const e = this.attempt(
      [
        [() => this.leaf('decimal', scope), 4],
        [() => this.arithmetic(this.genExpr('decimal', scope, d, ctx, false), this.operand(this.rng.pick<GType>(['decimal', 'int']), scope, d, ctx), this.rng.pick(['+', '-', '*'])), 3],
        [
          () => {
            const a = this.genExpr('int', scope, d, ctx, false);
            if (a.maxAbs > 1e9) return null;
            this.features.cast = true;
            return { ...a, sql: `CAST(${a.sql} AS DECIMAL(12,2))`, type: 'decimal', scale: 2, col: undefined, wide: false };
          },
          1,
        ],
        [
          () => {
            const a = this.genExpr('double', scope, d, ctx, false);
            if (a.inexact || a.maxAbs > 1e9) return null;
            this.features.cast = true;
            return { ...a, sql: `CAST(${a.sql} AS DECIMAL(12,2))`, type: 'decimal', scale: 2, col: undefined, inexact: false, wide: false };
          },
          0.5,
        ],
        [
          () => {
            const a = this.genExpr('decimal', scope, d, ctx, false);
            if (a.scale === 0) return null;
            const n = this.rng.int(0, a.scale - 1);
            return { ...a, sql: `round(${a.sql}, ${n})`, scale: n, maxAbs: a.maxAbs + 1, col: undefined };
          },
          1,
        ],
        [
          () => {
            const a = this.genExpr('decimal', scope, d, ctx, false);
            return { ...a, sql: `${this.rng.pick(['floor', 'ceil'])}(${a.sql})`, scale: 0, maxAbs: a.maxAbs + 1, col: undefined };
          },
          0.6,
        ],
        [() => this.unary(this.genExpr('decimal', scope, d, ctx, false), this.rng.chance(0.5) ? 'neg' : 'abs'), 0.7],
        [() => this.genCase('decimal', scope, depth, ctx), 1],
        [() => this.genCoalesce('decimal', scope, depth, ctx), 1],
        [() => this.genNullif('decimal', scope, depth, ctx), 0.4],
      ],
      () => this.leaf('decimal', scope),
    );
    return this.withGreatestLeast(e, scope);
  }

  private genDouble(scope: Scope, depth: number, ctx: Ctx): Expr {
    const d = depth - 1;
    const e = this.attempt(
      [
        [() => this.leaf('double', scope), 4],
        [() => this.arithmetic(this.genExpr('double', scope, d, ctx, false), this.operand(this.rng.pick(NUMERIC), scope, d, ctx), this.rng.pick(['+', '-', '*'])), 3],
        [
          () => {
            // A division with a non-integer operand is a DOUBLE in both engines (DECIMAL / x too).
            const a = this.genExpr(this.rng.pick<GType>(['double', 'decimal', 'int']), scope, d, ctx, false);
            const bType: GType = a.type === 'int' ? this.rng.pick<GType>(['double', 'decimal']) : this.rng.pick(NUMERIC);
            const b = this.operand(bType, scope, d, ctx);
            return {
              sql: `(${a.sql} / ${b.sql})`,
              type: 'double',
              scale: 0,
              nullable: true,
              maxAbs: Infinity,
              sumAbs: Infinity,
              agg: false,
              inexact: true,
              wide: false,
            };
          },
          1.5,
        ],
        [
          () => {
            const a = this.genExpr(this.rng.pick<GType>(['int', 'decimal', 'bigint']), scope, d, ctx, false);
            this.features.cast = true;
            return { ...a, sql: `CAST(${a.sql} AS DOUBLE)`, type: 'double', scale: 0, col: undefined, inexact: a.type === 'decimal', wide: false };
          },
          1,
        ],
        [
          () => {
            const a = this.genExpr('double', scope, d, ctx, false);
            return { ...a, sql: `${this.rng.pick(['round', 'floor', 'ceil'])}(${a.sql})`, maxAbs: a.maxAbs + 1, col: undefined };
          },
          0.8,
        ],
        [() => this.unary(this.genExpr('double', scope, d, ctx, false), this.rng.chance(0.5) ? 'neg' : 'abs'), 0.6],
        [() => this.genCase('double', scope, depth, ctx), 0.8],
        [() => this.genCoalesce('double', scope, depth, ctx), 0.8],
      ],
      () => this.leaf('double', scope),
    );
    return this.withGreatestLeast(e, scope);
  }

  private genVarchar(scope: Scope, depth: number, ctx: Ctx): Expr {
    const d = depth - 1;
    const str = (sql: string, args: Expr[], nullable?: boolean): Expr => {
      this.features.stringFunctions = true;
      return {
        sql,
        type: 'varchar',
        scale: 0,
        nullable: nullable ?? args.some((a) => a.nullable),
        maxAbs: 0,
        sumAbs: 0,
        agg: false,
        inexact: false,
        wide: false,
      };
    };
    const main = this.attempt(
      [
        [() => this.leaf('varchar', scope), 4],
        [
          () => {
            const a = this.genExpr('varchar', scope, d, ctx, false);
            return str(`${this.rng.pick(['lower', 'upper', 'trim', 'ltrim', 'rtrim'])}(${a.sql})`, [a]);
          },
          2,
        ],
        [
          () => {
            const a = this.genExpr('varchar', scope, d, ctx, false);
            const start = this.rng.int(1, 4);
            return this.rng.chance(0.75)
              ? str(`substring(${a.sql}, ${start}, ${this.rng.int(0, 5)})`, [a])
              : str(`substring(${a.sql}, ${start})`, [a]);
          },
          1.2,
        ],
        [
          () => {
            const a = this.genExpr('varchar', scope, d, ctx, false);
            const from = this.rng.pick(['a', 'o', 'e', ' ', 'r', 'Br']);
            const to = this.rng.pick(['', 'A', '--', 'xyz']);
            return str(`replace(${a.sql}, '${from}', '${to}')`, [a]);
          },
          0.8,
        ],
        [
          () => {
            const a = this.genExpr('varchar', scope, d, ctx, false);
            const b = this.operand('varchar', scope, d, ctx);
            return str(`(${a.sql} || ${b.sql})`, [a, b]);
          },
          1,
        ],
        [
          () => {
            const n = this.rng.int(2, 3);
            const args: Expr[] = [];
            for (let i = 0; i < n; i++) args.push(this.operand('varchar', scope, d, ctx));
            // concat() skips NULL arguments and is never NULL itself (all NULL gives '').
            return str(`concat(${args.map((a) => a.sql).join(', ')})`, args, false);
          },
          0.8,
        ],
        [
          () => {
            const t = this.rng.pick<GType>(['int', 'bigint', 'date', 'decimal']);
            const a = this.genExpr(t, scope, d, ctx, false);
            // Only DECIMAL columns (known scale) become text: a computed DECIMAL's scale is
            // engine-specific.
            if (t === 'decimal' && !(a.col && a.col.base)) return null;
            this.features.cast = true;
            return str(`CAST(${a.sql} AS VARCHAR)`, [a]);
          },
          1,
        ],
        [() => this.genCase('varchar', scope, depth, ctx), 1],
        [() => this.genCoalesce('varchar', scope, depth, ctx), 1],
        [() => this.genNullif('varchar', scope, depth, ctx), 0.4],
      ],
      () => this.leaf('varchar', scope),
    );
    const e = this.withGreatestLeast(main, scope);
    const more = this.more.varchar(e, this.dateOperands(scope), 0.15);
    if (more === null) return e;
    this.features.moreScalarFunctions = true;
    return { ...e, sql: more.sql, nullable: more.nullable, agg: e.agg && more.sql.includes(e.sql), col: undefined };
  }

  private genDate(scope: Scope, depth: number, ctx: Ctx): Expr {
    const d = depth - 1;
    const dateFn = (sql: string, a: Expr): Expr => {
      this.features.dateFunctions = true;
      return { sql, type: 'date', scale: 0, nullable: a.nullable, maxAbs: 0, sumAbs: 0, agg: false, inexact: false, wide: false };
    };
    const main = this.attempt(
      [
        [() => this.leaf('date', scope), 4],
        [
          () => {
            const a = this.genExpr('date', scope, d, ctx, false);
            return dateFn(`(${a.sql} ${this.rng.pick(['+', '-'])} ${this.rng.int(0, 400)})`, a);
          },
          1.2,
        ],
        [
          () => {
            // date_trunc of a DATE is a TIMESTAMP in DuckDB and a TIMESTAMPTZ in PostgreSQL:
            // compare the dates.
            const a = this.genExpr('date', scope, d, ctx, false);
            return dateFn(`CAST(date_trunc('${this.rng.pick(['month', 'year', 'quarter'])}', ${a.sql}) AS DATE)`, a);
          },
          1,
        ],
        [
          () => {
            const a = this.genExpr('date', scope, d, ctx, false);
            return dateFn(`CAST(${a.sql} ${this.rng.pick(['+', '-'])} ${this.intervalLiteral()} AS DATE)`, a);
          },
          0.8,
        ],
        [() => this.genCase('date', scope, depth, ctx), 0.6],
        [() => this.genCoalesce('date', scope, depth, ctx), 0.8],
      ],
      () => this.leaf('date', scope),
    );
    const e = this.withGreatestLeast(main, scope);
    const made = this.more.makeDate(this.dateOperands(scope), 0.08);
    if (made === null) return e;
    this.features.moreScalarFunctions = true;
    return dateFn(made.sql, { ...e, nullable: made.nullable });
  }

  private intervalLiteral(): string {
    const n = this.rng.int(1, 40);
    const unit = this.rng.pick(['day', 'days', 'month', 'months', 'year']);
    return `INTERVAL '${n} ${unit}'`;
  }

  /** DATE +/- INTERVAL: a TIMESTAMP in DuckDB and PostgreSQL alike. */
  private genTimestamp(scope: Scope): Expr {
    const d = this.leaf('date', scope);
    this.features.dateFunctions = true;
    return {
      sql: `(${d.sql} ${this.rng.pick(['+', '-'])} ${this.intervalLiteral()})`,
      type: 'timestamp',
      scale: 0,
      nullable: d.nullable,
      maxAbs: 0,
      sumAbs: 0,
      agg: false,
      inexact: false,
      wide: false,
    };
  }

  /** A string to match with LIKE or starts_with: mostly a column, whose values patterns come from. */
  private stringOperand(scope: Scope, depth: number, ctx: Ctx): Expr {
    const cols = scope.cols.filter((c) => c.type === 'varchar' && c.samples.length > 0);
    if (cols.length > 0 && this.rng.chance(0.65)) return this.colExpr(this.rng.pick(cols));
    return this.withColumn(this.genExpr('varchar', scope, depth, ctx, false), scope);
  }

  /** An operand for a comparison, of a type the scope has columns of (else constants decide). */
  private genComparable(scope: Scope, depth: number, ctx: Ctx): Expr {
    const weights: [GType, number][] = [
      ['int', 3],
      ['bigint', 1],
      ['decimal', 2],
      ['double', 1.5],
      ['varchar', 3],
      ['date', 1.5],
    ];
    const t = this.rng.weighted<GType>(
      weights.map(([type, w]) => [type, scope.cols.some((c) => c.type === type) ? w : w * 0.05]),
    );
    const cols = scope.cols.filter((c) => c.type === t);
    if (cols.length > 0 && this.rng.chance(0.6)) return this.colExpr(this.rng.pick(cols));
    return this.withColumn(this.genExpr(t, scope, depth, ctx, false), scope);
  }

  /**
   * e if it reads a column; otherwise a column (of e's type if there is one). A predicate over
   * constants alone is true or false for every row, and half the time that empties the result.
   */
  private withColumn(e: Expr, scope: Scope): Expr {
    if (COLUMN_REF_RE.test(e.sql) || this.rng.chance(0.05)) return e;
    const cols = scope.cols.filter((c) => c.type === e.type);
    return this.colExpr(this.rng.pick(cols.length > 0 ? cols : scope.cols));
  }

  /**
   * A comparison operator: equality mostly against a value the column holds, since equality
   * between unrelated values is nearly always false and would empty most results.
   */
  private comparisonOp(likelyEqual: boolean): string {
    return this.rng.weighted<string>([
      ['=', likelyEqual ? 3 : 0.5],
      ['<>', 1.2],
      ['!=', 0.3],
      ['<', 1.5],
      ['<=', 1],
      ['>', 1.5],
      ['>=', 1],
    ]);
  }

  /** A second operand comparable with a: a literal of its values, or an expression of its class. */
  private comparand(a: Expr, scope: Scope, depth: number, ctx: Ctx): Expr {
    if (this.rng.chance(0.6)) return this.literalFor(a, scope.rows);
    const t = isNumeric(a.type) ? this.rng.pick(NUMERIC) : a.type;
    const b = this.genExpr(t, scope, depth, ctx, false);
    // x < x and x <> x are false on every row.
    return b.sql === a.sql ? this.literalFor(a, scope.rows) : b;
  }

  private genBool(scope: Scope, depth: number, ctx: Ctx, allowSub: boolean): Expr {
    const d = depth - 1;
    const alts: [() => Expr | null, number][] = [
      [
        () => {
          const a = this.genComparable(scope, d, ctx);
          const b = this.comparand(a, scope, d, ctx);
          if (a.inexact || b.inexact) return null;
          const op = this.comparisonOp(this.isSampleLiteral(a, b));
          return this.boolExpr(`(${a.sql} ${op} ${b.sql})`, a.nullable || b.nullable, false);
        },
        5,
      ],
      [
        () => {
          const a = this.genComparable(scope, d, ctx);
          if (a.inexact) return null;
          const x = this.valueFor(a);
          const y = this.valueFor(a);
          // Now and then the bounds stay reversed (an empty range).
          const [lo, hi] = this.rng.chance(0.97) && compareValues(x, y) > 0 ? [y, x] : [x, y];
          const not = this.rng.chance(0.2) ? 'NOT ' : '';
          const t = a.type === 'timestamp' ? 'date' : a.type;
          return this.boolExpr(`(${a.sql} ${not}BETWEEN ${literalSql(t, lo)} AND ${literalSql(t, hi)})`, true, false);
        },
        1.2,
      ],
      [
        () => {
          const a = this.genComparable(scope, d, ctx);
          if (a.inexact) return null;
          const n = this.rng.int(1, 5);
          const items: string[] = [];
          for (let i = 0; i < n; i++) items.push(this.literalFor(a, scope.rows).sql);
          const not = this.rng.chance(0.3) ? 'NOT ' : '';
          // NOT IN with a NULL in the list is never true: now and then, not often.
          if (this.rng.chance(not ? 0.03 : 0.1)) items.push('NULL');
          return this.boolExpr(`(${a.sql} ${not}IN (${items.join(', ')}))`, true, false);
        },
        1.5,
      ],
      [
        () => {
          const a = this.withColumn(
            this.genExpr(this.rng.pick<GType>(['int', 'varchar', 'decimal', 'date', 'double', 'bigint', 'bool']), scope, d, ctx, false),
            scope,
          );
          // IS NULL of a never-NULL value is false on every row: mostly ask IS NOT NULL then.
          const not = this.rng.chance(a.nullable ? 0.5 : 0.85);
          return this.boolExpr(`(${a.sql} IS ${not ? 'NOT ' : ''}NULL)`, false, false);
        },
        1.2,
      ],
      [
        () => {
          const a = this.genComparable(scope, d, ctx);
          const b = this.comparand(a, scope, d, ctx);
          if (a.inexact || b.inexact) return null;
          return this.boolExpr(`(${a.sql} IS ${this.rng.chance(0.5) ? 'NOT ' : ''}DISTINCT FROM ${b.sql})`, false, false);
        },
        0.7,
      ],
      [
        () => {
          const a = this.stringOperand(scope, d, ctx);
          if (a.type !== 'varchar') return null;
          this.features.stringFunctions = true;
          const not = this.rng.chance(0.25) ? 'NOT ' : '';
          return this.boolExpr(`(${a.sql} ${not}LIKE ${literalSql('varchar', this.likePattern(a))})`, a.nullable, false);
        },
        1,
      ],
      [
        () => {
          const a = this.stringOperand(scope, d, ctx);
          if (a.type !== 'varchar') return null;
          this.features.stringFunctions = true;
          const sample = a.col && a.col.samples.length > 0 ? String(this.rng.pick(a.col.samples)) : this.rng.pick(WORDS);
          return this.boolExpr(`starts_with(${a.sql}, ${literalSql('varchar', sample.slice(0, this.rng.int(0, 3)))})`, a.nullable, false);
        },
        0.5,
      ],
      [() => this.leafBool(scope), 0.8],
    ];
    if (depth > 0) {
      alts.push([
        () => {
          const a = this.genBool(scope, d, ctx, allowSub);
          const b = this.genBool(scope, d, ctx, allowSub);
          return this.boolExpr(`(${a.sql} ${this.rng.chance(0.45) ? 'AND' : 'OR'} ${b.sql})`, a.nullable || b.nullable, false);
        },
        2,
      ]);
      alts.push([
        () => {
          const a = this.genBool(scope, d, ctx, allowSub);
          return this.boolExpr(`(NOT ${a.sql})`, a.nullable, false);
        },
        0.8,
      ]);
    }
    if (allowSub && ctx.depth < MAX_QUERY_DEPTH) alts.push([() => this.genSubqueryPredicate(scope, ctx), 1.6]);
    const e = this.attempt(alts, () => this.leafBool(scope));
    const strings = scope.cols.filter((c) => c.type === 'varchar');
    if (strings.length === 0) return e;
    // A predicate column picked by this module's own stream: the main stream stays as it was.
    const m = this.more.regexpMatches(this.more.pickOperand(strings.map((c) => ({ sql: `${c.qual}.${c.name}`, nullable: c.nullable }))), 0.06);
    if (m === null) return e;
    this.features.moreScalarFunctions = true;
    return this.boolExpr(m.sql, m.nullable, false);
  }

  private leafBool(scope: Scope): Expr {
    const cols = scope.cols.filter((c) => c.type === 'bool');
    if (cols.length > 0) {
      const c = this.colExpr(this.rng.pick(cols));
      return this.rng.chance(0.5) ? c : this.boolExpr(`(${c.sql} = ${this.rng.chance(0.5) ? 'TRUE' : 'FALSE'})`, c.nullable, false);
    }
    const nullableCols = scope.cols.filter((c) => c.nullable);
    if (nullableCols.length > 0) {
      const c = this.rng.pick(nullableCols);
      return this.boolExpr(`(${c.qual}.${c.name} IS NOT NULL)`, false, false);
    }
    return this.boolExpr(this.rng.chance(0.8) ? 'TRUE' : 'FALSE', false, false);
  }

  private likePattern(a: Expr): string {
    const sample = a.col && a.col.samples.length > 0 ? String(this.rng.pick(a.col.samples)) : this.rng.pick(WORDS);
    const r = this.rng.next();
    if (sample.length === 0) return '%';
    if (r < 0.3) return `${sample.slice(0, this.rng.int(1, 3))}%`;
    if (r < 0.55) return `%${sample.slice(-this.rng.int(1, 3))}`;
    if (r < 0.75) {
      const i = this.rng.int(0, sample.length - 1);
      return `%${sample.slice(i, i + 2)}%`;
    }
    if (r < 0.9) {
      // One character replaced by _.
      const i = this.rng.int(0, sample.length - 1);
      return `${sample.slice(0, i)}_${sample.slice(i + 1)}`;
    }
    return sample;
  }
}

/** The first `count` queries for a data set and seed. */
export function generateQueries(data: Dataset, seed: number, count: number): GeneratedQuery[] {
  const gen = new QueryGenerator(data, seed);
  const out: GeneratedQuery[] = [];
  for (let i = 0; i < count; i++) out.push(gen.generate(i));
  return out;
}

/**
 * How many of every 400 generated queries must use each feature; the tests check these (scaled
 * to the number of queries) so a change to the generator cannot quietly stop covering one.
 */
export const FEATURE_MINIMUMS_PER_400: Readonly<Partial<Record<FeatureName | 'twoOrMoreJoins', number>>> = {
  twoOrMoreJoins: 40,
  outerJoin: 20,
  nullGroupKeys: 20,
  subquery: 30,
  orderByLimit: 30,
  correlatedSubquery: 15,
  existsSubquery: 10,
  inSubquery: 10,
  scalarSubquery: 15,
  derivedTable: 20,
  cte: 20,
  setOp: 20,
  groupBy: 100,
  groupingSets: 12,
  having: 30,
  aggregateFilter: 20,
  countDistinct: 20,
  distinct: 8,
  offset: 10,
  commaJoin: 20,
  caseExpr: 40,
  stringFunctions: 60,
  dateFunctions: 40,
  cast: 40,
  window: 30,
  qualify: 12,
  moreScalarFunctions: 40,
  statisticalAggregates: 5,
  median: 4,
  quantileCont: 3,
  quantileDisc: 8,
  stringAgg: 2,
  greatest: 10,
  least: 10,
  datePart: 5,
  strpos: 4,
  boolAnd: 8,
  boolOr: 8,
  argMin: 4,
  argMax: 3,
};

/** The features used by fewer queries than FEATURE_MINIMUMS_PER_400 asks, as messages. */
export function featureShortfalls(queries: readonly GeneratedQuery[]): string[] {
  const counts = countFeatures(queries);
  const out: string[] = [];
  for (const [name, per400] of Object.entries(FEATURE_MINIMUMS_PER_400)) {
    const min = Math.floor(((per400 ?? 0) * queries.length) / 400);
    const have = counts[name as FeatureName | 'twoOrMoreJoins'];
    if (have < min) out.push(`${name}: ${have} queries, at least ${min} expected`);
  }
  return out;
}

/** How many queries use each feature (joins counts queries with 2 or more joins). */
export function countFeatures(queries: readonly GeneratedQuery[]): Record<FeatureName | 'twoOrMoreJoins', number> {
  const counts = {} as Record<FeatureName | 'twoOrMoreJoins', number>;
  for (const k of Object.keys(emptyFeatures()) as FeatureName[]) counts[k] = 0;
  counts.twoOrMoreJoins = 0;
  for (const q of queries) {
    for (const k of Object.keys(q.features) as FeatureName[]) {
      const v = q.features[k];
      if (v === true || (typeof v === 'number' && v > 0)) counts[k]++;
    }
    if (q.features.joins >= 2) counts.twoOrMoreJoins++;
  }
  return counts;
}
