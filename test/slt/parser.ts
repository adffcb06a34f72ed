// Parses a sqllogictest script (SQLite's format, plus DuckDB's expected-error message) into
// records. Records are blocks of lines separated by blank lines; lines starting with `#` are
// comments wherever they are, and anything after `#` on a control line (`skipif mysql # why`)
// is a comment too.
// Every record keeps the 1-based line of its command, which failure messages and the
// exception list (test/slt/exceptions.json) refer to. The runner (runner.ts) decides which
// records apply and runs them; this module only reads text.

/** `skipif <engine>` / `onlyif <engine>` lines in front of a record. */
export interface SltCondition {
  readonly kind: 'skipif' | 'onlyif';
  readonly engine: string;
}

export type SltSortMode = 'nosort' | 'rowsort' | 'valuesort';

/** What a query must return: the formatted values themselves, or their count and md5. */
export type SltExpected =
  | { readonly kind: 'values'; readonly values: readonly string[] }
  | { readonly kind: 'hash'; readonly count: number; readonly hash: string };

interface RecordBase {
  /** 1-based line of the record's command (`statement`, `query`, `halt`, `hash-threshold`). */
  readonly line: number;
  readonly conditions: readonly SltCondition[];
}

export interface SltStatement extends RecordBase {
  readonly kind: 'statement';
  readonly expectError: boolean;
  /** DuckDB-style `statement error` + `----` + text: the error message MUST contain it. */
  readonly errorMessage?: string;
  readonly sql: string;
}

export interface SltQuery extends RecordBase {
  readonly kind: 'query';
  /** One letter per column: I, R or T. */
  readonly types: string;
  readonly sort: SltSortMode;
  readonly label?: string;
  readonly sql: string;
  readonly expected: SltExpected;
}

export interface SltHalt extends RecordBase {
  readonly kind: 'halt';
}

export interface SltHashThreshold extends RecordBase {
  readonly kind: 'hash-threshold';
  readonly threshold: number;
}

export type SltRecord = SltStatement | SltQuery | SltHalt | SltHashThreshold;

export class SltParseError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`);
    this.name = 'SltParseError';
  }
}

const HASH_LINE = /^(\d+) values hashing to ([0-9a-f]{32})$/;
const TYPE_LETTERS = /^[ITR]+$/;
const SEPARATOR = '----';

/** The whitespace-separated words of a control line, without its trailing `# comment`. */
function controlWords(line: string): string[] {
  const hash = line.indexOf('#');
  const text = hash >= 0 ? line.slice(0, hash) : line;
  return text.trim().split(/\s+/).filter((w) => w.length > 0);
}

/**
 * Parses the text of a .test file. `file` names it in error messages. Line endings may be LF
 * or CRLF (SQLite's random_*.test files use CRLF). Throws SltParseError for a malformed record.
 */
export function parseSlt(text: string, file: string): SltRecord[] {
  // As in SQLite's runner, a line starting with "#" is skipped wherever it is (it neither
  // ends a record nor belongs to one), and a line of spaces is blank.
  const lines: string[] = [];
  const lineNumbers: number[] = [];
  const raw = text.split('\n');
  for (let i = 0; i < raw.length; i++) {
    let l = raw[i]!;
    if (l.endsWith('\r')) l = l.slice(0, -1);
    if (l.startsWith('#')) continue;
    lines.push(l.trim() === '' ? '' : l);
    lineNumbers.push(i + 1);
  }
  const records: SltRecord[] = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i] === '') {
      i++;
      continue;
    }
    // One record: the lines up to the next blank line (or the end of the file).
    let end = i;
    while (end < lines.length && lines[end] !== '') end++;
    records.push(parseBlock(lines.slice(i, end), lineNumbers.slice(i, end), file));
    i = end;
  }
  return records;
}

function parseBlock(block: string[], lineNumbers: number[], file: string): SltRecord {
  const conditions: SltCondition[] = [];
  let i = 0;
  for (; i < block.length; i++) {
    const words = controlWords(block[i]!);
    const kind = words[0];
    if (kind !== 'skipif' && kind !== 'onlyif') break;
    if (words.length !== 2) {
      throw new SltParseError(file, lineNumbers[i]!, `"${kind}" takes one engine name, got "${block[i]}"`);
    }
    conditions.push({ kind, engine: words[1]!.toLowerCase() });
  }
  if (i >= block.length) {
    throw new SltParseError(file, lineNumbers[0]!, 'skipif/onlyif must be followed by a record in the same block');
  }
  const line = lineNumbers[i]!;
  const words = controlWords(block[i]!);
  const body = block.slice(i + 1);
  switch (words[0]) {
    case 'statement':
      return parseStatement(words, body, conditions, line, file);
    case 'query':
      return parseQuery(words, body, conditions, line, file);
    case 'halt':
      return { kind: 'halt', line, conditions };
    case 'hash-threshold': {
      const threshold = Number(words[1]);
      if (words.length !== 2 || !Number.isInteger(threshold) || threshold < 0) {
        throw new SltParseError(file, line, `"hash-threshold" takes a non-negative integer, got "${block[i]}"`);
      }
      return { kind: 'hash-threshold', line, conditions, threshold };
    }
    default:
      throw new SltParseError(
        file,
        line,
        `unknown record "${block[i]}"; expected statement, query, halt, hash-threshold, skipif or onlyif`,
      );
  }
}

function parseStatement(
  words: string[],
  body: string[],
  conditions: SltCondition[],
  line: number,
  file: string,
): SltStatement {
  const mode = words[1];
  if ((mode !== 'ok' && mode !== 'error') || words.length !== 2) {
    throw new SltParseError(file, line, `expected "statement ok" or "statement error", got "${words.join(' ')}"`);
  }
  const sep = body.indexOf(SEPARATOR);
  const sqlLines = sep >= 0 ? body.slice(0, sep) : body;
  if (sqlLines.length === 0) throw new SltParseError(file, line, 'statement without SQL');
  const sql = sqlLines.join('\n');
  if (sep < 0) return { kind: 'statement', line, conditions, expectError: mode === 'error', sql };
  if (mode !== 'error') {
    throw new SltParseError(file, line, '"----" after a statement is only allowed for "statement error" (the expected message)');
  }
  const errorMessage = body.slice(sep + 1).join('\n').trim();
  if (errorMessage === '') throw new SltParseError(file, line, '"statement error" with "----" but no expected message');
  return { kind: 'statement', line, conditions, expectError: true, errorMessage, sql };
}

function parseQuery(
  words: string[],
  body: string[],
  conditions: SltCondition[],
  line: number,
  file: string,
): SltQuery {
  const types = words[1];
  if (types === undefined || !TYPE_LETTERS.test(types)) {
    throw new SltParseError(file, line, `query needs column types made of I, R and T, got "${words.join(' ')}"`);
  }
  const sortWord = words[2] ?? 'nosort';
  if (sortWord !== 'nosort' && sortWord !== 'rowsort' && sortWord !== 'valuesort') {
    throw new SltParseError(file, line, `unknown sort mode "${sortWord}"; expected nosort, rowsort or valuesort`);
  }
  if (words.length > 4) throw new SltParseError(file, line, `too many words in "${words.join(' ')}"`);
  const label = words[3];
  const sep = body.indexOf(SEPARATOR);
  const sqlLines = sep >= 0 ? body.slice(0, sep) : body;
  if (sqlLines.length === 0) throw new SltParseError(file, line, 'query without SQL');
  // Without "----" the query must return no rows.
  const resultLines = sep >= 0 ? body.slice(sep + 1) : [];
  const base = { kind: 'query' as const, line, conditions, types, sort: sortWord as SltSortMode, sql: sqlLines.join('\n') };
  const withLabel = label === undefined ? base : { ...base, label };
  const hashed = resultLines.length === 1 ? HASH_LINE.exec(resultLines[0]!) : null;
  if (hashed) {
    return { ...withLabel, expected: { kind: 'hash', count: Number(hashed[1]), hash: hashed[2]! } };
  }
  // One value per line (SQLite), or one row per line with tab-separated values (DuckDB).
  // Formatted values never contain a tab (it is non-printable and prints as "@"), so
  // splitting on tabs reads both layouts.
  const values: string[] = [];
  for (const l of resultLines) {
    if (l.includes('\t')) values.push(...l.split('\t'));
    else values.push(l);
  }
  return { ...withLabel, expected: { kind: 'values', values } };
}
