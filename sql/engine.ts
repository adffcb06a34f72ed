// The engine: runs parsed statements against a catalog. Queries go through bind -> optimize
// -> physical plan -> execute; DDL and writes build a new catalog or new table contents and
// swap them in only when the whole statement succeeded, so a failed statement changes nothing.

import { type Batch, makeBatch } from '../common/batch.js';
import { QuiverError, binderError, catalogError, internalError, notSupported, toQuiverError } from '../common/errors.js';
import { type LogicalType, T, TypeId, resolveTypeName, typeToString } from '../common/types.js';
import type { ExecContext } from '../exec/context.js';
import { executePlan } from '../exec/execute.js';
import { startQueryWorkers } from '../exec/parallel/pool.js';
import type { PlanNode } from '../exec/plan.js';
import { Catalog, indexKind } from '../storage/catalog.js';
import { MemoryTable } from '../storage/memory-table.js';
import type { Snapshot, Table, TableSchema } from '../storage/table.js';
import type { DiskStore } from '../storage/disk/disk-store.js';
import * as M from '../storage/manifest/manifest.js';
import type * as A from './ast.js';
import { QueryBinder } from './binder/bind-query.js';
import { castTo } from './binder/coercion.js';
import type { LExpr, LNode } from './logical/plan.js';
import { optimize } from './optimizer/optimizer.js';
import { parseSql } from './parser/index.js';
import { PhysicalPlanner } from './planner/physical-planner.js';
import { explainPlan } from './planner/explain.js';
import { affected, ok, QueryResult, rowsResult } from './result.js';
import { checkNotNull, checkUniqueNames, concatBatches, retype, rowIdsOf } from './write-rows.js';
import { copyFrom } from './copy.js';
import { deletePlan, updatePlan } from './dml.js';
import { copyTo, copyToSql } from './copy-to.js';
import { defaultMemoryLimit, defaultThreads, type QueryLimits, Settings } from './settings.js';
import { MemoryTracker } from '../exec/memory.js';
import { showCreate } from './show-create.js';
import { conflictKey, upsertChanges, upsertPlan, withoutRepeatedKeys } from './upsert.js';
import { Transaction, type WritableTable } from './transaction.js';
import { TxTable } from '../storage/tx-table.js';
import { lookupTableFunction } from './table-functions/registry.js';
import type { TableFunctionEnv } from './table-functions/table-function.js';
import { quoteIdentifier } from './parser/quote-identifier.js';

/** The proposed rows of an upsert, as a table of the statement's own catalog (user SQL names them `excluded`). */
const EXCLUDED_TABLE = '\u0000excluded';

export interface RunOptions {
  params?: readonly unknown[];
  signal?: AbortSignal | null;
}

/** COPY writes parts directly from this many rows; fewer go to the memtable (see copy). */
const BULK_LOAD_MIN_ROWS = 65536;

export class Engine {
  catalog = new Catalog();
  /** SET / RESET / SHOW (sql/settings.ts), for this engine's session. */
  readonly settings: Settings;

  /**
   * With a DiskStore the tables live on disk: DDL and writes go through the store (the WAL and
   * manifest make them durable); without one, tables are in memory.
   */
  /** The open transaction (BEGIN), or null: statements autocommit. */
  private tx: Transaction | null = null;

  /** What each query may use (SET memory_limit). */
  private readonly limits: QueryLimits = { memoryLimit: defaultMemoryLimit(), threads: defaultThreads() };

  constructor(private readonly store: DiskStore | null = null) {
    this.settings = new Settings({ store, limits: this.limits });
    if (store !== null) this.refreshCatalog();
    // Queries over tables on disk run their aggregates in worker threads (exec/parallel/).
    if (store !== null && this.limits.threads > 1) startQueryWorkers(this.limits.threads);
  }

  /** Rebuilds the catalog from the store's current tables. */
  private refreshCatalog(): void {
    const store = this.store!;
    const m = store.manifest;
    this.catalog = new Catalog(new Map(store.tableNames().map((n) => [n, store.table(n) as Table])), m.views, m.indexes);
  }

  /** On disk, read-only: loads what the writer committed since (DiskStore.refresh) and rebuilds
   *  the catalog from it. A writer or an in-memory database has nothing to load. */
  async refresh(): Promise<void> {
    if (this.store === null) return;
    if (this.tx !== null) throw new QuiverError('TRANSACTION_ERROR', 'cannot refresh inside a transaction; COMMIT or ROLLBACK first');
    await this.store.refresh();
    this.refreshCatalog();
  }

  /**
   * Where statements write: the store, each statement one commit; or null when they change the
   * catalog in memory — an in-memory database, or a transaction (sql/transaction.ts), which
   * records what the store gets at COMMIT.
   */
  private get direct(): DiskStore | null {
    return this.tx === null ? this.store : null;
  }

  /** Applies a catalog-only change (views, indexes): in memory, or as one manifest commit. */
  private async changeCatalog(inMemory: (c: Catalog) => Catalog, onDisk: (m: M.Manifest) => M.Manifest): Promise<void> {
    const store = this.direct;
    if (store === null) {
      this.catalog = inMemory(this.catalog);
      this.tx?.record(onDisk);
      return;
    }
    try {
      await store.changeCatalog(onDisk);
    } finally {
      this.refreshCatalog();
    }
  }

  /** Runs every statement of `sql`; returns the result of the last one. */
  async run(sql: string, opts: RunOptions = {}): Promise<QueryResult> {
    const statements = parseSql(sql);
    if (statements.length === 0) return new QueryResult([], [], []);
    let result: QueryResult | null = null;
    const outer = this.tx;
    try {
      for (const s of statements) result = await this.execute(s, opts);
    } catch (e) {
      this.rollbackOpenedSince(outer);
      throw e;
    }
    return result!;
  }

  /** A script that opened a transaction and failed before ending it rolls it back: nothing of
   *  it can commit, and the caller's next statement should not find it open. */
  private rollbackOpenedSince(outer: Transaction | null): void {
    if (this.tx !== null && this.tx !== outer) this.rollbackTransaction();
  }

  /** Ends the open transaction, if any, without committing it (Database.close). */
  rollbackOpen(): void {
    if (this.tx !== null) this.rollbackTransaction();
  }

  /**
   * Runs every statement but the last as `run` does, then streams the last one's result
   * batch by batch as it is computed (a query), or its whole result (anything else).
   */
  async *stream(sql: string, opts: RunOptions = {}): AsyncGenerator<{ names: string[]; types: LogicalType[]; batch: Batch | null }> {
    const statements = parseSql(sql);
    const last = statements.pop();
    const outer = this.tx;
    try {
      for (const s of statements) await this.execute(s, opts);
    } catch (e) {
      this.rollbackOpenedSince(outer);
      throw e;
    }
    if (last === undefined) return;
    if (last.kind !== 'query') {
      const r = await this.execute(last, opts);
      yield { names: r.names, types: r.types, batch: null };
      for (const batch of r.batches) yield { names: r.names, types: r.types, batch };
      return;
    }
    let planned: ReturnType<Engine['planQuery']>;
    try {
      this.checkNotAborted();
      planned = this.planQuery(last.query, opts.params);
    } catch (e) {
      this.abortOn(e);
      this.rollbackOpenedSince(outer);
      throw withPosition(e, last);
    }
    const { plan, names, types } = planned;
    yield { names, types, batch: null };
    const ctx = this.context(opts.signal ?? null);
    try {
      for await (const batch of executePlan(plan, ctx)) if (batch.count > 0) yield { names, types, batch };
    } catch (e) {
      this.abortOn(e);
      this.rollbackOpenedSince(outer);
      throw withPosition(e, last);
    } finally {
      ctx.release();
    }
  }

  async execute(s: A.Statement, opts: RunOptions = {}): Promise<QueryResult> {
    const start = performance.now();
    try {
      if (s.kind !== 'commit' && s.kind !== 'rollback') this.checkNotAborted();
      const r = await this.dispatch(s, opts);
      r.stats.elapsedMs = performance.now() - start;
      return r;
    } catch (e) {
      if (s.kind !== 'commit' && s.kind !== 'rollback') this.abortOn(e);
      throw withPosition(e, s);
    }
  }

  private checkNotAborted(): void {
    if (this.tx?.aborted != null) {
      throw new QuiverError('TRANSACTION_ERROR', `the current transaction is aborted: a statement in it failed (${this.tx.aborted}); ROLLBACK to end it`);
    }
  }

  /** A failed statement aborts the open transaction; one refused before it ran (BEGIN inside a
   *  transaction, CHECKPOINT...: a TRANSACTION_ERROR) does not. */
  private abortOn(e: unknown): void {
    if (this.tx === null || this.tx.aborted !== null) return;
    if (e instanceof QuiverError && e.code === 'TRANSACTION_ERROR') return;
    this.tx.aborted = e instanceof Error ? e.message : String(e);
  }

  private async beginTransaction(pos: A.Pos): Promise<QueryResult> {
    if (this.tx !== null) throw new QuiverError('TRANSACTION_ERROR', 'a transaction is already open; COMMIT or ROLLBACK it before BEGIN', pos);
    this.tx = await Transaction.begin(this.store, this.catalog);
    return ok();
  }

  /** COMMIT: one commit of everything the transaction did; an aborted one rolls back instead. */
  private async commitTransaction(pos: A.Pos): Promise<QueryResult> {
    const tx = this.tx;
    if (tx === null) throw new QuiverError('TRANSACTION_ERROR', 'there is no transaction to COMMIT; BEGIN starts one', pos);
    if (tx.aborted !== null) {
      this.rollbackTransaction();
      throw new QuiverError('TRANSACTION_ERROR', `the transaction was rolled back, not committed: a statement in it failed (${tx.aborted})`, pos);
    }
    this.tx = null;
    try {
      await tx.commit(this.catalog);
    } finally {
      if (this.store !== null) this.refreshCatalog();
    }
    return ok();
  }

  /** ROLLBACK: the tables and catalog as they were at BEGIN. */
  private rollbackTransaction(pos?: A.Pos): QueryResult {
    const tx = this.tx;
    if (tx === null) throw new QuiverError('TRANSACTION_ERROR', 'there is no transaction to ROLLBACK', pos);
    this.tx = null;
    const before = tx.rollback();
    if (this.store === null) this.catalog = before;
    else this.refreshCatalog();
    return ok();
  }

  private binder(params: readonly unknown[] = []): QueryBinder {
    return new QueryBinder({ catalog: this.catalog, params, parseQuery: (sql) => parseQueryText(sql) });
  }

  /** Binds, optimizes and plans a query. */
  planQuery(q: A.Query, params: readonly unknown[] = []): { plan: PlanNode; names: string[]; types: LogicalType[]; logical: LNode } {
    const binder = this.binder(params);
    const bound = binder.bindQuery(q);
    const logical = optimize(bound.plan, { catalog: this.catalog, newId: () => binder.newId() });
    const plan = new PhysicalPlanner(this.catalog).planQuery(logical);
    return { plan, names: bound.columns.map((c) => c.name), types: bound.columns.map((c) => c.type), logical };
  }

  private context(signal: AbortSignal | null, codegenLog: string[] | null = null, catalog = this.catalog): ExecContext & { release(): void } {
    const store = this.store;
    const pinned = new Map<string, Snapshot>();
    return {
      /** Ends the statement's pins on the snapshots it read. */
      release() {
        for (const s of pinned.values()) s.release?.();
        pinned.clear();
      },
      snapshot(table: string) {
        let s = pinned.get(table);
        if (s === undefined) {
          s = catalog.requireTable(table).snapshot();
          pinned.set(table, s);
        }
        return s;
      },
      outer: [],
      signal,
      memory: new MemoryTracker(this.limits.memoryLimit),
      threads: this.limits.threads,
      stats: { rowsRead: 0, bytesRead: 0 },
      codegenLog,
      tableFunction: (name, args) => lookupTableFunction(name).run(args, tableFunctionEnv(catalog, store, this.settings)),
    };
  }

  /** Runs a plan in a context of its own, released when it ends. */
  private async runPlan(plan: PlanNode, signal: AbortSignal | null, catalog = this.catalog): Promise<Batch[]> {
    const ctx = this.context(signal, null, catalog);
    try {
      return await this.collect(plan, ctx);
    } finally {
      ctx.release();
    }
  }

  /** Adds a table with its first rows: on disk, one commit (replacing the old table in it). */
  private async installTable(schema: TableSchema, batches: Batch[], replace: boolean): Promise<void> {
    const store = this.direct;
    if (store === null) {
      const replacing = replace && this.catalog.tables.has(schema.name);
      const table = new MemoryTable(schema);
      table.append(batches);
      this.catalog = this.catalog.withTable(table);
      this.tx?.record((m) => M.createTable(replacing ? M.dropTable(m, schema.name) : m, schema));
      return;
    }
    try {
      await store.createTableAs(schema, batches, replace && store.tableNames().includes(schema.name));
    } finally {
      this.refreshCatalog();
    }
  }

  /** Appends rows to a table: one write-ahead-logged batch (INSERT) or one bulk load (COPY). */
  private async appendRows(name: string, batches: Batch[], bulk: boolean, pos: A.Pos): Promise<void> {
    const store = this.direct;
    if (store === null) {
      this.writable(name, pos).append(batches);
      return;
    }
    if (batches.length === 0) return;
    if (bulk) await store.bulkLoad(name, batches);
    // One record for the whole statement, so it is applied entirely or not at all.
    else await store.insert(name, concatBatches(this.catalog.requireTable(name).schema, batches));
  }

  /** A table that statements change in place (direct === null): in memory, or in the open
   *  transaction (which takes it over on its first write). */
  private writable(name: string, pos?: A.Pos): WritableTable {
    const table = this.catalog.requireTable(name);
    if (table instanceof MemoryTable || table instanceof TxTable) return table;
    if (this.tx === null) throw notSupported(`table "${name}" cannot be written`, pos);
    const w = this.tx.writable(this.catalog, name, pos);
    this.catalog = w.catalog;
    return w.table;
  }

  /**
   * Replaces rows (UPDATE, upserts): `find` returns the ids of the rows to remove, from a
   * snapshot it takes, and the rows to append; on disk it runs inside the store's exclusive
   * section and both are logged in one record.
   */
  private async replaceRows(name: string, find: () => Promise<{ rowIds: ArrayLike<number>; rows: Batch }>, pos: A.Pos): Promise<void> {
    const store = this.direct;
    if (store !== null) {
      await store.replaceRows(name, find);
      return;
    }
    const table = this.writable(name, pos);
    const { rowIds, rows } = await find();
    table.replaceRows(rowIds, rows);
  }

  /** Runs a physical plan to completion, collecting its batches. */
  async collect(plan: PlanNode, ctx: ExecContext): Promise<Batch[]> {
    const out: Batch[] = [];
    for await (const b of executePlan(plan, ctx)) if (b.count > 0) out.push(b);
    return out;
  }

  private async query(q: A.Query, opts: RunOptions): Promise<QueryResult> {
    const { plan, names, types } = this.planQuery(q, opts.params);
    const ctx = this.context(opts.signal ?? null);
    try {
      const batches = await this.collect(plan, ctx);
      return new QueryResult(names, types, batches, { rowsRead: ctx.stats.rowsRead, bytesRead: ctx.stats.bytesRead, elapsedMs: 0 });
    } finally {
      ctx.release();
    }
  }

  private async dispatch(s: A.Statement, opts: RunOptions): Promise<QueryResult> {
    switch (s.kind) {
      case 'query':
        return this.query(s.query, opts);
      case 'create_table':
        return this.createTable(s, opts);
      case 'drop':
        return await this.drop(s);
      case 'create_view': {
        if (this.catalog.hasRelation(s.name) && !(s.orReplace && this.catalog.views.has(s.name))) {
          if (s.ifNotExists) return ok();
          throw catalogError(`relation "${s.name}" already exists`, s.pos);
        }
        // Bind once now so a broken view fails at CREATE time.
        this.planQuery(s.query);
        const view = { name: s.name, sql: s.text, ...(s.columnNames ? { columnNames: s.columnNames } : {}) };
        await this.changeCatalog(
          (c) => c.withView(view),
          (m) => (m.views.has(view.name) ? M.replaceView(m, view) : M.createView(m, view)),
        );
        return ok();
      }
      case 'create_index': {
        const table = this.catalog.requireTable(s.table);
        for (const c of s.columns) {
          if (!table.schema.columns.some((x) => x.name === c)) throw binderError(`column "${c}" does not exist in table "${s.table}"`, s.pos);
        }
        if (this.catalog.indexes.has(s.name)) {
          if (s.ifNotExists) return ok();
          throw catalogError(`index "${s.name}" already exists`, s.pos);
        }
        const using = s.using ?? 'default';
        const index = { name: s.name, table: s.table, columns: s.columns, using, kind: indexKind(using), unique: s.unique };
        await this.changeCatalog((c) => c.withIndex(index), (m) => M.createIndex(m, index));
        return ok();
      }
      case 'insert':
        return this.insert(s, opts);
      case 'copy':
        return this.copy(s);
      case 'copy_to':
        return this.copyTo(s, opts);
      case 'delete':
        return this.delete(s, opts);
      case 'update':
        return this.update(s, opts);
      case 'alter_table':
        await this.alterTable(s);
        return ok();
      case 'truncate':
        return this.delete({ kind: 'delete', table: s.table, pos: s.pos }, opts);
      case 'checkpoint':
        this.refuseInTransaction('CHECKPOINT', s.pos);
        if (this.store !== null && !this.store.readOnly) await this.store.checkpoint();
        return ok();
      case 'optimize':
        this.refuseInTransaction('OPTIMIZE', s.pos);
        if (s.table !== undefined) this.catalog.requireTable(s.table);
        if (this.store !== null) await this.store.compact(s.table);
        return ok();
      case 'begin':
        return this.beginTransaction(s.pos);
      case 'commit':
        return this.commitTransaction(s.pos);
      case 'rollback':
        return this.rollbackTransaction(s.pos);
      case 'explain':
        return this.explain(s, opts);
      case 'show_tables': {
        const names = [...this.catalog.tables.keys(), ...this.catalog.views.keys()].sort();
        return rowsResult(['name'], [T.VARCHAR], names.map((n) => [n]));
      }
      case 'describe': {
        const t = this.catalog.requireTable(s.table);
        const rows = t.schema.columns.map((c) => [c.name, typeToString(c.type), c.notNull ? 'NO' : 'YES', t.schema.primaryKey.includes(c.name) ? 'PRI' : '']);
        return rowsResult(['column_name', 'column_type', 'null', 'key'], [T.VARCHAR, T.VARCHAR, T.VARCHAR, T.VARCHAR], rows);
      }
      case 'set':
        this.settings.set(s.name, s.value, s.pos);
        return ok();
      case 'reset':
        this.settings.reset(s.name, s.pos);
        return ok();
      case 'show_create':
        return rowsResult(['statement'], [T.VARCHAR], [[showCreate(this.catalog, s)]]);
      case 'show_setting':
        // As PostgreSQL: SHOW name is one column named for the setting; SHOW ALL lists them all.
        if (s.name !== null) return rowsResult([s.name], [T.VARCHAR], [[this.settings.get(s.name, s.pos)]]);
        return rowsResult(['name', 'value', 'description'], [T.VARCHAR, T.VARCHAR, T.VARCHAR], this.settings.list().map((x) => [x.name, x.value, x.description]));
    }
  }

  private async createTable(s: A.CreateTableStatement, opts: RunOptions): Promise<QueryResult> {
    if (this.catalog.hasRelation(s.name)) {
      if (s.ifNotExists) return ok();
      if (!s.orReplace || !this.catalog.tables.has(s.name)) throw catalogError(`table "${s.name}" already exists`, s.pos);
    }
    if (s.as) {
      const { plan, names, types } = this.planQuery(s.as, opts.params);
      const batches = await this.runPlan(plan, opts.signal ?? null);
      const schema: TableSchema = {
        name: s.name,
        columns: names.map((name, i) => ({ name: name || `col${i}`, type: types[i]!.id === TypeId.NULL ? T.INTEGER : types[i]!, notNull: false })),
        sortKey: s.orderBy,
        primaryKey: [],
      };
      checkUniqueNames(schema, s.pos);
      await this.installTable(schema, batches.map((b) => retype(b, schema)), s.orReplace);
      return affected(batches.reduce((n, b) => n + b.count, 0));
    }
    const pk = new Set([...s.primaryKey, ...s.columns.filter((c) => c.primaryKey).map((c) => c.name)]);
    const schema: TableSchema = {
      name: s.name,
      columns: s.columns.map((c) => ({ name: c.name, type: resolveTypeName(c.type.name, c.type.args), notNull: c.notNull || pk.has(c.name) })),
      sortKey: s.orderBy,
      primaryKey: [...pk],
    };
    checkUniqueNames(schema, s.pos);
    for (const k of [...s.orderBy, ...pk]) {
      if (!schema.columns.some((c) => c.name === k)) throw binderError(`column "${k}" named in the key does not exist`, s.pos);
    }
    await this.installTable(schema, [], s.orReplace);
    return ok();
  }

  /** For work that cannot run inside a transaction (CHECKPOINT, OPTIMIZE, db.compact()). */
  refuseInTransaction(what: string, pos?: A.Pos): void {
    if (this.tx !== null) throw new QuiverError('TRANSACTION_ERROR', `${what} cannot run inside a transaction; COMMIT or ROLLBACK first`, pos);
  }

  private async drop(s: A.DropStatement): Promise<QueryResult> {
    const store = this.direct;
    if (store !== null && s.object !== 'table') {
      for (const name of s.names) {
        const exists = s.object === 'view' ? this.catalog.views.has(name) : this.catalog.indexes.has(name);
        if (!exists) {
          if (s.ifExists) continue;
          throw catalogError(`${s.object} "${name}" does not exist`, s.pos);
        }
        await this.changeCatalog(
          (c) => (s.object === 'view' ? c.withoutView(name) : c.withoutIndex(name)),
          (m) => (s.object === 'view' ? M.dropView(m, name) : M.dropIndex(m, name)),
        );
      }
      return ok();
    }
    if (store !== null) {
      for (const name of s.names) {
        if (!this.catalog.tables.has(name)) {
          if (s.ifExists) continue;
          throw catalogError(`table "${name}" does not exist${this.catalog.suggest(name)}`, s.pos);
        }
      }
      try {
        for (const name of s.names) if (this.catalog.tables.has(name)) await store.dropTable(name);
      } finally {
        this.refreshCatalog();
      }
      return ok();
    }
    let catalog = this.catalog;
    for (const name of s.names) {
      const exists = s.object === 'table' ? catalog.tables.has(name) : s.object === 'view' ? catalog.views.has(name) : catalog.indexes.has(name);
      if (!exists) {
        if (s.ifExists) continue;
        throw catalogError(`${s.object} "${name}" does not exist${s.object !== 'index' ? catalog.suggest(name) : ''}`, s.pos);
      }
      catalog = s.object === 'table' ? catalog.withoutTable(name) : s.object === 'view' ? catalog.withoutView(name) : catalog.withoutIndex(name);
      this.tx?.record((m) => (s.object === 'table' ? M.dropTable(m, name) : s.object === 'view' ? M.dropView(m, name) : M.dropIndex(m, name)));
    }
    this.catalog = catalog;
    return ok();
  }

  private async insert(s: A.InsertStatement, opts: RunOptions): Promise<QueryResult> {
    const table = this.catalog.requireTable(s.table);
    const schema = table.schema;
    const binder = this.binder(opts.params ?? []);
    const src = s.source;
    const bareValues = src.body.kind === 'values' && src.with.length === 0 && src.orderBy.length === 0 && src.limit === undefined && src.offset === undefined;
    const query = bareValues ? null : binder.bindQuery(src);
    // Without a column list, fewer values than columns fill the leading columns (PostgreSQL).
    const width = query !== null ? query.columns.length : ((src.body as A.ValuesBody).rows[0]?.length ?? 0);
    const targetCols = s.columns ?? schema.columns.slice(0, Math.min(width, schema.columns.length) || schema.columns.length).map((c) => c.name);
    const positions = targetCols.map((name) => {
      const i = schema.columns.findIndex((c) => c.name === name);
      if (i < 0) throw binderError(`column "${name}" of table "${s.table}" does not exist`, s.pos);
      return i;
    });
    if (new Set(positions).size !== positions.length) throw binderError('a column is named more than once in INSERT', s.pos);
    const bound = query ?? binder.bindValues(src.body as A.ValuesBody, null, positions.map((i) => schema.columns[i]!.type));
    if (bound.columns.length !== targetCols.length) {
      throw binderError(`INSERT has ${bound.columns.length} expressions but ${targetCols.length} target columns`, s.pos);
    }
    // One projection casting each source column to its target column's type (NULL elsewhere).
    const exprs: LExpr[] = schema.columns.map((c, i) => {
      const k = positions.indexOf(i);
      if (k < 0) return { kind: 'const', value: null, type: c.type };
      const src = bound.columns[k]!;
      return castTo({ kind: 'colref', id: src.id, type: src.type, name: src.name }, c.type);
    });
    const logical: LNode = { op: 'project', input: bound.plan, columns: exprs.map((expr, i) => ({ id: binder.newId(), name: schema.columns[i]!.name, type: schema.columns[i]!.type, expr })) };
    const optimized = optimize(logical, { catalog: this.catalog, newId: () => binder.newId() });
    const plan = new PhysicalPlanner(this.catalog).planQuery(optimized);
    const batches = await this.runPlan(plan, opts.signal ?? null);
    checkNotNull(schema, batches);
    if (s.onConflict !== undefined) return this.upsert(s, s.onConflict, schema, concatBatches(schema, batches), targetCols, opts);
    await this.appendRows(s.table, batches, false, s.pos);
    return affected(batches.reduce((n, b) => n + b.count, 0));
  }

  /** INSERT ... ON CONFLICT (sql/upsert.ts): the proposed rows that match a row's key update it
   *  or are dropped; the others are inserted; all in one write. */
  private async upsert(s: A.InsertStatement, clause: A.OnConflict, schema: TableSchema, all: Batch, inserted: readonly string[], opts: RunOptions): Promise<QueryResult> {
    const key = conflictKey(this.catalog, schema, clause);
    const proposed = withoutRepeatedKeys(schema, key, all, clause.action);
    // The proposed rows as a table of their own, under a name no SQL can write.
    const excluded = new MemoryTable({ ...schema, name: EXCLUDED_TABLE });
    excluded.append([proposed]);
    const catalog = this.catalog.withTable(excluded);
    const binder = new QueryBinder({ catalog, params: opts.params ?? [], parseQuery: (sql) => parseQueryText(sql) });
    const plan = upsertPlan({ binder, catalog, table: s.table, alias: s.alias, schema, excludedTable: EXCLUDED_TABLE }, clause, key, inserted);
    let count = 0;
    await this.replaceRows(
      s.table,
      async () => {
        const changes = upsertChanges(schema, proposed, await this.runPlan(plan, opts.signal ?? null, catalog), clause.action);
        checkNotNull(schema, [changes.rows]);
        count = changes.inserted + changes.updated;
        return changes;
      },
      s.pos,
    );
    return affected(count);
  }

  private async copy(s: A.CopyStatement): Promise<QueryResult> {
    const table = this.catalog.requireTable(s.table);
    // On disk outside a transaction the rows go to a bulk load, which sorts them (appendRows).
    const batches = await copyFrom(s, table.schema, this.direct !== null);
    checkNotNull(table.schema, batches, s.path);
    // A few rows (an HTTP /insert) go through the log and the memtable like an INSERT, in one
    // record: a part each would leave thousands of tiny parts for compaction.
    const rows = batches.reduce((n, b) => n + b.count, 0);
    await this.appendRows(s.table, batches, rows >= BULK_LOAD_MIN_ROWS, s.pos);
    return affected(batches.reduce((n, b) => n + b.count, 0));
  }

  /** COPY ... TO: the rows stream from the plan into the file (sql/copy-to.ts). */
  private async copyTo(s: A.CopyToStatement, opts: RunOptions): Promise<QueryResult> {
    let query = s.query;
    if (query === undefined) {
      const [read] = parseSql(copyToSql(s));
      if (read?.kind !== 'query') throw internalError('COPY TO built a statement that is not a query');
      query = read.query;
    }
    const { plan, names, types } = this.planQuery(query, opts.params);
    const ctx = this.context(opts.signal ?? null);
    try {
      return affected(await copyTo(s, names, types, executePlan(plan, ctx)));
    } finally {
      ctx.release();
    }
  }

  /** ALTER TABLE: the schema changes, the rows stay where they are. */
  private async alterTable(s: A.AlterTableStatement): Promise<void> {
    const table = this.catalog.requireTable(s.table);
    const schema = table.schema;
    const a = s.action;
    const column = (name: string) => {
      if (!schema.columns.some((c) => c.name === name)) throw binderError(`column "${name}" of table "${s.table}" does not exist`, s.pos);
    };
    let onDisk: (m: M.Manifest) => M.Manifest;
    let inMemory: () => void;
    switch (a.kind) {
      case 'drop_column': {
        column(a.column);
        const refusal = M.columnDropRefusal(schema, this.catalog.indexes.values(), a.column);
        if (refusal !== null) throw catalogError(refusal, s.pos);
        onDisk = (m) => M.dropColumn(m, s.table, a.column);
        inMemory = () => this.writable(s.table, s.pos).dropColumn(a.column);
        break;
      }
      case 'add_column': {
        if (a.def.notNull || a.def.primaryKey) throw notSupported('a column added by ALTER TABLE cannot be NOT NULL or a key: the existing rows hold NULL in it', a.def.pos);
        const col = { name: a.def.name, type: resolveTypeName(a.def.type.name, a.def.type.args), notNull: false };
        if (schema.columns.some((c) => c.name === col.name)) throw catalogError(`column "${col.name}" of table "${s.table}" already exists`, a.def.pos);
        onDisk = (m) => M.addColumn(m, s.table, col);
        inMemory = () => this.writable(s.table, s.pos).addColumn(col);
        break;
      }
      case 'rename_column':
        column(a.from);
        if (a.from !== a.to && schema.columns.some((c) => c.name === a.to)) throw catalogError(`column "${a.to}" of table "${s.table}" already exists`, s.pos);
        onDisk = (m) => M.renameColumn(m, s.table, a.from, a.to);
        inMemory = () => this.writable(s.table, s.pos).renameColumn(a.from, a.to);
        break;
      case 'rename_table':
        if (a.to !== s.table && this.catalog.hasRelation(a.to)) throw catalogError(`cannot rename table "${s.table}" to "${a.to}": a table or view of that name exists`, s.pos);
        onDisk = (m) => M.renameTable(m, s.table, a.to);
        inMemory = () => {
          const renamed = this.writable(s.table, s.pos);
          renamed.rename(a.to);
          const indexes = [...this.catalog.indexes.values()].filter((ix) => ix.table === s.table);
          let c = this.catalog.withoutTable(s.table).withTable(renamed);
          for (const ix of indexes) c = c.withIndex({ ...ix, table: a.to });
          this.catalog = c;
        };
        break;
    }
    const store = this.direct;
    if (store === null) {
      inMemory();
      this.tx?.record(onDisk);
      return;
    }
    try {
      await store.alterTable(s.table, onDisk, a.kind === 'rename_table' ? a.to : undefined);
    } finally {
      this.refreshCatalog();
    }
  }

  /** What planning a DELETE or UPDATE of `schema`'s table needs. */
  private dmlTarget(s: A.DeleteStatement | A.UpdateStatement, opts: RunOptions, schema: TableSchema) {
    return { binder: this.binder(opts.params ?? []), catalog: this.catalog, table: s.table, alias: s.alias, schema };
  }

  private async update(s: A.UpdateStatement, opts: RunOptions): Promise<QueryResult> {
    const schema = this.catalog.requireTable(s.table).schema;
    // Bound and planned before anything is written: a bad statement changes nothing.
    const plan = updatePlan(this.dmlTarget(s, opts, schema), s);
    let updated = 0;
    await this.replaceRows(
      s.table,
      async () => {
        const batches = await this.runPlan(plan, opts.signal ?? null);
        const rowIds = rowIdsOf(batches);
        const rows = batches.map((b) => makeBatch(b.columns.slice(1), b.length, b.selection));
        checkNotNull(schema, rows);
        updated = rowIds.length;
        return { rowIds, rows: concatBatches(schema, rows) };
      },
      s.pos,
    );
    return affected(updated);
  }

  private async delete(s: A.DeleteStatement, opts: RunOptions): Promise<QueryResult> {
    const table = this.catalog.requireTable(s.table);
    const findRowIds = async () => rowIdsOf(await this.runPlan(deletePlan(this.dmlTarget(s, opts, table.schema), s.where, 'row-ids'), opts.signal ?? null));
    const store = this.direct;
    // Inside the store's exclusive section: find the row ids of the rows the condition holds
    // for, then the store logs and applies them as one record.
    if (store !== null) return affected(await store.deleteWhere(s.table, findRowIds));
    const target = this.writable(s.table, s.pos);
    if (target instanceof TxTable) {
      const ids = await findRowIds();
      target.replaceRows(ids, makeBatch([], 0));
      return affected(ids.length);
    }
    // In memory: keep the other rows (cheaper than removing many row ids).
    const before = target.snapshot().rowCount;
    if (s.where === undefined) {
      target.replaceChunks([]);
      return affected(before);
    }
    const batches = await this.runPlan(deletePlan(this.dmlTarget(s, opts, target.schema), s.where, 'keep'), opts.signal ?? null);
    const fresh = new MemoryTable(target.schema);
    fresh.append(batches);
    target.replaceChunks(fresh.currentChunks());
    return affected(before - fresh.snapshot().rowCount);
  }

  private async explain(s: A.ExplainStatement, opts: RunOptions): Promise<QueryResult> {
    if (s.statement.kind !== 'query') throw notSupported('EXPLAIN supports queries only', s.pos);
    const { plan } = this.planQuery(s.statement.query, opts.params);
    const codegen = s.options.includes('codegen');
    let text: string;
    if (s.analyze || codegen) {
      const log: string[] | null = codegen ? [] : null;
      const base = this.context(opts.signal ?? null, log);
      // Kernels compiled in worker threads would not reach the log: CODEGEN runs in this one.
      const ctx: ExecContext = { ...base, profile: new Map(), ...(codegen ? { threads: 1 } : {}) };
      const start = performance.now();
      try {
        await this.collect(plan, ctx);
      } finally {
        base.release();
      }
      const ms = performance.now() - start;
      text = codegen
        ? log!.length === 0
          ? '-- no kernel was generated: no rows reached an expression (kernels are compiled for the array types of the data they meet)'
          : `-- ${log!.length} generated kernel(s)\n${log!.join('\n\n')}`
        : `${explainPlan(plan, { profile: ctx.profile! })}\nTotal: ${ms.toFixed(1)} ms, ${ctx.stats.rowsRead} rows read`;
    } else text = explainPlan(plan, { threads: this.store === null ? 1 : this.limits.threads });
    return rowsResult(['explain'], [T.VARCHAR], text.split('\n').map((l) => [l]));
  }
}

/** The error as a QuiverError, located at its statement when it has no position of its own. */
function withPosition(e: unknown, s: A.Statement): QuiverError {
  const err = toQuiverError(e);
  if (err.position === undefined && err.code !== 'INTERNAL_ERROR') err.position = s.pos;
  return err;
}

/** What table functions may use (table-functions/table-function.ts). A view's columns are those
 *  of `SELECT * FROM view` bound against the statement's catalog. */
function tableFunctionEnv(catalog: Catalog, store: DiskStore | null, settings: Settings): TableFunctionEnv {
  return {
    catalog,
    store,
    settings,
    // As DuckDB: 'memory' in memory, else the database's name (its directory's base name).
    catalogName: store === null ? 'memory' : (store.dir.split(/[\\/]/).filter((p) => p !== '').pop() ?? store.dir),
    viewColumns(name) {
      const binder = new QueryBinder({ catalog, params: [], parseQuery: parseQueryText });
      const bound = binder.bindQuery(parseQueryText(`SELECT * FROM ${quoteIdentifier(name)}`));
      return bound.columns.map((c) => ({ name: c.name, type: c.type }));
    },
  };
}

function parseQueryText(sql: string): A.Query {
  const stmts = parseSql(sql);
  const s = stmts[0];
  if (stmts.length !== 1 || s === undefined || s.kind !== 'query') throw new QuiverError('INTERNAL_ERROR', 'stored view text is not a query');
  return s.query;
}
