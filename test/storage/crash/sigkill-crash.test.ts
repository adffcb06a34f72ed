// The SIGKILL crash test (DESIGN.md, "How it is tested"). A child process (crash-child.mjs)
// writes batches into an on-disk database and prints each batch it begins and each one that is
// acknowledged; the test kills it with SIGKILL at a random moment, reopens the database in this
// process, and checks (crash-ledger.ts) that every acknowledged batch is there exactly once and
// whole, that a batch in flight is whole or absent, never partial, and that nothing comes back.
// Every cycle reuses the same directory, so each open also recovers from the previous recovery.
//
// Each cycle draws a workload: small inserts with a tiny memtable (checkpoints all the time),
// concurrent inserts straight into the store (group commit, checkpoints cutting the log while
// inserts wait for their fsync), bulk loads (INSERT ... SELECT, COPY, CREATE [OR REPLACE] TABLE
// AS, DROP TABLE), DELETEs with checkpoints and compaction, UPDATEs, upserts, ALTER TABLE and
// transactions (several inserts, a delete and inserts, DDL: each whole or absent), or a mix; and a compaction mode (mostly
// 'eager', which merges after every flush). Killed after "ready" mostly, sometimes while the
// child is still opening. A big main table is dropped and created again at a cycle's start.
//
// QUIVER_CRASH_CYCLES (default 20; `npm run test:crash` runs 200) and QUIVER_CRASH_SEED (random
// by default; a failure prints it) steer it. A seed replays the same workloads, sizes and kill
// delays, not the same instants: where a kill lands also depends on the machine's scheduling.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Database } from '../../../index.js';
import { Rng } from '../../differential/rng.js';
import { checkBuilt, type ChildConfig, type CycleOutcome, type KillPlan, runCycle } from './crash-cycle.js';
import { BatchScan, CrashLedger } from './crash-ledger.js';
import { COLUMN_NAMES, MAIN_TABLE, MAX_BATCH_ID } from './crash-rows.mjs';

const CYCLES = Number(process.env.QUIVER_CRASH_CYCLES ?? 20);
const SEED = process.env.QUIVER_CRASH_SEED !== undefined ? Number(process.env.QUIVER_CRASH_SEED) : Math.floor(Math.random() * 2 ** 31);
/** A cycle takes 1-3 s on a loaded 2-core machine; this leaves ample room. */
const MS_PER_CYCLE_BUDGET = 6_000;

interface Workload {
  name: string;
  /** What the child opens: the Database facade, or the DiskStore itself (see crash-child.mjs). */
  api: 'sql' | 'store';
  /** Operation name (crash-child.mjs, OPS) -> weight. */
  ops: Record<string, number>;
  memtableRows: readonly [number, number];
  concurrency: readonly [number, number];
}

const WORKLOADS: readonly Workload[] = [
  { name: 'small inserts', api: 'sql', ops: { insert: 1 }, memtableRows: [8, 64], concurrency: [1, 1] },
  { name: 'concurrent store inserts', api: 'store', ops: { 'store-insert': 1 }, memtableRows: [16, 128], concurrency: [4, 32] },
  { name: 'bulk loads', api: 'sql', ops: { 'insert-select': 2, copy: 2, ctas: 2, 'replace-ctas': 1, drop: 1 }, memtableRows: [200, 2000], concurrency: [1, 3] },
  { name: 'deletes and compaction', api: 'sql', ops: { insert: 4, 'insert-select': 1, delete: 3, checkpoint: 1, compact: 1 }, memtableRows: [16, 256], concurrency: [1, 3] },
  { name: 'updates, upserts and transactions', api: 'sql', ops: { insert: 2, update: 2, upsert: 2, 'tx-insert': 2, 'tx-replace': 2, ctas: 1, 'tx-ddl': 1, delete: 1, alter: 1, checkpoint: 0.5, compact: 0.5 }, memtableRows: [16, 256], concurrency: [1, 3] },
  { name: 'mixed', api: 'sql', ops: { insert: 4, 'insert-select': 1, copy: 1, ctas: 1, 'replace-ctas': 0.5, drop: 1, delete: 1, compact: 0.5 }, memtableRows: [16, 256], concurrency: [1, 4] },
];
const BLOCK_ROWS = [4, 16, 100, 1024] as const;
/** 'eager' merges after every flush and load, so kills often land inside a merge. */
const COMPACTION = [['eager', 2], ['auto', 1], ['off', 1]] as const;
/** Beyond this many rows in the main table, or this many CREATE TABLE AS tables, an sql child
 *  first drops the main table (and recreates it) or some of those tables: the database stays
 *  small enough to check in well under a second, and drops are crash-tested too. */
const MAIN_TABLE_MAX_ROWS = 10_000;
const CTAS_TABLES_MAX = 8;
/** Kill delays: after "ready" (the child works), or after the start (maybe while it opens). */
const AFTER_READY_MS = 600;
const AFTER_SPAWN_MS = 1_500;
const KILL_AFTER_SPAWN_CHANCE = 0.15;
/** The child gives up after this long unkilled, so a test that died leaves no writer behind. */
const CHILD_MAX_MS = 90_000;

/** Reopens the database in this process and checks it against the ledger. */
async function recoverAndCheck(dir: string, ledger: CrashLedger): Promise<string[]> {
  const db = await Database.open(dir);
  try {
    const scan = new BatchScan();
    const tables = (await db.query('SHOW TABLES')).rows().map((r) => String(r[0]));
    for (const table of tables) scan.addTable(table, (await db.query(`SELECT ${COLUMN_NAMES.join(', ')} FROM ${table}`)).rows());
    return ledger.verify(scan);
  } finally {
    await db.close();
  }
}

function failureReport(seed: number, cycle: number, workload: Workload, config: ChildConfig, kill: KillPlan, outcome: CycleOutcome | null, problems: string[], inFlight: string[]): string {
  const lines = outcome?.lines ?? [];
  return [
    `SIGKILL crash test failed at cycle ${cycle + 1} of ${CYCLES}, seed ${seed}.`,
    `Rerun (after npm run build; the same workloads and delays, not the same instants): QUIVER_CRASH_SEED=${seed} QUIVER_CRASH_CYCLES=${cycle + 1} npx vitest run test/storage/crash/sigkill-crash.test.ts`,
    `Workload: ${workload.name}; child config: ${JSON.stringify(config, (_, v: unknown) => (Array.isArray(v) && v.length > 8 ? `[${v.length} batch ids]` : v))}`,
    `${outcome?.unexpectedExit == null ? 'Killed' : 'Was to be killed'} ${kill.delayMs} ms after ${kill.after === 'ready' ? '"ready"' : 'the start'}` +
      `${outcome !== null && !outcome.ready ? ' (it had not opened the database yet)' : ''}.`,
    `In flight when killed: ${inFlight.length === 0 ? 'nothing' : inFlight.join('; ')}`,
    `The child's last lines:\n  ${lines.slice(-12).join('\n  ')}`,
    `Problems:\n  ${problems.join('\n  ')}`,
    `The database is kept in ${config.dir}.`,
  ].join('\n');
}

describe('SIGKILL crash test', () => {
  it(
    `keeps every acknowledged batch exactly once over ${CYCLES} kills`,
    async () => {
      checkBuilt();
      if (!Number.isSafeInteger(CYCLES) || CYCLES < 1) throw new Error(`QUIVER_CRASH_CYCLES must be a positive integer, not "${process.env.QUIVER_CRASH_CYCLES}"`);
      if (!Number.isSafeInteger(SEED)) throw new Error(`QUIVER_CRASH_SEED must be an integer, not "${process.env.QUIVER_CRASH_SEED}"`);
      console.log(`SIGKILL crash test: seed ${SEED}, ${CYCLES} cycles`);
      const rng = new Rng(SEED);
      const root = await mkdtemp(join(tmpdir(), 'quiver-crash-'));
      const dir = join(root, 'db');
      const ledger = new CrashLedger();
      const started = performance.now();
      const byWorkload = new Map<string, number>();
      let failed = false;
      try {
        for (let cycle = 0; cycle < CYCLES; cycle++) {
          const workload = rng.pick(WORKLOADS);
          const config: ChildConfig = {
            dir,
            scratch: join(root, `scratch-${cycle}`),
            firstBatch: ledger.nextBatch,
            seed: rng.int(0, 2 ** 31 - 1),
            memtableRows: rng.int(...workload.memtableRows),
            blockRows: rng.pick(BLOCK_ROWS),
            compaction: rng.weighted(COMPACTION),
            concurrency: rng.int(...workload.concurrency),
            maxMs: CHILD_MAX_MS,
            firstOps: [],
            ops: workload.ops,
            droppable: ledger.presentOutside(MAIN_TABLE),
            deletable: ledger.presentIn(MAIN_TABLE),
          };
          if (workload.api === 'sql') {
            if (ledger.rowsIn(MAIN_TABLE) > MAIN_TABLE_MAX_ROWS) config.firstOps.push('drop-main');
            for (let i = CTAS_TABLES_MAX; i < config.droppable.length; i += 2) config.firstOps.push('drop');
          }
          const kill: KillPlan = rng.chance(KILL_AFTER_SPAWN_CHANCE) ? { after: 'spawn', delayMs: rng.int(0, AFTER_SPAWN_MS) } : { after: 'ready', delayMs: rng.int(0, AFTER_READY_MS) };
          if (config.firstBatch > MAX_BATCH_ID / 2) throw new Error(`batch ids reached ${config.firstBatch}; run fewer cycles`);
          let outcome: CycleOutcome | null = null;
          let problems: string[] = [];
          let inFlight: string[] = [];
          try {
            outcome = await runCycle(config, kill, ledger);
            inFlight = ledger.inFlight();
            if (outcome.unexpectedExit !== null) problems.push(outcome.unexpectedExit);
            problems.push(...outcome.protocolErrors);
            if (problems.length === 0) problems = await recoverAndCheck(dir, ledger);
          } catch (e) {
            problems.push(`recovery failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
          }
          await rm(config.scratch, { recursive: true, force: true });
          if (problems.length > 0) {
            failed = true;
            expect.fail(failureReport(SEED, cycle, workload, config, kill, outcome, problems, inFlight));
          }
          byWorkload.set(workload.name, (byWorkload.get(workload.name) ?? 0) + 1);
        }
      } finally {
        if (!failed) await rm(root, { recursive: true, force: true });
      }
      const c = ledger.counts();
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        `SIGKILL crash test: ${CYCLES} kills in ${seconds} s (seed ${SEED}; ${[...byWorkload].map(([w, n]) => `${w} ${n}`).join(', ')}); ` +
          `batches present ${c.present}, absent ${c.absent}`,
      );
      expect(c.adding + c.removing).toBe(0);
    },
    CYCLES * MS_PER_CYCLE_BUDGET + 30_000,
  );
});
