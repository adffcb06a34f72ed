// The database manifest (DESIGN.md, storage/): one immutable value naming the catalog (tables,
// views, indexes), every table's live parts, the next part id and the first live write-ahead
// log segment. Every commit writes a new version (manifest-store.ts); a query reads one version,
// so it never sees half of a flush, a load or a multi-table swap.
//
// A Manifest is plain data and never changes: the functions below derive a new manifest from an
// old one and leave the old one as it was, because readers may still hold it
// (version-tracker.ts). Each derived manifest has a greater version than its source: versions
// increase, but a commit made of several steps skips the intermediate numbers.
//
// Invariants every manifest MUST keep (derive functions check them; the codec checks them on load):
// - part ids are unique in the whole database and below `nextPartId`, which never decreases;
// - every table column has a stable id (`TableEntry.columnIds`): kept by RENAME COLUMN and RENAME
//   TO, new for ADD COLUMN, never reused within the table (ids are below `nextColumnId`, which
//   never decreases), so a column added with a dropped column's name never reads the dropped data;
// - a part records the column ids its column files hold, by position (`PartEntry.columnIds`: at
//   least one, no id twice, each below the table's `nextColumnId`). A part written now holds the
//   current columns; one written before ADD COLUMN lacks the later ids, which read as NULL; one
//   written before DROP COLUMN holds ids the table no longer has, which are never read. ALTER
//   TABLE therefore never rewrites a part, and compaction writes parts of the current columns;
// - every index names an existing table and existing columns of it;
// - `firstWalSegment` (>= 1) never decreases.

import { catalogError, internalError } from '../../common/errors.js';
import type { IndexDef, ViewDef } from '../catalog.js';
import type { ColumnSchema, TableSchema } from '../table.js';
import { partDirectoryName } from './database-layout.js';

export interface PartEntry {
  /** Unique in the database; names the part's directory. */
  readonly id: number;
  /** The part's directory name under `parts/` (database-layout.ts). */
  readonly directory: string;
  /** Rows written in the part, deleted ones included. */
  readonly rowCount: number;
  /** The ids (TableEntry.columnIds) of the columns the part's column files hold, by position:
   *  part column i holds column id `columnIds[i]`. A table column whose id is not here reads as
   *  NULL; an id the table no longer has belongs to a dropped column. */
  readonly columnIds: readonly number[];
  /** The part's deletion bitmap file inside its directory, or null when no row is deleted. */
  readonly deletionFile: string | null;
}

export interface TableEntry {
  readonly schema: TableSchema;
  /** The stable id of each column of `schema.columns`, in the same order. */
  readonly columnIds: readonly number[];
  /** The id the next added column gets: above every id the table ever used. */
  readonly nextColumnId: number;
  /** Live parts, oldest first. */
  readonly parts: readonly PartEntry[];
}

export interface Manifest {
  readonly version: number;
  readonly tables: ReadonlyMap<string, TableEntry>;
  readonly views: ReadonlyMap<string, ViewDef>;
  readonly indexes: ReadonlyMap<string, IndexDef>;
  /** The id the next new part gets; above every part id ever used. */
  readonly nextPartId: number;
  /** Segments of the write-ahead log below this one are flushed into parts. */
  readonly firstWalSegment: number;
}

/** A part to add: its id (from `nextPartId` onwards, allocated by the engine) and row count. */
export interface NewPart {
  readonly id: number;
  readonly rowCount: number;
  /** Defaults to `partDirectoryName(id)`. */
  readonly directory?: string;
  /** The column ids the part holds, by position; defaults to the table's current columns
   *  (what a part written from the table's current schema holds). */
  readonly columnIds?: readonly number[];
  readonly deletionFile?: string | null;
}

/** The manifest of a new, empty database: version 0, never committed. */
export function emptyManifest(): Manifest {
  return Object.freeze({ version: 0, tables: new Map(), views: new Map(), indexes: new Map(), nextPartId: 1, firstWalSegment: 1 });
}

export function requireTableEntry(m: Manifest, name: string): TableEntry {
  const t = m.tables.get(name);
  if (t === undefined) throw catalogError(`table "${name}" does not exist in manifest version ${m.version}`);
  return t;
}

/** Every part of every table, for callers that need the whole set (leftovers, pinning). */
export function* allParts(m: Manifest): Iterable<PartEntry> {
  for (const t of m.tables.values()) yield* t.parts;
}

/** Stable column ids of a table being restored (manifest-codec.ts). */
export interface ColumnIds {
  readonly columnIds: readonly number[];
  readonly nextColumnId: number;
}

/** Creates an empty table; its columns get ids 0, 1, ... unless `ids` gives them (a stored
 *  manifest being read back). */
export function createTable(m: Manifest, schema: TableSchema, ids?: ColumnIds): Manifest {
  if (m.tables.has(schema.name) || m.views.has(schema.name)) throw catalogError(`cannot create table "${schema.name}": a table or view of that name exists`);
  checkSchema(schema);
  const n = schema.columns.length;
  const columnIds = ids?.columnIds ?? Array.from({ length: n }, (_, i) => i);
  const nextColumnId = ids?.nextColumnId ?? n;
  checkTableColumnIds(schema, columnIds, nextColumnId);
  const tables = new Map(m.tables);
  tables.set(schema.name, freezeEntry({ schema: freezeSchema(schema), columnIds, nextColumnId, parts: [] }));
  return derive(m, { tables });
}

/** Removes a table, its parts and its indexes. */
export function dropTable(m: Manifest, name: string): Manifest {
  requireTableEntry(m, name);
  const tables = new Map(m.tables);
  tables.delete(name);
  const indexes = new Map([...m.indexes].filter(([, ix]) => ix.table !== name));
  return derive(m, { tables, indexes });
}

/** Renames a table; its parts stay where they are and its indexes follow it. */
export function renameTable(m: Manifest, from: string, to: string): Manifest {
  const entry = requireTableEntry(m, from);
  if (from === to) return derive(m, {});
  if (m.tables.has(to) || m.views.has(to)) throw catalogError(`cannot rename table "${from}" to "${to}": a table or view of that name exists`);
  const tables = new Map<string, TableEntry>();
  // Rebuilt in order so the renamed table keeps its place (the encoding is then stable).
  for (const [name, t] of m.tables) {
    if (name === from) tables.set(to, freezeEntry({ ...entry, schema: freezeSchema({ ...entry.schema, name: to }) }));
    else tables.set(name, t);
  }
  const indexes = new Map<string, IndexDef>();
  for (const [name, ix] of m.indexes) indexes.set(name, ix.table === from ? Object.freeze({ ...ix, table: to }) : ix);
  return derive(m, { tables, indexes });
}

/** ALTER TABLE ADD COLUMN: the column gets a new id, which no existing part holds, so they read
 *  it as NULL (even when a dropped column had the same name). */
export function addColumn(m: Manifest, table: string, column: ColumnSchema): Manifest {
  const entry = requireTableEntry(m, table);
  if (entry.schema.columns.some((c) => c.name === column.name)) throw catalogError(`column "${column.name}" of table "${table}" already exists`);
  const schema = freezeSchema({ ...entry.schema, columns: [...entry.schema.columns, column] });
  return withTableEntry(m, freezeEntry({ schema, columnIds: [...entry.columnIds, entry.nextColumnId], nextColumnId: entry.nextColumnId + 1, parts: entry.parts }));
}

/**
 * ALTER TABLE DROP COLUMN: the column leaves the schema; the parts keep its data, which is never
 * read again (their column ids still name it) and is left out when compaction rewrites them.
 * Refused for the table's last column, a column of the sort key or primary key, and a column an
 * index names (columnDropRefusal).
 */
export function dropColumn(m: Manifest, table: string, column: string): Manifest {
  const entry = requireTableEntry(m, table);
  const at = entry.schema.columns.findIndex((c) => c.name === column);
  if (at < 0) throw catalogError(`column "${column}" of table "${table}" does not exist`);
  const refusal = columnDropRefusal(entry.schema, m.indexes.values(), column);
  if (refusal !== null) throw catalogError(refusal);
  const schema = freezeSchema({ ...entry.schema, columns: entry.schema.columns.filter((_, i) => i !== at) });
  const columnIds = entry.columnIds.filter((_, i) => i !== at);
  return withTableEntry(m, freezeEntry({ schema, columnIds, nextColumnId: entry.nextColumnId, parts: entry.parts }));
}

/** Why column `column` of the table `schema` cannot be dropped (DuckDB's rules and message
 *  style), or null when it can; `indexes` are the database's indexes (any table's). */
export function columnDropRefusal(schema: TableSchema, indexes: Iterable<IndexDef>, column: string): string | null {
  if (schema.columns.length === 1) return `Cannot drop column "${column}": table "${schema.name}" only has one column remaining`;
  if (schema.sortKey.includes(column)) return `Cannot drop column "${column}" because the sort key (ORDER BY) of table "${schema.name}" depends on it`;
  if (schema.primaryKey.includes(column)) return `Cannot drop column "${column}" because the primary key of table "${schema.name}" depends on it`;
  for (const ix of indexes) {
    if (ix.table === schema.name && ix.columns.includes(column)) return `Cannot drop column "${column}" because index "${ix.name}" depends on it; drop the index first`;
  }
  return null;
}

/** For each column of the table, its position among the part's columns, or -1 when the part
 *  lacks it (it reads as NULL). */
export function partColumnMap(entry: TableEntry, part: PartEntry): Int32Array {
  const at = new Map<number, number>();
  part.columnIds.forEach((id, i) => at.set(id, i));
  return Int32Array.from(entry.columnIds, (id) => at.get(id) ?? -1);
}

/** The part positions of the table columns `columns` (indexes into the schema) that the part
 *  holds; the ones it lacks are left out. */
export function partPositions(entry: TableEntry, part: PartEntry, columns: readonly number[]): number[] {
  const map = partColumnMap(entry, part);
  const out: number[] = [];
  for (const c of columns) {
    const p = map[c];
    if (p === undefined) throw internalError(`table "${entry.schema.name}" has no column ${c}`);
    if (p >= 0) out.push(p);
  }
  return out;
}

/** Renames a column of a table (and in its indexes, sort key and primary key). */
export function renameColumn(m: Manifest, table: string, from: string, to: string): Manifest {
  const entry = requireTableEntry(m, table);
  if (!entry.schema.columns.some((c) => c.name === from)) throw catalogError(`column "${from}" of table "${table}" does not exist`);
  if (from !== to && entry.schema.columns.some((c) => c.name === to)) throw catalogError(`column "${to}" of table "${table}" already exists`);
  const rename = (names: readonly string[]) => names.map((n) => (n === from ? to : n));
  const s = entry.schema;
  const schema = freezeSchema({
    name: s.name,
    columns: s.columns.map((c) => (c.name === from ? { ...c, name: to } : c)),
    sortKey: rename(s.sortKey),
    primaryKey: rename(s.primaryKey),
  });
  const indexes = new Map<string, IndexDef>();
  for (const [name, ix] of m.indexes) indexes.set(name, ix.table === table ? Object.freeze({ ...ix, columns: Object.freeze(rename(ix.columns)) as string[] }) : ix);
  const tables = new Map(m.tables);
  tables.set(table, freezeEntry({ ...entry, schema }));
  return derive(m, { tables, indexes });
}

/** Adds parts (a flush or a bulk load) after the table's existing ones. */
export function addParts(m: Manifest, table: string, parts: readonly NewPart[]): Manifest {
  return replaceParts(m, table, [], parts);
}

/** Compaction: removes the parts `removedIds` of the table and adds `added`, in one version. */
export function replaceParts(m: Manifest, table: string, removedIds: readonly number[], added: readonly NewPart[]): Manifest {
  const entry = requireTableEntry(m, table);
  const removed = new Set(removedIds);
  for (const id of removed) {
    if (!entry.parts.some((p) => p.id === id)) throw internalError(`cannot remove part ${id} from table "${table}": it is not one of its live parts`);
  }
  const used = new Set<number>();
  for (const p of allParts(m)) used.add(p.id);
  let nextPartId = m.nextPartId;
  const created: PartEntry[] = [];
  for (const np of added) {
    if (!Number.isSafeInteger(np.id) || np.id < 1) throw internalError(`part id must be a positive integer, not ${np.id}`);
    if (used.has(np.id)) throw internalError(`part id ${np.id} is already in use; allocate new part ids from nextPartId (${m.nextPartId})`);
    used.add(np.id);
    const part = newPartEntry(np, entry);
    created.push(part);
    nextPartId = Math.max(nextPartId, np.id + 1);
  }
  const parts = [...entry.parts.filter((p) => !removed.has(p.id)), ...created];
  const tables = new Map(m.tables);
  tables.set(table, freezeEntry({ ...entry, parts }));
  return derive(m, { tables, nextPartId });
}

/** Points a part at a new deletion bitmap file (or none). */
export function setDeletionFile(m: Manifest, table: string, partId: number, deletionFile: string | null): Manifest {
  const entry = requireTableEntry(m, table);
  const i = entry.parts.findIndex((p) => p.id === partId);
  if (i < 0) throw internalError(`cannot set the deletion file of part ${partId} of table "${table}": it is not one of its live parts`);
  if (deletionFile !== null) checkFileName(deletionFile, `deletion file of part ${partId}`);
  const parts = entry.parts.slice();
  parts[i] = Object.freeze({ ...entry.parts[i]!, deletionFile });
  return withTableEntry(m, freezeEntry({ ...entry, parts }));
}

/** Records that log segments below `segment` are flushed; the log may then delete them. */
export function setFirstWalSegment(m: Manifest, segment: number): Manifest {
  if (!Number.isSafeInteger(segment) || segment < m.firstWalSegment) {
    throw internalError(`the first write-ahead log segment cannot move from ${m.firstWalSegment} to ${segment}: it only grows`);
  }
  return derive(m, { firstWalSegment: segment });
}

export function createView(m: Manifest, view: ViewDef): Manifest {
  if (m.tables.has(view.name) || m.views.has(view.name)) throw catalogError(`cannot create view "${view.name}": a table or view of that name exists`);
  const views = new Map(m.views);
  views.set(view.name, freezeView(view));
  return derive(m, { views });
}

/** CREATE OR REPLACE VIEW: replaces a view of that name, or creates it. */
export function replaceView(m: Manifest, view: ViewDef): Manifest {
  if (m.tables.has(view.name)) throw catalogError(`cannot create view "${view.name}": a table of that name exists`);
  const views = new Map(m.views);
  views.set(view.name, freezeView(view));
  return derive(m, { views });
}

export function dropView(m: Manifest, name: string): Manifest {
  if (!m.views.has(name)) throw catalogError(`view "${name}" does not exist in manifest version ${m.version}`);
  const views = new Map(m.views);
  views.delete(name);
  return derive(m, { views });
}

export function createIndex(m: Manifest, index: IndexDef): Manifest {
  if (m.indexes.has(index.name)) throw catalogError(`cannot create index "${index.name}": an index of that name exists`);
  const entry = requireTableEntry(m, index.table);
  for (const c of index.columns) {
    if (!entry.schema.columns.some((col) => col.name === c)) throw catalogError(`cannot create index "${index.name}": table "${index.table}" has no column "${c}"`);
  }
  const indexes = new Map(m.indexes);
  indexes.set(index.name, Object.freeze({ ...index, columns: Object.freeze([...index.columns]) as string[] }));
  return derive(m, { indexes });
}

export function dropIndex(m: Manifest, name: string): Manifest {
  if (!m.indexes.has(name)) throw catalogError(`index "${name}" does not exist in manifest version ${m.version}`);
  const indexes = new Map(m.indexes);
  indexes.delete(name);
  return derive(m, { indexes });
}

/** Checks a name used as a file or directory name: one path component, not `.` or `..`. */
export function checkFileName(name: string, what: string): void {
  if (name.length === 0 || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
    throw internalError(`${what} must be a plain file name, not ${JSON.stringify(name)}`);
  }
}

function derive(m: Manifest, changes: Partial<Omit<Manifest, 'version'>>): Manifest {
  return Object.freeze({ ...m, ...changes, version: m.version + 1 });
}

function withTableEntry(m: Manifest, entry: TableEntry): Manifest {
  const tables = new Map(m.tables);
  tables.set(entry.schema.name, entry);
  return derive(m, { tables });
}

function newPartEntry(np: NewPart, entry: TableEntry): PartEntry {
  // A part of the current columns shares the table's (frozen) list.
  const columnIds = np.columnIds ?? entry.columnIds;
  if (!Number.isSafeInteger(np.rowCount) || np.rowCount < 0) throw internalError(`part ${np.id}: row count must be a non-negative integer, not ${np.rowCount}`);
  if (columnIds.length === 0) throw internalError(`part ${np.id} of table "${entry.schema.name}" holds no column; a part holds at least one`);
  const seen = new Set<number>();
  for (const id of columnIds) {
    if (!Number.isSafeInteger(id) || id < 0 || id >= entry.nextColumnId) {
      throw internalError(`part ${np.id}: column id ${id} is not one table "${entry.schema.name}" ever had (its ids are below ${entry.nextColumnId})`);
    }
    if (seen.has(id)) throw internalError(`part ${np.id}: column id ${id} is named twice`);
    seen.add(id);
  }
  const directory = np.directory ?? partDirectoryName(np.id);
  checkFileName(directory, `directory of part ${np.id}`);
  const deletionFile = np.deletionFile ?? null;
  if (deletionFile !== null) checkFileName(deletionFile, `deletion file of part ${np.id}`);
  return Object.freeze({ id: np.id, directory, rowCount: np.rowCount, columnIds: Object.isFrozen(columnIds) ? columnIds : Object.freeze([...columnIds]), deletionFile });
}

function checkSchema(schema: TableSchema): void {
  if (schema.columns.length === 0) throw catalogError(`table "${schema.name}" must have at least one column`);
  const names = new Set<string>();
  for (const c of schema.columns) {
    if (names.has(c.name)) throw catalogError(`table "${schema.name}" has two columns named "${c.name}"`);
    names.add(c.name);
  }
  for (const k of [...schema.sortKey, ...schema.primaryKey]) {
    if (!names.has(k)) throw catalogError(`table "${schema.name}" has no column "${k}" for its key`);
  }
}

function checkTableColumnIds(schema: TableSchema, columnIds: readonly number[], nextColumnId: number): void {
  const where = `table "${schema.name}"`;
  if (columnIds.length !== schema.columns.length) throw catalogError(`${where} has ${schema.columns.length} columns but ${columnIds.length} column ids`);
  if (!Number.isSafeInteger(nextColumnId) || nextColumnId < 0) throw catalogError(`${where}: the next column id must be a non-negative integer, not ${nextColumnId}`);
  const seen = new Set<number>();
  for (const id of columnIds) {
    if (!Number.isSafeInteger(id) || id < 0 || id >= nextColumnId) throw catalogError(`${where}: column id ${id} is not below its next column id ${nextColumnId}`);
    if (seen.has(id)) throw catalogError(`${where}: two columns have id ${id}`);
    seen.add(id);
  }
}

function freezeSchema(s: TableSchema): TableSchema {
  return Object.freeze({
    name: s.name,
    columns: Object.freeze(s.columns.map((c) => Object.freeze({ name: c.name, type: c.type, notNull: c.notNull }))) as ColumnSchema[],
    sortKey: Object.freeze([...s.sortKey]) as string[],
    primaryKey: Object.freeze([...s.primaryKey]) as string[],
  });
}

function freezeEntry(e: TableEntry): TableEntry {
  const columnIds = Object.isFrozen(e.columnIds) ? e.columnIds : Object.freeze([...e.columnIds]);
  return Object.freeze({ schema: e.schema, columnIds, nextColumnId: e.nextColumnId, parts: Object.freeze([...e.parts]) });
}

function freezeView(v: ViewDef): ViewDef {
  return Object.freeze(v.columnNames === undefined ? { name: v.name, sql: v.sql } : { name: v.name, sql: v.sql, columnNames: Object.freeze([...v.columnNames]) as string[] });
}
