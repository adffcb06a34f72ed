// Micro-benchmark of the vectorized operators against hand-written typed-array loops over
// the same data: filter, project, hash aggregate and hash join, with and without NULLs.
// Each operator runs through the real executor (plan nodes, compiled kernels, batches);
// the baseline is the tightest plain loop a person would write for the same answer.
// Run: npm run build && npm run bench:micro   (ratios matter; absolute times are noise)

import { BATCH_SIZE, makeBatch } from '../common/batch.js';
import { T, type LogicalType } from '../common/types.js';
import type { FlatVector } from '../common/vector.js';
import type { ExecContext } from '../exec/context.js';
import { executePlan } from '../exec/execute.js';
import type { PlanNode, ScanNode } from '../exec/plan.js';
import { MemoryTable } from '../storage/memory-table.js';

const ROWS = Number(process.env.MICRO_ROWS ?? 4_000_000);
const RUNS = Number(process.env.MICRO_RUNS ?? 11);
const GROUPS = 1000;
const DIM_ROWS = 100_000;

/** Deterministic xorshift32 PRNG. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

interface Data {
  a: Int32Array; // uniform 0..1e6
  b: Int32Array; // uniform 0..1000
  g: Int32Array; // group key 0..GROUPS-1
  x: Float64Array;
  fk: Int32Array; // join key 0..DIM_ROWS-1
  valid: Uint8Array | null;
  dimK: Int32Array;
  dimV: Float64Array;
}

function makeData(withNulls: boolean): Data {
  const r = rng(42);
  const a = new Int32Array(ROWS);
  const b = new Int32Array(ROWS);
  const g = new Int32Array(ROWS);
  const x = new Float64Array(ROWS);
  const fk = new Int32Array(ROWS);
  for (let i = 0; i < ROWS; i++) {
    a[i] = Math.floor(r() * 1_000_000);
    b[i] = Math.floor(r() * 1000);
    g[i] = Math.floor(r() * GROUPS);
    x[i] = Math.floor(r() * 10000) / 100;
    fk[i] = Math.floor(r() * DIM_ROWS);
  }
  let valid: Uint8Array | null = null;
  if (withNulls) {
    valid = new Uint8Array(ROWS);
    for (let i = 0; i < ROWS; i++) valid[i] = r() < 0.1 ? 0 : 1;
    // The invariant of flat vectors: NULL slots hold a harmless value.
    for (let i = 0; i < ROWS; i++) if (valid[i] === 0) { a[i] = 0; x[i] = 0; fk[i] = 0; }
  }
  const dimK = new Int32Array(DIM_ROWS);
  const dimV = new Float64Array(DIM_ROWS);
  for (let i = 0; i < DIM_ROWS; i++) {
    dimK[i] = (i * 7919) % DIM_ROWS; // a permutation: unique keys in no particular order
    dimV[i] = i % 97;
  }
  return { a, b, g, x, fk, valid, dimK, dimV };
}

function tableOf(name: string, cols: { name: string; type: LogicalType; data: Int32Array | Float64Array; valid: Uint8Array | null }[]): MemoryTable {
  const t = new MemoryTable({ name, columns: cols.map((c) => ({ name: c.name, type: c.type, notNull: false })), sortKey: [], primaryKey: [] });
  const n = cols[0]!.data.length;
  const batches = [];
  for (let s = 0; s < n; s += BATCH_SIZE) {
    const e = Math.min(n, s + BATCH_SIZE);
    batches.push(makeBatch(cols.map((c): FlatVector => ({ kind: 'flat', type: c.type, length: e - s, data: c.data.slice(s, e), validity: c.valid ? c.valid.slice(s, e) : null })), e - s));
  }
  t.append(batches);
  return t;
}

function context(tables: Map<string, MemoryTable>): ExecContext {
  return { snapshot: (t) => tables.get(t)!.snapshot(), outer: [], signal: null, stats: { rowsRead: 0, bytesRead: 0 }, codegenLog: null };
}

async function drain(plan: PlanNode, ctx: ExecContext): Promise<number> {
  let rows = 0;
  for await (const b of executePlan(plan, ctx)) rows += b.count;
  return rows;
}

function median(xs: number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  return s[Math.floor(s.length / 2)]!;
}

/** Times the operator and its loop alternately (after a warm-up of each), so machine noise
 *  falls on both alike; returns the median of each. */
async function timePair(op: () => Promise<unknown>, loop: () => unknown): Promise<{ quiver: number; loop: number }> {
  await op();
  loop();
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    let t0 = performance.now();
    await op();
    a.push(performance.now() - t0);
    t0 = performance.now();
    loop();
    b.push(performance.now() - t0);
  }
  return { quiver: median(a), loop: median(b) };
}

const scan = (table: string, columns: number[], types: LogicalType[], names: string[]): ScanNode => ({ op: 'scan', table, columns, predicates: [], types, names });

async function run(withNulls: boolean) {
  const d = makeData(withNulls);
  const fact = tableOf('fact', [
    { name: 'a', type: T.INTEGER, data: d.a, valid: d.valid },
    { name: 'b', type: T.INTEGER, data: d.b, valid: null },
    { name: 'g', type: T.INTEGER, data: d.g, valid: null },
    { name: 'x', type: T.DOUBLE, data: d.x, valid: d.valid },
    { name: 'fk', type: T.INTEGER, data: d.fk, valid: d.valid },
  ]);
  const dim = tableOf('dim', [
    { name: 'k', type: T.INTEGER, data: d.dimK, valid: null },
    { name: 'v', type: T.DOUBLE, data: d.dimV, valid: null },
  ]);
  const ctx = context(new Map([['fact', fact], ['dim', dim]]));
  const chunks = (arr: Int32Array | Float64Array) => {
    const out = [];
    for (let s = 0; s < ROWS; s += BATCH_SIZE) out.push(arr.subarray(s, Math.min(ROWS, s + BATCH_SIZE)));
    return out;
  };
  const A = chunks(d.a);
  const B = chunks(d.b);
  const G = chunks(d.g);
  const X = chunks(d.x);
  const FK = chunks(d.fk);
  const V = d.valid === null ? null : (chunks(d.valid as unknown as Int32Array) as unknown as Uint8Array[]);
  const rows: { op: string; quiver: number; loop: number }[] = [];

  // Filter: a < 500000, producing selection vectors.
  const filterPlan: PlanNode = {
    op: 'filter', input: scan('fact', [0], [T.INTEGER], ['a']),
    predicate: { kind: 'call', fn: 'lt', args: [{ kind: 'col', index: 0, type: T.INTEGER }, { kind: 'const', value: 500000, type: T.INTEGER }], type: T.BOOLEAN },
    types: [T.INTEGER], names: ['a'],
  };
  const filterLoop = () => {
    let total = 0;
    const sel = new Int32Array(BATCH_SIZE);
    for (let c = 0; c < A.length; c++) {
      const a = A[c]!;
      const v = V?.[c];
      let k = 0;
      if (v === undefined) for (let i = 0; i < a.length; i++) { if (a[i]! < 500000) sel[k++] = i; }
      else for (let i = 0; i < a.length; i++) { if (v[i] === 1 && a[i]! < 500000) sel[k++] = i; }
      total += k;
    }
    return total;
  };
  rows.push({ op: 'filter', ...(await timePair(() => drain(filterPlan, ctx), filterLoop)) });

  // Project: a * 2 + b (INTEGER, with the overflow check SQL requires).
  const projectPlan: PlanNode = {
    op: 'project', input: scan('fact', [0, 1], [T.INTEGER, T.INTEGER], ['a', 'b']),
    exprs: [{ kind: 'call', fn: 'add', type: T.INTEGER, args: [{ kind: 'call', fn: 'multiply', type: T.INTEGER, args: [{ kind: 'col', index: 0, type: T.INTEGER }, { kind: 'const', value: 2, type: T.INTEGER }] }, { kind: 'col', index: 1, type: T.INTEGER }] }],
    types: [T.INTEGER], names: ['y'],
  };
  const projectLoop = () => {
    let sink = 0;
    for (let c = 0; c < A.length; c++) {
      const a = A[c]!;
      const b = B[c]!;
      const out = new Int32Array(a.length);
      for (let i = 0; i < a.length; i++) {
        const r = a[i]! * 2 + b[i]!;
        if ((r | 0) !== r) throw new Error('overflow');
        out[i] = r;
      }
      const v = V?.[c];
      if (v !== undefined) sink += v.slice().length;
      sink += out[0]!;
    }
    return sink;
  };
  rows.push({ op: 'project', ...(await timePair(() => drain(projectPlan, ctx), projectLoop)) });

  // Hash aggregate: GROUP BY g, sum(x), count(x).
  const aggPlan: PlanNode = {
    op: 'aggregate', input: scan('fact', [2, 3], [T.INTEGER, T.DOUBLE], ['g', 'x']), keys: [0],
    aggregates: [
      { fn: 'sum', args: [1], argTypes: [T.DOUBLE], distinct: false, filter: null, type: T.DOUBLE },
      { fn: 'count', args: [1], argTypes: [T.DOUBLE], distinct: false, filter: null, type: T.BIGINT },
    ],
    types: [T.INTEGER, T.DOUBLE, T.BIGINT], names: ['g', 'sum', 'count'],
  };
  // The same answer as Quiver's SUM(DOUBLE), which is compensated (Neumaier) so that it does
  // not depend on row order: the loop compensates too.
  const aggLoop = () => {
    const sums = new Float64Array(GROUPS);
    const comp = new Float64Array(GROUPS);
    const counts = new Float64Array(GROUPS);
    for (let c = 0; c < G.length; c++) {
      const g = G[c]!;
      const x = X[c]!;
      const v = V?.[c];
      for (let i = 0; i < g.length; i++) {
        if (v !== undefined && v[i] === 0) continue;
        const k = g[i]!;
        const s = sums[k]!;
        const y = x[i]!;
        const t = s + y;
        comp[k]! += Math.abs(s) >= Math.abs(y) ? s - t + y : y - t + s;
        sums[k] = t;
        counts[k]!++;
      }
    }
    return sums[0]! + comp[0]! + counts[0]!;
  };
  rows.push({ op: 'hash aggregate', ...(await timePair(() => drain(aggPlan, ctx), aggLoop)) });

  // Hash join: fact.fk = dim.k, output fact.x and dim.v.
  const joinPlan: PlanNode = {
    op: 'hash_join', joinType: 'inner',
    left: scan('fact', [4, 3], [T.INTEGER, T.DOUBLE], ['fk', 'x']),
    right: scan('dim', [0, 1], [T.INTEGER, T.DOUBLE], ['k', 'v']),
    leftKeys: [0], rightKeys: [0], residual: null,
    types: [T.INTEGER, T.DOUBLE, T.INTEGER, T.DOUBLE], names: ['fk', 'x', 'k', 'v'],
  };
  const joinLoop = () => {
    // Open addressing over Int32Array keys, the same shape our join builds.
    const cap = 1 << 18;
    const mask = cap - 1;
    const slots = new Int32Array(cap).fill(-1);
    for (let i = 0; i < DIM_ROWS; i++) {
      let h = Math.imul(d.dimK[i]!, 0x9e3779b1) >>> 14 & mask;
      while (slots[h] !== -1) h = (h + 1) & mask;
      slots[h] = i;
    }
    let total = 0;
    for (let c = 0; c < FK.length; c++) {
      const fk = FK[c]!;
      const x = X[c]!;
      const v = V?.[c];
      const n = fk.length;
      const li = new Int32Array(n);
      const ri = new Int32Array(n);
      let k = 0;
      for (let i = 0; i < n; i++) {
        if (v !== undefined && v[i] === 0) continue;
        const key = fk[i]!;
        let h = Math.imul(key, 0x9e3779b1) >>> 14 & mask;
        for (;;) {
          const s = slots[h]!;
          if (s === -1) break;
          // A join must find every build row with the key (keys may repeat): probe to the gap.
          if (d.dimK[s] === key) { li[k] = i; ri[k] = s; k++; }
          h = (h + 1) & mask;
        }
      }
      // Materialize the output columns, as the operator does.
      const ox = new Float64Array(k);
      const ov = new Float64Array(k);
      const ofk = new Int32Array(k);
      const ok = new Int32Array(k);
      for (let j = 0; j < k; j++) { ox[j] = x[li[j]!]!; ofk[j] = fk[li[j]!]!; ov[j] = d.dimV[ri[j]!]!; ok[j] = d.dimK[ri[j]!]!; }
      total += k + ox.length + ov.length + ofk.length + ok.length;
    }
    return total;
  };
  rows.push({ op: 'hash join', ...(await timePair(() => drain(joinPlan, ctx), joinLoop)) });
  return rows;
}

async function main() {
  console.log(`exec-micro: ${ROWS.toLocaleString('en-US')} rows, median of ${RUNS} runs (ms); ratio = Quiver / hand-written loop`);
  console.log('| operator | NULLs | Quiver ms | loop ms | ratio |');
  console.log('|---|---|---:|---:|---:|');
  let worst = 0;
  for (const withNulls of [false, true]) {
    for (const r of await run(withNulls)) {
      const ratio = r.quiver / r.loop;
      worst = Math.max(worst, ratio);
      console.log(`| ${r.op} | ${withNulls ? '10%' : 'none'} | ${r.quiver.toFixed(1)} | ${r.loop.toFixed(1)} | ${ratio.toFixed(2)} |`);
    }
  }
  console.log(`worst ratio: ${worst.toFixed(2)} (target: at most 3.00)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
