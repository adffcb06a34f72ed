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
// - a part's `columnCount` is between 1 and its table's column count: a part written before
//   ALTER TABLE ADD COLUMN lacks the later columns, which read as NULL;
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
  /** The table's column count when the part was written; columns at and after it read as NULL. */
  readonly columnCount: number;
  /** The part's deletion bitmap file inside its directory, or null when no row is deleted. */
  readonly deletionFile: string | null;
}

export interface TableEntry {
  readonly schema: TableSchema;
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
  /** Defaults to the table's current column count. */
  readonly columnCount?: number;
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

export function createTable(m: Manifest, schema: TableSchema): Manifest {
  if (m.tables.has(schema.name) || m.views.has(schema.name)) throw catalogError(`cannot create table "${schema.name}": a table or view of that name exists`);
  checkSchema(schema);
  const tables = new Map(m.tables);
  tables.set(schema.name, freezeEntry({ schema: freezeSchema(schema), parts: [] }));
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
    if (name === from) tables.set(to, freezeEntry({ schema: freezeSchema({ ...entry.schema, name: to }), parts: entry.parts }));
    else tables.set(name, t);
  }
  const indexes = new Map<string, IndexDef>();
  for (const [name, ix] of m.indexes) indexes.set(name, ix.table === from ? Object.freeze({ ...ix, table: to }) : ix);
  return derive(m, { tables, indexes });
}

/** ALTER TABLE ADD COLUMN: existing parts keep their column count and read the column as NULL. */
export function addColumn(m: Manifest, table: string, column: ColumnSchema): Manifest {
  const entry = requireTableEntry(m, table);
  if (entry.schema.columns.some((c) => c.name === column.name)) throw catalogError(`column "${column.name}" of table "${table}" already exists`);
  const schema = freezeSchema({ ...entry.schema, columns: [...entry.schema.columns, column] });
  return withTableEntry(m, freezeEntry({ schema, parts: entry.parts }));
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
  tables.set(table, freezeEntry({ schema, parts: entry.parts }));
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
    const part = newPartEntry(np, entry.schema);
    created.push(part);
    nextPartId = Math.max(nextPartId, np.id + 1);
  }
  const parts = [...entry.parts.filter((p) => !removed.has(p.id)), ...created];
  const tables = new Map(m.tables);
  tables.set(table, freezeEntry({ schema: entry.schema, parts }));
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
  return withTableEntry(m, freezeEntry({ schema: entry.schema, parts }));
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

function newPartEntry(np: NewPart, schema: TableSchema): PartEntry {
  const columnCount = np.columnCount ?? schema.columns.length;
  if (!Number.isSafeInteger(np.rowCount) || np.rowCount < 0) throw internalError(`part ${np.id}: row count must be a non-negative integer, not ${np.rowCount}`);
  if (!Number.isSafeInteger(columnCount) || columnCount < 1 || columnCount > schema.columns.length) {
    throw internalError(`part ${np.id}: column count ${columnCount} is outside 1..${schema.columns.length} (table "${schema.name}")`);
  }
  const directory = np.directory ?? partDirectoryName(np.id);
  checkFileName(directory, `directory of part ${np.id}`);
  const deletionFile = np.deletionFile ?? null;
  if (deletionFile !== null) checkFileName(deletionFile, `deletion file of part ${np.id}`);
  return Object.freeze({ id: np.id, directory, rowCount: np.rowCount, columnCount, deletionFile });
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

function freezeSchema(s: TableSchema): TableSchema {
  return Object.freeze({
    name: s.name,
    columns: Object.freeze(s.columns.map((c) => Object.freeze({ name: c.name, type: c.type, notNull: c.notNull }))) as ColumnSchema[],
    sortKey: Object.freeze([...s.sortKey]) as string[],
    primaryKey: Object.freeze([...s.primaryKey]) as string[],
  });
}

function freezeEntry(e: { schema: TableSchema; parts: readonly PartEntry[] }): TableEntry {
  return Object.freeze({ schema: e.schema, parts: Object.freeze([...e.parts]) });
}

function freezeView(v: ViewDef): ViewDef {
  return Object.freeze(v.columnNames === undefined ? { name: v.name, sql: v.sql } : { name: v.name, sql: v.sql, columnNames: Object.freeze([...v.columnNames]) as string[] });
}
