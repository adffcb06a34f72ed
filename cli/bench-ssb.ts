// `quiver bench ssb` (and `npm run bench:ssb`, bench/ssb.ts): the Star Schema Benchmark, Quiver
// against DuckDB on the same .tbl files and thread count.
//
// Quiver loads the five tables of ../shared/ssb/schema.sql (lineorder sorted by lo_orderdate) on
// disk with COPY, and is closed and reopened so the queries read the parts as any later session
// would (the OS cache is warm: the files were just written). DuckDB loads them in memory, its
// fastest setting, with `SET threads = T`. Each query runs once on each engine to warm up, and
// those results are compared (cli/compare-results.ts: numbers by value, floats within 1e-9, rows
// tied under ORDER BY as multisets); then R runs alternate between the engines query by query
// (who goes first alternates too), and the medians are reported. A query that fails or answers
// differently is reported and not timed, and makes the exit code 1.
// Quiver runs with `SET threads = T` too (its GROUP BY queries split their fact-table scan
// among T worker threads, exec/parallel/).

import { availableParallelism, tmpdir } from 'node:os';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { QuiverError, toQuiverError } from '../common/errors.js';
import type { Database } from '../sql/database.js';
import type { BenchSsbCommand } from './args.js';
import { barChartSvg } from './bench-chart.js';
import { compareResults, mismatchReport, type ResultSet } from './compare-results.js';
import { ssbCardinalities } from './gen-ssb.js';
import { bytesOnDisk, duckDbCopyTbl, ensureSsbData, quiverCopyTbl, readSsbQueries, readSsbSchema, ssbOrderKeys, type SsbDataFile, type SsbQuery, withoutSortKeys } from './ssb-files.js';

export interface SsbBenchOptions {
  sf: number;
  vs: 'duckdb' | null;
  /** DuckDB's threads, and the threads Quiver is asked for. */
  threads: number;
  /** Timed runs per query and engine, after one warm-up run. */
  runs: number;
  /** Folder of the .tbl files; generated there when missing. */
  dir: string;
  /** Quiver's database folder (kept); null: a temporary folder, removed at the end. */
  db: string | null;
  /** Folder the JSON and SVG files are written to. */
  out: string;
  /** Receives the progress lines and the report, one line at a time. */
  log: (line: string) => void;
}

/** The result of one query: its answer check and its times. */
export interface SsbQueryReport {
  name: string;
  /** Rows of Quiver's answer; null when it failed. */
  rows: number | null;
  /** same: equal answers; different; error: an engine failed; unchecked: Quiver alone. */
  answer: 'same' | 'different' | 'error' | 'unchecked';
  /** The mismatch report or the error message; null when the answers are the same. */
  problem: string | null;
  quiverMs: number[];
  duckdbMs: number[];
  quiverMedianMs: number | null;
  duckdbMedianMs: number | null;
  /** Quiver's median over DuckDB's. */
  ratio: number | null;
}

export interface EngineLoad {
  seconds: number;
  /** Seconds per table, in load order. */
  tables: Record<string, number>;
  rows: Record<string, number>;
}

export interface SsbBenchReport {
  benchmark: 'ssb';
  sf: number;
  date: string;
  node: string;
  platform: string;
  cpus: number;
  runs: number;
  dataDir: string;
  tblBytes: number;
  quiver: {
    threads: number;
    threadsNote: string;
    load: EngineLoad;
    bytesOnDisk: number;
    totalMedianMs: number;
  };
  duckdb: {
    version: string;
    threads: number;
    load: EngineLoad;
    /** In memory: no bytes on disk. */
    bytesOnDisk: null;
    memoryBytes: number;
    totalMedianMs: number;
  } | null;
  queries: SsbQueryReport[];
  /** Geometric mean of the ratios over the queries both engines answered the same. */
  geometricMeanRatio: number | null;
  ratioQueries: number;
  allAnswersSame: boolean;
}

export interface SsbBenchResult {
  report: SsbBenchReport;
  jsonFile: string;
  svgFile: string;
}

/** What the bench needs from an engine: run a query for its rows, or only to time it. */
interface BenchEngine {
  readonly name: string;
  query(sql: string): Promise<ResultSet>;
  /** Runs the query to its last row and returns the milliseconds it took. */
  time(sql: string): Promise<number>;
  close(): Promise<void>;
}

const QUIVER_COLOR = '#3b6fb6';
const DUCKDB_COLOR = '#e0a526';
const MS_PER_SECOND = 1000;

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function message(e: unknown): string {
  return toQuiverError(e).describe();
}

// ---------------------------------------------------------------------------------------------
// The engines

class QuiverBench implements BenchEngine {
  readonly name = 'Quiver';
  constructor(readonly db: Database) {}

  async query(sql: string): Promise<ResultSet> {
    const r = await this.db.query(sql);
    return { columns: r.schema.map((c) => ({ name: c.name, type: c.type })), rows: r.rows() };
  }

  async time(sql: string): Promise<number> {
    const t0 = performance.now();
    await this.db.query(sql);
    return performance.now() - t0;
  }

  async explain(sql: string): Promise<string> {
    const r = await this.db.query(`EXPLAIN ${sql}`);
    return r.rows().map((row) => row.map(String).join(' ')).join('\n');
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

async function rowCounts(engine: BenchEngine, files: readonly SsbDataFile[]): Promise<Record<string, number>> {
  const rows: Record<string, number> = {};
  for (const f of files) rows[f.table] = Number((await engine.query(`SELECT count(*) FROM ${f.table}`)).rows[0]![0]);
  return rows;
}

/** Gives Quiver's queries `threads` threads (SET threads). */
async function quiverThreads(db: Database, threads: number): Promise<{ threads: number; note: string }> {
  await db.exec(`SET threads = ${threads}`);
  return { threads, note: `${threads} thread${threads === 1 ? '' : 's'} (SET threads = ${threads})` };
}

async function openQuiver(dbDir: string, schema: string, files: readonly SsbDataFile[], o: SsbBenchOptions) {
  const { Database } = await import('../sql/database.js');
  const tables: Record<string, number> = {};
  let seconds = 0;
  const loading = await Database.open(dbDir);
  try {
    await loading.exec(schema);
    for (const f of files) {
      o.log(`  Quiver: ${f.table} ...`);
      const t0 = performance.now();
      await loading.exec(quiverCopyTbl(f.table, f.file));
      tables[f.table] = (performance.now() - t0) / MS_PER_SECOND;
      seconds += tables[f.table]!;
    }
  } finally {
    await loading.close();
  }
  // Measured closed, so the bytes are what stays on disk.
  const bytes = bytesOnDisk(dbDir);
  const engine = new QuiverBench(await Database.open(dbDir));
  try {
    const threads = await quiverThreads(engine.db, o.threads);
    const rows = await rowCounts(engine, files);
    return { engine, load: { seconds, tables, rows }, bytes, threads };
  } catch (e) {
    await engine.close();
    throw e;
  }
}

async function openDuckDb(schema: string, files: readonly SsbDataFile[], o: SsbBenchOptions) {
  let duckdb: typeof import('@duckdb/node-api');
  let reference: typeof import('./duckdb-reference.js');
  try {
    duckdb = await import('@duckdb/node-api');
    reference = await import('./duckdb-reference.js');
  } catch (e) {
    throw new QuiverError(
      'INVALID_INPUT',
      `--vs duckdb needs the package @duckdb/node-api (a dev dependency of Quiver): install it with 'npm install @duckdb/node-api', or run Quiver alone with --vs none (${message(e)})`,
    );
  }
  const instance = await duckdb.DuckDBInstance.create(':memory:', { threads: String(o.threads) });
  const conn = await instance.connect();
  const engine: BenchEngine = {
    name: 'DuckDB',
    async query(sql) {
      const reader = await conn.runAndReadAll(sql);
      const types = reader.columnTypes();
      return {
        columns: reader.columnNames().map((name, i) => ({ name, type: types[i]!.toString() })),
        rows: reader.getRows().map((row) => row.map(reference.plainDuckDbValue)),
      };
    },
    async time(sql) {
      const t0 = performance.now();
      await conn.runAndReadAll(sql);
      return performance.now() - t0;
    },
    async close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
  try {
    await conn.run(`SET threads = ${o.threads}`);
    for (const s of reference.DUCKDB_SETTINGS) await conn.run(s);
    await conn.run(withoutSortKeys(schema));
    const tables: Record<string, number> = {};
    let seconds = 0;
    for (const f of files) {
      o.log(`  DuckDB: ${f.table} ...`);
      const t0 = performance.now();
      await conn.run(duckDbCopyTbl(f.table, f.file));
      tables[f.table] = (performance.now() - t0) / MS_PER_SECOND;
      seconds += tables[f.table]!;
    }
    const version = String((await engine.query('SELECT version()')).rows[0]![0]);
    const memoryBytes = Number((await engine.query('SELECT sum(memory_usage_bytes) FROM duckdb_memory()')).rows[0]![0]);
    const rows = await rowCounts(engine, files);
    return { engine, load: { seconds, tables, rows }, version, memoryBytes };
  } catch (e) {
    await engine.close();
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Checking and timing

async function checkAnswer(q: SsbQuery, quiver: QuiverBench, duck: BenchEngine | null, sf: number): Promise<SsbQueryReport> {
  const report: SsbQueryReport = { name: q.name, rows: null, answer: 'unchecked', problem: null, quiverMs: [], duckdbMs: [], quiverMedianMs: null, duckdbMedianMs: null, ratio: null };
  let actual: ResultSet | null = null;
  let actualError: string | null = null;
  let expected: ResultSet | null = null;
  let expectedError: string | null = null;
  try {
    actual = await quiver.query(q.sql);
    report.rows = actual.rows.length;
  } catch (e) {
    actualError = message(e);
  }
  if (duck === null) {
    if (actualError !== null) Object.assign(report, { answer: 'error', problem: `Quiver failed: ${actualError}` });
    return report;
  }
  try {
    expected = await duck.query(q.sql);
  } catch (e) {
    expectedError = message(e);
  }
  let reason: string | null = null;
  if (expectedError !== null) reason = 'DuckDB failed';
  else if (actualError !== null) reason = 'Quiver failed where DuckDB succeeded';
  else reason = compareResults(expected!, actual!, ssbOrderKeys(q.sql, expected!.columns));
  if (reason === null) {
    report.answer = 'same';
    return report;
  }
  let plan: string | null = null;
  if (actualError === null && expectedError === null) {
    try {
      plan = await quiver.explain(q.sql);
    } catch (e) {
      plan = `EXPLAIN failed: ${message(e)}`;
    }
  }
  report.answer = actualError !== null || expectedError !== null ? 'error' : 'different';
  report.problem = mismatchReport({ title: `SSB ${q.name} at SF ${sf}`, sql: q.sql, reason, expected, expectedError, actual, actualError, plan });
  return report;
}

// ---------------------------------------------------------------------------------------------
// Printing

const fmtMs = (ms: number | null) => (ms === null ? '-' : ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const fmtRatio = (r: number | null) => (r === null ? '-' : r.toFixed(2));
const fmtMb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const fmtSeconds = (s: number) => `${s.toFixed(s < 10 ? 2 : 1)} s`;

function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const cells = [header, ...rows];
  const widths = header.map((_, k) => Math.max(...cells.map((r) => r[k]!.length)));
  const line = (r: readonly string[]) => r.map((c, k) => (k === 0 || k === r.length - 1 ? c.padEnd(widths[k]!) : c.padStart(widths[k]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

function loadLine(name: string, load: EngineLoad): string {
  const parts = Object.entries(load.tables).map(([t, s]) => `${t} ${fmtSeconds(s)}`);
  return `  ${name}: ${fmtSeconds(load.seconds)} (${parts.join(', ')})`;
}

function printReport(r: SsbBenchReport, log: (line: string) => void): void {
  const duck = r.duckdb;
  log('');
  log(
    `SSB SF ${r.sf}: Quiver on disk, ${r.quiver.threadsNote}` +
      (duck === null ? ', alone (answers unchecked: --vs none)' : ` vs DuckDB ${duck.version} in memory, ${duck.threads} thread${duck.threads === 1 ? '' : 's'}`) +
      `; median of ${r.runs} run${r.runs === 1 ? '' : 's'} after a warm-up`,
  );
  log('');
  const header = duck === null ? ['query', 'rows', 'Quiver ms', 'answer'] : ['query', 'rows', 'Quiver ms', 'DuckDB ms', 'Quiver/DuckDB', 'answer'];
  const rows = r.queries.map((q) => {
    const cells = [q.name, q.rows === null ? '-' : String(q.rows), fmtMs(q.quiverMedianMs)];
    if (duck !== null) cells.push(fmtMs(q.duckdbMedianMs), fmtRatio(q.ratio));
    cells.push(q.answer === 'same' ? 'same' : q.answer === 'unchecked' ? 'unchecked' : q.answer.toUpperCase());
    return cells;
  });
  const total = duck === null ? ['total', '', fmtMs(r.quiver.totalMedianMs), ''] : ['total', '', fmtMs(r.quiver.totalMedianMs), fmtMs(duck.totalMedianMs), fmtRatio(r.quiver.totalMedianMs / duck.totalMedianMs), ''];
  for (const l of textTable(header, [...rows, total])) log(l);
  log('');
  if (duck !== null) {
    log(
      r.geometricMeanRatio === null
        ? 'geometric mean of Quiver/DuckDB: none (no query answered the same by both)'
        : `geometric mean of Quiver/DuckDB: ${r.geometricMeanRatio.toFixed(2)} (over ${r.ratioQueries} of ${r.queries.length} queries)`,
    );
  }
  log('load from .tbl:');
  log(loadLine('Quiver', r.quiver.load));
  if (duck !== null) log(loadLine('DuckDB', duck.load));
  log(`bytes on disk (.tbl files: ${fmtMb(r.tblBytes)}):`);
  log(`  Quiver: ${fmtMb(r.quiver.bytesOnDisk)} (${(r.quiver.bytesOnDisk / r.tblBytes).toFixed(3)} of the .tbl files)`);
  if (duck !== null) log(`  DuckDB: none, it runs in memory (${fmtMb(duck.memoryBytes)} of memory in use after the load, duckdb_memory())`);
}

// ---------------------------------------------------------------------------------------------
// The benchmark

/** Loads, checks, times, prints and writes the results; the caller decides the exit code. */
export async function runSsbBench(o: SsbBenchOptions): Promise<SsbBenchResult> {
  ssbCardinalities(o.sf); // checks the scale factor before anything is generated or loaded
  if (o.db !== null && existsSync(o.db) && readdirSync(o.db).length > 0) {
    throw new QuiverError('INVALID_INPUT', `--db ${o.db} is not empty: give a new or empty folder for the benchmark's Quiver database (or leave --db out for a temporary one)`);
  }
  const queries = readSsbQueries();
  const schema = readSsbSchema();
  const { files, generated } = await ensureSsbData(o.dir, o.sf, () => o.log(`generating SSB SF ${o.sf} into ${o.dir} ...`));
  if (!generated) o.log(`SSB SF ${o.sf} data: ${o.dir}`);
  const tblBytes = files.reduce((n, f) => n + f.bytes, 0);
  const dbDir = o.db ?? mkdtempSync(join(tmpdir(), 'quiver-bench-ssb-'));
  let quiver: Awaited<ReturnType<typeof openQuiver>> | null = null;
  let duck: Awaited<ReturnType<typeof openDuckDb>> | null = null;
  try {
    o.log('loading into Quiver (on disk) ...');
    quiver = await openQuiver(dbDir, schema, files, o);
    if (o.vs === 'duckdb') {
      o.log(`loading into DuckDB (in memory, ${o.threads} threads) ...`);
      duck = await openDuckDb(schema, files, o);
      for (const f of files) {
        const q = quiver.load.rows[f.table];
        const d = duck.load.rows[f.table];
        if (q !== d) throw new QuiverError('INTERNAL_ERROR', `${f.table}: Quiver loaded ${q} rows from ${f.file}, DuckDB ${d}`);
      }
    }

    o.log(`warm-up run${duck === null ? '' : ', checking the answers against DuckDB'} ...`);
    const reports: SsbQueryReport[] = [];
    for (const q of queries) reports.push(await checkAnswer(q, quiver.engine, duck?.engine ?? null, o.sf));
    for (const r of reports) if (r.problem !== null) o.log(r.problem);

    const timed = queries.filter((_, i) => reports[i]!.answer === 'same' || reports[i]!.answer === 'unchecked');
    o.log(`timing ${timed.length} queries, ${o.runs} run${o.runs === 1 ? '' : 's'} each${duck === null ? '' : ', alternating between the engines'} ...`);
    for (let run = 0; run < o.runs; run++) {
      for (const q of timed) {
        const report = reports.find((r) => r.name === q.name)!;
        // Who goes first alternates, so neither engine always meets the other's leftovers.
        if (duck !== null && run % 2 === 1) report.duckdbMs.push(await duck.engine.time(q.sql));
        report.quiverMs.push(await quiver.engine.time(q.sql));
        if (duck !== null && run % 2 === 0) report.duckdbMs.push(await duck.engine.time(q.sql));
      }
    }
    let logSum = 0;
    let ratioQueries = 0;
    for (const r of reports) {
      r.quiverMedianMs = median(r.quiverMs);
      r.duckdbMedianMs = median(r.duckdbMs);
      if (r.quiverMedianMs !== null && r.duckdbMedianMs !== null && r.duckdbMedianMs > 0) {
        r.ratio = r.quiverMedianMs / r.duckdbMedianMs;
        logSum += Math.log(r.ratio);
        ratioQueries++;
      }
    }
    const sumMedians = (pick: (r: SsbQueryReport) => number | null) => reports.reduce((n, r) => n + (pick(r) ?? 0), 0);
    const report: SsbBenchReport = {
      benchmark: 'ssb',
      sf: o.sf,
      date: new Date().toISOString(),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpus: availableParallelism(),
      runs: o.runs,
      dataDir: o.dir,
      tblBytes,
      quiver: {
        threads: quiver.threads.threads,
        threadsNote: quiver.threads.note,
        load: quiver.load,
        bytesOnDisk: quiver.bytes,
        totalMedianMs: sumMedians((r) => r.quiverMedianMs),
      },
      duckdb:
        duck === null
          ? null
          : { version: duck.version, threads: o.threads, load: duck.load, bytesOnDisk: null, memoryBytes: duck.memoryBytes, totalMedianMs: sumMedians((r) => r.duckdbMedianMs) },
      queries: reports,
      geometricMeanRatio: ratioQueries === 0 ? null : Math.exp(logSum / ratioQueries),
      ratioQueries,
      allAnswersSame: reports.every((r) => r.answer === 'same' || (duck === null && r.answer === 'unchecked')),
    };
    printReport(report, o.log);
    const written = writeResults(report, o.out);
    o.log(`results: ${written.jsonFile}`);
    o.log(`chart:   ${written.svgFile}`);
    if (o.db !== null) o.log(`Quiver database kept in ${dbDir}`);
    return { report, ...written };
  } finally {
    await quiver?.engine.close();
    await duck?.engine.close();
    if (o.db === null) rmSync(dbDir, { recursive: true, force: true });
  }
}

function writeResults(r: SsbBenchReport, outDir: string): { jsonFile: string; svgFile: string } {
  mkdirSync(outDir, { recursive: true });
  // 2025-01-31T12-00-00Z: sortable, and no ':' (not allowed in Windows file names).
  const stamp = r.date.slice(0, 19).replaceAll(':', '-') + 'Z';
  const base = join(outDir, `ssb-sf${r.sf}-${stamp}`);
  const jsonFile = `${base}.json`;
  const svgFile = `${base}.svg`;
  writeFileSync(jsonFile, JSON.stringify(r, null, 2) + '\n');
  const duck = r.duckdb;
  const series = [{ name: `Quiver (${r.quiver.threads} thread${r.quiver.threads === 1 ? '' : 's'}, on disk)`, color: QUIVER_COLOR }];
  if (duck !== null) series.push({ name: `DuckDB ${duck.version} (${duck.threads} thread${duck.threads === 1 ? '' : 's'}, in memory)`, color: DUCKDB_COLOR });
  const subtitle =
    duck === null
      ? `Quiver alone; median of ${r.runs} runs; total ${fmtMs(r.quiver.totalMedianMs)} ms; ${r.date.slice(0, 10)}, Node ${r.node}`
      : `median of ${r.runs} runs; geometric mean of Quiver/DuckDB ${fmtRatio(r.geometricMeanRatio)}; totals ${fmtMs(r.quiver.totalMedianMs)} ms vs ${fmtMs(duck.totalMedianMs)} ms; ${r.date.slice(0, 10)}, Node ${r.node}`;
  const svg = barChartSvg({
    title: `Star Schema Benchmark, SF ${r.sf}`,
    subtitle,
    series,
    groups: r.queries.map((q) => ({
      label: q.name,
      values: duck === null ? [q.quiverMedianMs] : [q.quiverMedianMs, q.duckdbMedianMs],
      note: q.ratio === null ? (q.answer === 'same' || q.answer === 'unchecked' ? null : q.answer) : `${q.ratio.toFixed(2)}×`,
    })),
  });
  writeFileSync(svgFile, svg);
  return { jsonFile, svgFile };
}

// ---------------------------------------------------------------------------------------------
// The command

/** Runs `quiver bench ssb` from its parsed command line: exit code 0, or 1 when an answer differs. */
export async function runBenchCommand(cmd: BenchSsbCommand, write: (text: string) => void): Promise<number> {
  const sfName = String(cmd.sf);
  const { report } = await runSsbBench({
    sf: cmd.sf,
    vs: cmd.vs,
    threads: cmd.threads ?? availableParallelism(),
    runs: cmd.runs,
    dir: resolve(cmd.dir ?? join(tmpdir(), `quiver-ssb-sf${sfName}`)),
    db: cmd.db === null ? null : resolve(cmd.db),
    out: resolve(cmd.out ?? join('bench', 'results')),
    log: (line) => write(line + '\n'),
  });
  return report.allAnswersSame ? 0 : 1;
}
