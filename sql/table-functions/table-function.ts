// Table functions: relations computed by a function named in FROM, `FROM name(args) [AS alias]`
// (storage_info('t'); read_csv, generate_series and the like come the same way). Each one is a
// TableFunction registered in registry.ts. The binder evaluates the arguments to constants and
// calls `bind`, which checks them and says which columns the function produces; the plan carries
// the bound arguments as plain data (exec/plan.ts TableFunctionNode), and at run time the engine
// calls `run` through ExecContext.tableFunction.

import { type Batch, BATCH_SIZE, makeBatch } from '../../common/batch.js';
import { internalError } from '../../common/errors.js';
import { type LogicalType, typeToString } from '../../common/types.js';
import { allocData, type Scalar, type Vector } from '../../common/vector.js';
import type { Catalog } from '../../storage/catalog.js';
import type { DiskStore } from '../../storage/disk/disk-store.js';
import type { Pos } from '../ast.js';
import type { Settings } from '../settings.js';

/** An argument as the binder evaluated it. */
export interface TableFunctionArgument {
  readonly value: Scalar;
  readonly type: LogicalType;
  readonly pos: Pos;
}

export interface TableFunctionColumn {
  readonly name: string;
  readonly type: LogicalType;
}

export interface BoundTableFunction {
  /** The arguments `run` gets: plain data, because they travel inside the physical plan. */
  readonly args: Scalar[];
  readonly columns: readonly TableFunctionColumn[];
  /** Rows the function is expected to produce (join ordering). */
  readonly estimatedRows: number;
}

/** What a table function may use when it runs: the catalog of its statement and, for an
 *  on-disk database, the store; the database's settings and catalog name (information_schema's
 *  table_catalog), and the columns a view of the catalog produces (it MUST throw a QuiverError
 *  when the view no longer binds). */
export interface TableFunctionEnv {
  readonly catalog: Catalog;
  readonly store: DiskStore | null;
  readonly settings: Settings;
  readonly catalogName: string;
  viewColumns(name: string): TableFunctionColumn[];
}

export interface TableFunction {
  readonly name: string;
  /** How it is called, for error messages: `storage_info('table')`. */
  readonly usage: string;
  /**
   * Checks the arguments and says what the function produces. It MUST throw a QuiverError naming
   * the function (and the argument's position) for a wrong argument, and MUST NOT read data:
   * EXPLAIN binds without running. The file readers are the one exception, as in DuckDB: they
   * read a bounded sample (or a Parquet footer) to learn the columns, never the whole file.
   */
  bind(args: readonly TableFunctionArgument[], named: Readonly<Record<string, TableFunctionArgument>>, catalog: Catalog, pos: Pos): BoundTableFunction;
  /** Produces the rows: batches with one vector per column `bind` named, in that order. */
  run(args: readonly Scalar[], env: TableFunctionEnv): AsyncIterable<Batch>;
}

/**
 * Row values (metadata-sized results, built once) as batches of flat vectors of `columns`' types.
 * A BOOLEAN value is 1 or 0; BIGINT values MUST be numbers (exact below 2^53).
 */
export function rowsToBatches(columns: readonly TableFunctionColumn[], rows: readonly (readonly Scalar[])[]): Batch[] {
  const batches: Batch[] = [];
  for (let start = 0; start < rows.length; start += BATCH_SIZE) {
    const n = Math.min(BATCH_SIZE, rows.length - start);
    const vectors: Vector[] = columns.map((col, c) => {
      const data = allocData(col.type, n);
      let validity: Uint8Array | null = null;
      for (let i = 0; i < n; i++) {
        const v = rows[start + i]![c]!;
        if (v === null) {
          validity ??= new Uint8Array(n).fill(1);
          validity[i] = 0;
        } else if (typeof v === 'bigint' || typeof v === 'object') {
          throw internalError(`table function column ${col.name} (${typeToString(col.type)}) was given a ${typeof v} value`);
        } else (data as unknown as Scalar[])[i] = v;
      }
      return { kind: 'flat', type: col.type, length: n, data, validity };
    });
    batches.push(makeBatch(vectors, n));
  }
  return batches;
}
