// The table functions usable in FROM, by name (see table-function.ts for the contract). A new
// one is a TableFunction in its own file, listed here.

import { binderError } from '../../common/errors.js';
import type { Pos } from '../ast.js';
import { generateSeries, range } from './generate-series.js';
import { informationSchemaColumns, informationSchemaTables } from './information-schema.js';
import { quiverSettings } from './quiver-settings.js';
import { readCsv } from './read-csv.js';
import { readNdjsonFunction } from './read-ndjson.js';
import { readParquetFunction } from './read-parquet.js';
import { storageInfo } from './storage-info.js';
import type { TableFunction } from './table-function.js';

const FUNCTIONS: ReadonlyMap<string, TableFunction> = new Map([storageInfo, generateSeries, range, readCsv, readParquetFunction, readNdjsonFunction, quiverSettings, informationSchemaTables, informationSchemaColumns].map((f) => [f.name, f]));

/** The table function called `name`; an error listing the known ones when there is none. */
export function lookupTableFunction(name: string, pos?: Pos): TableFunction {
  const f = FUNCTIONS.get(name);
  if (f === undefined) {
    // information_schema.* come only through the binder (their dotted names are not callable).
    const known = [...FUNCTIONS.values()].filter((x) => !x.name.includes('.')).map((x) => x.usage).join(', ');
    throw binderError(`table function ${name}() does not exist; the table functions are: ${known}`, pos);
  }
  return f;
}
