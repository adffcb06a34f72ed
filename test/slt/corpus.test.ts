// Runs SQLite's sqllogictest corpus (../shared/sqllogictest, read in place, never copied) against
// Quiver: each file on a fresh in-memory database, in one worker, file after file. A file fails
// when it passes fewer records than its ratchet (test/slt/ratchet.json); the records in
// test/slt/exceptions.json are deliberate differences and count as expected to differ
// (exceptions.test.ts checks that list only shrinks).
// SLT_UPDATE_RATCHET=1 raises the ratchet to this run's counts (never lowers it).
// Each statement has a timeout guard (runner.ts) so one slow query cannot stall the corpus.

import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkExceptions, readExceptions } from './exceptions.js';
import { runSltFileOnQuiver } from './quiver-executor.js';
import { raiseRatchet, ratchetDrops, readRatchet, writeRatchet } from './ratchet.js';
import { DEFAULT_TIMEOUT_MS, describeFailure } from './runner.js';

const CORPUS_DIR = fileURLToPath(new URL('../../../shared/sqllogictest/', import.meta.url));
const RATCHET_PATH = fileURLToPath(new URL('./ratchet.json', import.meta.url));
const EXCEPTIONS_PATH = fileURLToPath(new URL('./exceptions.json', import.meta.url));
/** Failures printed per file. */
const FAILURES_SHOWN = 5;
/** The largest file has about 15,000 records; with the per-statement guard this is ample. */
const FILE_TIMEOUT_MS = 600_000;

const corpusPresent = existsSync(CORPUS_DIR);
const inCI = process.env.CI === 'true';
const updateRatchet = process.env.SLT_UPDATE_RATCHET === '1';

if (!corpusPresent && !inCI) {
  console.log(`sqllogictest corpus not found at ${CORPUS_DIR}: the corpus tests are skipped`);
}

describe.runIf(!corpusPresent && inCI)('sqllogictest corpus in CI', () => {
  it('is present', () => {
    throw new Error(`the sqllogictest corpus must exist at ${CORPUS_DIR} when CI=true`);
  });
});

describe.skipIf(!corpusPresent)('sqllogictest corpus', () => {
  const files = corpusPresent ? readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.test')).sort() : [];
  const ratchet = readRatchet(RATCHET_PATH);
  const exceptions = readExceptions(EXCEPTIONS_PATH);
  const passedByFile = new Map<string, number>();
  const totals = { applicable: 0, passed: 0, failed: 0, expectedToDiffer: 0, notApplicable: 0, afterHalt: 0 };

  for (const file of files) {
    it(
      file,
      async () => {
        const { records, report } = await runSltFileOnQuiver(CORPUS_DIR + file, file, DEFAULT_TIMEOUT_MS);
        const expectedLines = new Set(exceptions.filter((e) => e.file === file).map((e) => e.line));
        const failures = report.outcomes.filter((o) => !o.passed && !expectedLines.has(o.line));
        const expectedToDiffer = report.failed - failures.length;
        const nowPassing = report.outcomes.filter((o) => o.passed && expectedLines.has(o.line));
        const floor = ratchet.files[file] ?? 0;
        passedByFile.set(file, report.passed);
        totals.applicable += report.applicable;
        totals.passed += report.passed;
        totals.failed += failures.length;
        totals.expectedToDiffer += expectedToDiffer;
        totals.notApplicable += report.notApplicable;
        totals.afterHalt += report.afterHalt;

        const lines = [
          `${file}: ${report.applicable} applicable, ${report.passed} passed, ${failures.length} failed, ` +
            `${expectedToDiffer} expected to differ (ratchet ${floor}; ${report.notApplicable} not applicable` +
            (report.haltedAt === undefined ? ')' : `, ${report.afterHalt} after the halt at line ${report.haltedAt})`),
          ...failures.slice(0, FAILURES_SHOWN).map((o) => `  ${describeFailure(file, o)}`),
          ...nowPassing.map((o) => `  ${file}:${o.line} is in exceptions.json but passes`),
        ];
        console.log(lines.join('\n'));
        expect(checkExceptions(exceptions, file, records), 'exceptions.json entries').toEqual([]);
        expect(report.passed, `${file}: passing records fell below the ratchet`).toBeGreaterThanOrEqual(floor);
      },
      FILE_TIMEOUT_MS,
    );
  }

  it('keeps the ratchet (and raises it with SLT_UPDATE_RATCHET=1)', () => {
    console.log(
      `sqllogictest corpus: ${totals.applicable} applicable, ${totals.passed} passed, ${totals.failed} failed, ` +
        `${totals.expectedToDiffer} expected to differ (ratchet total ${ratchet.total}; ` +
        `${totals.notApplicable} not applicable, ${totals.afterHalt} after a halt)`,
    );
    if (updateRatchet) {
      const raised = raiseRatchet(ratchet, passedByFile);
      writeRatchet(RATCHET_PATH, raised);
      console.log(`ratchet written to ${RATCHET_PATH}: total ${raised.total}`);
    }
    expect(ratchetDrops(ratchet, passedByFile)).toEqual([]);
  });
});
