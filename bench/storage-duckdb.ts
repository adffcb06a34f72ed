// The DuckDB side of bench/storage.ts: loads the same lineorder.tbl into a DuckDB database FILE
// (checkpointed, so the file holds every row and no write-ahead log), measures the file, and
// writes the table as Parquet with DuckDB's default settings, reading the codec back from the
// file's own metadata. DuckDB is a dev dependency; this runs only from the benchmark.

import { statSync, existsSync } from 'node:fs';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { duckDbCopyTbl, withoutSortKeys } from '../cli/ssb-files.js';

export interface DuckDbLoad {
  /** Database file plus its .wal (which a checkpoint empties). */
  bytes: number;
  seconds: number;
  rows: number;
  threads: number;
  /** Per lineorder column: DuckDB's compression per segment, most frequent first. */
  compression: Record<string, string[]>;
}

export interface ParquetWrite {
  bytes: number;
  seconds: number;
  /** The codecs the file's column chunks name (parquet_metadata). */
  codecs: string[];
  rowGroups: number;
}

const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;

function fileBytes(path: string): number {
  let n = statSync(path).size;
  if (existsSync(`${path}.wal`)) n += statSync(`${path}.wal`).size;
  return n;
}

/**
 * Loads `tbl` into table lineorder of a new DuckDB file `dbFile` with `threads` threads and
 * checkpoints; the timing covers load and checkpoint.
 */
export async function loadDuckDb(dbFile: string, createTable: string, tbl: string, threads: number): Promise<DuckDbLoad> {
  return withLineorder(dbFile, createTable, threads, (conn) => conn.run(duckDbCopyTbl('lineorder', tbl)));
}

/**
 * Copies lineorder of the DuckDB file `from` into a new file `dbFile` in `column` order, as
 * Quiver's sort key stores it: DuckDB's size on the same row order. The timing is a copy
 * between files, not a load, and is not comparable to the others.
 */
export async function copyDuckDbSorted(from: string, dbFile: string, createTable: string, column: string, threads: number): Promise<DuckDbLoad> {
  return withLineorder(dbFile, createTable, threads, async (conn) => {
    await conn.run(`ATTACH ${sqlString(from)} AS source (READ_ONLY)`);
    await conn.run(`INSERT INTO lineorder SELECT * FROM source.lineorder ORDER BY ${column}`);
    await conn.run('DETACH source');
  });
}

async function withLineorder(dbFile: string, createTable: string, threads: number, fill: (conn: DuckDBConnection) => Promise<unknown>): Promise<DuckDbLoad> {
  const instance = await DuckDBInstance.create(dbFile, { threads: String(threads) });
  const conn = await instance.connect();
  try {
    await conn.run(withoutSortKeys(createTable));
    const t0 = performance.now();
    await fill(conn);
    await conn.run('CHECKPOINT');
    const seconds = (performance.now() - t0) / 1000;
    const rows = Number((await conn.runAndReadAll('SELECT count(*) FROM lineorder')).getRows()[0]![0]);
    const info = await conn.runAndReadAll(
      `SELECT column_name, compression, count(*) AS n FROM pragma_storage_info('lineorder') ` +
        `WHERE segment_type <> 'VALIDITY' GROUP BY ALL ORDER BY column_name, n DESC`,
    );
    const compression: Record<string, string[]> = {};
    for (const [name, codec] of info.getRows()) (compression[String(name)] ??= []).push(String(codec));
    conn.closeSync();
    instance.closeSync();
    return { bytes: fileBytes(dbFile), seconds, rows, threads, compression };
  } catch (e) {
    conn.closeSync();
    instance.closeSync();
    throw e;
  }
}

/** Writes table lineorder of the DuckDB file `dbFile` as `parquetFile` with DuckDB's defaults. */
export async function writeParquet(dbFile: string, parquetFile: string, threads: number): Promise<ParquetWrite> {
  const instance = await DuckDBInstance.create(dbFile, { threads: String(threads) });
  const conn = await instance.connect();
  try {
    const t0 = performance.now();
    await conn.run(`COPY lineorder TO ${sqlString(parquetFile)} (FORMAT parquet)`);
    const seconds = (performance.now() - t0) / 1000;
    const meta = await conn.runAndReadAll(
      `SELECT list(DISTINCT compression ORDER BY compression), count(DISTINCT row_group_id) FROM parquet_metadata(${sqlString(parquetFile)})`,
    );
    const [codecs, rowGroups] = meta.getRows()[0]!;
    return {
      bytes: statSync(parquetFile).size,
      seconds,
      codecs: (codecs as { items: unknown[] }).items.map(String),
      rowGroups: Number(rowGroups),
    };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** SSB q1.1 in DuckDB over the file's lineorder, with the date join as its lo_orderdate range. */
export async function duckDbQ11(dbFile: string, range: { min: number; max: number }, threads: number): Promise<number> {
  const instance = await DuckDBInstance.create(dbFile, { threads: String(threads), access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  try {
    const r = await conn.runAndReadAll(
      `SELECT sum(lo_extendedprice * lo_discount) FROM lineorder ` +
        `WHERE lo_orderdate BETWEEN ${range.min} AND ${range.max} AND lo_discount BETWEEN 1 AND 3 AND lo_quantity < 25`,
    );
    return Number(r.getRows()[0]![0]);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
