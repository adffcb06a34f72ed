// DiskStore under simulated crashes (ForgetfulFileSystem): seeded random runs of concurrent
// inserts and checkpoints, each cut by a crash at a random operation (forgetting every unsynced
// change, or keeping a random, torn part of them), then reopened. Every acknowledged insert must
// be there exactly once, and an unacknowledged one wholly or not at all.

import { describe, expect, it } from 'vitest';
import { T } from '../../../common/types.js';
import { DiskStore } from '../../../storage/disk/disk-store.js';
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

async function runSeed(seed: number): Promise<void> {
  const random = rng(seed);
  const fs = new ForgetfulFileSystem();
  await fs.mkdir(DIR);
  await fs.syncDirectory('/');
  /** Ids known durable: acknowledged, or found after a reopen. */
  const durable = new Set<number>();
  let nextId = 0;
  for (let round = 0; round < 6; round++) {
    const pending: Promise<unknown>[] = [];
    const unacked: Insert[] = [];
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
        if (random() < 0.1) {
          pending.push(store.checkpoint().catch(() => undefined));
        } else {
          const ins: Insert = { first: nextId, count: 1 + Math.floor(random() * 12) };
          nextId += ins.count;
          const rows = Array.from({ length: ins.count }, (_, i) => [ins.first + i, Math.floor(random() * 50), random() < 0.2 ? null : `r${ins.first + i}`]);
          unacked.push(ins);
          pending.push(
            store.insert('t', batchOf(TYPES, rows)).then(
              () => {
                for (let i = 0; i < ins.count; i++) durable.add(ins.first + i);
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
    fs.restart();
    // The dead writer's lock names this (live) process; a new process would find it stale.
    await fs.unlink(`${DIR}/LOCK`).catch(() => undefined);

    const reopened = await DiskStore.open(fs, DIR, { memtableRows: 30, blockRows: 8 });
    if (reopened.manifest.tables.has('t')) {
      const ids = (await readRows(reopened.table('t').snapshot(), TYPES)).map((r) => r[0] as number);
      const seen = new Set(ids);
      expect(seen.size, `seed ${seed} round ${round}: a row appears twice`).toBe(ids.length);
      for (const id of durable) expect(seen.has(id), `seed ${seed} round ${round}: acknowledged id ${id} lost`).toBe(true);
      for (const ins of unacked) {
        let present = 0;
        for (let i = 0; i < ins.count; i++) if (seen.has(ins.first + i)) present++;
        expect([0, ins.count], `seed ${seed} round ${round}: insert at ${ins.first} is half present`).toContain(present);
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
  }, 120_000);
});
