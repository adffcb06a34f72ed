// One cycle of the SIGKILL crash test: start the writer (crash-child.mjs) on the database, feed
// its stdout to the ledger line by line, kill it with SIGKILL at the chosen moment, and wait
// until it is gone and its output is read to the end.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { CrashLedger } from './crash-ledger.js';

export const CHILD_SCRIPT = fileURLToPath(new URL('./crash-child.mjs', import.meta.url));
export const DIST_ENTRY = fileURLToPath(new URL('../../../dist/index.js', import.meta.url));

/** What crash-child.mjs reads from its argument (see the comment at its top). */
export interface ChildConfig {
  dir: string;
  scratch: string;
  firstBatch: number;
  seed: number;
  memtableRows: number;
  blockRows: number;
  compaction: 'auto' | 'eager' | 'off';
  concurrency: number;
  /** The child stops by itself after this long: it was never killed. */
  maxMs: number;
  /** Operations run once each, in order, before the others start. */
  firstOps: string[];
  ops: Record<string, number>;
  /** Batches a DROP TABLE (CREATE TABLE AS tables) or a DELETE (the main table) may remove. */
  droppable: [number, string][];
  deletable: number[];
}

/** When to kill: this many ms after the child printed "ready" (it opened the database), or after
 *  it was started (which may fall inside the open: lock takeover, log replay, leftover removal). */
export interface KillPlan {
  after: 'ready' | 'spawn';
  delayMs: number;
}

export interface CycleOutcome {
  /** Every line the child printed, in order. */
  lines: string[];
  /** Whether the child got as far as "ready". */
  ready: boolean;
  /** Lines the ledger refused, with the reason. */
  protocolErrors: string[];
  /** Set when the child ended by itself instead of by our SIGKILL. */
  unexpectedExit: string | null;
}

/** Waiting for "ready" longer than this means the child is stuck (a loaded machine takes ~2 s). */
const READY_TIMEOUT_MS = 60_000;

export function checkBuilt(): void {
  if (!existsSync(DIST_ENTRY)) {
    throw new Error(`the crash test runs the compiled library, and ${DIST_ENTRY} is missing: run \`npm run build\` first (npm test and npm run test:crash do)`);
  }
}

export function runCycle(config: ChildConfig, kill: KillPlan, ledger: CrashLedger): Promise<CycleOutcome> {
  const child = spawn(process.execPath, [CHILD_SCRIPT, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const outcome: CycleOutcome = { lines: [], ready: false, protocolErrors: [], unexpectedExit: null };
  let stderr = '';
  let killed = false;
  const killNow = () => {
    killed = true;
    child.kill('SIGKILL');
  };
  const timers: NodeJS.Timeout[] = [];
  if (kill.after === 'spawn') timers.push(setTimeout(killNow, kill.delayMs));
  timers.push(
    setTimeout(() => {
      if (!outcome.ready) {
        outcome.unexpectedExit = `the child printed no "ready" within ${READY_TIMEOUT_MS} ms`;
        killNow();
      }
    }, READY_TIMEOUT_MS),
  );
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    stderr += s;
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    outcome.lines.push(line);
    if (line === 'ready') {
      outcome.ready = true;
      if (kill.after === 'ready') timers.push(setTimeout(killNow, kill.delayMs));
      return;
    }
    try {
      ledger.apply(line);
    } catch (e) {
      outcome.protocolErrors.push((e as Error).message);
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    // 'close' comes after the process ended and its stdout and stderr were read to the end.
    child.on('close', (code, signal) => {
      for (const t of timers) clearTimeout(t);
      if (!killed || signal !== 'SIGKILL') {
        outcome.unexpectedExit ??= `the child ended by itself (exit code ${code}, signal ${signal})${stderr === '' ? '' : `:\n${stderr.trim()}`}`;
      }
      resolve(outcome);
    });
  });
}
