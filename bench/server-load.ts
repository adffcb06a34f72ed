// `npm run bench:load [-- --clients 64 --seconds 30 --url http://host:port]`: the HTTP server
// under load (bench/server-load-run.ts). Without --url it starts `quiver serve --demo` (SSB SF 0.1)
// over a temporary database on a free port and stops it at the end. Prints throughput, p50/p99
// latency, errors, and whether the inserted rows all arrived; exit code 1 on any error.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadReportText, runLoad } from './server-load-run.js';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { clients: { type: 'string' }, seconds: { type: 'string' }, url: { type: 'string' } } });
  const clients = Number(values.clients ?? 64);
  const seconds = Number(values.seconds ?? 30);
  if (!(Number.isInteger(clients) && clients > 0) || !(seconds > 0)) {
    process.stderr.write('Error: --clients must be a whole number above 0 and --seconds a number above 0\n');
    return 2;
  }
  let url = values.url ?? null;
  let stop = async (): Promise<void> => {};
  if (url === null) {
    const dir = mkdtempSync(join(tmpdir(), 'quiver-load-'));
    const child = spawn(process.execPath, [join(import.meta.dirname, '../cli/main.js'), 'serve', '--db', join(dir, 'db'), '--port', '0', '--demo'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /on (http:\/\/[\d.]+:\d+)/.exec(out);
        if (m !== null) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`quiver serve exited with ${code}: ${out}`)));
    });
    // Its request log is not needed here.
    child.stdout.removeAllListeners('data');
    child.stdout.resume();
    stop = async () => {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    };
  }
  try {
    const options = { url, clients, seconds, insertEvery: 4 };
    const report = await runLoad(options);
    process.stdout.write(loadReportText(options, report) + '\n');
    return report.errors === 0 && report.inserted === report.rowsInTable ? 0 : 1;
  } finally {
    await stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`Error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
