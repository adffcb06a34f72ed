// Differential test over an on-disk Quiver database with a tiny memtable (100 rows), small blocks
// and eager compaction, so the tables are spread over write-ahead-log records, checkpointed and
// merged parts and many zone-mapped blocks (see random-queries-suite.ts). Fewer queries than in memory: the engine
// above storage is the same, what differs is where the rows come from.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { describeRandomQueries } from './random-queries-suite.js';
import { QuiverEngine } from './quiver-engine.js';

const dir = mkdtempSync(join(tmpdir(), 'quiver-diff-disk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeRandomQueries(
  'on disk',
  (queryTimeoutMs) => QuiverEngine.open(join(dir, 'db'), { queryTimeoutMs }, { memtableRows: 100, blockRows: 256, compaction: 'eager' }),
  200,
);
