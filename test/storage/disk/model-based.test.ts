// Model-based test of an on-disk database (fast-check): random sequences of INSERT, DELETE,
// UPDATE, ALTER TABLE ADD COLUMN, checkpoint, compaction and reopen run against Database.open(dir) with a tiny memtable and tiny
// blocks, and against a reference model (a plain array of rows); after every step the table
// holds exactly the model's rows. Schema steps drawn from a separate arbitrary (so the seed's
// sequences above stay what they were) fill added columns with values, DROP them (a drop of
// the sort key column is refused), and ADD a dropped name again, which must read NULL in every
// existing row even while old parts still hold the dropped data. Transaction steps (a third
// arbitrary) BEGIN, COMMIT and ROLLBACK around the others and upsert by the key `id` (a UNIQUE
// index): the model saves its state at BEGIN and restores it at ROLLBACK, and at a reopen inside
// a transaction (closing the database rolls it back); CHECKPOINT and compaction are refused
// inside one.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Database } from '../../../sql/database.js';

type Op =
  | { kind: 'insert'; values: number[] }
  | { kind: 'delete-mod'; mod: number; rem: number }
  | { kind: 'delete-range'; from: number; to: number }
  | { kind: 'update'; mod: number; rem: number; add: number }
  | { kind: 'add-column' }
  | { kind: 'checkpoint' }
  | { kind: 'compact' }
  | { kind: 'reopen' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('insert' as const), values: fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 12 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete-mod' as const), mod: fc.integer({ min: 2, max: 7 }), rem: fc.integer({ min: 0, max: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete-range' as const), from: fc.integer({ min: 0, max: 200 }), to: fc.integer({ min: 0, max: 200 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('update' as const), mod: fc.integer({ min: 2, max: 5 }), rem: fc.integer({ min: 0, max: 4 }), add: fc.integer({ min: -20, max: 20 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'add-column' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'checkpoint' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'compact' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reopen' as const }) },
);

/** A step on the added columns, run after step `after` modulo the sequence's length. */
interface SchemaOp {
  after: number;
  kind: 'add' | 'set' | 'drop' | 'readd';
  pick: number;
  mod: number;
}

/** A transaction step or an upsert, run after step `after` modulo the sequence's length. */
interface TxOp {
  after: number;
  kind: 'begin' | 'commit' | 'rollback' | 'upsert';
  /** Upserts: existing ids picked by these, and new values. */
  picks: number[];
  values: number[];
  nothing: boolean;
}

const txOp: fc.Arbitrary<TxOp> = fc.record({
  after: fc.nat(),
  kind: fc.constantFrom('begin' as const, 'begin' as const, 'commit' as const, 'rollback' as const, 'upsert' as const, 'upsert' as const),
  picks: fc.array(fc.nat(), { maxLength: 4 }),
  values: fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 6 }),
  nothing: fc.boolean(),
});

const schemaOp: fc.Arbitrary<SchemaOp> = fc.record({
  after: fc.nat(),
  kind: fc.constantFrom('add' as const, 'set' as const, 'set' as const, 'drop' as const, 'drop' as const, 'readd' as const),
  pick: fc.nat(),
  mod: fc.integer({ min: 1, max: 4 }),
});

interface Row {
  id: number;
  v: number;
  /** Values of the added columns by name; a missing name is NULL. */
  extra: Map<string, number>;
}

async function run(ops: Op[], compaction: 'auto' | 'eager', schemaOps: SchemaOp[] = [], txOps: TxOp[] = []): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'quiver-model-'));
  const path = join(root, 'db');
  const options = { memtableRows: 7, blockRows: 3, compaction };
  let db = await Database.open(path, options);
  try {
    await db.exec('CREATE TABLE t (id INTEGER, v INTEGER) ORDER BY v; CREATE UNIQUE INDEX t_id ON t (id)');
    let model: Row[] = [];
    let nextId = 0;
    let added = 0;
    /** The added columns now, in table order, and the names dropped and not added again. */
    let cols: string[] = [];
    let dropped: string[] = [];
    /** The model at BEGIN, while a transaction is open. */
    let saved: { model: Row[]; added: number; cols: string[]; dropped: string[] } | null = null;
    const rollBack = () => {
      ({ model, added, cols, dropped } = saved!);
      saved = null;
    };
    for (const [step, o] of ops.entries()) {
      switch (o.kind) {
        case 'insert': {
          const rows = o.values.map((v) => ({ id: nextId++, v, extra: new Map<string, number>() }));
          await db.exec(`INSERT INTO t VALUES ${rows.map((r) => `(${r.id}, ${r.v})`).join(', ')}`);
          model.push(...rows);
          break;
        }
        case 'delete-mod': {
          const deleted = (await db.query(`DELETE FROM t WHERE v % ${o.mod} = ${o.rem}`)).rows();
          const kept = model.filter((r) => r.v % o.mod !== o.rem);
          expect(deleted).toEqual([[BigInt(model.length - kept.length)]]);
          model = kept;
          break;
        }
        case 'delete-range': {
          const deleted = (await db.query(`DELETE FROM t WHERE id BETWEEN ${o.from} AND ${o.to}`)).rows();
          const kept = model.filter((r) => r.id < o.from || r.id > o.to);
          expect(deleted).toEqual([[BigInt(model.length - kept.length)]]);
          model = kept;
          break;
        }
        case 'update': {
          // The sort key changes: updated rows move between blocks and parts.
          const updated = (await db.query(`UPDATE t SET v = v + ${o.add} WHERE id % ${o.mod} = ${o.rem}`)).rows();
          let n = 0;
          for (const r of model) {
            if (r.id % o.mod === o.rem) {
              r.v += o.add;
              n++;
            }
          }
          expect(updated).toEqual([[BigInt(n)]]);
          break;
        }
        case 'add-column':
          // Parts written before it lack the column: they read it as NULL, merges add it.
          cols.push(`c${added}`);
          await db.exec(`ALTER TABLE t ADD COLUMN c${added++} INTEGER`);
          break;
        case 'checkpoint':
          if (saved !== null) await expect(db.exec('CHECKPOINT')).rejects.toThrow('cannot run inside a transaction');
          else await db.checkpoint();
          break;
        case 'compact':
          if (saved !== null) await expect(db.exec('OPTIMIZE')).rejects.toThrow('cannot run inside a transaction');
          else await db.compact();
          break;
        case 'reopen':
          // Closing rolls back an open transaction.
          await db.close();
          if (saved !== null) rollBack();
          db = await Database.open(path, options);
          break;
      }
      for (const so of schemaOps) {
        if (so.after % ops.length !== step) continue;
        switch (so.kind) {
          case 'add':
            cols.push(`c${added}`);
            await db.exec(`ALTER TABLE t ADD COLUMN c${added++} INTEGER`);
            break;
          case 'set': {
            if (cols.length === 0) break;
            const name = cols[so.pick % cols.length]!;
            const updated = (await db.query(`UPDATE t SET ${name} = id * 3 + 1 WHERE id % ${so.mod} = 0`)).rows();
            let n = 0;
            for (const r of model) {
              if (r.id % so.mod === 0) {
                r.extra.set(name, r.id * 3 + 1);
                n++;
              }
            }
            expect(updated).toEqual([[BigInt(n)]]);
            break;
          }
          case 'drop': {
            if (cols.length === 0) {
              await expect(db.exec('ALTER TABLE t DROP COLUMN v')).rejects.toThrow('Cannot drop column "v" because the sort key (ORDER BY) of table "t" depends on it');
              // A failed statement aborts an open transaction: only ROLLBACK ends it.
              if (saved !== null) {
                await expect(db.exec('COMMIT')).rejects.toThrow('rolled back, not committed');
                rollBack();
              }
              break;
            }
            const [name] = cols.splice(so.pick % cols.length, 1);
            await db.exec(`ALTER TABLE t DROP COLUMN ${name!}`);
            for (const r of model) r.extra.delete(name!);
            dropped.push(name!);
            break;
          }
          case 'readd': {
            if (dropped.length === 0) break;
            const [name] = dropped.splice(so.pick % dropped.length, 1);
            await db.exec(`ALTER TABLE t ADD COLUMN ${name!} INTEGER`);
            cols.push(name!);
            break;
          }
        }
      }
      for (const to of txOps) {
        if (to.after % ops.length !== step) continue;
        switch (to.kind) {
          case 'begin':
            if (saved !== null) {
              await expect(db.exec('BEGIN')).rejects.toThrow('a transaction is already open');
              break;
            }
            await db.exec('BEGIN');
            saved = { model: model.map((r) => ({ ...r, extra: new Map(r.extra) })), added, cols: [...cols], dropped: [...dropped] };
            break;
          case 'commit':
            if (saved === null) break;
            await db.exec('COMMIT');
            saved = null;
            break;
          case 'rollback':
            if (saved === null) break;
            await db.exec('ROLLBACK');
            rollBack();
            break;
          case 'upsert': {
            // Existing ids (each at most once: DO UPDATE refuses a key twice) and new ones.
            const ids = [...new Set(to.picks.filter(() => model.length > 0).map((p) => model[p % model.length]!.id))];
            const proposed = to.values.map((v, i) => ({ id: i < ids.length ? ids[i]! : nextId++, v }));
            const action = to.nothing ? 'DO NOTHING' : 'DO UPDATE SET v = excluded.v + t.v';
            const count = (await db.query(`INSERT INTO t (id, v) VALUES ${proposed.map((r) => `(${r.id}, ${r.v})`).join(', ')} ON CONFLICT (id) ${action}`)).rows();
            let n = 0;
            for (const p of proposed) {
              const old = model.find((r) => r.id === p.id);
              if (old === undefined) {
                model.push({ id: p.id, v: p.v, extra: new Map() });
                n++;
              } else if (!to.nothing) {
                old.v += p.v;
                n++;
              }
            }
            expect(count).toEqual([[BigInt(n)]]);
            break;
          }
        }
      }
      const rows = (await db.query(`SELECT ${['id', 'v', ...cols].join(', ')} FROM t ORDER BY id`)).rows();
      expect(rows).toEqual(model.map((r) => [r.id, r.v, ...cols.map((c) => r.extra.get(c) ?? null)]));
      if (cols.length > 0) {
        // A pushed predicate on an added column (zone maps; parts that lack it are all NULL).
        const c = cols[step % cols.length]!;
        const set = model.filter((r) => r.extra.has(c));
        expect((await db.query(`SELECT count(*) FROM t WHERE ${c} IS NOT NULL`)).rows()).toEqual([[BigInt(set.length)]]);
      }
      // A sort-key range: zone maps prune blocks, deletions still apply.
      const inRange = model.filter((r) => r.v >= -10 && r.v <= 10);
      const sum = inRange.reduce((a, r) => a + r.v, 0);
      expect((await db.query('SELECT count(*), sum(v) FROM t WHERE v BETWEEN -10 AND 10')).rows()).toEqual([[BigInt(inRange.length), inRange.length === 0 ? null : BigInt(sum)]]);
    }
  } finally {
    await db.close();
    rmSync(root, { recursive: true, force: true });
  }
}

describe('an on-disk table against a reference model', () => {
  it('agrees after every step of random insert/delete/update/upsert/alter (add, drop, re-add)/transaction/checkpoint/compact/reopen sequences', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 25 }),
        fc.constantFrom('auto' as const, 'eager' as const),
        // Last, so the arbitraries before it draw what they drew before it was added.
        fc.array(schemaOp, { maxLength: 12 }),
        fc.array(txOp, { maxLength: 12 }),
        (ops, compaction, schemaOps, txOps) => run(ops, compaction, schemaOps, txOps),
      ),
      { seed: 20261122, numRuns: Number(process.env.MODEL_RUNS ?? 60) },
    );
  });
});
