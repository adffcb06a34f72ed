// DuckDB as the reference engine Quiver is checked and measured against (`quiver bench ssb` and
// the differential tests): the settings that give it Quiver's dialect choices (DESIGN.md: integer
// division truncates, NULLs sort as larger than every value), and its result values as the plain
// JS values Quiver's API gives.
//
// @duckdb/node-api is a dev dependency: import this module dynamically, only where DuckDB is
// wanted, so the rest of the command line works without it.

import { DuckDBDateValue, DuckDBDecimalValue, DuckDBTimestampValue } from '@duckdb/node-api';

export const DUCKDB_SETTINGS: readonly string[] = [
  'SET integer_division = true',
  "SET default_null_order = 'nulls_last_on_asc_first_on_desc'",
];

/** A DuckDB value as the plain JS value Quiver's API would give for it. */
export function plainDuckDbValue(v: unknown): unknown {
  if (v === null || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string' || typeof v === 'boolean') {
    return v;
  }
  if (v instanceof DuckDBDecimalValue || v instanceof DuckDBDateValue || v instanceof DuckDBTimestampValue) {
    return v.toString();
  }
  const name = typeof v === 'object' && v !== null ? v.constructor.name : typeof v;
  throw new Error(`DuckDB returned a value of a kind the comparison does not handle: ${name}`);
}
