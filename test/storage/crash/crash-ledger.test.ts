// The crash test's own checks (crash-ledger.ts, crash-rows.mjs): each kind of damage the SIGKILL
// test looks for is caught, an intact database passes, and the rows written by SQL, by VALUES
// and by COPY of the CSV are the same rows the checks expect.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Database } from '../../../index.js';
import { BatchScan, CrashLedger } from './crash-ledger.js';
import { bigOf, chkOf, CREATE_MAIN_TABLE, csvRows, MAIN_TABLE, payloadOf, selectRowsSql, valuesSql, xOf } from './crash-rows.mjs';

function rowsOf(batch: number, n: number): unknown[][] {
  return Array.from({ length: n }, (_, s) => [batch, s, n, chkOf(batch, s, n), bigOf(batch, s), xOf(batch, s), payloadOf(batch, s)]);
}

function scanOf(tables: Record<string, unknown[][]>): BatchScan {
  const scan = new BatchScan();
  for (const [name, rows] of Object.entries(tables)) scan.addTable(name, rows);
  return scan;
}

/** A ledger where batch 1 (3 rows) is acknowledged and batch 2 (4 rows) is in flight. */
function ledger(): CrashLedger {
  const l = new CrashLedger();
  for (const line of ['begin 1 add crash_t 3 insert', 'begin 2 add crash_t 4 copy', 'ack 1']) l.apply(line);
  return l;
}

describe('CrashLedger and BatchScan', () => {
  it('accept an intact database and settle what was in flight', () => {
    const l = ledger();
    expect(l.verify(scanOf({ crash_t: [...rowsOf(1, 3), ...rowsOf(2, 4)] }))).toEqual([]);
    expect(l.counts()).toEqual({ adding: 0, present: 2, removing: 0, absent: 0 });
    const l2 = ledger();
    expect(l2.verify(scanOf({ crash_t: rowsOf(1, 3) }))).toEqual([]);
    expect(l2.counts()).toEqual({ adding: 0, present: 1, removing: 0, absent: 1 });
  });

  it('report an acknowledged batch that is lost, half there or there twice', () => {
    expect(ledger().verify(scanOf({ crash_t: [] })).join('\n')).toMatch(/batch 1 .* is lost/);
    expect(ledger().verify(scanOf({ crash_t: rowsOf(1, 3).slice(1) })).join('\n')).toMatch(/batch 1 .* half there: 2 rows of 3; 1 missing \(seq 0\)/);
    expect(ledger().verify(scanOf({ crash_t: [...rowsOf(1, 3), ...rowsOf(1, 3)] })).join('\n')).toMatch(/batch 1 .* half there: 6 rows of 3; 3 there more than once/);
  });

  it('report a batch in flight that is half there', () => {
    const problems = ledger().verify(scanOf({ crash_t: [...rowsOf(1, 3), ...rowsOf(2, 4).slice(0, 2)] }));
    expect(problems.join('\n')).toMatch(/batch 2 .*adding\) is half there: 2 rows of 4; 2 missing \(seq 2, 3\)/);
  });

  it('report corrupted values, rows of no batch and unknown batches', () => {
    const bad = rowsOf(1, 3);
    bad[1]![3] = 12345;
    bad[2]![6] = 'x';
    const problems = ledger().verify(scanOf({ crash_t: [...bad, [1, 7, 3, 0, 0n, 0, null], ...rowsOf(9, 1)] })).join('\n');
    expect(problems).toMatch(/row 1 of batch 1 is corrupted/);
    expect(problems).toMatch(/row 2 of batch 1 is corrupted/);
    expect(problems).toMatch(/belongs to no batch: \[1, 7, 3/);
    expect(problems).toMatch(/batch 9 is in the database, but the child never began it/);
  });

  it('check a DELETE of one batch like any removal', () => {
    const acked = ledger();
    acked.apply('begin 1 remove crash_t 0 delete');
    acked.apply('ack 1');
    expect(acked.verify(scanOf({ crash_t: rowsOf(1, 3) })).join('\n')).toMatch(/batch 1 .*delete, absent\) is back/);
    const cut = ledger();
    cut.apply('begin 1 remove crash_t 0 delete');
    expect(cut.verify(scanOf({ crash_t: rowsOf(1, 3).slice(0, 1) })).join('\n')).toMatch(/batch 1 .*delete, removing\) is half there: 1 rows of 3/);
  });

  it('check a replacement: exactly one of the old and the new batch', () => {
    const replacing = () => {
      const l = new CrashLedger();
      for (const line of ['begin 5 add crash_ctas_5 2 ctas', 'ack 5', 'begin-replace 5 6 crash_ctas_5 3 replace-ctas']) l.apply(line);
      expect(l.inFlight()).toEqual(['replace-ctas of batch 5 by batch 6 (3 rows, crash_ctas_5)']);
      return l;
    };
    const before = replacing();
    expect(before.verify(scanOf({ crash_ctas_5: rowsOf(5, 2) }))).toEqual([]);
    expect(before.counts()).toEqual({ adding: 0, present: 1, removing: 0, absent: 1 });
    expect(replacing().verify(scanOf({ crash_ctas_5: rowsOf(6, 3) }))).toEqual([]);
    expect(replacing().verify(scanOf({})).join('\n')).toMatch(/replace-ctas of batch 5 by batch 6 is half done: neither is there/);
    expect(replacing().verify(scanOf({ crash_ctas_5: [...rowsOf(5, 2), ...rowsOf(6, 3)] })).join('\n')).toMatch(/half done: both are there/);
    const acked = replacing();
    acked.apply('ack 6');
    const problems = acked.verify(scanOf({ crash_ctas_5: rowsOf(5, 2) })).join('\n');
    expect(problems).toMatch(/batch 5 .*replace-ctas, absent\) is back/);
    expect(problems).toMatch(/batch 6 .*replace-ctas, present\) is lost/);
  });

  it('report a batch that comes back after it was found absent or removed', () => {
    const l = ledger();
    expect(l.verify(scanOf({ crash_t: rowsOf(1, 3) }))).toEqual([]);
    expect(l.verify(scanOf({ crash_t: [...rowsOf(1, 3), ...rowsOf(2, 4)] })).join('\n')).toMatch(/batch 2 .* is back/);

    const r = new CrashLedger();
    for (const line of ['begin 5 add crash_ctas_5 2 ctas', 'ack 5', 'begin 5 remove crash_ctas_5 0 drop', 'ack 5']) r.apply(line);
    expect(r.verify(scanOf({ crash_t: [], crash_ctas_5: rowsOf(5, 2) })).join('\n')).toMatch(/batch 5 .*drop, absent\) is back/);
  });

  it('report a batch in the wrong table, in two tables, stray tables and an empty CREATE TABLE AS table', () => {
    const l = new CrashLedger();
    for (const line of ['begin 5 add crash_ctas_5 2 ctas', 'begin 6 add crash_ctas_6 2 ctas', 'ack 5', 'ack 6']) l.apply(line);
    const problems = l.verify(scanOf({ crash_t: rowsOf(5, 2), crash_ctas_6: [...rowsOf(6, 2), ...rowsOf(5, 2)], crash_ctas_7: [], other: [] })).join('\n');
    expect(problems).toMatch(/batch 5 .* in several tables \(crash_t, crash_ctas_6\)/);
    const moved = new CrashLedger();
    for (const line of ['begin 5 add crash_ctas_5 2 ctas', 'ack 5']) moved.apply(line);
    expect(moved.verify(scanOf({ crash_ctas_6: rowsOf(5, 2) })).join('\n')).toMatch(/batch 5 .* is in table crash_ctas_6/);
    expect(problems).toMatch(/"crash_ctas_7" exists without any row/);
    expect(problems).toMatch(/"other" exists, which the child never creates/);
  });

  it('check the removal of a whole table: all of its batches or none', () => {
    const removing = () => {
      const l = ledger();
      l.apply('ack 2');
      l.apply('begin-table crash_t remove drop-main');
      expect(l.inFlight()).toEqual(['drop-main of table crash_t (2 batches)']);
      return l;
    };
    const kept = removing();
    expect(kept.verify(scanOf({ crash_t: [...rowsOf(1, 3), ...rowsOf(2, 4)] }))).toEqual([]);
    expect(kept.counts().present).toBe(2);
    const gone = removing();
    expect(gone.verify(scanOf({}))).toEqual([]);
    expect(gone.counts().absent).toBe(2);
    expect(removing().verify(scanOf({ crash_t: rowsOf(2, 4) })).join('\n')).toMatch(/drop-main of table crash_t is half done: 1 of its 2 batches are still there/);
    const acked = removing();
    acked.apply('ack-table crash_t');
    expect(acked.verify(scanOf({ crash_t: rowsOf(1, 3) })).join('\n')).toMatch(/half done[^]*batch 1 .*drop-main, absent\) is back/);
  });

  it('refuse lines that break the protocol', () => {
    const busy = ledger();
    expect(() => busy.apply('begin-table crash_t remove drop-main')).toThrow(/while an operation on it runs/);
    busy.apply('ack 2');
    busy.apply('begin-table crash_t remove drop-main');
    expect(() => busy.apply('begin 3 add crash_t 1 insert')).toThrow(/while removing that table/);
    expect(() => busy.apply('ack-table crash_x')).toThrow(/never began/);
    expect(() => busy.apply('ack-maintenance compact')).toThrow(/never began/);
    busy.apply('begin-maintenance compact');
    expect(busy.inFlight()).toEqual(['compact', 'drop-main of table crash_t (2 batches)']);

    const l = ledger();
    expect(() => l.apply('begin 1 add crash_t 3 insert')).toThrow(/began batch 1 again/);
    expect(() => l.apply('ack 7')).toThrow(/no operation running/);
    expect(() => l.apply('begin 2 remove crash_t 0 drop')).toThrow(/which is adding/);
    expect(() => l.apply('hello')).toThrow(/bad line/);
    expect(l.inFlight()).toEqual(['copy of batch 2 (4 rows, crash_t)']);
  });
});

describe('crash-rows', () => {
  it('writes the same rows by INSERT ... SELECT, INSERT ... VALUES, COPY and CREATE TABLE AS', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'quiver-crash-rows-'));
    const db = await Database.open(':memory:');
    try {
      const csv = join(dir, 'b.csv');
      await writeFile(csv, csvRows(3, 40));
      await db.exec(CREATE_MAIN_TABLE);
      await db.exec(`INSERT INTO ${MAIN_TABLE} ${selectRowsSql(1, 1234)}`);
      await db.exec(`INSERT INTO ${MAIN_TABLE} ${valuesSql(2, 16)}`);
      await db.exec(`COPY ${MAIN_TABLE} FROM '${csv}' (FORMAT csv)`);
      await db.exec(`CREATE TABLE crash_ctas_4 AS ${selectRowsSql(4, 30)}`);
      const l = new CrashLedger();
      for (const [id, table, n] of [[1, MAIN_TABLE, 1234], [2, MAIN_TABLE, 16], [3, MAIN_TABLE, 40], [4, 'crash_ctas_4', 30]] as const) {
        l.apply(`begin ${id} add ${table} ${n} test`);
        l.apply(`ack ${id}`);
      }
      const scan = new BatchScan();
      for (const table of [MAIN_TABLE, 'crash_ctas_4']) scan.addTable(table, (await db.query(`SELECT batch, seq, n, chk, big, x, payload FROM ${table}`)).rows());
      expect(l.verify(scan)).toEqual([]);
      expect(l.counts().present).toBe(4);
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
