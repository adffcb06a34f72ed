// Crashing the write-ahead log with the forgetful file system: at random operations, with
// unsynced data forgotten or kept torn at random, concurrent appends, rotations and flushes in
// flight. After every crash and reopen: every acknowledged append is replayed, the records
// replayed are a prefix of those issued (nothing after a torn record), flushed records never
// come back, and the log keeps working. A seeded fast-check property drives random sequences.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ForgetfulFileSystem } from '../../../storage/fs/forgetful-file-system.js';
import type { WriteAheadLog } from '../../../storage/wal/write-ahead-log.js';
import { databaseFs, nextTurn, openLog, payload, seeded } from './wal-test-helpers.js';

/** The model: the records issued to the log in order (`issued`), of which those before
 *  `logStart` were flushed into parts by a committed manifest naming `firstSegment`. */
class LogModel {
  issued: number[] = [];
  logStart = 0;
  firstSegment: number | undefined;
  readonly acked = new Set<number>();
  nextId = 0;

  /** Checks what a reopened log replayed, then takes it as the log's contents. */
  recovered(ids: number[], clean: boolean): void {
    const expected = this.issued.slice(this.logStart);
    if (clean) expect(ids).toEqual(expected);
    // Nothing after a torn record, nothing flushed, nothing out of order: a prefix.
    expect(ids).toEqual(expected.slice(0, ids.length));
    const lost = expected.slice(ids.length).filter((id) => this.acked.has(id));
    expect(lost, 'acknowledged records lost').toEqual([]);
    this.issued.length = this.logStart + ids.length;
    for (const id of ids) this.acked.add(id);
  }
}

class Harness {
  readonly model = new LogModel();
  pending: Promise<unknown>[] = [];
  private constructor(readonly fs: ForgetfulFileSystem, public log: WriteAheadLog) {}

  static async start(): Promise<Harness> {
    const fs = await databaseFs({ syncDelay: nextTurn });
    return new Harness(fs, (await openLog(fs)).log);
  }

  append(size: number): void {
    const id = this.model.nextId++;
    this.model.issued.push(id);
    this.pending.push(this.log.append(payload(id, size)).then(() => this.model.acked.add(id), () => undefined));
  }

  rotate(): void {
    this.pending.push(this.log.rotate().catch(() => undefined));
  }

  /** What the engine does to flush: rotate, commit the manifest, remove the old segments. */
  flush(): void {
    const cut = this.model.issued.length;
    const log = this.log;
    this.pending.push((async () => {
      const first = await log.rotate();
      // The manifest commit: records before the rotation now live in parts.
      this.model.logStart = Math.max(this.model.logStart, cut);
      this.model.firstSegment = first;
      await log.removeSegmentsBefore(first);
    })().catch(() => undefined));
  }

  async settle(): Promise<void> {
    await Promise.allSettled(this.pending);
    this.pending = [];
  }

  /** Closes (or finds the process crashed), reopens and checks the replay against the model. */
  async reopen(): Promise<void> {
    await this.settle();
    await this.log.close().catch(() => undefined);
    const crashed = this.fs.crashed;
    this.fs.restart(); // a new process; also disarms a crash that did not happen
    const first = this.model.firstSegment;
    const { log, ids } = await openLog(this.fs, first === undefined ? {} : { firstSegment: first });
    this.model.recovered(ids, !crashed);
    this.log = log;
  }
}

describe('WriteAheadLog crashes', () => {
  it('keeps every acknowledged append at random crash points, torn or not', async () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rnd = seeded(seed);
      const h = await Harness.start();
      h.fs.crashAfter(Math.floor(rnd() * 80), rnd() < 0.5 ? { random: seeded(seed * 7919) } : {});
      for (let wave = 0; wave < 10 && !h.fs.crashed; wave++) {
        const n = 1 + Math.floor(rnd() * 25);
        for (let i = 0; i < n; i++) h.append(4 + Math.floor(rnd() * 300));
        if (rnd() < 0.15) h.flush();
        if (rnd() < 0.5) await h.settle();
        else await nextTurn();
      }
      await h.reopen();
      // The recovered log takes new records after the last valid one.
      h.append(20);
      await h.reopen();
      await h.log.close();
    }
  });

  it('holds for random sequences of appends, rotations, flushes, crashes and reopens', async () => {
    type Command =
      | { kind: 'append'; count: number; size: number }
      | { kind: 'settle' | 'tick' | 'rotate' | 'flush' | 'reopen' }
      | { kind: 'crash'; after: number; torn: boolean; seed: number };
    const command: fc.Arbitrary<Command> = fc.oneof(
      { arbitrary: fc.record({ kind: fc.constant('append' as const), count: fc.integer({ min: 1, max: 30 }), size: fc.integer({ min: 4, max: 400 }) }), weight: 6 },
      { arbitrary: fc.constantFrom<Command>({ kind: 'settle' }, { kind: 'tick' }), weight: 3 },
      { arbitrary: fc.constantFrom<Command>({ kind: 'rotate' }, { kind: 'flush' }), weight: 2 },
      { arbitrary: fc.constant<Command>({ kind: 'reopen' }), weight: 1 },
      {
        arbitrary: fc.record({ kind: fc.constant('crash' as const), after: fc.integer({ min: 0, max: 40 }), torn: fc.boolean(), seed: fc.integer({ min: 1, max: 1 << 30 }) }),
        weight: 2,
      },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 30 }), async (commands) => {
        const h = await Harness.start();
        for (const c of commands) {
          switch (c.kind) {
            case 'append':
              for (let i = 0; i < c.count; i++) h.append(c.size);
              break;
            case 'settle':
              await h.settle();
              break;
            case 'tick':
              await nextTurn();
              break;
            case 'rotate':
              h.rotate();
              break;
            case 'flush':
              h.flush();
              break;
            case 'reopen':
              await h.reopen();
              break;
            case 'crash':
              h.fs.crashAfter(c.after, c.torn ? { random: seeded(c.seed) } : {});
              break;
          }
        }
        await h.reopen();
        await h.log.close();
      }),
      { seed: 20_260_301, numRuns: 200 },
    );
  });
});
