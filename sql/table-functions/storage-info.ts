// storage_info('t'): how table t is stored, in the style of DuckDB's pragma_storage_info — one
// row per stored piece of one column. On disk that is each block of each column of each live
// part (part id, block index, rows, bytes, encoding and the block's zone map: NULLs, distinct
// count, min, max, sortedness), then one row per column for the memtable, with part and block
// NULL and encoding 'memtable'. An in-memory database has one row per chunk and column, with part
// NULL and encoding 'memory'. min and max are VARCHAR, written as SQL prints the column's values.
// The rows come from metadata held in memory (storage/disk/storage-info.ts,
// storage/storage-info.ts): no data file is read.

import { binderError, catalogError, notSupported } from '../../common/errors.js';
import { T, TypeId, typeToString } from '../../common/types.js';
import type { Scalar } from '../../common/vector.js';
import { formatValue } from '../../exec/expression/cast.js';
import type { Catalog } from '../../storage/catalog.js';
import { diskTableStorageInfo } from '../../storage/disk/storage-info.js';
import { MemoryTable } from '../../storage/memory-table.js';
import { memoryTableStorageInfo, type StorageInfoRow } from '../../storage/storage-info.js';
import { rowsToBatches, type TableFunction, type TableFunctionArgument, type TableFunctionColumn } from './table-function.js';

const COLUMNS: readonly TableFunctionColumn[] = [
  { name: 'part', type: T.BIGINT },
  { name: 'column_name', type: T.VARCHAR },
  { name: 'column_index', type: T.INTEGER },
  { name: 'column_type', type: T.VARCHAR },
  { name: 'block', type: T.INTEGER },
  { name: 'row_start', type: T.BIGINT },
  { name: 'rows', type: T.BIGINT },
  { name: 'deleted', type: T.BIGINT },
  { name: 'bytes', type: T.BIGINT },
  { name: 'encoding', type: T.VARCHAR },
  { name: 'nulls', type: T.BIGINT },
  { name: 'distinct_values', type: T.BIGINT },
  { name: 'min', type: T.VARCHAR },
  { name: 'max', type: T.VARCHAR },
  { name: 'sorted', type: T.BOOLEAN },
];

/** A guess for join ordering: a few parts of a few columns. */
const ESTIMATED_ROWS = 100;

const USAGE = "storage_info('table_name')";

export const storageInfo: TableFunction = {
  name: 'storage_info',
  usage: USAGE,

  bind(args, named, catalog, pos) {
    const extra = Object.values(named)[0];
    if (extra !== undefined) throw binderError(`storage_info takes no named arguments; call it as ${USAGE}`, extra.pos);
    if (args.length !== 1) throw binderError(`storage_info takes one argument, the table name, not ${args.length}; call it as ${USAGE}`, pos);
    return { args: [tableName(args[0]!, catalog)], columns: COLUMNS, estimatedRows: ESTIMATED_ROWS };
  },

  async *run(args, env) {
    const name = args[0] as string;
    const table = env.catalog.requireTable(name);
    let info: StorageInfoRow[];
    if (env.store !== null) info = diskTableStorageInfo(env.store, name);
    else if (table instanceof MemoryTable) info = memoryTableStorageInfo(table);
    else throw notSupported(`storage_info cannot describe table "${name}": it is neither on disk nor an in-memory table`);
    const schema = table.schema;
    const rows = info.map((r): Scalar[] => {
      const column = schema.columns[r.column]!;
      const text = (v: Scalar) => (v === null ? null : formatValue(v, column.type));
      return [
        r.part, column.name, r.column, typeToString(column.type), r.block, r.rowStart, r.rows, r.deleted, r.bytes, r.encoding,
        r.nulls, r.distinct, text(r.min), text(r.max), r.sorted === null ? null : r.sorted ? 1 : 0,
      ];
    });
    yield* rowsToBatches(COLUMNS, rows);
  },
};

/** The table the argument names: the name as written, or lower-cased as unquoted SQL names are. */
function tableName(arg: TableFunctionArgument, catalog: Catalog): string {
  if (arg.type.id !== TypeId.VARCHAR || typeof arg.value !== 'string') {
    const got = arg.value === null ? 'NULL' : `a ${typeToString(arg.type)}`;
    throw binderError(`storage_info takes the table name as a string, not ${got}; call it as ${USAGE}`, arg.pos);
  }
  const name = arg.value;
  for (const candidate of [name, name.toLowerCase()]) if (catalog.tables.has(candidate)) return candidate;
  throw catalogError(`storage_info: table "${name}" does not exist${hint(name, catalog)}`, arg.pos);
}

function hint(name: string, catalog: Catalog): string {
  if (catalog.views.has(name) || catalog.views.has(name.toLowerCase())) return `; "${name}" is a view, which stores nothing`;
  return catalog.suggest(name.toLowerCase());
}
