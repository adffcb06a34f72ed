#!/usr/bin/env node
// The `quiver` command line (package.json `bin`): parses the arguments (args.ts) and runs the
// command. Exit codes: 0 success, 1 an error while running (bad SQL, a failed query, I/O),
// 2 a mistake in the command line or a command this version does not have yet.
//
// Every error is printed as one `Error: ...` message on stderr, never as a stack trace: the
// command's own errors are caught here, and anything that escapes (an exception in an event
// handler, a rejected promise nobody awaited) is caught by the process-level handlers below.
// The engine is imported only by the commands that need it, so --help and --version work (and
// answer fast) whatever state the engine is in.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QuiverError, toQuiverError } from '../common/errors.js';
import { type BenchSsbCommand, type CliCommand, type GenSsbCommand, helpText, parseCommandLine, type ServeCommand, type SqlCommand, UsageError } from './args.js';

const EXIT_OK = 0;
const EXIT_ERROR = 1;
const EXIT_USAGE = 2;

/** How often, at most, the progress line of `gen` is redrawn. */
const PROGRESS_INTERVAL_MS = 100;

async function main(argv: readonly string[]): Promise<number> {
  let command: CliCommand;
  try {
    command = parseCommandLine(argv);
  } catch (e) {
    if (e instanceof UsageError) return usageError(e);
    throw e;
  }
  switch (command.kind) {
    case 'help':
      process.stdout.write(helpText(command.topic, packageVersion()));
      return EXIT_OK;
    case 'version':
      process.stdout.write(packageVersion() + '\n');
      return EXIT_OK;
    case 'unavailable':
      process.stderr.write(`Error: 'quiver ${command.command}' is not available in this version (${packageVersion()}) yet; see 'quiver help ${command.command}' for what it will do.\n`);
      return EXIT_USAGE;
    case 'sql':
      return runSql(command);
    case 'gen-ssb':
      return runGenSsb(command);
    case 'bench-ssb':
      return runBenchSsb(command);
    case 'serve':
      return runServe(command);
  }
}

/** Scale factor of the demo data: 600 thousand lineorder rows, loaded in about a second. */
const DEMO_SF = 0.1;

/** The demo star schema (SSB, lineorder sorted by lo_orderdate) for a new database; the .tbl
 *  files are generated in a temporary folder and removed. */
async function loadDemo(db: Awaited<ReturnType<typeof import('../sql/database.js').Database.open>>): Promise<void> {
  const { ensureSsbData, quiverCopyTbl, readSsbSchema } = await import('./ssb-files.js');
  const dir = mkdtempSync(join(tmpdir(), 'quiver-demo-'));
  try {
    process.stdout.write(`a new database: loading demo data, the Star Schema Benchmark at SF ${DEMO_SF} ...\n`);
    const started = performance.now();
    const { files } = await ensureSsbData(dir, DEMO_SF);
    await db.exec(readSsbSchema());
    for (const f of files) await db.exec(quiverCopyTbl(f.table, f.file));
    process.stdout.write(`loaded ${files.map((f) => f.table).join(', ')} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface ServerConfig {
  users: import('../server/access.js').User[];
  limits: { maxConcurrent?: number; maxQueued?: number };
}

/** The --config file: {"users": [...], "max_concurrent_queries": N, "max_queued_queries": N}. */
async function readServerConfig(path: string | null): Promise<ServerConfig> {
  if (path === null) return { users: [], limits: {} };
  const { parseUsers } = await import('../server/access.js');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new QuiverError('INVALID_INPUT', `cannot read the configuration ${path}: ${(e as Error).message}`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new QuiverError('INVALID_INPUT', `the configuration ${path} must be a JSON object`);
  const o = json as Record<string, unknown>;
  const known = ['users', 'max_concurrent_queries', 'max_queued_queries'];
  const unknown = Object.keys(o).find((k) => !known.includes(k));
  if (unknown !== undefined) throw new QuiverError('INVALID_INPUT', `unknown setting "${unknown}" in ${path}; the settings are: ${known.join(', ')}`);
  const count = (name: string, min: number): number | undefined => {
    const v = o[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new QuiverError('INVALID_INPUT', `"${name}" in ${path} must be a whole number of at least ${min}`);
    return v;
  };
  const maxConcurrent = count('max_concurrent_queries', 1);
  const maxQueued = count('max_queued_queries', 0);
  let users;
  try {
    users = parseUsers(o.users);
  } catch (e) {
    throw new QuiverError('INVALID_INPUT', `in ${path}: ${(e as Error).message}`);
  }
  return { users, limits: { ...(maxConcurrent === undefined ? {} : { maxConcurrent }), ...(maxQueued === undefined ? {} : { maxQueued }) } };
}

/** `quiver serve`: listens until Ctrl+C or SIGTERM, then closes the server and the database. */
async function runServe(cmd: ServeCommand): Promise<number> {
  const { Database } = await import('../sql/database.js');
  const { createServer } = await import('../server/server.js');
  let config: ServerConfig;
  try {
    config = await readServerConfig(cmd.config);
  } catch (e) {
    return printError(e);
  }
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(cmd.host);
  if (config.users.length === 0 && !loopback) {
    process.stderr.write(`Error: no users are configured, so the server has no authentication and listens on 127.0.0.1 only, not ${cmd.host}; define users with tokens in --config to listen there\n`);
    return EXIT_USAGE;
  }
  let db: Awaited<ReturnType<typeof Database.open>>;
  try {
    const fresh = cmd.db !== ':memory:' && (!existsSync(cmd.db) || readdirSync(cmd.db).length === 0);
    db = await Database.open(cmd.db);
    if (cmd.demo && (fresh || cmd.db === ':memory:')) await loadDemo(db);
  } catch (e) {
    return printError(e);
  }
  // Request logs as JSON lines on stdout: each with its query id (reqId), status and responseTime.
  const app = createServer(db, { logger: true, users: config.users, ...config.limits });
  let address: string;
  try {
    address = await app.listen({ port: cmd.port, host: cmd.host });
  } catch (e) {
    await db.close();
    const err = e as NodeJS.ErrnoException;
    process.stderr.write(`Error: cannot listen on ${cmd.host}:${cmd.port}: ${err.code === 'EADDRINUSE' ? 'the port is in use; choose another with --port' : err.message}\n`);
    return EXIT_ERROR;
  }
  const access = config.users.length === 0 ? 'no users configured: no authentication, loopback only' : `${config.users.length} user(s), tokens required`;
  process.stdout.write(`Quiver serving ${cmd.db} on ${address} (POST /query, GET /health; ${access}); Ctrl+C stops it\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  process.stdout.write('stopping: finishing the requests in flight ...\n');
  await app.close();
  await db.close();
  return EXIT_OK;
}

function usageError(e: UsageError): number {
  process.stderr.write(`Error: ${e.message}\n${e.hint()}\n`);
  return EXIT_USAGE;
}

function printError(e: unknown): number {
  process.stderr.write(`Error: ${toQuiverError(e).describe()}\n`);
  return EXIT_ERROR;
}

// ---------------------------------------------------------------------------------------------
// quiver sql

async function runSql(cmd: SqlCommand): Promise<number> {
  if (cmd.url !== null) {
    process.stderr.write(
      `Error: server mode (--url) is not available in this version (${packageVersion()}) yet: there is no Quiver HTTP server to connect to.\n` +
        'Run the SQL in this process instead: quiver sql --db DIR (or --db :memory:).\n',
    );
    return EXIT_USAGE;
  }
  let sql = cmd.sql;
  const interactive = sql === null && process.stdin.isTTY === true;
  if (sql === null && !interactive) sql = await readStdin();
  if (sql !== null && sql.trim() === '') {
    return usageError(new UsageError('no SQL given: pass the statements as an argument, pipe them on stdin, or run in a terminal for the interactive shell', 'sql'));
  }
  const { Database } = await import('../sql/database.js');
  let db;
  try {
    db = await Database.open(cmd.db!, { readOnly: cmd.readOnly });
  } catch (e) {
    return printError(e);
  }
  try {
    if (sql === null) {
      const { runShell, defaultHistoryPath } = await import('./shell.js');
      await runShell({
        db,
        format: cmd.format,
        input: process.stdin,
        output: process.stdout,
        errorOutput: process.stderr,
        // Line editing writes escape sequences: only when the output is a terminal too.
        terminal: process.stdout.isTTY === true,
        historyPath: defaultHistoryPath(),
        banner: `quiver ${packageVersion()} on ${cmd.db}${cmd.readOnly ? ' (read-only)' : ''}. Statements end with ';'; type .help for help.\n`,
      });
      return EXIT_OK;
    }
    const { writeResult, streamSink } = await import('../sql/result-format.js');
    let result;
    try {
      result = await db.query(sql);
    } catch (e) {
      return printError(e);
    }
    await writeResult(result, cmd.format, streamSink(process.stdout));
    return EXIT_OK;
  } finally {
    await db.close();
  }
}

async function readStdin(): Promise<string> {
  process.stdin.setEncoding('utf8');
  let text = '';
  for await (const chunk of process.stdin) text += chunk as string;
  return text;
}

// ---------------------------------------------------------------------------------------------
// quiver gen ssb

async function runGenSsb(cmd: GenSsbCommand): Promise<number> {
  const { generateSsb, ssbCardinalities } = await import('./gen-ssb.js');
  const out = process.stdout;
  const tty = out.isTTY === true;
  const start = performance.now();
  let files;
  try {
    ssbCardinalities(cmd.sf); // checks the scale factor before anything is written
    let lastDraw = 0;
    files = await generateSsb({
      sf: cmd.sf,
      outDir: cmd.out,
      onProgress: tty
        ? (table, rows, total) => {
            const now = performance.now();
            if (rows < total && now - lastDraw < PROGRESS_INTERVAL_MS) return;
            lastDraw = now;
            const percent = total > 0 ? Math.floor((rows * 100) / total) : 100;
            out.write(`\r\x1b[2K${table.padEnd(10)} ${groupDigits(rows).padStart(13)} / ${groupDigits(total)} rows  ${percent}%`);
          }
        : undefined,
    });
  } catch (e) {
    if (tty) out.write('\r\x1b[2K');
    return printError(e);
  }
  const seconds = (performance.now() - start) / 1000;
  if (tty) out.write('\r\x1b[2K');
  const width = Math.max(...files.map((f) => f.table.length), 'total'.length);
  const rowsWidth = Math.max(...files.map((f) => groupDigits(f.rows).length));
  let rows = 0;
  let bytes = 0;
  const lines = [`SSB at SF ${cmd.sf} in ${resolve(cmd.out)}:`];
  for (const f of files) {
    rows += f.rows;
    bytes += f.bytes;
    lines.push(`  ${f.table.padEnd(width)}  ${groupDigits(f.rows).padStart(rowsWidth)} rows  ${formatBytes(f.bytes).padStart(10)}  ${basename(f.file)}`);
  }
  lines.push(`${groupDigits(rows)} rows, ${formatBytes(bytes)} in ${seconds.toFixed(1)} s`);
  out.write(lines.join('\n') + '\n');
  return EXIT_OK;
}

// ---------------------------------------------------------------------------------------------
// quiver bench ssb

async function runBenchSsb(cmd: BenchSsbCommand): Promise<number> {
  // The `roaring` package finds its native binding through node-pre-gyp, which parses
  // process.argv when it loads and takes `--dir` for its own `--directory`. Our flags are read:
  // keep them from it.
  process.argv.splice(2);
  const { runBenchCommand } = await import('./bench-ssb.js');
  try {
    return await runBenchCommand(cmd, (text) => process.stdout.write(text));
  } catch (e) {
    return printError(e);
  }
}

function groupDigits(n: number): string {
  return n.toLocaleString('en-US');
}

function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${v.toFixed(1)} ${units[u]}`;
}

// ---------------------------------------------------------------------------------------------
// Process plumbing

/** The version in the package.json above this file (dist/cli/main.js or cli/main.ts). */
function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'quiver' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // No package.json here (or not ours): keep walking up.
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}

/** Waits until everything written to the stream has been handed to the OS. */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((done) => {
    if (stream.destroyed || stream.writableEnded) done();
    else stream.write('', () => done());
  });
}

function fatal(e: unknown): void {
  process.stderr.write(`Error: ${toQuiverError(e).describe()}\n`);
  process.exit(EXIT_ERROR);
}

process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);
// A closed pipe (`quiver sql ... | head`) is not an error: stop quietly.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(EXIT_OK);
  fatal(e);
});

main(process.argv.slice(2))
  .catch((e: unknown) => printError(e))
  .then(async (code) => {
    // process.exit() would cut off output still queued for a pipe (asynchronous on some systems).
    await Promise.all([drained(process.stdout), drained(process.stderr)]);
    process.exit(code);
  })
  .catch(fatal);
