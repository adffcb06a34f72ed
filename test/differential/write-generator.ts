// Random write statements for the write differential test (random-writes.test.ts): upserts
// (ON CONFLICT DO NOTHING / DO UPDATE SET ... [WHERE], INSERT OR IGNORE / OR REPLACE, INSERT INTO
// t AS alias, proposed rows from VALUES or from a SELECT over either table), plain INSERT, UPDATE,
// DELETE, TRUNCATE, ALTER TABLE ADD / RENAME COLUMN and BEGIN ... COMMIT / ROLLBACK, over two
// small tables: t1 with an INTEGER primary key and t2 with an (INTEGER, VARCHAR) one.
//
// Only statements both engines must agree on are generated:
// - DuckDB enforces primary keys on plain INSERT and UPDATE, Quiver does not (DESIGN.md): every
//   key a statement may insert or move to is fresh. All INTEGER keys ever written to either table
//   are below `nextKey`; a fresh key is taken from it. Upserts draw their keys from the live keys
//   the reference engine reports (the runner passes them in before each statement), from older
//   keys, and from fresh ones.
// - DO UPDATE (and OR REPLACE) never see one key twice among the proposed rows (DuckDB then
//   updates oddly, Quiver refuses, as PostgreSQL); DO NOTHING / OR IGNORE may (both keep the first).
// - Arithmetic stays in range: every value expression of a numeric column is bounded by a CASE that
//   falls back to a constant when the result would pass the column's limit; doubles are multiples
//   of 1/8 so sums are exact; DECIMAL literals have two digits; strings are ASCII and short.
// - DO UPDATE names the stored row by the table's name or alias, never bare (ambiguous in PostgreSQL
//   and Quiver), and never assigns to a key column.
// - A few statements must fail in both (a NULL key): the runner checks that both fail and that
//   nothing changed; inside a transaction the failure aborts it, which then ends.
//
// The statements depend on the reference engine's state (the live keys), so a failure is replayed
// by rerunning the seed, not from a list of statements alone; the runner also writes the script.

import { Rng } from './rng.js';

export type ColumnType = 'INTEGER' | 'BIGINT' | 'DECIMAL(10,2)' | 'DOUBLE' | 'VARCHAR' | 'DATE';

export interface WriteColumn {
  name: string;
  type: ColumnType;
  key: boolean;
}

export interface WriteTable {
  name: string;
  columns: WriteColumn[];
}

/** What the runner tells the generator about a table before each statement (from the reference). */
export interface TableHint {
  /** The key tuples of the live rows, in the key columns' order. */
  keys: readonly (readonly unknown[])[];
}

export type StepKind = 'write' | 'ddl' | 'begin' | 'commit' | 'rollback' | 'read';

export interface WriteStep {
  index: number;
  sql: string;
  kind: StepKind;
  /** What the statement exercises, for the coverage check. */
  features: string[];
  /** Both engines must reject it (and change nothing). */
  mustFail: boolean;
  /** A COMMIT of an aborted transaction: it rolls back; DuckDB reports success, Quiver an error. */
  endsAborted: boolean;
}

/** Features the default seeds must exercise. */
export const WRITE_FEATURES = [
  'insert-values',
  'insert-select',
  'upsert-nothing',
  'upsert-nothing-dup',
  'upsert-update',
  'upsert-update-where',
  'upsert-alias',
  'upsert-target',
  'upsert-from-select',
  'upsert-self-select',
  'upsert-columns',
  'or-ignore',
  'or-replace',
  'update',
  'update-key',
  'update-subquery',
  'delete',
  'delete-exists',
  'truncate',
  'add-column',
  'rename-column',
  'begin',
  'commit',
  'rollback',
  'read-in-tx',
  'must-fail',
  'fail-in-tx',
  't2',
] as const;

const WORDS = ['apple', 'pear', 'fig', 'kiwi', 'plum', 'lime', 'date', 'Berry', 'ZEST', "o'hara", '', 'a b'];
/** The VARCHAR part of t2's key. */
const KEY2 = ['a', 'b', 'c', 'd', 'e'];
const LIMIT: Record<Exclude<ColumnType, 'VARCHAR' | 'DATE'>, number> = {
  INTEGER: 100_000,
  BIGINT: 1_000_000_000_000,
  'DECIMAL(10,2)': 1_000_000,
  DOUBLE: 1_000_000,
};

function cloneTables(tables: readonly WriteTable[]): WriteTable[] {
  return tables.map((t) => ({ name: t.name, columns: t.columns.map((c) => ({ ...c })) }));
}

function paren(n: number | string): string {
  const s = String(n);
  return s.startsWith('-') ? `(${s})` : s;
}

export class WriteGenerator {
  private readonly rng: Rng;
  private tables: WriteTable[];
  /** Every INTEGER key either table ever held is below this. */
  private nextKey = 1;
  private index = 0;
  private inTx = false;
  private txLeft = 0;
  private txAborted = false;
  private txSchema: WriteTable[] | null = null;
  private addedColumns = 0;
  private renames = 0;
  private hints = new Map<string, TableHint>();
  /** Tables written in the open transaction: DuckDB cannot commit an ALTER TABLE that follows a
   *  write to the same table in one transaction, so DDL comes before the first write. */
  private txWritten = new Set<string>();

  constructor(seed: number) {
    this.rng = new Rng(seed);
    const data: WriteColumn[] = [
      { name: 'i', type: 'INTEGER', key: false },
      { name: 'b', type: 'BIGINT', key: false },
      { name: 'd', type: 'DECIMAL(10,2)', key: false },
      { name: 'f', type: 'DOUBLE', key: false },
      { name: 's', type: 'VARCHAR', key: false },
      { name: 'dt', type: 'DATE', key: false },
    ];
    this.tables = [
      { name: 't1', columns: [{ name: 'k', type: 'INTEGER', key: true }, ...data.map((c) => ({ ...c }))] },
      {
        name: 't2',
        columns: [{ name: 'k1', type: 'INTEGER', key: true }, { name: 'k2', type: 'VARCHAR', key: true }, ...data.map((c) => ({ ...c }))],
      },
    ];
  }

  /** The current schema (as the generator believes it after the statements so far). */
  schema(): readonly WriteTable[] {
    return this.tables;
  }

  /** True while a transaction is open and a statement in it failed (reads fail in both). */
  get aborted(): boolean {
    return this.inTx && this.txAborted;
  }

  /** CREATE TABLE and the initial rows. */
  setup(): string[] {
    const out: string[] = [];
    for (const t of this.tables) {
      const keys = t.columns.filter((c) => c.key).map((c) => c.name);
      const cols = t.columns.map((c) => `${c.name} ${c.type}`).join(', ');
      out.push(`CREATE TABLE ${t.name} (${cols}, PRIMARY KEY (${keys.join(', ')}))`);
    }
    const initialKeys = 60;
    this.nextKey = initialKeys + 1;
    const k1 = this.rng.sample(
      Array.from({ length: initialKeys }, (_, i) => i + 1),
      40,
    );
    out.push(`INSERT INTO t1 VALUES ${k1.map((k) => this.valuesRow(this.tables[0]!, [k])).join(', ')}`);
    const pairs: [number, string][] = [];
    for (let k = 1; k <= initialKeys; k += this.rng.int(1, 3)) for (const s of this.rng.sample(KEY2, this.rng.int(1, 3))) pairs.push([k, s]);
    out.push(`INSERT INTO t2 VALUES ${this.rng.shuffle(pairs).map((p) => this.valuesRow(this.tables[1]!, p)).join(', ')}`);
    return out;
  }

  /** The next statement; `hints` are the reference's live keys of each table now. */
  next(hints: ReadonlyMap<string, TableHint>): WriteStep {
    this.hints = new Map(hints);
    const step = this.generate();
    this.index++;
    return step;
  }

  private step(sql: string, kind: StepKind, features: string[], extra: Partial<WriteStep> = {}): WriteStep {
    return { index: this.index, sql, kind, features, mustFail: false, endsAborted: false, ...extra };
  }

  private generate(): WriteStep {
    const rng = this.rng;
    if (this.inTx) {
      if (this.txAborted) {
        if (rng.chance(0.5) && this.txLeft > 0) {
          this.txLeft = 0;
          return this.step(`SELECT count(*) FROM ${rng.pick(this.tables).name}`, 'read', ['read-in-tx'], { mustFail: true });
        }
        return this.endTx();
      }
      if (this.txLeft <= 0) return this.endTx();
      this.txLeft--;
      if (rng.chance(0.12)) return this.read();
      if (rng.chance(0.04)) {
        this.txAborted = true;
        const s = this.failing();
        s.features.push('fail-in-tx');
        return s;
      }
      return this.write();
    }
    if (rng.chance(0.1)) {
      this.inTx = true;
      this.txAborted = false;
      this.txLeft = rng.int(2, 8);
      this.txSchema = cloneTables(this.tables);
      this.txWritten.clear();
      return this.step(rng.pick(['BEGIN', 'BEGIN TRANSACTION', 'START TRANSACTION']), 'begin', ['begin']);
    }
    if (rng.chance(0.03)) return this.failing();
    return this.write();
  }

  private endTx(): WriteStep {
    const commit = this.rng.chance(0.6);
    const aborted = this.txAborted;
    this.inTx = false;
    this.txAborted = false;
    if (!commit || aborted) this.tables = this.txSchema!;
    this.txSchema = null;
    if (commit) return this.step('COMMIT', 'commit', ['commit'], { endsAborted: aborted });
    return this.step('ROLLBACK', 'rollback', ['rollback']);
  }

  private read(): WriteStep {
    const t = this.rng.pick(this.tables);
    const agg: string[] = ['count(*)'];
    for (const c of t.columns) {
      if (c.type === 'VARCHAR' || c.type === 'DATE') agg.push(`${this.rng.pick(['min', 'max'])}(${c.name})`);
      else agg.push(`sum(${c.name})`, `count(${c.name})`);
    }
    const where = this.rng.chance(0.5) ? ` WHERE ${this.predicate(t, '', 1)}` : '';
    return this.step(`SELECT ${agg.join(', ')} FROM ${t.name}${where}`, 'read', ['read-in-tx']);
  }

  private write(): WriteStep {
    const rng = this.rng;
    const t = rng.chance(0.55) ? this.tables[0]! : this.tables[1]!;
    const rows = this.hint(t).keys.length;
    const kind = rng.weighted<string>([
      ['insert', rows < 15 ? 6 : 2],
      ['upsert', 8],
      ['or', 3],
      ['update', 4],
      ['update-key', 1],
      ['delete', rows > 80 ? 5 : rows < 15 ? 0.3 : 2],
      ['truncate', rows > 5 ? 0.12 : 0],
      ['ddl', this.inTx && this.txWritten.has(t.name) ? 0 : this.addedColumns < 4 ? 0.6 : 0.1],
    ]);
    if (this.inTx && kind !== 'ddl') this.txWritten.add(t.name);
    let s: WriteStep;
    switch (kind) {
      case 'insert':
        s = this.insert(t);
        break;
      case 'upsert':
        s = this.upsert(t);
        break;
      case 'or':
        s = this.insertOr(t);
        break;
      case 'update':
        s = this.update(t);
        break;
      case 'update-key':
        s = this.updateKey(t);
        break;
      case 'delete':
        s = this.delete(t);
        break;
      case 'truncate':
        s = this.step(`TRUNCATE ${rng.chance(0.5) ? 'TABLE ' : ''}${t.name}`, 'write', ['truncate']);
        break;
      default:
        s = this.ddl(t);
    }
    if (t.name === 't2') s.features.push('t2');
    return s;
  }

  private hint(t: WriteTable): TableHint {
    return this.hints.get(t.name) ?? { keys: [] };
  }

  private keyColumns(t: WriteTable): WriteColumn[] {
    return t.columns.filter((c) => c.key);
  }

  private dataColumns(t: WriteTable): WriteColumn[] {
    return t.columns.filter((c) => !c.key);
  }

  // ---- values and expressions ----

  private literal(type: ColumnType, nullChance = 0.12): string {
    const rng = this.rng;
    if (rng.chance(nullChance)) return 'NULL';
    switch (type) {
      case 'INTEGER':
        return paren(rng.int(-500, 500));
      case 'BIGINT':
        return paren(rng.chance(0.3) ? rng.int(-4_000_000, 4_000_000) * 1_000 + rng.int(0, 999) : rng.int(-5000, 5000));
      case 'DECIMAL(10,2)': {
        const cents = rng.int(-200_000, 200_000);
        const neg = cents < 0;
        const a = Math.abs(cents);
        return paren(`${neg ? '-' : ''}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`);
      }
      case 'DOUBLE':
        return paren(rng.int(-8000, 8000) / 8);
      case 'VARCHAR':
        return `'${rng.pick(WORDS).replace(/'/g, "''")}'`;
      case 'DATE': {
        const day = new Date(Date.UTC(2023, 0, 1) + rng.int(0, 730) * 86_400_000);
        return `DATE '${day.toISOString().slice(0, 10)}'`;
      }
    }
  }

  /** A small constant for arithmetic with a column of the type. */
  private smallConst(type: ColumnType): string {
    const rng = this.rng;
    switch (type) {
      case 'INTEGER':
      case 'BIGINT':
        return String(rng.int(1, 20));
      case 'DECIMAL(10,2)':
        return rng.pick(['1.25', '0.01', '10', '2.50']);
      case 'DOUBLE':
        return rng.pick(['0.125', '1', '2.5', '0.375']);
      case 'DATE':
        return String(rng.int(1, 40));
      case 'VARCHAR':
        return `'${rng.pick(['x', '-', 'Q'])}'`;
    }
  }

  /** `e` when its magnitude is within the column type's limit, else a constant. */
  private bounded(type: ColumnType, e: string): string {
    const limit = LIMIT[type as keyof typeof LIMIT];
    return `CASE WHEN abs(${e}) <= ${limit} THEN ${e} ELSE ${this.literal(type, 0)} END`;
  }

  /**
   * A value expression of `type` from operands that are each a value of that type or NULL: the
   * stored row's column (`a`) and, for upserts, the proposed row's (`b`, else a literal).
   */
  private valueExpr(type: ColumnType, a: string, b: string | null): string {
    const rng = this.rng;
    const other = b ?? this.literal(type);
    const c = this.smallConst(type);
    switch (type) {
      case 'INTEGER':
      case 'BIGINT':
      case 'DECIMAL(10,2)':
      case 'DOUBLE': {
        const ops = [
          () => other,
          () => this.bounded(type, `${a} + ${c}`),
          () => this.bounded(type, `${a} - ${other}`),
          () => this.bounded(type, `${a} + ${other}`),
          () => this.bounded(type, `${a} * 2`),
          () => `CASE WHEN ${a} > ${other} THEN ${a} ELSE ${other} END`,
          () => `coalesce(${a}, ${other})`,
          () => `-${a}`,
          () => (type === 'DOUBLE' ? `${a} / 2` : type === 'DECIMAL(10,2)' ? `${a} * 0.5` : `${a} / ${rng.int(2, 7)}`),
          () => (type === 'INTEGER' || type === 'BIGINT' ? `(${a} + ${other}) % ${rng.int(50, 1000)}` : `abs(${a})`),
        ];
        return rng.pick(ops)();
      }
      case 'VARCHAR': {
        const ops = [
          () => other,
          () => `substr(${a} || ${other}, 1, ${rng.int(3, 12)})`,
          () => `upper(${a})`,
          () => `lower(${other})`,
          () => `coalesce(${a}, ${other})`,
          () => `CASE WHEN ${a} < ${other} THEN ${a} ELSE ${other} END`,
          () => `substr(${a} || ${c}, 1, 10)`,
        ];
        return rng.pick(ops)();
      }
      case 'DATE': {
        const ops = [
          () => other,
          () => `${a} + ${c}`,
          () => `${a} - ${c}`,
          () => `coalesce(${a}, ${other})`,
          () => `CASE WHEN ${a} > ${other} THEN ${a} ELSE ${other} END`,
        ];
        return rng.pick(ops)();
      }
    }
  }

  /** A comparison of one column (prefixed by `p`) with a constant or with `other`'s column. */
  private atom(t: WriteTable, p: string, other: string | null): string {
    const rng = this.rng;
    const c = rng.pick(t.columns);
    const col = `${p}${c.name}`;
    const r = rng.next();
    if (r < 0.15) return `${col} IS ${rng.chance(0.5) ? 'NOT ' : ''}NULL`;
    if (other !== null && r < 0.45) return `${other}${c.name} ${rng.pick(['<', '<=', '>', '>=', '=', '<>'])} ${col}`;
    if (c.type === 'VARCHAR' && r < 0.55) return `${col} LIKE '${rng.pick(['a', 'p', 'k', 'b', 'Z', 'd'])}%'`;
    if (c.key && c.type === 'INTEGER' && r < 0.65) return `${col} % ${rng.int(2, 5)} = ${rng.int(0, 1)}`;
    if (r < 0.75 && c.type !== 'VARCHAR') {
      const x = this.literal(c.type, 0);
      const y = this.literal(c.type, 0);
      return `${col} BETWEEN ${x} AND ${y}`;
    }
    if (c.key && c.type === 'INTEGER') return `${col} ${rng.pick(['<', '>', '<=', '>='])} ${rng.int(1, this.nextKey)}`;
    return `${col} ${rng.pick(['<', '<=', '>', '>=', '=', '<>'])} ${this.literal(c.type, 0)}`;
  }

  private predicate(t: WriteTable, p: string, depth: number, other: string | null = null): string {
    const rng = this.rng;
    if (depth <= 0 || rng.chance(0.5)) return this.atom(t, p, other);
    const r = rng.next();
    if (r < 0.4) return `(${this.predicate(t, p, depth - 1, other)} AND ${this.predicate(t, p, depth - 1, other)})`;
    if (r < 0.8) return `(${this.predicate(t, p, depth - 1, other)} OR ${this.predicate(t, p, depth - 1, other)})`;
    return `NOT (${this.predicate(t, p, depth - 1, other)})`;
  }

  // ---- proposed rows ----

  private valuesRow(t: WriteTable, key: readonly unknown[], columns: readonly WriteColumn[] = t.columns): string {
    const keyNames = this.keyColumns(t).map((c) => c.name);
    const vals = columns.map((c) => {
      if (!c.key) return this.literal(c.type);
      const v = key[keyNames.indexOf(c.name)];
      return typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : v === null ? 'NULL' : paren(String(v));
    });
    return `(${vals.join(', ')})`;
  }

  private freshKey(t: WriteTable): unknown[] {
    const k = this.nextKey++;
    return t.name === 't1' ? [k] : [k, this.rng.pick(KEY2)];
  }

  /** A key an upsert proposes: mostly a live one, else an old (maybe deleted) one or a fresh one. */
  private upsertKey(t: WriteTable): unknown[] {
    const rng = this.rng;
    const live = this.hint(t).keys;
    const r = rng.next();
    if (r < 0.6 && live.length > 0) return [...rng.pick(live)];
    if (r < 0.8) {
      const k = rng.int(1, this.nextKey - 1);
      return t.name === 't1' ? [k] : [k, rng.pick(KEY2)];
    }
    return this.freshKey(t);
  }

  /** 1-5 key tuples; distinct unless `dups`. */
  private upsertKeys(t: WriteTable, dups: boolean): unknown[][] {
    const n = this.rng.int(1, 5);
    const out: unknown[][] = [];
    const seen = new Set<string>();
    for (let i = 0; i < n * 3 && out.length < n; i++) {
      const k = dups && out.length > 0 && this.rng.chance(0.3) ? [...this.rng.pick(out)] : this.upsertKey(t);
      const id = JSON.stringify(k);
      if (!dups && seen.has(id)) continue;
      seen.add(id);
      out.push(k);
    }
    return out;
  }

  /** The target column list: all columns (none written), or the keys and some others. */
  private targetColumns(t: WriteTable, features: string[]): { list: string; columns: WriteColumn[] } {
    if (this.rng.chance(0.6)) return { list: this.rng.chance(0.5) ? '' : ` (${t.columns.map((c) => c.name).join(', ')})`, columns: t.columns };
    const keys = this.keyColumns(t);
    const others = this.rng.sample(this.dataColumns(t), this.rng.int(1, 3));
    const columns = this.rng.shuffle([...keys, ...others]);
    features.push('upsert-columns');
    return { list: ` (${columns.map((c) => c.name).join(', ')})`, columns };
  }

  /**
   * A SELECT producing `columns` of `t` from a table, keys distinct per row: from t1 (k is unique)
   * or from t2 restricted to one k2 (k1 is then unique). `keyShift` adds to INTEGER keys.
   */
  private selectSource(t: WriteTable, columns: readonly WriteColumn[], keyShift: string, features: string[]): string {
    const rng = this.rng;
    const self = rng.chance(0.25);
    const src = self ? t : this.tables.find((x) => x.name !== t.name)!;
    features.push(self ? 'upsert-self-select' : 'upsert-from-select');
    const alias = 'src';
    const srcCols = src.columns;
    const intKey = `${alias}.${srcCols[0]!.name}`;
    const list = columns.map((c) => {
      if (c.key && c.type === 'INTEGER') return `${intKey}${keyShift}`;
      if (c.key) return src.name === 't2' ? `${alias}.${srcCols[1]!.name}` : rng.chance(0.5) ? `'${rng.pick(KEY2)}'` : `coalesce(${alias}.${this.colOfType(src, 'VARCHAR') ?? "'a'"}, 'a')`;
      const same = srcCols.filter((x) => !x.key && x.type === c.type);
      if (same.length === 0 || rng.chance(0.15)) return c.type === 'VARCHAR' || c.type === 'DATE' ? this.literal(c.type) : `CAST(${this.literal(c.type)} AS ${c.type})`;
      const x = `${alias}.${rng.pick(same).name}`;
      return rng.chance(0.3) ? this.valueExpr(c.type, x, null) : x;
    });
    const conds: string[] = [];
    if (src.name === 't2') conds.push(`${alias}.${srcCols[1]!.name} = '${rng.pick(KEY2)}'`);
    if (rng.chance(0.7)) conds.push(this.predicate(src, `${alias}.`, 1));
    const where = conds.length > 0 ? ` WHERE ${conds.join(' AND ')}` : '';
    const limit = rng.chance(0.3) ? ` ORDER BY ${intKey} LIMIT ${rng.int(1, 8)}` : '';
    return `SELECT ${list.join(', ')} FROM ${src.name} AS ${alias}${where}${limit}`;
  }

  private colOfType(t: WriteTable, type: ColumnType): string | undefined {
    return t.columns.find((c) => !c.key && c.type === type)?.name;
  }

  /** Proposed rows: VALUES, or a SELECT over a table (keys shifted by a little, so some are new). */
  private proposed(t: WriteTable, columns: readonly WriteColumn[], dups: boolean, features: string[]): string {
    if (this.rng.chance(0.65)) {
      return `VALUES ${this.upsertKeys(t, dups).map((k) => this.valuesRow(t, k, columns)).join(', ')}`;
    }
    const shift = this.rng.pick([0, 0, 1, 2, 5]);
    this.nextKey += shift;
    return this.selectSource(t, columns, shift === 0 ? '' : ` + ${shift}`, features);
  }

  // ---- statements ----

  private insert(t: WriteTable): WriteStep {
    const rng = this.rng;
    const features: string[] = [];
    const { list, columns } = this.targetColumns(t, []);
    if (rng.chance(0.7)) return this.insertValues(t, list, columns);
    // Fresh keys from a SELECT: every source key is below nextKey, so key + nextKey is new (this
    // doubles nextKey, so only while it is far from INTEGER's limit).
    if (this.nextKey > 50_000_000) return this.insertValues(t, list, columns);
    const shift = this.nextKey;
    this.nextKey *= 2;
    const sel = this.selectSource(t, columns, ` + ${shift}`, []);
    features.push('insert-select');
    return this.step(`INSERT INTO ${t.name}${list} ${sel}`, 'write', features);
  }

  private insertValues(t: WriteTable, list: string, columns: readonly WriteColumn[]): WriteStep {
    const rows = Array.from({ length: this.rng.int(1, 6) }, () => this.valuesRow(t, this.freshKey(t), columns));
    return this.step(`INSERT INTO ${t.name}${list} VALUES ${rows.join(', ')}`, 'write', ['insert-values']);
  }

  private upsert(t: WriteTable): WriteStep {
    const rng = this.rng;
    const features: string[] = [];
    const nothing = rng.chance(0.3);
    const dups = nothing && rng.chance(0.4);
    if (dups) features.push('upsert-nothing-dup');
    const aliased = rng.chance(0.35);
    const name = aliased ? rng.pick(['x', 'tgt', 'cur']) : t.name;
    if (aliased) features.push('upsert-alias');
    const { list, columns } = this.targetColumns(t, features);
    const source = this.proposed(t, columns, dups, features);
    let target = '';
    if (rng.chance(0.5)) {
      const keys = this.keyColumns(t).map((c) => c.name);
      target = ` (${rng.shuffle(keys).join(', ')})`;
      features.push('upsert-target');
    }
    let action: string;
    if (nothing) {
      action = 'DO NOTHING';
      features.push('upsert-nothing');
    } else {
      const cols = rng.sample(this.dataColumns(t), rng.int(1, 3));
      const sets = cols.map((c) => `${c.name} = ${this.valueExpr(c.type, `${name}.${c.name}`, rng.chance(0.8) ? `excluded.${c.name}` : null)}`);
      action = `DO UPDATE SET ${sets.join(', ')}`;
      features.push('upsert-update');
      if (rng.chance(0.4)) {
        action += ` WHERE ${this.predicate(t, `${name}.`, 1, 'excluded.')}`;
        features.push('upsert-update-where');
      }
    }
    const as = aliased ? ` AS ${name}` : '';
    return this.step(`INSERT INTO ${t.name}${as}${list} ${source} ON CONFLICT${target} ${action}`, 'write', features);
  }

  private insertOr(t: WriteTable): WriteStep {
    const replace = this.rng.chance(0.5);
    const features = [replace ? 'or-replace' : 'or-ignore'];
    const { list, columns } = this.targetColumns(t, features);
    const source = this.proposed(t, columns, !replace && this.rng.chance(0.4), features);
    return this.step(`INSERT OR ${replace ? 'REPLACE' : 'IGNORE'} INTO ${t.name}${list} ${source}`, 'write', features);
  }

  private update(t: WriteTable): WriteStep {
    const rng = this.rng;
    const features = ['update'];
    const qualify = rng.chance(0.3) ? `${t.name}.` : '';
    const cols = rng.sample(this.dataColumns(t), rng.int(1, 3));
    const sets = cols.map((c) => `${c.name} = ${this.valueExpr(c.type, `${qualify}${c.name}`, null)}`);
    let where = '';
    const r = rng.next();
    if (r < 0.15) {
      const other = this.tables.find((x) => x.name !== t.name)!;
      const key = `${qualify}${t.columns[0]!.name}`;
      where = ` WHERE ${key} IN (SELECT ${other.columns[0]!.name} FROM ${other.name} WHERE ${this.predicate(other, '', 1)})`;
      features.push('update-subquery');
    } else if (r < 0.95) {
      where = ` WHERE ${this.predicate(t, qualify, 2)}`;
    }
    return this.step(`UPDATE ${t.name} SET ${sets.join(', ')}${where}`, 'write', features);
  }

  /** Moves the rows of one INTEGER key value to a fresh key (unique: the key is new). */
  private updateKey(t: WriteTable): WriteStep {
    const live = this.hint(t).keys;
    const from = live.length > 0 ? this.rng.pick(live)[0] : this.rng.int(1, this.nextKey - 1);
    const key = t.columns[0]!.name;
    const extra = this.rng.chance(0.5) ? `, ${this.dataColumns(t)[0]!.name} = ${this.literal(this.dataColumns(t)[0]!.type)}` : '';
    return this.step(`UPDATE ${t.name} SET ${key} = ${this.nextKey++}${extra} WHERE ${key} = ${paren(String(from))}`, 'write', ['update-key']);
  }

  private delete(t: WriteTable): WriteStep {
    const rng = this.rng;
    if (rng.chance(0.15)) {
      const other = this.tables.find((x) => x.name !== t.name)!;
      const on = `${other.name}.${other.columns[0]!.name} = ${t.name}.${t.columns[0]!.name}`;
      return this.step(
        `DELETE FROM ${t.name} WHERE ${rng.chance(0.5) ? 'NOT ' : ''}EXISTS (SELECT 1 FROM ${other.name} WHERE ${on} AND ${this.predicate(other, `${other.name}.`, 0)})`,
        'write',
        ['delete', 'delete-exists'],
      );
    }
    return this.step(`DELETE FROM ${t.name} WHERE ${this.predicate(t, rng.chance(0.3) ? `${t.name}.` : '', 2)}`, 'write', ['delete']);
  }

  private ddl(t: WriteTable): WriteStep {
    const rng = this.rng;
    const data = this.dataColumns(t);
    if (rng.chance(0.5) || this.addedColumns >= 6) {
      const c = rng.pick(data);
      const to = `${c.name.replace(/_r\d+$/, '')}_r${++this.renames}`;
      const sql = `ALTER TABLE ${t.name} RENAME COLUMN ${c.name} TO ${to}`;
      c.name = to;
      return this.step(sql, 'ddl', ['rename-column']);
    }
    const type = rng.pick<ColumnType>(['INTEGER', 'BIGINT', 'VARCHAR', 'DOUBLE', 'DATE', 'DECIMAL(10,2)']);
    const name = `c${++this.addedColumns}`;
    t.columns.push({ name, type, key: false });
    return this.step(`ALTER TABLE ${t.name} ADD COLUMN ${name} ${type}`, 'ddl', ['add-column']);
  }

  /** A statement both engines must reject: a NULL in a key column. */
  private failing(): WriteStep {
    const rng = this.rng;
    const t = rng.pick(this.tables);
    const features = ['must-fail'];
    const keys = this.keyColumns(t);
    const bad = rng.pick(keys);
    const r = rng.next();
    if (r < 0.35) {
      const key = t.name === 't1' ? [null] : bad.name === 'k1' ? [null, rng.pick(KEY2)] : [this.nextKey++, null];
      const rows = [this.valuesRow(t, this.freshKey(t)), this.valuesRow(t, key)];
      return this.step(`INSERT INTO ${t.name} VALUES ${rng.shuffle(rows).join(', ')}`, 'write', features, { mustFail: true });
    }
    if (r < 0.7) {
      const key = t.name === 't1' ? [null] : bad.name === 'k1' ? [null, rng.pick(KEY2)] : [this.nextKey++, null];
      const action = rng.chance(0.5) ? 'DO NOTHING' : `DO UPDATE SET ${this.dataColumns(t)[0]!.name} = excluded.${this.dataColumns(t)[0]!.name}`;
      return this.step(`INSERT INTO ${t.name} VALUES ${this.valuesRow(t, key)} ON CONFLICT ${action}`, 'write', features, { mustFail: true });
    }
    const live = this.hint(t).keys;
    if (live.length === 0) return this.step(`INSERT INTO ${t.name} VALUES ${this.valuesRow(t, t.name === 't1' ? [null] : [null, 'a'])}`, 'write', features, { mustFail: true });
    const key = t.columns[0]!.name;
    return this.step(`UPDATE ${t.name} SET ${bad.name} = NULL WHERE ${key} = ${rng.pick(live)[0]} OR ${this.predicate(t, '', 1)}`, 'write', features, { mustFail: true });
  }
}
