// The interactive SQL shell of `quiver sql --db DIR` in a terminal.
//
// Lines accumulate until a statement ends with ';' outside quotes and comments (StatementBuffer,
// which splits with the lexer's rules for '...', "...", -- and /* */). Each complete statement
// runs on its own and its result is printed in the chosen format, followed by its time. Lines
// starting with '.' at the start of a statement are shell commands (.help, .tables, .quit, ...).
// Ctrl+C clears the input being typed, or cancels the running query through its AbortSignal;
// Ctrl+D (end of input) leaves. History is kept in ~/.quiver_history (QUIVER_HISTORY overrides
// the path; an empty QUIVER_HISTORY turns it off), capped at HISTORY_LIMIT lines.

import { appendFile, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { QuiverError, toQuiverError } from '../common/errors.js';
import type { Database } from '../sql/database.js';
import { OUTPUT_FORMATS, type OutputFormat, streamSink, writeResult } from '../sql/result-format.js';

export const PROMPT = 'quiver> ';
/** The prompt while a statement is incomplete: as wide as PROMPT, so the text lines up. */
export const CONTINUATION_PROMPT = '   ...> ';
/** Lines kept in the history file and in the in-memory history. */
export const HISTORY_LIMIT = 1000;

// ---------------------------------------------------------------------------------------------
// Statement splitting

export interface SplitResult {
  /** The complete statements, each trimmed and ending with its ';'. */
  statements: string[];
  /** The text after the last complete statement; '' when it holds only blanks and comments. */
  rest: string;
  /** True when `rest` is an unfinished statement (text, or an open quote or block comment). */
  pending: boolean;
}

const enum ScanState {
  Code,
  SingleQuote,
  DoubleQuote,
  LineComment,
  BlockComment,
}

const SEMICOLON = 59;
const QUOTE = 39;
const DOUBLE_QUOTE = 34;
const DASH = 45;
const SLASH = 47;
const STAR = 42;
const NEWLINE = 10;

/**
 * Splits SQL text at the semicolons that end statements. As in the lexer, a quote inside '...'
 * or "..." is escaped by doubling it, and block comments do not nest. A ';' with only blanks
 * and comments before it ends nothing (it is dropped).
 */
export function splitStatements(text: string): SplitResult {
  const statements: string[] = [];
  let state = ScanState.Code;
  let start = 0;
  let significant = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const ch = text.charCodeAt(i);
    switch (state) {
      case ScanState.Code:
        if (ch === QUOTE) {
          state = ScanState.SingleQuote;
          significant = true;
        } else if (ch === DOUBLE_QUOTE) {
          state = ScanState.DoubleQuote;
          significant = true;
        } else if (ch === DASH && text.charCodeAt(i + 1) === DASH) {
          state = ScanState.LineComment;
          i++;
        } else if (ch === SLASH && text.charCodeAt(i + 1) === STAR) {
          state = ScanState.BlockComment;
          i++;
        } else if (ch === SEMICOLON) {
          if (significant) statements.push(text.slice(start, i + 1).trim());
          start = i + 1;
          significant = false;
        } else if (!isBlank(ch)) {
          significant = true;
        }
        break;
      case ScanState.SingleQuote:
      case ScanState.DoubleQuote: {
        const close = state === ScanState.SingleQuote ? QUOTE : DOUBLE_QUOTE;
        if (ch === close) {
          if (text.charCodeAt(i + 1) === close) i++;
          else state = ScanState.Code;
        }
        break;
      }
      case ScanState.LineComment:
        if (ch === NEWLINE) state = ScanState.Code;
        break;
      case ScanState.BlockComment:
        if (ch === STAR && text.charCodeAt(i + 1) === SLASH) {
          state = ScanState.Code;
          i++;
        }
        break;
    }
  }
  // An open line comment ends with the text; open quotes and block comments continue.
  const pending = significant || state === ScanState.SingleQuote || state === ScanState.DoubleQuote || state === ScanState.BlockComment;
  return { statements, rest: pending ? text.slice(start) : '', pending };
}

function isBlank(ch: number): boolean {
  return ch === 32 || (ch >= 9 && ch <= 13);
}

/** Accumulates input lines into complete statements. */
export class StatementBuffer {
  private text = '';

  /** Adds one line; returns the statements it completed (possibly none, possibly several). */
  push(line: string): string[] {
    const { statements, rest } = splitStatements(this.text + line + '\n');
    this.text = rest;
    return statements;
  }

  /** True while a statement is incomplete. */
  get pending(): boolean {
    return this.text.length > 0;
  }

  clear(): void {
    this.text = '';
  }
}

// ---------------------------------------------------------------------------------------------
// Shell commands

export type DotCommand =
  | { kind: 'help' }
  | { kind: 'tables' }
  | { kind: 'refresh' }
  | { kind: 'quit' }
  | { kind: 'format'; format: OutputFormat | null }
  | { kind: 'timer'; on: boolean | null };

export const SHELL_HELP = [
  "Type SQL statements ending with ';' (they may span lines), or one of these commands:",
  '  .help             Show this help',
  '  .tables           List the tables (SHOW TABLES)',
  '  .refresh          Read-only: see what the writer committed since the open or last refresh',
  `  .format [FORMAT]  Show or set the output format: ${OUTPUT_FORMATS.join(', ')}`,
  '  .timer [on|off]   Show or set whether each statement\'s time is printed',
  '  .quit, .exit      Leave the shell (or press Ctrl+D)',
  'Ctrl+C clears the current input, or cancels the running query.',
  '',
].join('\n');

/** Parses a line starting with '.'; throws a QuiverError naming what is wrong. */
export function parseDotCommand(line: string): DotCommand {
  const [word, arg, extra] = line.trim().split(/\s+/);
  const noArgument = (): void => {
    if (arg !== undefined) throw new QuiverError('INVALID_INPUT', `${word} takes no argument (got "${arg}")`);
  };
  if (extra !== undefined) throw new QuiverError('INVALID_INPUT', `too many arguments for ${word}; type .help`);
  switch (word) {
    case '.help':
      noArgument();
      return { kind: 'help' };
    case '.tables':
      noArgument();
      return { kind: 'tables' };
    case '.refresh':
      noArgument();
      return { kind: 'refresh' };
    case '.quit':
    case '.exit':
      noArgument();
      return { kind: 'quit' };
    case '.format':
      if (arg === undefined) return { kind: 'format', format: null };
      if (!(OUTPUT_FORMATS as readonly string[]).includes(arg)) {
        throw new QuiverError('INVALID_INPUT', `unknown format "${arg}"; use one of ${OUTPUT_FORMATS.join(', ')}`);
      }
      return { kind: 'format', format: arg as OutputFormat };
    case '.timer':
      if (arg === undefined) return { kind: 'timer', on: null };
      if (arg !== 'on' && arg !== 'off') throw new QuiverError('INVALID_INPUT', `.timer takes on or off (got "${arg}")`);
      return { kind: 'timer', on: arg === 'on' };
    default:
      throw new QuiverError('INVALID_INPUT', `unknown command ${word}; type .help for the commands`);
  }
}

// ---------------------------------------------------------------------------------------------
// History

/** The history file: the default path, QUIVER_HISTORY instead, or null (off) when that is empty. */
export function defaultHistoryPath(env: NodeJS.ProcessEnv = process.env): string | null {
  const configured = env['QUIVER_HISTORY'];
  if (configured !== undefined) return configured === '' ? null : configured;
  return join(homedir(), '.quiver_history');
}

/**
 * Input lines, one per line of the file, oldest first. A failure to read or write the file
 * is reported once and turns the file off: the shell works without history.
 */
export class HistoryFile {
  private lines = 0;

  constructor(
    private path: string | null,
    private readonly warn: (message: string) => void,
    private readonly limit = HISTORY_LIMIT,
  ) {}

  /** The last `limit` lines, newest first (the order readline wants); trims the file to them. */
  async load(): Promise<string[]> {
    if (this.path === null) return [];
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.fail('read', e);
      return [];
    }
    const all = text.split('\n').filter((l) => l.trim() !== '');
    const kept = all.slice(-this.limit);
    this.lines = kept.length;
    if (kept.length < all.length) await this.rewrite(kept);
    return kept.reverse();
  }

  async append(lines: readonly string[]): Promise<void> {
    const kept = lines.filter((l) => l.trim() !== '');
    if (this.path === null || kept.length === 0) return;
    try {
      await appendFile(this.path, kept.join('\n') + '\n', { mode: 0o600 });
      this.lines += kept.length;
    } catch (e) {
      this.fail('write', e);
    }
  }

  /** Cuts the file back to the last `limit` lines when a long session went past them. */
  async trim(): Promise<void> {
    if (this.path === null || this.lines <= this.limit) return;
    try {
      const all = (await readFile(this.path, 'utf8')).split('\n').filter((l) => l.trim() !== '');
      await this.rewrite(all.slice(-this.limit));
    } catch (e) {
      this.fail('trim', e);
    }
  }

  /** Replaces the file whole (temp file + rename), so a crash never leaves half of it. */
  private async rewrite(lines: readonly string[]): Promise<void> {
    if (this.path === null) return;
    const temp = `${this.path}.${process.pid}.tmp`;
    try {
      await writeFile(temp, lines.length === 0 ? '' : lines.join('\n') + '\n', { mode: 0o600 });
      await rename(temp, this.path);
      this.lines = lines.length;
    } catch (e) {
      this.fail('write', e);
    }
  }

  private fail(what: string, e: unknown): void {
    const reason = e instanceof Error ? e.message : String(e);
    this.warn(`warning: cannot ${what} the history file ${this.path}: ${reason}; history is off for this session`);
    this.path = null;
  }
}

// ---------------------------------------------------------------------------------------------
// The shell

export interface ShellOptions {
  /** query() runs the statements, one at a time, each with its own AbortSignal; refresh()
   *  serves .refresh (a database without it has nothing to refresh). */
  db: Pick<Database, 'query'> & Partial<Pick<Database, 'refresh'>>;
  format: OutputFormat;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  errorOutput: NodeJS.WritableStream;
  /** True in a terminal: line editing, history, Ctrl+C. False when driven through pipes (tests). */
  terminal: boolean;
  historyPath: string | null;
  /** Printed once at the start. */
  banner: string;
}

/**
 * Runs the shell until .quit or the end of input.
 *
 * Lines are taken in as they arrive (the 'line' event), so the statement buffer always reflects
 * what was typed, and Ctrl+C clears exactly that. The work they produce (statements, dot
 * commands) runs in order through one queue; the prompt is shown whenever the queue is idle.
 * Ctrl+C while a statement runs cancels it and drops the statements typed ahead of it.
 */
export async function runShell(o: ShellOptions): Promise<void> {
  const { db, output, errorOutput } = o;
  const printError = (e: unknown) => void errorOutput.write(`Error: ${toQuiverError(e).describe()}\n`);
  const history = new HistoryFile(o.terminal ? o.historyPath : null, (m) => void errorOutput.write(m + '\n'));
  const rl = createInterface({
    input: o.input,
    output,
    terminal: o.terminal,
    prompt: PROMPT,
    history: await history.load(),
    historySize: HISTORY_LIMIT,
  });
  const buffer = new StatementBuffer();
  /** The lines of the statement being typed, written to the history file when it completes. */
  let typed: string[] = [];
  let format = o.format;
  let timer = true;
  let running: AbortController | null = null;
  let quitting = false;
  let inputClosed = false;
  /** The work not finished yet, in order; `queued` counts it. */
  let work: Promise<void> = Promise.resolve();
  let queued = 0;
  /** Bumped by Ctrl+C: queued work from before it is dropped. */
  let generation = 0;
  let historyWrites: Promise<void> = Promise.resolve();

  const showPrompt = () => {
    if (quitting || inputClosed) return;
    rl.setPrompt(buffer.pending ? CONTINUATION_PROMPT : PROMPT);
    rl.prompt();
  };
  const enqueue = (task: () => Promise<void>) => {
    const g = generation;
    queued++;
    work = work.then(async () => {
      try {
        if (g === generation && !quitting) await task();
      } finally {
        queued--;
        if (queued === 0) showPrompt();
      }
    });
  };
  const remember = (lines: readonly string[]) => {
    historyWrites = historyWrites.then(() => history.append(lines));
  };

  const run = async (sql: string): Promise<void> => {
    const controller = new AbortController();
    running = controller;
    const start = performance.now();
    try {
      const result = await db.query(sql, [], { signal: controller.signal });
      const elapsed = performance.now() - start;
      await writeResult(result, format, streamSink(output));
      if (timer) output.write(`Time: ${formatElapsed(elapsed)}\n`);
    } catch (e) {
      printError(e);
    } finally {
      running = null;
    }
  };

  const dot = async (line: string): Promise<void> => {
    let command: DotCommand;
    try {
      command = parseDotCommand(line);
    } catch (e) {
      printError(e);
      return;
    }
    switch (command.kind) {
      case 'help':
        output.write(SHELL_HELP);
        return;
      case 'tables':
        await run('SHOW TABLES');
        return;
      case 'refresh':
        try {
          await db.refresh?.();
        } catch (e) {
          printError(e);
        }
        return;
      case 'quit':
        quitting = true;
        rl.close();
        return;
      case 'format':
        if (command.format === null) output.write(`format: ${format}\n`);
        else format = command.format;
        return;
      case 'timer':
        if (command.on === null) output.write(`timer: ${timer ? 'on' : 'off'}\n`);
        else timer = command.on;
        return;
    }
  };

  rl.on('line', (line) => {
    if (!buffer.pending && line.trimStart().startsWith('.')) {
      remember([line]);
      enqueue(() => dot(line));
    } else {
      typed.push(line);
      const statements = buffer.push(line);
      if (!buffer.pending) {
        remember(typed);
        typed = [];
      }
      for (const sql of statements) enqueue(() => run(sql));
    }
    if (queued === 0) showPrompt();
  });

  rl.on('SIGINT', () => {
    if (queued > 0) {
      // Cancel the running statement and drop what was typed ahead of it.
      generation++;
      running?.abort(new QuiverError('CANCELLED', 'query cancelled (Ctrl+C)'));
      return;
    }
    // Move to the end of the line and delete it, so the next prompt starts empty.
    const hadInput = buffer.pending || rl.line.length > 0;
    rl.write(null, { ctrl: true, name: 'e' });
    rl.write(null, { ctrl: true, name: 'u' });
    buffer.clear();
    typed = [];
    output.write(hadInput ? '^C\n' : '^C (type .quit or press Ctrl+D to leave)\n');
    showPrompt();
  });

  const closed = new Promise<void>((resolve) =>
    rl.once('close', () => {
      inputClosed = true;
      resolve();
    }),
  );
  output.write(o.banner);
  showPrompt();
  await closed;
  // The end of input: what was queued still runs (a piped script), then the shell ends.
  await work;
  await historyWrites;
  await history.trim();
  if (o.terminal) output.write('\n');
}

/** '0.412 ms', '12.3 ms', '1.52 s'. */
export function formatElapsed(ms: number): string {
  if (ms < 1) return `${ms.toFixed(3)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}
