// The body of bench/storage.ts (which see): loads, measures, prints and writes the results.
// Imported only after storage.ts has read its flags and cleared them from process.argv.

import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { bytesOnDisk as treeBytes, createTableStatement, ensureSsbData, quiverCopyTbl, readSsbSchema } from '../cli/ssb-files.js';
import { Database } from '../sql/database.js';
import { nodeFileSystem } from '../storage/fs/node-file-system.js';
import { partPath } from '../storage/manifest/database-layout.js';
import { loadManifest } from '../storage/manifest/manifest-store.js';
import { openPart } from '../storage/part/part-reader.js';
import { copyDuckDbSorted, duckDbQ11, type DuckDbLoad, loadDuckDb, type ParquetWrite, writeParquet } from './storage-duckdb.js';
import { lineorderColumns, type ColumnReport, partFiles, q11Range, scanAll, scanQ11, type ScanReport, type Q11Report } from './storage-scan.js';

const SORT_COLUMN = 'lo_orderdate';

export interface StorageBenchOptions {
  sf: number;
  /** Folder of the .tbl files (generated when lineorder.tbl or date.tbl is missing). */
  dir: string;
  /** Results JSON file. */
  out: string;
  /** Folder for the databases; null: a temporary one, removed at the end unless `keep`. */
  work: string | null;
  keep: boolean;
  threads: number;
  quiverOnly: boolean;
}

interface Row {
  format: string;
  bytes: number;
  seconds: number | null;
  rows: number | null;
}

/** The lineorder CREATE TABLE of ../shared/ssb/schema.sql, sort key included. */
function lineorderDdl(): string {
  const ddl = createTableStatement(readSsbSchema(), 'lineorder');
  if (!/ORDER BY/i.test(ddl)) throw new Error(`the lineorder CREATE TABLE of the SSB schema has no ORDER BY (${SORT_COLUMN}): ${ddl}`);
  return ddl;
}

async function loadQuiver(dbDir: string, ddl: string, tbl: string) {
  const db = await Database.open(dbDir);
  await db.exec(ddl);
  const t0 = performance.now();
  await db.exec(quiverCopyTbl('lineorder', tbl));
  const seconds = (performance.now() - t0) / 1000;
  await db.close();
  const { manifest } = await loadManifest(nodeFileSystem, dbDir);
  const entry = manifest.tables.get('lineorder');
  if (entry === undefined || entry.parts.length === 0) throw new Error(`the Quiver database ${dbDir} has no lineorder part after COPY`);
  const parts = await Promise.all(entry.parts.map((p) => openPart(nodeFileSystem, partPath(dbDir, p.directory))));
  const rows = parts.reduce((n, p) => n + p.meta.rows, 0);
  const partBytes = parts.reduce((n, p) => n + treeBytes(p.dir), 0);
  return { seconds, rows, parts, partBytes, files: partFiles(parts), databaseBytes: treeBytes(dbDir), columns: entry.schema.columns.map((c) => c.name) };
}

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtMb = (n: number) => (n / 1e6).toFixed(1);

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, k) => Math.max(...cells.map((r) => r[k]!.length)));
  const line = (r: string[]) => r.map((c, k) => (k === 0 ? c.padEnd(widths[k]!) : c.padStart(widths[k]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export async function runStorageBenchmark(o: StorageBenchOptions): Promise<void> {
  await ensureSsbData(o.dir, o.sf, () => console.log(`generating SSB SF ${o.sf} into ${o.dir} ...`));
  const tbl = join(o.dir, 'lineorder.tbl');
  const dateTbl = join(o.dir, 'date.tbl');
  const tblBytes = statSync(tbl).size;
  const work = o.work ?? mkdtempSync(join(tmpdir(), 'quiver-bench-storage-'));
  mkdirSync(work, { recursive: true });
  const ddl = lineorderDdl();
  try {
    const quiverDir = join(work, 'quiver');
    rmSync(quiverDir, { recursive: true, force: true });
    console.log('loading lineorder into Quiver ...');
    const q = await loadQuiver(quiverDir, ddl, tbl);
    const columns: ColumnReport[] = lineorderColumns(q.parts, q.columns);
    const range = q11Range(dateTbl, 1993);
    const q11: Q11Report = await scanQ11(q.parts, q.columns, range);
    const scan: ScanReport = await scanAll(q.parts);

    const rows: Row[] = [
      { format: 'lineorder.tbl', bytes: tblBytes, seconds: null, rows: null },
      { format: `Quiver part (sorted by ${SORT_COLUMN})`, bytes: q.partBytes, seconds: q.seconds, rows: q.rows },
      { format: '  of which columns + part.meta', bytes: q.files.columns + q.files.meta, seconds: null, rows: null },
      { format: '  of which bitmap indexes', bytes: q.files.indexes, seconds: null, rows: null },
    ];
    let duck: DuckDbLoad | null = null;
    let duckSorted: DuckDbLoad | null = null;
    let parquet: ParquetWrite | null = null;
    let duckQ11: number | null = null;
    if (!o.quiverOnly) {
      const duckFile = join(work, 'lineorder.duckdb');
      const sortedFile = join(work, 'lineorder-sorted.duckdb');
      const parquetFile = join(work, 'lineorder.parquet');
      for (const f of [duckFile, `${duckFile}.wal`, sortedFile, `${sortedFile}.wal`, parquetFile]) rmSync(f, { force: true });
      console.log(`loading lineorder into DuckDB (${o.threads} threads) ...`);
      duck = await loadDuckDb(duckFile, ddl, tbl, o.threads);
      duckQ11 = await duckDbQ11(duckFile, range, o.threads);
      console.log('copying it into a DuckDB file sorted by lo_orderdate ...');
      duckSorted = await copyDuckDbSorted(duckFile, sortedFile, ddl, SORT_COLUMN, o.threads);
      console.log('writing Parquet with DuckDB ...');
      parquet = await writeParquet(duckFile, parquetFile, o.threads);
      rows.push(
        { format: `DuckDB file (load order, ${duck.threads} threads)`, bytes: duck.bytes, seconds: duck.seconds, rows: duck.rows },
        { format: `DuckDB file (sorted by ${SORT_COLUMN})`, bytes: duckSorted.bytes, seconds: null, rows: duckSorted.rows },
        { format: `Parquet (DuckDB, ${parquet.codecs.join('+')})`, bytes: parquet.bytes, seconds: null, rows: null },
      );
    }

    console.log(`\nSSB SF ${o.sf} lineorder: ${fmtInt(q.rows)} rows, .tbl ${fmtMb(tblBytes)} MB\n`);
    console.log(
      table(
        ['format', 'bytes', 'MB', 'ratio to .tbl', 'load s', 'rows/s'],
        rows.map((r) => [
          r.format,
          fmtInt(r.bytes),
          fmtMb(r.bytes),
          (r.bytes / tblBytes).toFixed(3),
          r.seconds === null ? '-' : r.seconds.toFixed(1),
          r.seconds === null || r.rows === null ? '-' : fmtInt(r.rows / r.seconds),
        ]),
      ),
    );
    if (duck !== null) {
      const verdict = q.partBytes <= duck.bytes ? 'no more than' : 'MORE than';
      console.log(
        `\nQuiver's lineorder takes ${verdict} DuckDB's file: ${(q.partBytes / duck.bytes).toFixed(3)} of it ` +
          `(${((q.files.columns + q.files.meta) / duck.bytes).toFixed(3)} without its bitmap indexes).`,
      );
    }
    console.log(`Quiver database directory in all: ${fmtInt(q.databaseBytes)} bytes.\n`);
    console.log(
      table(
        ['column', 'type', 'bytes', 'bits/row', 'share', 'Quiver blocks', 'index bytes', ...(duck === null ? [] : ['DuckDB segments'])],
        columns.map((c) => [
          c.name,
          c.type,
          fmtInt(c.bytes),
          ((8 * c.bytes) / q.rows).toFixed(2),
          `${((100 * c.bytes) / q.files.columns).toFixed(1)}%`,
          Object.entries(c.encodings)
            .map(([e, n]) => `${e} ${n}`)
            .join(', '),
          c.indexBytes === 0 ? '-' : fmtInt(c.indexBytes),
          ...(duck === null ? [] : [(duck.compression[c.name] ?? []).join(', ')]),
        ]),
      ),
    );
    console.log(
      `\nq1.1 filter (lo_orderdate ${range.min}..${range.max}, lo_discount 1..3, lo_quantity < 25): ` +
        `${q11.blocksSkipped} of ${q11.blocksTotal} blocks skipped by zone maps, ${q11.blocksSkippedByBitmap} more by bitmap indexes, ` +
        `${q11.blocksTotal - q11.blocksSkipped - q11.blocksSkippedByBitmap} read (${fmtInt(q11.rowsRead)} rows selected, ` +
        `${fmtInt(q11.rowsMatching)} match); ${fmtMb(q11.bytesRead)} MB read in ${(q11.seconds * 1000).toFixed(0)} ms`,
    );
    console.log(`q1.1 revenue over the blocks read: ${q11.revenue}${duckQ11 === null ? '' : ` (DuckDB: ${duckQ11})`}`);
    console.log(
      `full scan of every column: ${fmtInt(scan.rows)} rows, ${fmtMb(scan.bytesRead)} MB in ${scan.seconds.toFixed(2)} s ` +
        `(${fmtInt(scan.rows / scan.seconds)} rows/s, ${fmtInt(scan.values / scan.seconds)} values/s)`,
    );

    const result = {
      benchmark: 'storage',
      sf: o.sf,
      date: new Date().toISOString(),
      node: process.version,
      tbl: { file: tbl, bytes: tblBytes },
      quiver: {
        rows: q.rows,
        parts: q.parts.length,
        blockRows: q.parts[0]!.meta.blockRows,
        bytes: q.partBytes,
        files: q.files,
        databaseBytes: q.databaseBytes,
        ratioToTbl: q.partBytes / tblBytes,
        ratioToDuckDb: duck === null ? null : q.partBytes / duck.bytes,
        ratioToDuckDbWithoutIndexes: duck === null ? null : (q.files.columns + q.files.meta) / duck.bytes,
        loadSeconds: q.seconds,
        loadRowsPerSecond: q.rows / q.seconds,
        columns,
        q11,
        fullScan: scan,
      },
      duckdb: duck === null ? null : { ...duck, ratioToTbl: duck.bytes / tblBytes, loadRowsPerSecond: duck.rows / duck.seconds, q11Revenue: duckQ11 },
      duckdbSorted: duckSorted === null ? null : { bytes: duckSorted.bytes, ratioToTbl: duckSorted.bytes / tblBytes, compression: duckSorted.compression },
      parquet: parquet === null ? null : { ...parquet, ratioToTbl: parquet.bytes / tblBytes },
    };
    mkdirSync(dirname(o.out), { recursive: true });
    writeFileSync(o.out, JSON.stringify(result, null, 2) + '\n');
    console.log(`\nresults: ${o.out}`);
    if (duckQ11 !== null && duckQ11 !== q11.revenue) {
      throw new Error(`q1.1 revenue differs: Quiver's scan sums ${q11.revenue}, DuckDB says ${duckQ11}`);
    }
  } finally {
    if (!o.keep && o.work === null) rmSync(work, { recursive: true, force: true });
    else console.log(`databases kept in ${work}`);
  }
}
