// The writer process of the SIGKILL crash test (sigkill-crash.test.ts), which kills it at a random
// moment. It opens the database, prints "ready", then runs operations without end, each adding or
// removing one whole batch (crash-rows.mjs) and framed by two lines on stdout:
//
//   begin <batch> add <table> <rows> <operation>     before the operation starts
//   begin <batch> remove <table> 0 <operation>
//   begin-replace <old batch> <new batch> <table> <rows> <operation>   one table's batch for another
//   ack <batch>                                      once the operation is acknowledged (the
//                                                    new batch's id for a replacement)
//   begin-table <table> remove <operation>           removing every batch of a table at once
//   ack-table <table>
//   begin-maintenance <operation>                    work that changes no batch (compaction)
//   ack-maintenance <operation>
//
// stdout is a pipe, which Node writes synchronously on Linux: a line printed is the parent's,
// even if the process dies right after. Runs the compiled library (dist/), as Node cannot load
// the TypeScript sources; `npm run build` writes it.
//
// Usage: node crash-child.mjs '<json config>', the config being
//   { dir, scratch, firstBatch, seed, memtableRows, blockRows, compaction, concurrency, maxMs,
//     firstOps: [<operation name>...], ops: { <operation name>: <weight> },
//     droppable: [[batch id, its CREATE TABLE AS table]...], deletable: [batch ids in the main table] }
// After "ready" the `firstOps` run one after the other; then `concurrency` operations drawn by
// weight run at once, forever (statements on the Database facade queue up, store inserts
// group-commit). Operations are the entries of OPS below; a new one (UPDATE, ALTER TABLE, ...)
// is one more entry there, and the parent's checks need no change if it adds or removes batches.

import { existsSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { COLUMN_NAMES, columnArrays, CREATE_MAIN_KEY, CREATE_MAIN_TABLE, csvRows, CTAS_PREFIX, MAIN_TABLE, rewriteBatchSql, selectRowsSql, valuesSql } from './crash-rows.mjs';

const DIST = new URL('../../../dist/', import.meta.url);
/** Exit codes the parent tells apart from its own SIGKILL. */
const EXIT_FAILED = 1;
const EXIT_BAD_USAGE = 2;
const EXIT_NEVER_KILLED = 3;

/**
 * The operations. `api` is what they run on: 'sql' (the Database facade) or 'store' (the
 * DiskStore itself, because the facade runs one statement at a time and so never lets inserts
 * share a log fsync). An 'add' operation writes batch `id` of `n` rows (n drawn from `rows`)
 * into `table(ctx, id)`; a 'remove' one takes a batch that `removable` offers and removes it
 * whole; a 'replace' one swaps such a batch for a new one (of `rowsOf(ctx, old)` rows if given);
 * a 'remove-table' one removes every
 * batch of `table(ctx)`; a 'maintenance' one changes no batch (compaction, checkpoints).
 * `acked`, if any, runs after the ack.
 */
const OPS = {
  /** A small INSERT ... VALUES: a log record; a full memtable checkpoints. */
  insert: { api: 'sql', kind: 'add', rows: [1, 16], table: () => MAIN_TABLE, run: (ctx, id, n) => ctx.db.exec(`INSERT INTO ${MAIN_TABLE} ${valuesSql(id, n)}`) },
  /** INSERT ... SELECT of a few hundred rows computed by the engine: one larger log record. */
  'insert-select': { api: 'sql', kind: 'add', rows: [20, 500], table: () => MAIN_TABLE, run: (ctx, id, n) => ctx.db.exec(`INSERT INTO ${MAIN_TABLE} ${selectRowsSql(id, n)}`) },
  /** COPY of a generated CSV file: a bulk load, one new part and one manifest swap. */
  copy: {
    api: 'sql',
    kind: 'add',
    rows: [50, 1000],
    table: () => MAIN_TABLE,
    run: async (ctx, id, n) => {
      const path = join(ctx.config.scratch, `batch-${id}.csv`);
      writeFileSync(path, csvRows(id, n));
      await ctx.db.exec(`COPY ${MAIN_TABLE} (${COLUMN_NAMES.join(', ')}) FROM '${path}' (FORMAT csv)`);
      unlinkSync(path);
    },
  },
  /** CREATE TABLE AS: a new table with its rows, one table per batch. */
  ctas: {
    api: 'sql',
    kind: 'add',
    rows: [50, 1000],
    table: (ctx, id) => CTAS_PREFIX + id,
    run: (ctx, id, n) => ctx.db.exec(`CREATE TABLE ${CTAS_PREFIX + id} AS ${selectRowsSql(id, n)}`),
    acked: (ctx, id) => {
      ctx.droppable.push(id);
      ctx.ctasTables.set(id, CTAS_PREFIX + id);
    },
  },
  /** CREATE OR REPLACE TABLE AS over a CREATE TABLE AS table: its batch for a new one, in one
   *  commit (the old table's drop with the new table and its rows). */
  'replace-ctas': {
    api: 'sql',
    kind: 'replace',
    rows: [50, 1000],
    table: (ctx, id) => ctx.ctasTables.get(id),
    removable: (ctx) => ctx.droppable,
    run: (ctx, id, n, table) => ctx.db.exec(`CREATE OR REPLACE TABLE ${table} AS ${selectRowsSql(id, n)}`),
    acked: (ctx, id, table) => {
      ctx.droppable.push(id);
      ctx.ctasTables.set(id, table);
    },
  },
  /** DROP TABLE of a CREATE TABLE AS table: removes its batch. */
  drop: {
    api: 'sql',
    kind: 'remove',
    table: (ctx, id) => ctx.ctasTables.get(id),
    removable: (ctx) => ctx.droppable,
    run: (ctx, id) => ctx.db.exec(`DROP TABLE ${ctx.ctasTables.get(id)}`),
  },
  /** DELETE of every row of one batch of the main table: one log record, deletion masks, and
   *  deletion files at the next checkpoint. */
  delete: {
    api: 'sql',
    kind: 'remove',
    table: () => MAIN_TABLE,
    removable: (ctx) => ctx.deletable,
    run: (ctx, id) => ctx.db.exec(`DELETE FROM ${MAIN_TABLE} WHERE batch = ${id}`),
  },
  /** UPDATE of every row of one batch of the main table into a new batch of the same size: its
   *  deletes and new rows in one log record. */
  update: {
    api: 'sql',
    kind: 'replace',
    table: () => MAIN_TABLE,
    removable: (ctx) => ctx.deletable,
    rowsOf: (ctx, old) => batchRows(ctx, old),
    run: (ctx, id, n, table, old) => ctx.db.exec(rewriteBatchSql(MAIN_TABLE, old, id)),
    acked: (ctx, id) => ctx.deletable.push(id),
  },
  /** An upsert of a new batch together with the rows of an acknowledged one (which DO UPDATE
   *  rewrites as they are): the new rows and the rewritten ones in one log record. */
  upsert: {
    api: 'sql',
    kind: 'add',
    rows: [1, 300],
    table: () => MAIN_TABLE,
    run: (ctx, id, n) => {
      const other = ctx.deletable.length === 0 ? -1 : ctx.deletable[ctx.rng.int(0, ctx.deletable.length - 1)];
      return ctx.db.exec(
        `INSERT INTO ${MAIN_TABLE} ${selectRowsSql(id, n)} UNION ALL SELECT batch, seq, n, chk, big, x, payload FROM ${MAIN_TABLE} WHERE batch = ${other} ` +
          'ON CONFLICT (batch, seq) DO UPDATE SET payload = excluded.payload, x = excluded.x',
      );
    },
  },
  /** A batch inserted by two statements of one transaction: whole or absent, never half. */
  'tx-insert': {
    api: 'sql',
    kind: 'add',
    rows: [2, 400],
    table: () => MAIN_TABLE,
    run: (ctx, id, n) => {
      const half = n >> 1;
      return ctx.db.exec(`BEGIN; INSERT INTO ${MAIN_TABLE} ${valuesSql(id, n, 0, half)}; INSERT INTO ${MAIN_TABLE} ${selectRowsSql(id, n, half, n)}; COMMIT`);
    },
  },
  /** One transaction deletes a batch and inserts another in two statements, updating the new
   *  rows between them: exactly one of the two batches is there after any crash. */
  'tx-replace': {
    api: 'sql',
    kind: 'replace',
    rows: [2, 400],
    table: () => MAIN_TABLE,
    removable: (ctx) => ctx.deletable,
    run: (ctx, id, n, table, old) => {
      const half = n >> 1;
      return ctx.db.exec(
        `BEGIN; DELETE FROM ${MAIN_TABLE} WHERE batch = ${old}; INSERT INTO ${MAIN_TABLE} ${selectRowsSql(id, n, 0, half)}; ` +
          `UPDATE ${MAIN_TABLE} SET x = x WHERE batch = ${id}; INSERT INTO ${MAIN_TABLE} ${valuesSql(id, n, half, n)}; COMMIT`,
      );
    },
    acked: (ctx, id) => ctx.deletable.push(id),
  },
  /** DDL in one transaction: a CREATE TABLE AS table is renamed away, created again with a new
   *  batch, altered and written, and the old one dropped. A crash leaves the old table or the
   *  new one, never the renamed one (which the checks would report as unknown). */
  'tx-ddl': {
    api: 'sql',
    kind: 'replace',
    rows: [20, 500],
    table: (ctx, id) => ctx.ctasTables.get(id),
    removable: (ctx) => ctx.droppable,
    run: (ctx, id, n, table) =>
      ctx.db.exec(
        `BEGIN; ALTER TABLE ${table} RENAME TO ${table}_swap; CREATE TABLE ${table} AS ${selectRowsSql(id, n)}; ` +
          `ALTER TABLE ${table} ADD COLUMN note VARCHAR; UPDATE ${table} SET note = 'even' WHERE seq % 2 = 0; DROP TABLE ${table}_swap; COMMIT`,
      ),
    acked: (ctx, id, table) => {
      ctx.droppable.push(id);
      ctx.ctasTables.set(id, table);
    },
  },
  /** ALTER TABLE outside transactions: a column added, filled by an UPDATE that rewrites every
   *  row, and dropped, one statement at a time (the batches' columns never change). A kill
   *  between them leaves the extra column, which the checks ignore. */
  alter: {
    api: 'sql',
    kind: 'maintenance',
    run: async (ctx) => {
      const column = `extra_${ctx.rng.int(0, 1e9)}`;
      await ctx.db.exec(`ALTER TABLE ${MAIN_TABLE} ADD COLUMN ${column} INTEGER`);
      await ctx.db.exec(`UPDATE ${MAIN_TABLE} SET ${column} = seq WHERE batch % 2 = 0`);
      await ctx.db.exec(`ALTER TABLE ${MAIN_TABLE} RENAME COLUMN ${column} TO ${column}_old`);
      await ctx.db.exec(`ALTER TABLE ${MAIN_TABLE} DROP COLUMN ${column}_old`);
    },
  },
  /** Merges every table's parts now (OPTIMIZE), dropping deleted rows. */
  compact: { api: 'sql', kind: 'maintenance', run: (ctx) => ctx.db.compact() },
  /** Writes the memtables into parts and pending deletions into deletion files now. */
  checkpoint: { api: 'sql', kind: 'maintenance', run: (ctx) => ctx.db.checkpoint() },
  /** DROP TABLE of the main table, then CREATE TABLE again: removes every batch in it at once
   *  (and keeps the test's database small). Its log records must never come back into the new
   *  table of the same name. Only as a first operation, when nothing else runs. */
  'drop-main': {
    api: 'sql',
    kind: 'remove-table',
    table: () => MAIN_TABLE,
    run: (ctx) => ctx.db.exec(`DROP TABLE ${MAIN_TABLE}`),
    acked: (ctx) => {
      ctx.deletable.length = 0;
      return ctx.db.exec(`${CREATE_MAIN_TABLE}; ${CREATE_MAIN_KEY}`);
    },
  },
  /** A small insert straight into the store, many at once: group commit, and checkpoints that
   *  cut the log while inserts wait for their fsync. */
  'store-insert': {
    api: 'store',
    kind: 'add',
    rows: [1, 16],
    table: () => MAIN_TABLE,
    run: (ctx, id, n) => ctx.store.insert(MAIN_TABLE, storeBatch(ctx, id, n)),
  },
};

/** mulberry32, as test/differential/rng.ts (which this plain-JS process cannot import). */
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)) };
}

function fail(code, message) {
  process.stderr.write(`crash-child: ${message}\n`);
  process.exit(code);
}

function line(text) {
  process.stdout.write(`${text}\n`);
}

function parseConfig(arg) {
  let config;
  try {
    config = JSON.parse(arg ?? '');
  } catch {
    fail(EXIT_BAD_USAGE, 'usage: node crash-child.mjs \'{"dir": ..., "ops": {...}, ...}\' (see the comment at the top)');
  }
  for (const key of ['dir', 'scratch', 'firstBatch', 'seed', 'memtableRows', 'blockRows', 'concurrency', 'compaction', 'maxMs', 'ops', 'firstOps', 'droppable', 'deletable']) {
    if (config[key] === undefined) fail(EXIT_BAD_USAGE, `the config has no "${key}"`);
  }
  const names = Object.keys(config.ops);
  if (names.length === 0) fail(EXIT_BAD_USAGE, 'the config names no operation');
  for (const name of [...names, ...config.firstOps]) {
    if (OPS[name] === undefined) fail(EXIT_BAD_USAGE, `unknown operation "${name}"; known: ${Object.keys(OPS).join(', ')}`);
  }
  for (const name of names) {
    if (OPS[name].kind === 'remove-table') fail(EXIT_BAD_USAGE, `operation "${name}" removes a table that others write: give it in "firstOps"`);
  }
  const apis = new Set([...names, ...config.firstOps].map((n) => OPS[n].api));
  if (apis.size > 1) fail(EXIT_BAD_USAGE, `operations ${names.join(', ')} mix the sql and store interfaces; one process opens the directory once`);
  return { config, api: [...apis][0] };
}

/** The rows of a batch as a storage Batch with the table's column order and types. */
function storeBatch(ctx, id, n) {
  const { columns, payloadValid } = columnArrays(id, n);
  // A column an interrupted ALTER left behind (see `alter`) gets NULLs.
  const vectors = ctx.store.schemaOf(MAIN_TABLE).columns.map((c) =>
    columns[c.name] === undefined
      ? { kind: 'constant', type: c.type, length: n, value: null }
      : { kind: 'flat', type: c.type, length: n, data: columns[c.name], validity: c.name === 'payload' ? payloadValid : null },
  );
  return ctx.makeBatch(vectors, n);
}

/** The row count of an acknowledged batch of the main table. */
async function batchRows(ctx, id) {
  const rows = (await ctx.db.query(`SELECT count(*) FROM ${MAIN_TABLE} WHERE batch = ${id}`)).rows();
  return Number(rows[0][0]);
}

/** Picks an operation by weight among those that can run now (a removal needs a batch). */
function pickOp(ctx) {
  const ready = Object.entries(ctx.config.ops).filter(([name]) => OPS[name].removable === undefined || OPS[name].removable(ctx).length > 0);
  if (ready.length === 0) fail(EXIT_BAD_USAGE, 'no operation can run: only removals were asked for and there is nothing to remove');
  let r = ctx.rng.next() * ready.reduce((sum, [, w]) => sum + w, 0);
  for (const [name, w] of ready) {
    r -= w;
    if (r < 0) return name;
  }
  return ready[ready.length - 1][0];
}

/** Runs operation `name` once, framed by its lines on stdout. */
async function runOp(ctx, name) {
  const op = OPS[name];
  if (op.kind === 'add') {
    const id = ctx.nextBatch++;
    const n = ctx.rng.int(op.rows[0], op.rows[1]);
    const table = op.table(ctx, id);
    line(`begin ${id} add ${table} ${n} ${name}`);
    await op.run(ctx, id, n);
    line(`ack ${id}`);
    // Only once "ack" is printed may a removal of the batch begin.
    if (table === MAIN_TABLE) ctx.deletable.push(id);
    await op.acked?.(ctx, id);
  } else if (op.kind === 'remove' || op.kind === 'replace') {
    const candidates = op.removable(ctx);
    const old = candidates.splice(ctx.rng.int(0, candidates.length - 1), 1)[0];
    const table = op.table(ctx, old);
    if (op.kind === 'remove') {
      line(`begin ${old} remove ${table} 0 ${name}`);
      await op.run(ctx, old);
      line(`ack ${old}`);
      return;
    }
    const id = ctx.nextBatch++;
    const n = op.rowsOf === undefined ? ctx.rng.int(op.rows[0], op.rows[1]) : await op.rowsOf(ctx, old);
    line(`begin-replace ${old} ${id} ${table} ${n} ${name}`);
    await op.run(ctx, id, n, table, old);
    line(`ack ${id}`);
    await op.acked?.(ctx, id, table);
  } else if (op.kind === 'remove-table') {
    const table = op.table(ctx);
    line(`begin-table ${table} remove ${name}`);
    await op.run(ctx);
    line(`ack-table ${table}`);
    await op.acked?.(ctx);
  } else {
    line(`begin-maintenance ${name}`);
    await op.run(ctx);
    line(`ack-maintenance ${name}`);
  }
}

async function worker(ctx) {
  for (;;) await runOp(ctx, pickOp(ctx));
}

async function open(config, api) {
  if (!existsSync(new URL('index.js', DIST))) fail(EXIT_BAD_USAGE, `${fileURLToPath(DIST)} holds no build; run \`npm run build\``);
  const { Database } = await import(new URL('index.js', DIST).href);
  const options = { memtableRows: config.memtableRows, blockRows: config.blockRows, compaction: config.compaction };
  const db = await Database.open(config.dir, options);
  await db.exec(`${CREATE_MAIN_TABLE}; ${CREATE_MAIN_KEY}`);
  if (api === 'sql') return { db };
  await db.close();
  const { DiskStore } = await import(new URL('storage/disk/disk-store.js', DIST).href);
  const { nodeFileSystem } = await import(new URL('storage/fs/node-file-system.js', DIST).href);
  const { makeBatch } = await import(new URL('common/batch.js', DIST).href);
  const store = await DiskStore.open(nodeFileSystem, config.dir, options);
  return { store, makeBatch };
}

async function main() {
  const { config, api } = parseConfig(process.argv[2]);
  setTimeout(() => fail(EXIT_NEVER_KILLED, `not killed within ${config.maxMs} ms`), config.maxMs).unref();
  mkdirSync(config.scratch, { recursive: true });
  const ctx = {
    config,
    ...(await open(config, api)),
    rng: rng(config.seed),
    nextBatch: config.firstBatch,
    /** Batches of CREATE TABLE AS tables, each table's name by its batch, and the main table's. */
    droppable: config.droppable.map(([id]) => id),
    ctasTables: new Map(config.droppable),
    deletable: [...config.deletable],
  };
  line('ready');
  for (const name of config.firstOps) await runOp(ctx, name);
  await Promise.all(Array.from({ length: config.concurrency }, () => worker(ctx)));
}

main().catch((e) => fail(EXIT_FAILED, e instanceof Error ? (e.stack ?? e.message) : String(e)));
