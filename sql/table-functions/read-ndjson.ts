// read_ndjson('file.ndjson') (also read_json_auto's common case): a file of one JSON object per
// line as a relation, columns and types detected from a sample (exec/io/ndjson-reader.ts).

import { readNdjson, sniffNdjson } from '../../exec/io/ndjson-reader.js';
import { checkedFile, columnsArgument, columnsFromArgument, filePathArgument, NamedOptions } from './file-arguments.js';
import type { TableFunction } from './table-function.js';

const USAGE = "read_ndjson('file.ndjson')";
/** A guess for join ordering. */
const ESTIMATED_ROWS = 10000;

export const readNdjsonFunction: TableFunction = {
  name: 'read_ndjson',
  usage: USAGE,

  bind(args, named, _catalog, pos) {
    new NamedOptions('read_ndjson', [], named);
    const path = filePathArgument('read_ndjson', USAGE, args, pos);
    const columns = sniffNdjson(path);
    return { args: [path, columnsArgument(columns)], columns, estimatedRows: ESTIMATED_ROWS };
  },

  async *run(args) {
    yield* readNdjson(checkedFile('read_ndjson', args[0] as string), columnsFromArgument(args[1]!));
  },
};
