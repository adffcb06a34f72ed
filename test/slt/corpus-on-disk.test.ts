// The SQLite corpus again, over on-disk databases with a small memtable (100 rows), 1,024-row
// blocks and eager compaction, so its tables span write-ahead-log records, checkpoints, column
// parts and merges. Every file must pass as
// many records as its ratchet (test/slt/ratchet.json) demands in memory, and fail only on the
// deliberate differences of exceptions.json.

import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readExceptions } from './exceptions.js';
import { runSltFileOnQuiver } from './quiver-executor.js';
import { readRatchet } from './ratchet.js';
import { DEFAULT_TIMEOUT_MS, describeFailure } from './runner.js';

const CORPUS_DIR = fileURLToPath(new URL('../../../shared/sqllogictest/', import.meta.url));
const RATCHET_PATH = fileURLToPath(new URL('./ratchet.json', import.meta.url));
const EXCEPTIONS_PATH = fileURLToPath(new URL('./exceptions.json', import.meta.url));
const MEMTABLE_ROWS = 100;
const BLOCK_ROWS = 1024;
const FILE_TIMEOUT_MS = 600_000;

const corpusPresent = existsSync(CORPUS_DIR);
const root = mkdtempSync(join(tmpdir(), 'quiver-corpus-disk-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// corpus.test.ts fails when the corpus is missing in CI; this file only follows it.
describe.skipIf(!corpusPresent)('sqllogictest corpus on disk (100-row memtable, 1,024-row blocks, eager compaction)', () => {
  const files = corpusPresent ? readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.test')).sort() : [];
  const ratchet = readRatchet(RATCHET_PATH);
  const exceptions = readExceptions(EXCEPTIONS_PATH);

  files.forEach((file, i) => {
    it(
      file,
      async () => {
        const storage = { dir: join(root, `db${i}`), memtableRows: MEMTABLE_ROWS, blockRows: BLOCK_ROWS, compaction: 'eager' as const };
        const { report } = await runSltFileOnQuiver(CORPUS_DIR + file, file, DEFAULT_TIMEOUT_MS, storage);
        const expected = new Set(exceptions.filter((e) => e.file === file).map((e) => e.line));
        const failures = report.outcomes.filter((o) => !o.passed && !expected.has(o.line)).map((o) => describeFailure(file, o));
        expect(failures.slice(0, 5), `${failures.length} unexpected failures on disk`).toEqual([]);
        expect(report.passed).toBeGreaterThanOrEqual(ratchet.files[file] ?? 0);
      },
      FILE_TIMEOUT_MS,
    );
  });
});
