// The write differential test: seeded random sequences of write statements (upserts, INSERT,
// UPDATE, DELETE, TRUNCATE, ALTER TABLE, transactions; see write-generator.ts) run on DuckDB and
// on Quiver, in memory and on disk (tiny memtable and blocks, eager compaction, so parts, deletion
// masks and the log are all exercised). After every statement both tables are read back whole and
// compared, and so is the row count a write reports; a statement that must fail must fail in both
// and change nothing. Reads inside a transaction are compared too. On disk, the database is
// reopened at the end and compared again.
//
// WRITES_SEED runs one seed instead of the defaults, WRITES_COUNT sets the statements per seed.
// A failure prints the seed, the statement, the ones before it and where the whole script was
// written.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareResults, formatRow } from '../../cli/compare-results.js';
import { DuckDbEngine } from './duckdb-engine.js';
import type { ResultSet } from './engine.js';
import type { OrderKey } from './query-generator.js';
import { QuiverEngine } from './quiver-engine.js';
import { type TableHint, WRITE_FEATURES, WriteGenerator, type WriteStep } from './write-generator.js';

const DEFAULT_SEEDS = [20240917, 7, 4242];
const DEFAULT_COUNT = 300;
/** Statements before the failing one printed in a report. */
const CONTEXT_STATEMENTS = 25;
const TEST_TIMEOUT_MS = 120_000;

function intFromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got '${raw}'`);
  return n;
}

const envSeed = intFromEnv('WRITES_SEED');
const SEEDS = envSeed === undefined ? DEFAULT_SEEDS : [envSeed];
const COUNT = intFromEnv('WRITES_COUNT') ?? DEFAULT_COUNT;

const dir = mkdtempSync(join(tmpdir(), 'quiver-diff-writes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

type Outcome = { result: ResultSet; error: null } | { result: null; error: string };

async function attempt(run: () => Promise<ResultSet>): Promise<Outcome> {
  try {
    return { result: await run(), error: null };
  } catch (e) {
    return { result: null, error: message(e) };
  }
}

function describeOutcome(o: Outcome): string {
  if (o.error !== null) return `error: ${o.error}`;
  const r = o.result;
  return `${r.rows.length} row(s): ${r.rows.slice(0, 10).map(formatRow).join(' ')}${r.rows.length > 10 ? ' ...' : ''}`;
}

/** The number a write reports: Quiver's one-row `count`, DuckDB's `Count`. */
function reportedCount(r: ResultSet): string | null {
  if (r.rows.length !== 1 || r.columns.length !== 1 || !/^count$/i.test(r.columns[0]!.name)) return null;
  const v = r.rows[0]![0];
  return typeof v === 'number' || typeof v === 'bigint' ? BigInt(v).toString() : typeof v === 'string' ? v : null;
}

interface RunStats {
  statements: number;
  writes: number;
  failuresChecked: number;
  transactions: number;
  features: Map<string, number>;
}

class Run {
  private readonly log: string[] = [];
  readonly stats: RunStats = { statements: 0, writes: 0, failuresChecked: 0, transactions: 0, features: new Map() };

  constructor(
    private readonly label: string,
    private readonly seed: number,
    private readonly duck: DuckDbEngine,
    private quiver: QuiverEngine,
    private readonly gen: WriteGenerator,
  ) {}

  private fail(step: WriteStep | null, what: string): never {
    const file = join(tmpdir(), `quiver-random-writes-${this.label.replace(/\W+/g, '-')}-${this.seed}.sql`);
    writeFileSync(file, this.log.map((s) => `${s};`).join('\n') + '\n');
    const before = this.log.slice(Math.max(0, this.log.length - 1 - CONTEXT_STATEMENTS), Math.max(0, this.log.length - 1));
    throw new Error(
      [
        `random writes (${this.label}), WRITES_SEED=${this.seed} WRITES_COUNT=${COUNT}: ${step ? `statement #${step.index}` : 'check'} disagrees`,
        what,
        step ? `statement:\n  ${step.sql}` : '',
        `the ${before.length} statements before it:`,
        ...before.map((s) => `  ${s}`),
        `the whole script (both engines ran it; DuckDB with ${'`SET integer_division = true`'}): ${file}`,
      ].join('\n'),
    );
  }

  async setup(): Promise<void> {
    for (const sql of this.gen.setup()) {
      this.log.push(sql);
      await this.duck.exec(sql);
      await this.quiver.exec(sql);
    }
  }

  /** Both tables of both engines, compared; returns DuckDB's (the hints for the generator). */
  async compareTables(step: WriteStep | null): Promise<Map<string, ResultSet>> {
    const out = new Map<string, ResultSet>();
    for (const t of this.gen.schema()) {
      const cols = t.columns.map((c) => c.name);
      const sql = `SELECT * FROM ${t.name} ORDER BY ${cols.join(', ')}`;
      const orderBy: OrderKey[] = cols.map((_, i) => ({ column: i, desc: false, nullsFirst: false }));
      const d = await attempt(() => this.duck.query(sql));
      if (d.error !== null) this.fail(step, `DuckDB cannot read ${t.name} (the generator's schema is wrong?): ${d.error}`);
      const q = await attempt(() => this.quiver.query(sql));
      if (q.error !== null) this.fail(step, `Quiver cannot read ${t.name}: ${q.error}\nDuckDB: ${describeOutcome(d)}`);
      const diff = compareResults(d.result, q.result, orderBy);
      if (diff !== null) {
        this.fail(step, `table ${t.name} differs afterwards: ${diff}\n${sql}\nDuckDB: ${describeOutcome(d)}\nQuiver: ${describeOutcome(q)}`);
      }
      out.set(t.name, d.result);
    }
    return out;
  }

  private hints(tables: Map<string, ResultSet>): Map<string, TableHint> {
    const out = new Map<string, TableHint>();
    for (const t of this.gen.schema()) {
      const r = tables.get(t.name);
      if (r === undefined) continue;
      const keyIdx = t.columns.flatMap((c, i) => (c.key ? [i] : []));
      out.set(t.name, { keys: r.rows.map((row) => keyIdx.map((i) => row[i])) });
    }
    return out;
  }

  async run(count: number): Promise<void> {
    await this.setup();
    let tables = await this.compareTables(null);
    for (let n = 0; n < count || this.gen.aborted || this.inTx; n++) {
      const step = this.gen.next(this.hints(tables));
      this.log.push(step.sql);
      this.stats.statements++;
      for (const f of step.features) this.stats.features.set(f, (this.stats.features.get(f) ?? 0) + 1);
      const d = await attempt(() => this.duck.query(step.sql));
      const q = await attempt(() => this.quiver.query(step.sql));
      if (step.kind === 'begin') this.inTx = true;
      if (step.kind === 'commit' || step.kind === 'rollback') {
        this.inTx = false;
        this.stats.transactions++;
      }
      if (step.mustFail) {
        if (d.error === null) this.fail(step, `DuckDB accepted a statement that must fail (generator bug): ${describeOutcome(d)}`);
        if (q.error === null) this.fail(step, `Quiver accepted a statement DuckDB rejects (${d.error}): ${describeOutcome(q)}`);
        this.stats.failuresChecked++;
        if (!this.inTx) {
          // Nothing changed: DuckDB's tables are what they were, and Quiver's agree with them.
          const after = await this.compareTables(step);
          for (const [name, r] of after) {
            const diff = compareResults(tables.get(name)!, r, null);
            if (diff !== null) this.fail(step, `DuckDB changed ${name} in a failed statement: ${diff}`);
          }
        }
        continue;
      }
      if (step.endsAborted) {
        // COMMIT of an aborted transaction rolls back: DuckDB says nothing, Quiver says why.
        tables = await this.compareTables(step);
        continue;
      }
      if (d.error !== null) this.fail(step, `DuckDB rejected a generated statement (generator bug or DuckDB limitation): ${d.error}\nQuiver: ${describeOutcome(q)}`);
      if (q.error !== null) this.fail(step, `Quiver failed where DuckDB succeeded: ${q.error}\nDuckDB: ${describeOutcome(d)}`);
      if (step.kind === 'write') {
        this.stats.writes++;
        const dc = reportedCount(d.result);
        const qc = reportedCount(q.result);
        if (dc === null || dc !== qc) this.fail(step, `reported row count differs: DuckDB ${describeOutcome(d)}; Quiver ${describeOutcome(q)}`);
      } else if (step.kind === 'read') {
        const diff = compareResults(d.result, q.result, null);
        if (diff !== null) this.fail(step, `read differs: ${diff}\nDuckDB: ${describeOutcome(d)}\nQuiver: ${describeOutcome(q)}`);
      }
      if (!this.gen.aborted) tables = await this.compareTables(step);
    }
  }

  private inTx = false;

  /** Closes Quiver, opens it again from disk and compares. */
  async reopen(open: () => Promise<QuiverEngine>): Promise<void> {
    await this.quiver.close();
    this.quiver = await open();
    this.log.push('-- reopened');
    await this.compareTables(null);
  }

  async close(): Promise<void> {
    await this.quiver.close();
  }
}

interface Mode {
  label: string;
  open: (seed: number) => Promise<QuiverEngine>;
  reopen: boolean;
}

const MODES: Mode[] = [
  { label: 'in memory', open: () => QuiverEngine.open(':memory:'), reopen: false },
  {
    label: 'on disk',
    open: (seed) => QuiverEngine.open(join(dir, `db-${seed}`), {}, { memtableRows: 16, blockRows: 8, compaction: 'eager' }),
    reopen: true,
  },
];

const allFeatures = new Map<string, number>();

for (const mode of MODES) {
  describe(`differential: random writes, Quiver ${mode.label} vs DuckDB (${SEEDS.length} seed(s) x ${COUNT} statements)`, () => {
    for (const seed of SEEDS) {
      it(`WRITES_SEED=${seed}`, { timeout: TEST_TIMEOUT_MS }, async () => {
        const duck = await DuckDbEngine.open();
        const quiver = await mode.open(seed);
        const run = new Run(mode.label, seed, duck, quiver, new WriteGenerator(seed));
        const t0 = performance.now();
        try {
          await run.run(COUNT);
          if (mode.reopen) await run.reopen(() => mode.open(seed));
        } finally {
          await run.close();
          await duck.close();
        }
        const s = run.stats;
        for (const [f, n] of s.features) allFeatures.set(f, (allFeatures.get(f) ?? 0) + n);
        console.log(
          `random writes (${mode.label}) WRITES_SEED=${seed}: ${s.statements} statements (${s.writes} writes, ${s.transactions} transactions, ` +
            `${s.failuresChecked} that must fail) agree, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
        );
      });
    }
  });
}

describe('differential: random writes coverage', () => {
  it('exercises every kind of write (with the default seeds)', () => {
    // Runs after the runs above (vitest runs a file's tests in order).
    if (envSeed !== undefined || COUNT < DEFAULT_COUNT) return;
    const missing = WRITE_FEATURES.filter((f) => !allFeatures.has(f));
    expect(missing, `feature counts: ${JSON.stringify(Object.fromEntries(allFeatures))}`).toEqual([]);
  });
});
