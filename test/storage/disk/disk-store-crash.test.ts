// DiskStore under simulated crashes (ForgetfulFileSystem: a file layer that forgets every write
// and rename not yet fsynced): seeded random runs of concurrent inserts, deletes, updates,
// checkpoints and compactions, each cut by a crash at a random operation (forgetting every unsynced change,
// or keeping a random, torn part of them), then reopened. Every acknowledged insert must be
// there exactly once unless an acknowledged delete removed it, with the values of the last
// acknowledged update, and an unacknowledged insert, delete or update must be applied wholly or
// not at all.

import { describe, expect, it } from 'vitest';
import { T } from '../../../common/types.js';
import { DiskStore } from '../../../storage/disk/disk-store.js';
import { ROW_ID_COLUMN } from '../../../storage/table.js';
import { getScalar, type Scalar } from '../../../common/vector.js';
import { ForgetfulFileSystem } from '../../../storage/fs/forgetful-file-system.js';
import { batchOf, readRows } from './disk-test-helpers.js';

const DIR = '/db';
const TYPES = [T.INTEGER, T.BIGINT, T.VARCHAR];
const SCHEMA = {
  name: 't',
  columns: [
    { name: 'id', type: T.INTEGER, notNull: false },
    { name: 'g', type: T.BIGINT, notNull: false },
    { name: 'v', type: T.VARCHAR, notNull: false },
  ],
  sortKey: ['g'],
  primaryKey: [],
};

/** mulberry32: a small seeded generator, so a failing seed can be rerun. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An insert of ids [first, first + count). */
interface Insert {
  first: number;
  count: number;
}

/** What the runs did, so the test shows its deletes and compactions happened. */
const stats = { deletes: 0, updates: 0, compactions: 0 };

async function runSeed(seed: number): Promise<void> {
  const random = rng(seed);
  const fs = new ForgetfulFileSystem();
  await fs.mkdir(DIR);
  await fs.syncDirectory('/');
  /** Ids known durable: acknowledged, or found after a reopen; an acknowledged delete moves
   *  them to `gone`. */
  const durable = new Set<number>();
  const gone = new Set<number>();
  /** Each id's g as the last acknowledged write left it (inserts, updates). */
  const gOf = new Map<number, number>();
  let nextId = 0;
  for (let round = 0; round < 6; round++) {
    const pending: Promise<unknown>[] = [];
    const unacked: Insert[] = [];
    /** The ids each unacknowledged delete found. */
    const unackedDeletes: number[][] = [];
    /** The ids and old g values of each unacknowledged update, and the g it sets. */
    const unackedUpdates: { old: Map<number, number>; g: number }[] = [];
    const crashMode = random() < 0.5 ? {} : { random };
    // Sometimes crash while opening (leftover removal, log replay and truncation).
    if (random() < 0.2) fs.crashAfter(Math.floor(random() * 40), crashMode);
    let store: DiskStore | null = null;
    try {
      store = await DiskStore.open(fs, DIR, { memtableRows: 30, blockRows: 8 });
      if (!store.manifest.tables.has('t')) await store.createTable(SCHEMA);
    } catch (e) {
      if (!fs.crashed) throw e;
    }
    if (store !== null && !fs.crashed) {
      fs.crashAfter(10 + Math.floor(random() * 300), crashMode);
      for (let step = 0; step < 40 && !fs.crashed; step++) {
        const dice = random();
        if (dice < 0.1) {
          pending.push(store.checkpoint().catch(() => undefined));
        } else if (dice < 0.15) {
          pending.push(store.compact().then(() => stats.compactions++, () => undefined));
        } else if (dice < 0.32) {
          // UPDATE: g of the rows with id % mod = 0 becomes a new value, in one log record.
          const mod = 2 + Math.floor(random() * 5);
          const update = { old: new Map<number, number>(), g: 1000 + step + round * 100 };
          const live = store;
          unackedUpdates.push(update);
          pending.push(
            live
              .replaceRows('t', async () => {
                const rowIds: number[] = [];
                const rows: Scalar[][] = [];
                for await (const b of live.table('t').snapshot().scan({ columns: [ROW_ID_COLUMN, 0, 1, 2] })) {
                  for (let k = 0; k < b.count; k++) {
                    const i = b.selection === null ? k : b.selection[k]!;
                    const id = getScalar(b.columns[1]!, i) as number;
                    if (id % mod !== 0) continue;
                    rowIds.push(Number(getScalar(b.columns[0]!, i)));
                    update.old.set(id, Number(getScalar(b.columns[2]!, i)));
                    rows.push([id, update.g, getScalar(b.columns[3]!, i)]);
                  }
                }
                stats.updates++;
                return { rowIds, rows: batchOf(TYPES, rows) };
              })
              .then(
                () => {
                  for (const id of update.old.keys()) gOf.set(id, update.g);
                  unackedUpdates.splice(unackedUpdates.indexOf(update), 1);
                },
                () => undefined,
              ),
          );
        } else if (dice < 0.4) {
          const mod = 3 + Math.floor(random() * 5);
          const found: number[] = [];
          const live = store;
          unackedDeletes.push(found);
          pending.push(
            live
              .deleteWhere('t', async () => {
                const ids: number[] = [];
                for await (const b of live.table('t').snapshot().scan({ columns: [ROW_ID_COLUMN, 0] })) {
                  for (let k = 0; k < b.count; k++) {
                    const i = b.selection === null ? k : b.selection[k]!;
                    const id = getScalar(b.columns[1]!, i) as number;
                    if (id % mod === 0) {
                      ids.push(Number(getScalar(b.columns[0]!, i)));
                      found.push(id);
                    }
                  }
                }
                stats.deletes++;
                return ids;
              })
              .then(
                () => {
                  for (const id of found) {
                    durable.delete(id);
                    gone.add(id);
                  }
                  unackedDeletes.splice(unackedDeletes.indexOf(found), 1);
                },
                () => undefined,
              ),
          );
        } else {
          const ins: Insert = { first: nextId, count: 1 + Math.floor(random() * 12) };
          nextId += ins.count;
          const rows = Array.from({ length: ins.count }, (_, i) => [ins.first + i, Math.floor(random() * 50), random() < 0.2 ? null : `r${ins.first + i}`]);
          for (const r of rows) gOf.set(r[0] as number, r[1] as number);
          unacked.push(ins);
          pending.push(
            store.insert('t', batchOf(TYPES, rows)).then(
              () => {
                // An insert resolves after its rows are visible (and after the checkpoint a full
                // memtable triggers), so a delete may have removed some of them already.
                for (let i = 0; i < ins.count; i++) if (!gone.has(ins.first + i)) durable.add(ins.first + i);
              },
              () => undefined,
            ),
          );
        }
        // Let some inserts join one group commit, others go one by one.
        if (random() < 0.5) await Promise.race([...pending, new Promise((r) => setTimeout(r, 0))]);
      }
    }
    // Let the dead process's work fail out before the next one starts.
    await Promise.allSettled(pending);
    if (!fs.crashed) fs.crash(crashMode);
    // The dead process's background work (a merge) must end before the file system comes back:
    // a dead process does nothing more. Everything it tries now fails.
    await store?.close().catch(() => undefined);
    fs.restart();
    // The dead writer's lock names this (live) process; a new process would find it stale.
    await fs.unlink(`${DIR}/LOCK`).catch(() => undefined);

    const reopened = await DiskStore.open(fs, DIR, { memtableRows: 30, blockRows: 8 });
    if (reopened.manifest.tables.has('t')) {
      const found = await readRows(reopened.table('t').snapshot(), TYPES);
      const ids = found.map((r) => r[0] as number);
      const g = new Map(found.map((r) => [r[0] as number, Number(r[1])]));
      // Updates: acknowledged ones are there; an unacknowledged one wholly or not at all.
      for (const u of unackedUpdates) {
        const present = [...u.old.keys()].filter((id) => g.has(id));
        const applied = present.filter((id) => g.get(id) === u.g).length;
        expect([0, present.length], `seed ${seed} round ${round}: an update of ${u.old.size} rows is half applied`).toContain(applied);
        if (applied > 0) for (const id of present) gOf.set(id, u.g);
      }
      for (const [id, value] of g) {
        if (gOf.has(id)) expect(value, `seed ${seed} round ${round}: id ${id} has g ${value}, its last acknowledged write left ${gOf.get(id)}`).toBe(gOf.get(id));
      }
      const seen = new Set(ids);
      expect(seen.size, `seed ${seed} round ${round}: a row appears twice`).toBe(ids.length);
      for (const id of durable) {
        if (!unackedDeletes.some((d) => d.includes(id))) expect(seen.has(id), `seed ${seed} round ${round}: acknowledged id ${id} lost`).toBe(true);
      }
      for (const id of gone) expect(seen.has(id), `seed ${seed} round ${round}: id ${id} deleted (acknowledged) is back`).toBe(false);
      for (const found of unackedDeletes) {
        const present = found.filter((id) => seen.has(id)).length;
        expect([0, found.length], `seed ${seed} round ${round}: a delete of ${found.length} rows is half applied`).toContain(present);
        if (present === 0) {
          for (const id of found) {
            durable.delete(id);
            gone.add(id);
          }
        }
      }
      for (const ins of unacked) {
        // Rows a delete removed (or may have) are left out of the all-or-nothing count.
        let present = 0;
        let counted = 0;
        for (let i = 0; i < ins.count; i++) {
          const id = ins.first + i;
          if (gone.has(id) || unackedDeletes.some((d) => d.includes(id))) continue;
          counted++;
          if (seen.has(id)) present++;
        }
        expect([0, counted], `seed ${seed} round ${round}: insert at ${ins.first} is half present`).toContain(present);
      }
      for (const id of ids) durable.add(id);
      expect(seen.size).toBe(durable.size);
    } else {
      expect(durable.size, `seed ${seed}: table lost with acknowledged rows`).toBe(0);
    }
    await reopened.close();
  }
}

describe('DiskStore crash recovery', () => {
  it('keeps every acknowledged insert exactly once and no insert half, across random crashes', async () => {
    for (let seed = 1; seed <= 40; seed++) await runSeed(seed);
    expect(stats.deletes).toBeGreaterThan(20);
    expect(stats.compactions).toBeGreaterThan(10);
    expect(stats.updates).toBeGreaterThan(20);
  }, 120_000);
});
