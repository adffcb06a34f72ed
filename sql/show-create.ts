// SHOW CREATE TABLE / SHOW CREATE VIEW: the statement that recreates a relation of the catalog on
// an empty database. A table's is CREATE TABLE with its columns (type, NOT NULL), PRIMARY KEY and
// ORDER BY sort key, names quoted where SQL needs it; a view's is CREATE VIEW with its column
// names and its query as written. SHOW CREATE TABLE of a view gives the view's, as MySQL does.
// Indexes are separate statements (CREATE INDEX) and are not part of it.

import { catalogError } from '../common/errors.js';
import { typeToString } from '../common/types.js';
import type { Catalog, ViewDef } from '../storage/catalog.js';
import type { TableSchema } from '../storage/table.js';
import type * as A from './ast.js';
import { quoteIdentifier } from './parser/quote-identifier.js';

/** The CREATE statement of the table or view `s` names. */
export function showCreate(catalog: Catalog, s: A.ShowCreateStatement): string {
  const view = catalog.views.get(s.name);
  if (view !== undefined) return createViewSql(view);
  const table = catalog.tables.get(s.name);
  if (table === undefined) {
    throw catalogError(`${s.object === 'view' ? 'view' : 'table'} "${s.name}" does not exist${catalog.suggest(s.name)}`, s.pos);
  }
  if (s.object === 'view') throw catalogError(`"${s.name}" is a table, not a view; use SHOW CREATE TABLE ${quoteIdentifier(s.name)}`, s.pos);
  return createTableSql(table.schema);
}

export function createTableSql(schema: TableSchema): string {
  const list = (names: readonly string[]) => `(${names.map(quoteIdentifier).join(', ')})`;
  const elements = schema.columns.map((c) => `${quoteIdentifier(c.name)} ${typeToString(c.type)}${c.notNull ? ' NOT NULL' : ''}`);
  if (schema.primaryKey.length > 0) elements.push(`PRIMARY KEY ${list(schema.primaryKey)}`);
  const orderBy = schema.sortKey.length > 0 ? ` ORDER BY ${list(schema.sortKey)}` : '';
  return `CREATE TABLE ${quoteIdentifier(schema.name)} (${elements.join(', ')})${orderBy}`;
}

export function createViewSql(view: ViewDef): string {
  const columns = view.columnNames !== undefined ? ` (${view.columnNames.map(quoteIdentifier).join(', ')})` : '';
  return `CREATE VIEW ${quoteIdentifier(view.name)}${columns} AS ${view.sql}`;
}
