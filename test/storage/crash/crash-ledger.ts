// The crash test's bookkeeping and checks, apart from any process or file so they can be tested
// on their own (crash-ledger.test.ts). CrashLedger follows the child's stdout lines
// (crash-child.mjs) and knows, for every batch ever begun, what a recovered database must show:
//
//   adding    begun, not acknowledged    whole or absent; the next check settles which
//   present   acknowledged, or found whole after a crash: whole, in its table, exactly once
//   removing  removal begun, not acked   whole or absent; the next check settles which
//   absent    removed, or found absent after a crash: no row of it anywhere, ever again
//
// A whole table may be removed at once (DROP TABLE): its batches are removing together, and a
// recovered database must show all of them or none. A replacement (CREATE OR REPLACE TABLE AS)
// removes one batch and adds another in one step: exactly one of them may be there. Maintenance (compaction, checkpoints) changes
// no batch; the ledger only notes it as in flight.
//
// BatchScan reads every row of a recovered database and checks each one against its formula
// (crash-rows.mjs), so a half-there batch, a repeated row, a corrupted value or a batch in two
// tables is caught whatever the ledger says.

import { bigOf, chkOf, CTAS_PREFIX, MAIN_TABLE, MAX_BATCH_ID, MAX_BATCH_ROWS, payloadOf, xOf } from './crash-rows.mjs';

export type BatchState = 'adding' | 'present' | 'removing' | 'absent';

export interface BatchRecord {
  readonly id: number;
  readonly table: string;
  readonly rows: number;
  state: BatchState;
  /** The child's operation that last touched the batch (insert, copy, ctas, drop, ...). */
  op: string;
}

/** Problems beyond this many are counted, not listed. */
const MAX_LISTED = 30;

/** What one scan of a recovered database found of one batch. */
interface FoundBatch {
  tables: Set<string>;
  /** The row count the rows claim (their `n`); -1 once rows disagree about it. */
  n: number;
  rows: number;
  /** How many rows carry each sequence number 0..n-1. */
  seqCounts: Uint16Array;
}

/** Every row of a recovered database, checked row by row and grouped by batch. */
export class BatchScan {
  readonly found = new Map<number, FoundBatch>();
  readonly problems: string[] = [];
  private rowProblems = 0;

  /** A table of the database: the main table or a CREATE TABLE AS one; anything else is wrong. */
  addTable(table: string, rows: readonly (readonly unknown[])[]): void {
    const ctas = table.startsWith(CTAS_PREFIX) && /^\d+$/.test(table.slice(CTAS_PREFIX.length));
    if (table !== MAIN_TABLE && !ctas) {
      this.problems.push(`table "${table}" exists, which the child never creates`);
      return;
    }
    if (ctas && rows.length === 0) {
      this.problems.push(`table "${table}" exists without any row: CREATE TABLE AS was cut between creating the table and loading its batch, which must commit together`);
    }
    for (const row of rows) this.addRow(table, row);
  }

  private addRow(table: string, row: readonly unknown[]): void {
    const [batch, seq, n, chk, big, x, payload] = row;
    if (!isInt(batch, 0, MAX_BATCH_ID - 1) || !isInt(n, 1, MAX_BATCH_ROWS) || !isInt(seq, 0, n - 1)) {
      this.rowProblem(`table "${table}" holds a row that belongs to no batch: ${show(row)}`);
      return;
    }
    const want = [chkOf(batch, seq, n), bigOf(batch, seq), xOf(batch, seq), payloadOf(batch, seq)];
    if (chk !== want[0] || big !== want[1] || x !== want[2] || payload !== want[3]) {
      this.rowProblem(`table "${table}": row ${seq} of batch ${batch} is corrupted: ${show(row)}, expected chk, big, x, payload = ${show(want)}`);
    }
    let f = this.found.get(batch);
    if (f === undefined) {
      f = { tables: new Set(), n, rows: 0, seqCounts: new Uint16Array(n) };
      this.found.set(batch, f);
    }
    f.tables.add(table);
    f.rows++;
    if (f.n !== n) {
      if (f.n !== -1) this.rowProblem(`batch ${batch}: rows disagree about its size (${f.n} and ${n})`);
      f.n = -1;
    } else if (f.seqCounts[seq]! < 0xffff) f.seqCounts[seq]!++;
  }

  private rowProblem(message: string): void {
    if (this.rowProblems++ < MAX_LISTED) this.problems.push(message);
  }

  /** Whether batch `id` is there whole, in one table and exactly once; why not otherwise. */
  wholeness(id: number): { found: false } | { found: true; whole: true; table: string } | { found: true; whole: false; why: string } {
    const f = this.found.get(id);
    if (f === undefined) return { found: false };
    if (f.tables.size > 1) return { found: true, whole: false, why: `it is in several tables (${[...f.tables].join(', ')})` };
    if (f.n === -1) return { found: true, whole: false, why: 'its rows disagree about its size' };
    const missing: number[] = [];
    const repeated: number[] = [];
    for (let s = 0; s < f.n; s++) {
      if (f.seqCounts[s] === 0) missing.push(s);
      else if (f.seqCounts[s]! > 1) repeated.push(s);
    }
    if (missing.length === 0 && repeated.length === 0) return { found: true, whole: true, table: [...f.tables][0]! };
    const parts = [`${f.rows} rows of ${f.n}`];
    if (missing.length > 0) parts.push(`${missing.length} missing (seq ${listSome(missing)})`);
    if (repeated.length > 0) parts.push(`${repeated.length} there more than once (seq ${listSome(repeated)})`);
    return { found: true, whole: false, why: parts.join('; ') };
  }
}

export class CrashLedger {
  private readonly batches = new Map<number, BatchRecord>();
  /** Tables being removed whole (DROP TABLE of many batches): table -> its batches. */
  private readonly tableRemovals = new Map<string, { op: string; ids: number[] }>();
  /** Removals of whole tables that are acked or were cut, to check at the next verify. */
  private readonly settledRemovals: { table: string; op: string; ids: number[] }[] = [];
  /** Replacements in flight: new batch -> the batch it replaces. */
  private readonly replacing = new Map<number, number>();
  /** Work in flight that changes no batch (compaction, checkpoints): name -> how many. */
  private readonly maintenance = new Map<string, number>();
  /** The smallest batch id never begun. */
  nextBatch = 0;

  /** Applies one line of the child's stdout (crash-child.mjs); throws on a line that breaks the
   *  protocol. */
  apply(line: string): void {
    const w = line.split(' ');
    if (w[0] === 'begin' && w.length === 6 && (w[2] === 'add' || w[2] === 'remove')) {
      const id = Number(w[1]);
      const [table, rows, op] = [w[3]!, Number(w[4]), w[5]!];
      const known = this.batches.get(id);
      if (w[2] === 'add') {
        if (!isInt(id, 0, MAX_BATCH_ID - 1) || !isInt(rows, 1, MAX_BATCH_ROWS)) throw new Error(`bad line from the child: "${line}"`);
        if (known !== undefined) throw new Error(`the child began batch ${id} again: "${line}"`);
        if (this.tableRemovals.has(table)) throw new Error(`the child began batch ${id} in ${table} while removing that table: "${line}"`);
        this.batches.set(id, { id, table, rows, state: 'adding', op });
        this.nextBatch = Math.max(this.nextBatch, id + 1);
      } else {
        if (known === undefined || known.state !== 'present' || known.table !== table) {
          throw new Error(`the child began removing batch ${id}, which is ${known === undefined ? 'unknown' : `${known.state} in ${known.table}`}: "${line}"`);
        }
        known.state = 'removing';
        known.op = op;
      }
      return;
    }
    if (w[0] === 'begin-replace' && w.length === 6) {
      const [old, table, op] = [Number(w[1]), w[3]!, w[5]!];
      this.apply(`begin ${old} remove ${table} 0 ${op}`);
      this.apply(`begin ${w[2]} add ${table} ${w[4]} ${op}`);
      this.replacing.set(Number(w[2]), old);
      return;
    }
    if (w[0] === 'ack' && w.length === 2) {
      const id = Number(w[1]);
      const known = this.batches.get(id);
      if (known === undefined || (known.state !== 'adding' && known.state !== 'removing')) throw new Error(`the child acknowledged batch ${id}, which has no operation running: "${line}"`);
      known.state = known.state === 'adding' ? 'present' : 'absent';
      const old = this.replacing.get(id);
      if (old !== undefined) {
        this.batches.get(old)!.state = 'absent';
        this.replacing.delete(id);
      }
      return;
    }
    if (w[0] === 'begin-table' && w.length === 4 && w[2] === 'remove') {
      const [table, op] = [w[1]!, w[3]!];
      const inTable = [...this.batches.values()].filter((b) => b.table === table && b.state !== 'absent');
      const busy = inTable.find((b) => b.state !== 'present');
      if (busy !== undefined || this.tableRemovals.has(table)) throw new Error(`the child began removing table ${table} while an operation on it runs: "${line}"`);
      for (const b of inTable) {
        b.state = 'removing';
        b.op = op;
      }
      this.tableRemovals.set(table, { op, ids: inTable.map((b) => b.id) });
      return;
    }
    if (w[0] === 'ack-table' && w.length === 2) {
      const removal = this.tableRemovals.get(w[1]!);
      if (removal === undefined) throw new Error(`the child acknowledged removing table ${w[1]}, which it never began: "${line}"`);
      for (const id of removal.ids) this.batches.get(id)!.state = 'absent';
      this.tableRemovals.delete(w[1]!);
      this.settledRemovals.push({ table: w[1]!, ...removal });
      return;
    }
    if ((w[0] === 'begin-maintenance' || w[0] === 'ack-maintenance') && w.length === 2) {
      const running = this.maintenance.get(w[1]!) ?? 0;
      if (w[0] === 'ack-maintenance' && running === 0) throw new Error(`the child acknowledged ${w[1]}, which it never began: "${line}"`);
      this.maintenance.set(w[1]!, running + (w[0] === 'begin-maintenance' ? 1 : -1));
      return;
    }
    throw new Error(`bad line from the child: "${line}"`);
  }

  /** Operations begun and not acknowledged: what the child was doing when it died. */
  inFlight(): string[] {
    const ops = [...this.maintenance].filter(([, n]) => n > 0).map(([name]) => name);
    ops.push(...[...this.tableRemovals].map(([table, r]) => `${r.op} of table ${table} (${r.ids.length} batches)`));
    const told = new Set([...this.tableRemovals.values()].flatMap((r) => r.ids));
    for (const [id, old] of this.replacing) {
      const b = this.batches.get(id)!;
      ops.push(`${b.op} of batch ${old} by batch ${id} (${b.rows} rows, ${b.table})`);
      told.add(id).add(old);
    }
    for (const b of this.batches.values()) {
      if ((b.state === 'adding' || b.state === 'removing') && !told.has(b.id)) ops.push(`${b.op} of batch ${b.id} (${b.rows} rows, ${b.table})`);
    }
    return ops;
  }

  /** Batches present in a table other than `table`, with their table (which a DROP TABLE or a
   *  CREATE OR REPLACE TABLE AS may remove). */
  presentOutside(table: string): [number, string][] {
    return [...this.batches.values()].filter((b) => b.state === 'present' && b.table !== table).map((b) => [b.id, b.table]);
  }

  /** Batches present in `table` (which a DELETE may remove). */
  presentIn(table: string): number[] {
    return [...this.batches.values()].filter((b) => b.state === 'present' && b.table === table).map((b) => b.id);
  }

  /** Rows of the batches present in `table`. */
  rowsIn(table: string): number {
    let rows = 0;
    for (const b of this.batches.values()) if (b.state === 'present' && b.table === table) rows += b.rows;
    return rows;
  }

  counts(): Record<BatchState, number> {
    const c = { adding: 0, present: 0, removing: 0, absent: 0 };
    for (const b of this.batches.values()) c[b.state]++;
    return c;
  }

  /**
   * Checks a scan of the recovered database against the ledger and settles every operation in
   * flight (found whole: present; not found: absent; a table removal all one way or the other).
   * Returns the problems, none when all is well.
   */
  verify(scan: BatchScan): string[] {
    const problems = [...scan.problems];
    let listed = problems.length;
    const report = (message: string) => {
      if (listed++ < MAX_LISTED) problems.push(message);
    };
    for (const id of scan.found.keys()) {
      if (!this.batches.has(id)) report(`batch ${id} is in the database, but the child never began it`);
    }
    this.maintenance.clear();
    for (const [table, r] of this.tableRemovals) this.settledRemovals.push({ table, ...r });
    this.tableRemovals.clear();
    for (const r of this.settledRemovals) {
      const left = r.ids.filter((id) => scan.found.has(id)).length;
      if (left > 0 && left < r.ids.length) report(`${r.op} of table ${r.table} is half done: ${left} of its ${r.ids.length} batches are still there`);
    }
    this.settledRemovals.length = 0;
    for (const [id, old] of this.replacing) {
      const [oldThere, newThere] = [scan.found.has(old), scan.found.has(id)];
      if (oldThere === newThere) report(`${this.batches.get(id)!.op} of batch ${old} by batch ${id} is half done: ${oldThere ? 'both are' : 'neither is'} there`);
    }
    this.replacing.clear();
    for (const b of this.batches.values()) {
      const w = scan.wholeness(b.id);
      const label = `batch ${b.id} (${b.rows} rows into ${b.table} by ${b.op}, ${b.state})`;
      if (w.found && !w.whole) report(`${label} is half there: ${w.why}`);
      else if (w.found && w.table !== b.table) report(`${label} is in table ${w.table}`);
      else if (b.state === 'present' && !w.found) report(`${label} is lost`);
      else if (b.state === 'absent' && w.found) report(`${label} is back`);
      else if (b.state === 'adding' || b.state === 'removing') b.state = w.found ? 'present' : 'absent';
    }
    if (listed > MAX_LISTED) problems.push(`... and ${listed - MAX_LISTED} more problems`);
    return problems;
  }
}

function isInt(v: unknown, lo: number, hi: number): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= lo && v <= hi;
}

function show(values: readonly unknown[]): string {
  return `[${values.map((v) => (typeof v === 'bigint' ? `${v}n` : JSON.stringify(v))).join(', ')}]`;
}

function listSome(xs: number[]): string {
  const shown = xs.slice(0, 10).join(', ');
  return xs.length > 10 ? `${shown}, ...` : shown;
}
