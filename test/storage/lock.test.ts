// The writer lock (storage/lock.ts) on the real file system: a second writer, in this process or
// another live one, fails with "database is locked by process N"; a lock left by a dead process,
// by another boot, or holding garbage is taken over; racing acquirers get exactly one lock;
// release removes only our own lock.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { acquireWriterLock } from '../../storage/lock.js';

const root = mkdtempSync(join(tmpdir(), 'quiver-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let count = 0;
const freshDir = () => {
  const dir = join(root, `db-${++count}`);
  mkdirSync(dir);
  return dir;
};
const lockPid = (dir: string) => Number(readFileSync(join(dir, 'LOCK'), 'utf8').split('\n')[0]);

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  expect(child.status).toBe(0);
  return child.pid!;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

describe('acquireWriterLock', () => {
  it('creates LOCK with our pid; a second acquire fails naming the pid; release frees it', async () => {
    const dir = freshDir();
    const lock = await acquireWriterLock(dir);
    expect(lock.pid).toBe(process.pid);
    expect(lockPid(dir)).toBe(process.pid);
    await expect(acquireWriterLock(dir)).rejects.toMatchObject({
      code: 'IO_ERROR',
      message: expect.stringContaining(`database is locked by process ${process.pid}`),
    });
    await lock.release();
    await lock.release();
    expect(existsSync(join(dir, 'LOCK'))).toBe(false);
    const again = await acquireWriterLock(dir);
    await again.release();
  });

  it('fails while another live process holds the lock', async () => {
    const dir = freshDir();
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    children.push(child);
    writeFileSync(join(dir, 'LOCK'), `${child.pid}\n`);
    await expect(acquireWriterLock(dir)).rejects.toMatchObject({ message: expect.stringContaining(`database is locked by process ${child.pid}`) });
    // pid 1 always exists; signalling it is EPERM for an ordinary user, which also means alive.
    writeFileSync(join(dir, 'LOCK'), '1\n');
    await expect(acquireWriterLock(dir)).rejects.toMatchObject({ message: expect.stringContaining('database is locked by process 1') });
  });

  it('takes over the stale lock of a dead process', async () => {
    const dir = freshDir();
    const dead = deadPid();
    writeFileSync(join(dir, 'LOCK'), `${dead}\n`);
    const lock = await acquireWriterLock(dir);
    expect(lockPid(dir)).toBe(process.pid);
    await lock.release();
  });

  it('takes over a lock from another boot, whatever its pid', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'LOCK'), '1\nboot-before-the-power-cut\n');
    const lock = await acquireWriterLock(dir);
    expect(lockPid(dir)).toBe(process.pid);
    await lock.release();
  });

  it('takes over an empty or garbage lock file', async () => {
    for (const garbage of ['', 'garbage', '0\n', '-5\n', '12abc\n', '\u0000\u0000']) {
      const dir = freshDir();
      writeFileSync(join(dir, 'LOCK'), garbage);
      const lock = await acquireWriterLock(dir);
      expect(lockPid(dir)).toBe(process.pid);
      await lock.release();
    }
  });

  it('gives exactly one lock to acquirers racing for a free or a stale lock', async () => {
    for (const stale of [false, true]) {
      const dir = freshDir();
      if (stale) writeFileSync(join(dir, 'LOCK'), `${deadPid()}\n`);
      const results = await Promise.allSettled([1, 2, 3, 4].map(() => acquireWriterLock(dir)));
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(String(r.reason)).toContain('database is locked by process');
      await (won[0] as PromiseFulfilledResult<{ release(): Promise<void> }>).value.release();
      expect(existsSync(join(dir, 'LOCK.takeover'))).toBe(false);
    }
  });

  it('release leaves a lock that is no longer ours', async () => {
    const dir = freshDir();
    const lock = await acquireWriterLock(dir);
    writeFileSync(join(dir, 'LOCK'), '1\n');
    await lock.release();
    expect(readFileSync(join(dir, 'LOCK'), 'utf8')).toBe('1\n');
  });

  it('fails with IO_ERROR naming the lock file when the directory is missing', async () => {
    const dir = join(root, 'no-such-db');
    await expect(acquireWriterLock(dir)).rejects.toMatchObject({ code: 'IO_ERROR', message: expect.stringContaining(join(dir, 'LOCK')) });
  });
});
