// The read-only process of the cross-process reader test (reader-process.test.ts): it opens the
// database read-only through the compiled library (dist/; `npm run build` writes it) and answers
// one command per stdin line with one JSON line on stdout:
//
//   hold          takes a snapshot of table t and keeps it     -> { rows, version }
//   read-held     reads the held snapshot again                 -> { rows }
//   release-held  releases it                                   -> { ok }
//   read          reads a new snapshot (released after)         -> { rows, version }
//   refresh       DiskStore.refresh()                           -> { ok }
//   close         closes the store and exits 0                  -> { ok }
//
// Any failure is answered { error } and the process goes on. Usage: node reader-child.mjs DIR

import { createInterface } from 'node:readline';

const DIST = new URL('../../../dist/', import.meta.url);
const { DiskStore } = await import(new URL('storage/disk/disk-store.js', DIST).href);
const { nodeFileSystem } = await import(new URL('storage/fs/node-file-system.js', DIST).href);
const { getScalar } = await import(new URL('common/vector.js', DIST).href);

const dir = process.argv[2];
if (dir === undefined) {
  process.stderr.write('usage: node reader-child.mjs DIR\n');
  process.exit(2);
}

/** Column x of every row of a snapshot, ascending. */
async function rowsOf(snapshot) {
  const out = [];
  for await (const b of snapshot.scan({ columns: [0] })) {
    for (let k = 0; k < b.count; k++) out.push(getScalar(b.columns[0], b.selection === null ? k : b.selection[k]));
  }
  return out.sort((a, b) => a - b);
}

const reply = (value) => process.stdout.write(JSON.stringify(value) + '\n');

const store = await DiskStore.open(nodeFileSystem, dir, { readOnly: true });
let held = null;
reply({ ready: true, pid: process.pid });

const commands = {
  async hold() {
    held = store.table('t').snapshot();
    return { rows: await rowsOf(held), version: held.version };
  },
  async 'read-held'() {
    return { rows: await rowsOf(held) };
  },
  async 'release-held'() {
    held.release();
    held = null;
    return { ok: true };
  },
  async read() {
    const s = store.table('t').snapshot();
    try {
      return { rows: await rowsOf(s), version: s.version };
    } finally {
      s.release();
    }
  },
  async refresh() {
    await store.refresh();
    return { ok: true };
  },
  async close() {
    await store.close();
    return { ok: true };
  },
};

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const command = commands[line.trim()];
  try {
    if (command === undefined) throw new Error(`unknown command ${JSON.stringify(line)}`);
    reply(await command());
  } catch (e) {
    reply({ error: e instanceof Error ? e.message : String(e) });
  }
  if (line.trim() === 'close') process.exit(0);
}
