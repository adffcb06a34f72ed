// read_parquet('file.parquet'): a Parquet file as a relation, every top-level column with the
// type its Parquet annotation maps to (exec/io/parquet-reader.ts parquetFileColumns). The footer
// is read when the query is bound; the rows stream one row group at a time.

import { readParquet, parquetFileColumns } from '../../exec/io/parquet-reader.js';
import { checkedFile, columnsArgument, columnsFromArgument, filePathArgument, NamedOptions } from './file-arguments.js';
import type { TableFunction } from './table-function.js';

const USAGE = "read_parquet('file.parquet')";
/** A guess for join ordering. */
const ESTIMATED_ROWS = 10000;

export const readParquetFunction: TableFunction = {
  name: 'read_parquet',
  usage: USAGE,

  bind(args, named, _catalog, pos) {
    new NamedOptions('read_parquet', [], named);
    const path = filePathArgument('read_parquet', USAGE, args, pos);
    const columns = parquetFileColumns(path);
    return { args: [path, columnsArgument(columns)], columns, estimatedRows: ESTIMATED_ROWS };
  },

  async *run(args) {
    yield* readParquet(checkedFile('read_parquet', args[0] as string), columnsFromArgument(args[1]!));
  },
};
