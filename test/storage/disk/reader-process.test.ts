// Readers in other processes (reader-child.mjs opens the database read-only through the compiled
// dist/: run `npm run build` before this file; `npm test` does). While this process writes, the
// child sees the data as of its open, then of refresh() (the log included); its lease keeps the
// parts its held snapshot reads after a compaction retired them, and once it closes the writer
// deletes them at its next commit. A child killed with SIGKILL leaves a lease the writer ignores
// and removes.

import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { T } from '../../../common/types.js';
import { DiskStore } from '../../../storage/disk/disk-store.js';
import { NodeFileSystem } from '../../../storage/fs/node-file-system.js';
import { partDirectoryName } from '../../../storage/manifest/database-layout.js';
import { batchOf } from './disk-test-helpers.js';

const CHILD = fileURLToPath(new URL('./reader-child.mjs', import.meta.url));
/** How long one answer of the child may take before the test fails. */
const ANSWER_MS = 20_000;

const fs = new NodeFileSystem();
let dir: string;
const stores: DiskStore[] = [];
const children: ChildProcessWithoutNullStreams[] = [];

beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'quiver-reader-process-')), 'db');
});

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const s of stores.splice(0)) await s.close();
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

interface Answer {
  ready?: boolean;
  pid?: number;
  rows?: number[];
  version?: number;
  ok?: boolean;
  error?: string;
}

/** A read-only child process and its answers, one per command, in order. */
class Reader {
  private readonly answers: Answer[] = [];
  private waiting: ((a: Answer) => void) | null = null;
  readonly exited: Promise<void>;
  private stderr = '';

  constructor(readonly proc: ChildProcessWithoutNullStreams) {
    createInterface({ input: proc.stdout }).on('line', (line) => {
      const answer = JSON.parse(line) as Answer;
      if (this.waiting !== null) {
        const w = this.waiting;
        this.waiting = null;
        w(answer);
      } else this.answers.push(answer);
    });
    proc.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => proc.on('exit', () => resolve()));
  }

  static async start(): Promise<Reader> {
    const proc = spawn(process.execPath, [CHILD, dir], { stdio: 'pipe' });
    children.push(proc);
    const reader = new Reader(proc);
    const first = await reader.next();
    expect(first).toEqual({ ready: true, pid: proc.pid });
    return reader;
  }

  next(): Promise<Answer> {
    const queued = this.answers.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the reader process did not answer in ${ANSWER_MS} ms; its stderr: ${this.stderr}`)), ANSWER_MS);
      this.exited.then(() => reject(new Error(`the reader process exited; its stderr: ${this.stderr}`)), () => undefined);
      this.waiting = (a) => {
        clearTimeout(timer);
        resolve(a);
      };
    });
  }

  async ask(command: string): Promise<Answer> {
    this.proc.stdin.write(command + '\n');
    const answer = await this.next();
    if (answer.error !== undefined) throw new Error(`the reader process failed "${command}": ${answer.error}`);
    return answer;
  }
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const partsOnDisk = () => readdirSync(join(dir, 'parts')).sort();
const leases = () => readdirSync(join(dir, 'readers')).map((n) => readFileSync(join(dir, 'readers', n), 'utf8').split('\n'));

async function writer(): Promise<DiskStore> {
  const s = await DiskStore.open(fs, dir, { compaction: 'off' });
  stores.push(s);
  await s.createTable({ name: 't', columns: [{ name: 'x', type: T.INTEGER, notNull: false }], sortKey: ['x'], primaryKey: [] });
  return s;
}

async function insert(store: DiskStore, values: number[]): Promise<void> {
  await store.insert('t', batchOf([T.INTEGER], values.map((v) => [v])));
}

describe('a read-only process beside the writer', () => {
  it('sees the data as of its open and of refresh, and its lease keeps the parts it reads', async () => {
    const w = await writer();
    await insert(w, range(1, 50));
    await w.checkpoint(); // p1
    await insert(w, range(51, 60));
    await w.checkpoint(); // p2
    await insert(w, range(61, 70)); // the log only

    const child = await Reader.start();
    const held = await child.ask('hold');
    expect(held.rows).toEqual(range(1, 70));
    expect(leases()).toEqual([[String(child.proc.pid), expect.any(String) as string, String(w.manifest.version), '']]);

    await w.compact(); // p1 + p2 -> p3
    await insert(w, range(71, 80));
    await w.checkpoint(); // p4
    await insert(w, [81]);
    expect(partsOnDisk()).toEqual([1, 2, 3, 4].map(partDirectoryName));

    expect((await child.ask('read-held')).rows).toEqual(range(1, 70));
    expect((await child.ask('read')).rows).toEqual(range(1, 70));
    await child.ask('refresh');
    const fresh = await child.ask('read');
    expect(fresh.rows).toEqual(range(1, 81));
    expect(fresh.version).toBe(w.manifest.version);
    expect((await child.ask('read-held')).rows).toEqual(range(1, 70));

    await child.ask('close');
    await child.exited;
    expect(leases()).toEqual([]);
    await insert(w, [82]);
    await w.checkpoint();
    expect(partsOnDisk()).toEqual([3, 4, 5].map(partDirectoryName));
  });

  it('a reader killed with SIGKILL leaves a lease the writer ignores and removes', async () => {
    const w = await writer();
    await insert(w, range(1, 10));
    await w.checkpoint();
    const child = await Reader.start();
    expect((await child.ask('hold')).rows).toEqual(range(1, 10));
    child.proc.kill('SIGKILL');
    await child.exited;
    expect(leases()).toHaveLength(1);
    await w.dropTable('t');
    expect(partsOnDisk()).toEqual([]);
    expect(leases()).toEqual([]);
  });
});
