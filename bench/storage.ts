// Storage benchmark: SSB lineorder on disk. Loads lineorder.tbl into an on-disk Quiver database
// (COPY: one part sorted by lo_orderdate) and into a DuckDB database file, writes it as Parquet
// through DuckDB, and compares bytes on disk (against the .tbl file), load time and rows/s. For
// Quiver it also lists each column's bytes and block encodings (from part.meta), times a scan of
// every column, and counts the blocks SSB q1.1's filter reads and skips (zone maps over the
// part, with q1.1's predicates as pushed storage predicates); the q1.1 revenue summed over the
// blocks read is checked against DuckDB's answer on the same rows.
//
// Run: npm run build && npm run bench:storage -- --sf 1 [--dir DIR] [--out FILE] [--work DIR]
//      [--keep] [--duckdb-threads N] [--quiver-only]

import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { StorageBenchOptions } from './storage-run.js';

function options(): StorageBenchOptions {
  const { values } = parseArgs({
    options: {
      sf: { type: 'string', default: '1' },
      dir: { type: 'string' },
      out: { type: 'string' },
      work: { type: 'string' },
      keep: { type: 'boolean', default: false },
      'duckdb-threads': { type: 'string' },
      'quiver-only': { type: 'boolean', default: false },
    },
  });
  const sf = Number(values.sf);
  if (!(sf > 0)) throw new Error(`--sf must be a positive number, got ${values.sf}`);
  const threads = Number(values['duckdb-threads'] ?? availableParallelism());
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`--duckdb-threads must be a positive integer, got ${values['duckdb-threads']}`);
  return {
    sf,
    dir: resolve(values.dir ?? join(tmpdir(), `quiver-ssb-sf${sf}`)),
    out: resolve(values.out ?? join('bench', 'results', `storage-sf${sf}.json`)),
    work: values.work === undefined ? null : resolve(values.work),
    keep: values.keep,
    threads,
    quiverOnly: values['quiver-only'],
  };
}

async function main(): Promise<void> {
  const o = options();
  // The `roaring` package finds its native binding through node-pre-gyp, which parses
  // process.argv when it loads and takes `--dir` for its own `--directory` (the folder of
  // roaring's package.json). Our flags are read: keep them from it.
  process.argv.splice(2);
  const { runStorageBenchmark } = await import('./storage-run.js');
  await runStorageBenchmark(o);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exitCode = 1;
});
