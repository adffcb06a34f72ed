// Runs Quiver's own SQL logic tests (test/sql/**/*.test), each file on a fresh in-memory
// database. Unlike the SQLite corpus, every record that applies must pass.

import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runSltFileOnQuiver } from './quiver-executor.js';
import { describeFailure } from './runner.js';

const SQL_DIR = fileURLToPath(new URL('../sql/', import.meta.url));

const files = readdirSync(SQL_DIR, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.test'))
  .map((f) => f.split('\\').join('/'))
  .sort();

describe('SQL logic tests (test/sql)', () => {
  it('finds test files', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(file, async () => {
      const { report } = await runSltFileOnQuiver(SQL_DIR + file, `test/sql/${file}`);
      const failures = report.outcomes.filter((o) => !o.passed).map((o) => describeFailure(`test/sql/${file}`, o));
      expect(failures, `${report.failed} of ${report.applicable} records failed`).toEqual([]);
      expect(report.applicable).toBeGreaterThan(0);
    });
  }
});
