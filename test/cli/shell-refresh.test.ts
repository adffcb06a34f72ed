// The shell's .refresh (cli/shell.ts) on a read-only database beside a writer: a query shows the
// data as of the open until .refresh, then what the writer committed since; .refresh takes no
// argument, and on a database with nothing to refresh it does nothing.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database } from '../../sql/database.js';
import { parseDotCommand, PROMPT, runShell } from '../../cli/shell.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quiver-shell-refresh-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function collect(stream: PassThrough): { text: () => string } {
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => (text += chunk));
  return { text: () => text };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('.refresh', () => {
  it('parses without an argument only', () => {
    expect(parseDotCommand('.refresh')).toEqual({ kind: 'refresh' });
    expect(() => parseDotCommand('.refresh now')).toThrow('.refresh takes no argument (got "now")');
  });

  it('shows what the writer committed since the open', async () => {
    const path = join(dir, 'db');
    const writer = await Database.open(path);
    await writer.exec('CREATE TABLE t (a INT); INSERT INTO t VALUES (1)');
    const reader = await Database.open(path, { readOnly: true });
    const input = new PassThrough();
    const output = new PassThrough();
    const errors = new PassThrough();
    const out = collect(output);
    const err = collect(errors);
    const session = runShell({ db: reader, format: 'csv', input, output, errorOutput: errors, terminal: false, historyPath: null, banner: '' });
    input.write('.timer off\nSELECT count(*) AS n FROM t;\n');
    await until(() => out.text().includes('n\n1\n'), 'the first count');
    await writer.exec('INSERT INTO t VALUES (2), (3)');
    input.write('SELECT count(*) AS n FROM t;\n.refresh\nSELECT count(*) AS n FROM t;\n');
    input.end();
    await session;
    await reader.close();
    await writer.close();
    expect(out.text().replaceAll(PROMPT, '')).toBe('n\n1\nn\n1\nn\n3\n');
    expect(err.text()).toBe('');
  });

  it('does nothing on a database without refresh', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const errors = new PassThrough();
    const err = collect(errors);
    const db = { query: () => Promise.reject(new Error('not used')) };
    const session = runShell({ db, format: 'csv', input, output, errorOutput: errors, terminal: false, historyPath: null, banner: '' });
    input.end('.refresh\n');
    await session;
    expect(err.text()).toBe('');
  });
});
