// The table functions usable in FROM, by name (see table-function.ts for the contract). A new
// one is a TableFunction in its own file, listed here.

import { binderError } from '../../common/errors.js';
import type { Pos } from '../ast.js';
import { storageInfo } from './storage-info.js';
import type { TableFunction } from './table-function.js';

const FUNCTIONS: ReadonlyMap<string, TableFunction> = new Map([storageInfo].map((f) => [f.name, f]));

/** The table function called `name`; an error listing the known ones when there is none. */
export function lookupTableFunction(name: string, pos?: Pos): TableFunction {
  const f = FUNCTIONS.get(name);
  if (f === undefined) {
    const known = [...FUNCTIONS.values()].map((x) => x.usage).join(', ');
    throw binderError(`table function ${name}() does not exist; the table functions are: ${known}`, pos);
  }
  return f;
}
