// information_schema.tables and information_schema.columns, as DuckDB has them (the standard's
// views, cut to the columns Quiver has something to say in): the binder maps the qualified names
// `information_schema.tables` / `.columns` in FROM to these table functions, so they filter, join
// and aggregate like any table. Quiver has one schema, 'main', in one catalog named as DuckDB
// names it: 'memory' in memory, the database directory's base name on disk. Their dotted names
// cannot be called as `name()`, so they appear only through the binder's mapping.

import { binderError, QuiverError } from '../../common/errors.js';
import { type LogicalType, T, TypeId, typeToString } from '../../common/types.js';
import type { Scalar } from '../../common/vector.js';
import type { Pos } from '../ast.js';
import { rowsToBatches, type TableFunction, type TableFunctionColumn, type TableFunctionEnv } from './table-function.js';

const SCHEMA = 'main';

const TABLES_COLUMNS: readonly TableFunctionColumn[] = [
  { name: 'table_catalog', type: T.VARCHAR },
  { name: 'table_schema', type: T.VARCHAR },
  { name: 'table_name', type: T.VARCHAR },
  { name: 'table_type', type: T.VARCHAR },
  { name: 'is_insertable_into', type: T.VARCHAR },
];

const COLUMNS_COLUMNS: readonly TableFunctionColumn[] = [
  { name: 'table_catalog', type: T.VARCHAR },
  { name: 'table_schema', type: T.VARCHAR },
  { name: 'table_name', type: T.VARCHAR },
  { name: 'column_name', type: T.VARCHAR },
  { name: 'ordinal_position', type: T.INTEGER },
  { name: 'column_default', type: T.VARCHAR },
  { name: 'is_nullable', type: T.VARCHAR },
  { name: 'data_type', type: T.VARCHAR },
  { name: 'numeric_precision', type: T.INTEGER },
  { name: 'numeric_scale', type: T.INTEGER },
];

/** A type as DuckDB spells it in information_schema.columns.data_type. */
export function duckdbTypeName(t: LogicalType): string {
  if (t.id === TypeId.REAL) return 'FLOAT';
  if (t.id === TypeId.TIMESTAMPTZ) return 'TIMESTAMP WITH TIME ZONE';
  return typeToString(t);
}

/** DuckDB's numeric_precision (binary digits for integers and floats, radix 2) and scale. */
function precisionAndScale(t: LogicalType): [number | null, number | null] {
  switch (t.id) {
    case TypeId.SMALLINT:
      return [16, 0];
    case TypeId.INTEGER:
      return [32, 0];
    case TypeId.BIGINT:
      return [64, 0];
    case TypeId.REAL:
      return [24, 0];
    case TypeId.DOUBLE:
      return [53, 0];
    case TypeId.DECIMAL:
      return [t.precision ?? null, t.scale ?? null];
    default:
      return [null, null];
  }
}

function noArguments(name: string, args: readonly unknown[], named: Readonly<Record<string, unknown>>, pos: Pos): void {
  if (args.length > 0 || Object.keys(named).length > 0) throw binderError(`${name} takes no arguments`, pos);
}

function sortedNames(names: Iterable<string>): string[] {
  return [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export const informationSchemaTables: TableFunction = {
  name: 'information_schema.tables',
  usage: 'information_schema.tables',
  bind(args, named, catalog, pos) {
    noArguments(this.name, args, named, pos);
    return { args: [], columns: TABLES_COLUMNS, estimatedRows: catalog.tables.size + catalog.views.size };
  },
  async *run(_args, env) {
    const rows: Scalar[][] = [];
    for (const name of sortedNames(env.catalog.tables.keys())) rows.push([env.catalogName, SCHEMA, name, 'BASE TABLE', 'YES']);
    for (const name of sortedNames(env.catalog.views.keys())) rows.push([env.catalogName, SCHEMA, name, 'VIEW', 'NO']);
    yield* rowsToBatches(TABLES_COLUMNS, rows);
  },
};

export const informationSchemaColumns: TableFunction = {
  name: 'information_schema.columns',
  usage: 'information_schema.columns',
  bind(args, named, catalog, pos) {
    noArguments(this.name, args, named, pos);
    let n = 0;
    for (const t of catalog.tables.values()) n += t.schema.columns.length;
    return { args: [], columns: COLUMNS_COLUMNS, estimatedRows: n + 4 * catalog.views.size };
  },
  async *run(_args, env) {
    const rows: Scalar[][] = [];
    const add = (table: string, position: number, column: string, type: LogicalType, notNull: boolean) => {
      const [precision, scale] = precisionAndScale(type);
      rows.push([env.catalogName, SCHEMA, table, column, position, null, notNull ? 'NO' : 'YES', duckdbTypeName(type), precision, scale]);
    };
    for (const name of sortedNames(env.catalog.tables.keys())) {
      const schema = env.catalog.requireTable(name).schema;
      schema.columns.forEach((c, i) => add(name, i + 1, c.name, c.type, c.notNull || schema.primaryKey.includes(c.name)));
    }
    for (const name of sortedNames(env.catalog.views.keys())) {
      const columns = viewColumns(env, name);
      columns?.forEach((c, i) => add(name, i + 1, c.name, c.type, false));
    }
    yield* rowsToBatches(COLUMNS_COLUMNS, rows);
  },
};

/** A view's columns, or null when it no longer binds (a table it reads was dropped): such a view
 *  has no rows in information_schema.columns, as querying it would fail. */
function viewColumns(env: TableFunctionEnv, name: string): readonly TableFunctionColumn[] | null {
  try {
    return env.viewColumns(name);
  } catch (e) {
    if (e instanceof QuiverError) return null;
    throw e;
  }
}
