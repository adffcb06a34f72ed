// Result formatting for the command line and the HTTP server: a QueryResult as aligned text (table), the JSON answer
// of DESIGN.md (json), one JSON object per row (ndjson) or RFC 4180 CSV (csv).
//
// Output is produced batch by batch into chunks of about 64 KiB handed to a TextSink, so a large
// result is never held as one string, and a slow reader (a pipe) applies backpressure. Values are
// read straight from the column vectors: a constant vector is formatted once for all its rows,
// and BIGINT held as doubles never becomes a bigint per value.
//
// Value rules:
//   table, csv   the SQL text form (what CAST(x AS VARCHAR) gives): DOUBLE as PostgreSQL prints
//                float8, TIMESTAMP 'YYYY-MM-DD HH:MM:SS', DECIMAL its exact digits. NULL is
//                'NULL' in a table and an empty field in CSV (an empty string is written "").
//   json, ndjson the JS value contract: BIGINT and DECIMAL as JSON strings (exact, as ClickHouse),
//                other numbers as JSON numbers (NaN and the infinities, which JSON cannot hold,
//                as the strings "NaN", "Infinity", "-Infinity"), DATE 'YYYY-MM-DD', TIMESTAMP an
//                ISO string, NULL null.

import { once } from 'node:events';
import type { Batch } from '../common/batch.js';
import { formatDate, formatDecimal, formatDouble, formatInterval, formatTimestamp, formatTimestampIso } from '../common/text-values.js';
import { type LogicalType, TypeId } from '../common/types.js';
import { type FlatVector, flatten, gatherAny, type Interval, type Scalar, type Vector } from '../common/vector.js';
import type { QueryResult } from './result.js';

export type OutputFormat = 'table' | 'json' | 'csv' | 'tsv' | 'ndjson';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'csv', 'tsv', 'ndjson'];

/** Where formatted text goes. A returned promise means "wait before writing more". */
export interface TextSink {
  write(chunk: string): void | Promise<void>;
}

/** A sink writing to a stream, waiting for 'drain' when the stream's buffer is full. */
export function streamSink(stream: NodeJS.WritableStream): TextSink {
  return { write: (chunk) => (stream.write(chunk) ? undefined : once(stream, 'drain').then(() => undefined)) };
}

/** Text is handed to the sink in chunks of about this many characters. */
const CHUNK_CHARS = 1 << 16;

/** Writes `result` in `format` to `sink`, ending with a newline when anything was written. */
export async function writeResult(result: QueryResult, format: OutputFormat, sink: TextSink): Promise<void> {
  const out = new ChunkWriter(sink);
  switch (format) {
    case 'table':
      await writeTable(result, out);
      break;
    case 'json':
      await writeJson(result, out);
      break;
    case 'ndjson':
      await writeNdjson(result, out);
      break;
    case 'csv':
      await writeDelimited(result, out, CSV);
      break;
    case 'tsv':
      await writeDelimited(result, out, TSV);
      break;
  }
  await out.flush();
}

/** The whole formatted result as one string (for small results and tests). */
export async function formatResult(result: QueryResult, format: OutputFormat): Promise<string> {
  let text = '';
  await writeResult(result, format, { write: (chunk) => void (text += chunk) });
  return text;
}

class ChunkWriter {
  private buffer = '';
  constructor(private readonly sink: TextSink) {}

  /** Appends text; resolves at once unless a full chunk had to wait for the sink. */
  async add(text: string): Promise<void> {
    this.buffer += text;
    if (this.buffer.length >= CHUNK_CHARS) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const chunk = this.buffer;
    this.buffer = '';
    await this.sink.write(chunk);
  }
}

// ---------------------------------------------------------------------------------------------
// Reading cells

/** How a value becomes text: SQL text (table, csv) or a JSON literal (json, ndjson). */
const enum Style {
  Text,
  Json,
}

/**
 * One column of one batch, readable by output row: a constant is formatted once; any other
 * vector is made flat and dense (the batch's selection applied).
 */
interface ColumnCells {
  /** The text of every row when the vector is constant (null for a NULL constant). */
  readonly constant: string | null;
  readonly isConstant: boolean;
  readonly flat: FlatVector | null;
  readonly type: LogicalType;
}

function columnCells(v: Vector, b: Batch, type: LogicalType, style: Style): ColumnCells {
  if (v.kind === 'constant') {
    return { constant: v.value === null ? null : scalarText(v.value, type, style), isConstant: true, flat: null, type };
  }
  const flat = flatten(b.selection === null ? v : gatherAny(v, b.selection, b.count));
  return { constant: null, isConstant: false, flat, type };
}

function batchCells(result: QueryResult, b: Batch, style: Style): ColumnCells[] {
  const cells: ColumnCells[] = new Array(b.columns.length);
  for (let c = 0; c < b.columns.length; c++) cells[c] = columnCells(b.columns[c]!, b, result.types[c]!, style);
  return cells;
}

/** The text of row r of a column, or null for NULL. */
function cellText(cells: ColumnCells, r: number, style: Style): string | null {
  if (cells.isConstant) return cells.constant;
  const v = cells.flat!;
  if (cells.type.id === TypeId.NULL || (v.validity !== null && v.validity[r] === 0)) return null;
  return scalarText(v.data[r] as Scalar, cells.type, style);
}

/** A non-NULL physical value as SQL text or as a JSON literal. */
function scalarText(x: Scalar, type: LogicalType, style: Style): string | null {
  if (x === null) return null;
  const json = style === Style.Json;
  switch (type.id) {
    case TypeId.NULL:
      return null;
    case TypeId.BOOLEAN:
      return x === 1 ? 'true' : 'false';
    case TypeId.SMALLINT:
    case TypeId.INTEGER:
      return String(x);
    case TypeId.BIGINT: {
      // Float64 data holds integers below 2^53 in magnitude: String() prints all their digits.
      const digits = String(x);
      return json ? '"' + digits + '"' : digits;
    }
    case TypeId.DECIMAL: {
      const digits = formatDecimal(x as number | bigint, type.scale ?? 0);
      return json ? '"' + digits + '"' : digits;
    }
    case TypeId.REAL:
    case TypeId.DOUBLE: {
      const d = x as number;
      if (!json) return formatDouble(d);
      return Number.isFinite(d) ? JSON.stringify(d) : '"' + formatDouble(d) + '"';
    }
    case TypeId.DATE: {
      const text = formatDate(x as number);
      return json ? '"' + text + '"' : text;
    }
    case TypeId.TIMESTAMP:
    case TypeId.TIMESTAMPTZ:
      return json ? '"' + formatTimestampIso(x as number) + '"' : formatTimestamp(x as number);
    case TypeId.INTERVAL: {
      const text = formatInterval(x as Interval);
      return json ? JSON.stringify(text) : text;
    }
    case TypeId.VARCHAR:
      return json ? JSON.stringify(x) : (x as string);
  }
}

function isNumericType(t: LogicalType): boolean {
  switch (t.id) {
    case TypeId.SMALLINT:
    case TypeId.INTEGER:
    case TypeId.BIGINT:
    case TypeId.REAL:
    case TypeId.DOUBLE:
    case TypeId.DECIMAL:
      return true;
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// table

const NULL_TEXT = 'NULL';

/**
 * Aligned columns as psql prints them: a header, a separator, one line per row, numbers
 * right-aligned, then "(N rows)". Two passes over the batches (widths, then text), so only one
 * batch's columns are materialized at a time. A statement without columns (DDL) prints "OK".
 */
async function writeTable(result: QueryResult, out: ChunkWriter): Promise<void> {
  const n = result.names.length;
  if (n === 0) {
    await out.add('OK\n');
    return;
  }
  const headers = result.names.map(displayText);
  const widths = headers.map(displayWidth);
  const right = result.types.map(isNumericType);
  for (const b of result.batches) {
    const cells = batchCells(result, b, Style.Text);
    for (let c = 0; c < n; c++) {
      let w = widths[c]!;
      for (let r = 0; r < b.count; r++) {
        const text = cellText(cells[c]!, r, Style.Text);
        const cw = text === null ? NULL_TEXT.length : displayWidth(displayText(text));
        if (cw > w) w = cw;
      }
      widths[c] = w;
    }
  }
  await out.add(tableLine(headers, widths, right) + '\n' + widths.map((w) => '-'.repeat(w + 2)).join('+') + '\n');
  const line: string[] = new Array(n);
  for (const b of result.batches) {
    const cells = batchCells(result, b, Style.Text);
    for (let r = 0; r < b.count; r++) {
      for (let c = 0; c < n; c++) {
        const text = cellText(cells[c]!, r, Style.Text);
        line[c] = text === null ? NULL_TEXT : displayText(text);
      }
      await out.add(tableLine(line, widths, right) + '\n');
    }
  }
  await out.add(`(${result.rowCount} ${result.rowCount === 1 ? 'row' : 'rows'})\n`);
}

function tableLine(cells: readonly string[], widths: readonly number[], right: readonly boolean[]): string {
  let line = '';
  for (let c = 0; c < cells.length; c++) {
    const text = cells[c]!;
    const pad = ' '.repeat(widths[c]! - displayWidth(text));
    line += (c === 0 ? ' ' : ' | ') + (right[c] ? pad + text : text + pad);
  }
  return line.trimEnd();
}

/** Control characters would break the table's lines: show them as escapes (\n, \t, \x07). */
function displayText(s: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point here
  return /[\x00-\x1f\x7f]/.test(s) ? s.replace(/[\x00-\x1f\x7f]/g, escapeControl) : s;
}

function escapeControl(ch: string): string {
  switch (ch) {
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    default:
      return '\\x' + ch.charCodeAt(0).toString(16).padStart(2, '0');
  }
}

/** Combining marks take no cell of their own. */
const COMBINING = /^[\p{Mn}\p{Me}]$/u;

/** [first, last] code point ranges a terminal shows two cells wide: East Asian Wide and Fullwidth, emoji. */
const WIDE_RANGES: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff],
  [0xa000, 0xa4cf], [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe30, 0xfe4f], [0xff00, 0xff60],
  [0xffe0, 0xffe6], [0x1f300, 0x1f64f], [0x1f900, 0x1f9ff], [0x20000, 0x3fffd],
];

/** The number of terminal cells `s` takes. */
export function displayWidth(s: string): number {
  // Fast path: printable ASCII is one cell per character.
  if (/^[\x20-\x7e]*$/.test(s)) return s.length;
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    // Zero width: joiners and direction marks (U+200B..U+200F), variation selectors.
    if ((cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f) || COMBINING.test(ch)) continue;
    w += isWide(cp) ? 2 : 1;
  }
  return w;
}

function isWide(cp: number): boolean {
  if (cp < WIDE_RANGES[0]![0]) return false;
  for (const [first, last] of WIDE_RANGES) if (cp >= first && cp <= last) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// json, ndjson

/** `{"columns":[{"name","type"}],"rows":[[...]],"stats":{"rows_read","bytes_read","elapsed_ms"}}` on one line. */
async function writeJson(result: QueryResult, out: ChunkWriter): Promise<void> {
  const columns = result.schema.map((c) => `{"name":${JSON.stringify(c.name)},"type":${JSON.stringify(c.type)}}`).join(',');
  await out.add(`{"columns":[${columns}],"rows":[`);
  const n = result.names.length;
  let first = true;
  for (const b of result.batches) {
    const cells = batchCells(result, b, Style.Json);
    for (let r = 0; r < b.count; r++) {
      let row = first ? '[' : ',[';
      first = false;
      for (let c = 0; c < n; c++) {
        if (c > 0) row += ',';
        row += cellText(cells[c]!, r, Style.Json) ?? 'null';
      }
      await out.add(row + ']');
    }
  }
  const s = result.stats;
  await out.add(`],"stats":{"rows_read":${s.rowsRead},"bytes_read":${s.bytesRead},"elapsed_ms":${roundMs(s.elapsedMs)}}}\n`);
}

/** Milliseconds to the microsecond: enough for a human, and short. */
function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** One JSON object per row, keyed by column name. */
async function writeNdjson(result: QueryResult, out: ChunkWriter): Promise<void> {
  const keys = result.names.map((name) => JSON.stringify(name) + ':');
  const n = keys.length;
  for (const b of result.batches) {
    const cells = batchCells(result, b, Style.Json);
    for (let r = 0; r < b.count; r++) {
      let row = '{';
      for (let c = 0; c < n; c++) {
        if (c > 0) row += ',';
        row += keys[c]! + (cellText(cells[c]!, r, Style.Json) ?? 'null');
      }
      await out.add(row + '}\n');
    }
  }
}

// ---------------------------------------------------------------------------------------------
// csv, tsv

/** How a delimited text format writes a row: its delimiter, a value's field, and NULL. */
interface Delimited {
  readonly delimiter: string;
  readonly field: (text: string) => string;
  readonly nullField: string;
}

/** RFC 4180: quoted when needed, NULL as an empty field (an empty string is written ""). */
const CSV: Delimited = { delimiter: ',', field: csvField, nullField: '' };
/** ClickHouse's TabSeparatedWithNames: a backslash, tab, line feed or carriage return in a value
 *  escaped (`\\`, `\t`, `\n`, `\r`), NULL as `\N`. */
const TSV: Delimited = { delimiter: '\t', field: tsvField, nullField: '\\N' };

/** A header row, then the rows, `\n` line ends. */
async function writeDelimited(result: QueryResult, out: ChunkWriter, f: Delimited): Promise<void> {
  const n = result.names.length;
  if (n === 0) return;
  await out.add(result.names.map(f.field).join(f.delimiter) + '\n');
  for (const b of result.batches) {
    const cells = batchCells(result, b, Style.Text);
    for (let r = 0; r < b.count; r++) {
      let row = '';
      for (let c = 0; c < n; c++) {
        if (c > 0) row += f.delimiter;
        const text = cellText(cells[c]!, r, Style.Text);
        row += text === null ? f.nullField : f.field(text);
      }
      await out.add(row + '\n');
    }
  }
}

const TSV_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function tsvField(text: string): string {
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (ch) => TSV_ESCAPES[ch]!) : text;
}

/** Quotes a field holding a delimiter, a quote or a line break; an empty string as "" so it differs from NULL. */
export function csvField(text: string): string {
  if (text.length === 0) return '""';
  if (!/[",\r\n]/.test(text)) return text;
  return '"' + text.replace(/"/g, '""') + '"';
}
