// quiver_settings(): every setting of sql/settings.ts with its current value in this database,
// its default and what it does (the description names the values it takes), one row per
// setting by name — SHOW ALL as a relation, to filter and join like DuckDB's duckdb_settings().

import { binderError } from '../../common/errors.js';
import { T } from '../../common/types.js';
import { rowsToBatches, type TableFunction, type TableFunctionColumn } from './table-function.js';

const COLUMNS: readonly TableFunctionColumn[] = [
  { name: 'name', type: T.VARCHAR },
  { name: 'value', type: T.VARCHAR },
  { name: 'default', type: T.VARCHAR },
  { name: 'description', type: T.VARCHAR },
];

export const quiverSettings: TableFunction = {
  name: 'quiver_settings',
  usage: 'quiver_settings()',
  bind(args, named, _catalog, pos) {
    if (args.length > 0 || Object.keys(named).length > 0) throw binderError('quiver_settings takes no arguments; call it as quiver_settings()', pos);
    return { args: [], columns: COLUMNS, estimatedRows: 10 };
  },
  async *run(_args, env) {
    yield* rowsToBatches(COLUMNS, env.settings.list().map((s) => [s.name, s.value, s.default, s.description]));
  },
};
