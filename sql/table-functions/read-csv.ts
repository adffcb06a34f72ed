// read_csv('file' [, header := true, delim := ',', quote, escape, nullstr, auto_detect]):
// a CSV file as a relation, with the delimiter, header and column types detected as DuckDB's
// sniffer does (exec/io/csv-sniffer.ts) for what the options do not say. Options are named as in
// DuckDB (delim or sep, nullstr); DuckDB's `columns = {...}` is not supported (no STRUCT
// literals): cast the columns in the query instead. The sample is read when the query is bound,
// the rows streamed batch by batch by the reader COPY FROM uses (exec/io/csv-reader.ts).

import { binderError } from '../../common/errors.js';
import { readDelimited } from '../../exec/io/csv-reader.js';
import { sniffCsv } from '../../exec/io/csv-sniffer.js';
import type { CsvOptions } from '../../exec/io/csv-options.js';
import { checkedFile, columnsArgument, columnsFromArgument, filePathArgument, NamedOptions } from './file-arguments.js';
import type { TableFunction } from './table-function.js';

const USAGE = "read_csv('file.csv' [, header := true, delim := ',', quote := '\"', escape := '\"', nullstr := '', auto_detect := true])";
const OPTIONS = ['header', 'delim', 'sep', 'delimiter', 'quote', 'escape', 'nullstr', 'auto_detect', 'columns'];
/** A guess for join ordering. */
const ESTIMATED_ROWS = 10000;

export const readCsv: TableFunction = {
  name: 'read_csv',
  usage: USAGE,

  bind(args, named, _catalog, pos) {
    const path = filePathArgument('read_csv', USAGE, args, pos);
    if (named.columns !== undefined) {
      throw binderError('read_csv: the columns option is not supported; read with detected types and cast in the query (CAST(x AS type))', named.columns.pos);
    }
    const o = new NamedOptions('read_csv', OPTIONS, named);
    const given = {
      delimiter: o.string('delim', 'sep', 'delimiter'),
      header: o.boolean('header'),
      quote: o.string('quote'),
      escape: o.string('escape'),
      nullString: o.string('nullstr'),
      autoDetect: o.boolean('auto_detect') ?? true,
    };
    const { options, columns } = sniffCsv(path, {
      autoDetect: given.autoDetect,
      ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)),
    });
    return { args: [path, JSON.stringify(options), columnsArgument(columns)], columns, estimatedRows: ESTIMATED_ROWS };
  },

  async *run(args) {
    const path = checkedFile('read_csv', args[0] as string);
    yield* readDelimited(path, columnsFromArgument(args[2]!), JSON.parse(args[1] as string) as CsvOptions);
  },
};
