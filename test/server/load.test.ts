// A short version of the server load test (bench/server-load.ts): 16 clients for two seconds
// mixing SSB queries (GET and POST) and inserts against a real socket. No request may fail, and
// the table written to must hold exactly the rows whose inserts were acknowledged.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadReportText, runLoad } from '../../bench/server-load-run.js';
import { ensureSsbData, quiverCopyTbl, readSsbSchema } from '../../cli/ssb-files.js';
import { createServer } from '../../server/server.js';
import { Database } from '../../sql/database.js';

describe('the server under load', () => {
  it('answers every request of 16 clients, and keeps every acknowledged insert', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quiver-load-test-'));
    const db = await Database.open(join(dir, 'db'));
    const app = createServer(db);
    try {
      const { files } = await ensureSsbData(join(dir, 'ssb'), 0.01);
      await db.exec(readSsbSchema());
      for (const f of files) await db.exec(quiverCopyTbl(f.table, f.file));
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      const options = { url, clients: 16, seconds: 2, insertEvery: 4 };
      const report = await runLoad(options);
      expect(report.errors, loadReportText(options, report)).toBe(0);
      expect(report.requests).toBeGreaterThan(16);
      expect(report.inserted).toBeGreaterThan(0);
      expect(report.rowsInTable).toBe(report.inserted);
    } finally {
      await app.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
