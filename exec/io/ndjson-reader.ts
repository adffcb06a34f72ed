// Newline-delimited JSON (one object per line) for read_ndjson: the column sniffer, which reads a
// sample synchronously when a query is bound, and the streaming reader that turns lines into
// Batches. Detection: columns are the keys in order of first appearance in the sample; a key's
// type is BOOLEAN, BIGINT (integers), DOUBLE (any fraction), DATE or TIMESTAMP (strings that all
// look like one) or VARCHAR; mixed kinds give DOUBLE (integers and fractions) or VARCHAR. Nested
// objects and arrays are VARCHAR holding their JSON text (DuckDB gives STRUCT/LIST, which Quiver
// lacks). Keys missing from a line are NULL; keys not in the sample are ignored. A line that is
// not a JSON object, or a value that does not fit its column, is an INVALID_INPUT error naming the
// file and line. Integers of 16 or more digits are kept exact: JSON.parse would round them, so
// such a line is first rewritten with those numbers as marked strings (exactIntegers).

import { closeSync, openSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { type Batch, BATCH_SIZE, makeBatch } from '../../common/batch.js';
import { QuiverError } from '../../common/errors.js';
import { parseDate, parseTimestamp } from '../../common/text-values.js';
import { type LogicalType, T, TypeId } from '../../common/types.js';
import { allocData, type ColumnData, flatVector, toBigIntData } from '../../common/vector.js';

/** Bytes of the file the sniffer reads. */
const SAMPLE_BYTES = 1 << 20;
/** Lines of the sample that decide the columns and types. */
const SAMPLE_LINES = 20480;
const CHUNK = 1 << 20;
const INT64_MAX_BIG = (1n << 63n) - 1n;
/** A marked integer inside nested JSON text, restored when the value is kept as VARCHAR. */
const BIG_IN_JSON = /"\\u0000int:(-?\d+)"/g;

export interface NdjsonColumn {
  name: string;
  type: LogicalType;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$/;

// What the values of one key were in the sample, as bits.
const K_BOOL = 1;
const K_INT = 2;
const K_DOUBLE = 4;
const K_DATE = 8;
const K_TIMESTAMP = 16;
const K_TEXT = 32;

function lineError(path: string, line: number, message: string): QuiverError {
  return new QuiverError('INVALID_INPUT', `${path} line ${line}: ${message}`);
}

/** Marks an integer too long for a double, rewritten by exactIntegers. */
const BIG = '\u0000int:';
const LONG_DIGITS = /\d{16}/;
const INT64_DIGITS = 19;

/** The line with integers of 16+ digits outside strings turned into BIG-prefixed strings. */
function exactIntegers(text: string): string {
  let out = '';
  let from = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92 /* \\ */) i++;
      else if (ch === 34 /* " */) inString = false;
      continue;
    }
    if (ch === 34) {
      inString = true;
      continue;
    }
    if (ch !== 45 /* - */ && (ch < 48 || ch > 57)) continue;
    let j = i + 1;
    while (j < text.length && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
    const next = text[j];
    if (j - i >= 16 && next !== '.' && next !== 'e' && next !== 'E') {
      out += text.slice(from, i) + JSON.stringify(BIG + text.slice(i, j));
      from = j;
    } else {
      // Skip the rest of the number (fraction, exponent): its digits are not an integer.
      while (j < text.length && /[0-9.eE+-]/.test(text[j]!)) j++;
    }
    i = j - 1;
  }
  return out + text.slice(from);
}

function parseLine(path: string, line: number, text: string): Record<string, unknown> | null {
  if (text.trim() === '') return null;
  let v: unknown;
  try {
    v = JSON.parse(LONG_DIGITS.test(text) ? exactIntegers(text) : text);
  } catch (e) {
    throw lineError(path, line, `not valid JSON: ${(e as Error).message}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw lineError(path, line, 'expected a JSON object ({...}) on each line');
  return v as Record<string, unknown>;
}

function kindOf(v: unknown): number {
  if (typeof v === 'boolean') return K_BOOL;
  if (typeof v === 'number') return Number.isInteger(v) ? K_INT : K_DOUBLE;
  if (typeof v === 'string' && v.startsWith(BIG)) return v.length - BIG.length - (v[BIG.length] === '-' ? 1 : 0) <= INT64_DIGITS ? K_INT : K_DOUBLE;
  if (typeof v === 'string') return DATE.test(v) ? K_DATE : TIMESTAMP.test(v) ? K_TIMESTAMP : K_TEXT;
  return K_TEXT;
}

function typeOf(kinds: number): LogicalType {
  switch (kinds) {
    case 0:
      return T.VARCHAR;
    case K_BOOL:
      return T.BOOLEAN;
    case K_INT:
      return T.BIGINT;
    case K_DOUBLE:
    case K_INT | K_DOUBLE:
      return T.DOUBLE;
    case K_DATE:
      return T.DATE;
    case K_TIMESTAMP:
    case K_DATE | K_TIMESTAMP:
      return T.TIMESTAMP;
    default:
      return T.VARCHAR;
  }
}

/** The columns of an NDJSON file, from a sample of its first lines. */
export function sniffNdjson(path: string): NdjsonColumn[] {
  const fd = openSync(path, 'r');
  let text: string;
  let whole: boolean;
  try {
    const buf = Buffer.allocUnsafe(SAMPLE_BYTES + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, n);
      if (got === 0 || (n += got) === buf.length) break;
    }
    whole = n <= SAMPLE_BYTES;
    text = buf.toString('utf8', 0, Math.min(n, SAMPLE_BYTES));
  } finally {
    closeSync(fd);
  }
  const lines = text.split('\n');
  // A sample cut short ends in a partial line.
  if (!whole) lines.pop();
  const kinds = new Map<string, number>();
  for (let i = 0; i < lines.length && i < SAMPLE_LINES; i++) {
    const o = parseLine(path, i + 1, lines[i]!);
    if (o === null) continue;
    for (const key of Object.keys(o)) {
      const v = o[key];
      kinds.set(key, (kinds.get(key) ?? 0) | (v === null ? 0 : kindOf(v)));
    }
  }
  if (kinds.size === 0) throw new QuiverError('INVALID_INPUT', `read_ndjson: ${path} has no JSON objects to read`);
  return [...kinds].map(([name, k]) => ({ name, type: typeOf(k) }));
}

/** Streams the lines of an NDJSON file as Batches of `columns`. */
export async function* readNdjson(path: string, columns: NdjsonColumn[], batchSize: number = BATCH_SIZE): AsyncGenerator<Batch> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new QuiverError('IO_ERROR', `cannot open ${path}: ${(e as Error).message}`);
  }
  const batch = new NdjsonBatch(path, columns, batchSize);
  try {
    const decoder = new StringDecoder('utf8');
    const buf = Buffer.allocUnsafe(CHUNK);
    let rest = '';
    let line = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
      const text = rest + (bytesRead === 0 ? decoder.end() : decoder.write(buf.subarray(0, bytesRead)));
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        line++;
        batch.add(line, text.slice(start, nl));
        start = nl + 1;
        if (batch.rows === batchSize) yield batch.take();
      }
      rest = text.slice(start);
      if (bytesRead === 0) break;
    }
    if (rest !== '') batch.add(line + 1, rest);
    if (batch.rows > 0) yield batch.take();
  } finally {
    await fh.close();
  }
}

/** The batch being filled from parsed lines. */
class NdjsonBatch {
  rows = 0;
  private data: ColumnData[] = [];
  private validity: Uint8Array[] = [];

  constructor(
    private readonly path: string,
    private readonly columns: NdjsonColumn[],
    private readonly size: number,
  ) {
    this.reset();
  }

  private reset(): void {
    this.data = this.columns.map((c) => allocData(c.type, this.size));
    this.validity = this.columns.map(() => new Uint8Array(this.size));
    this.rows = 0;
  }

  add(line: number, text: string): void {
    const o = parseLine(this.path, line, text);
    if (o === null) return;
    const r = this.rows;
    for (let c = 0; c < this.columns.length; c++) {
      const col = this.columns[c]!;
      const v = o[col.name];
      if (v === null || v === undefined) continue;
      this.validity[c]![r] = 1;
      const d = this.data[c]!;
      switch (col.type.id) {
        case TypeId.BOOLEAN:
          if (typeof v !== 'boolean') throw this.fail(line, col, `expected true or false, got ${JSON.stringify(v)}`);
          (d as Uint8Array)[r] = v ? 1 : 0;
          break;
        case TypeId.BIGINT:
          if (typeof v === 'string' && v.startsWith(BIG)) this.storeBig(line, c, r, v.slice(BIG.length));
          else if (typeof v !== 'number' || !Number.isInteger(v)) throw this.fail(line, col, `expected an integer, got ${JSON.stringify(v)}`);
          else if (d instanceof BigInt64Array) d[r] = BigInt(v);
          else (d as Float64Array)[r] = v;
          break;
        case TypeId.DOUBLE:
          if (typeof v === 'string' && v.startsWith(BIG)) (d as Float64Array)[r] = Number(v.slice(BIG.length));
          else if (typeof v !== 'number') throw this.fail(line, col, `expected a number, got ${JSON.stringify(v)}`);
          else (d as Float64Array)[r] = v;
          break;
        case TypeId.DATE:
        case TypeId.TIMESTAMP:
          if (typeof v !== 'string') throw this.fail(line, col, `expected a ${col.type.id === TypeId.DATE ? 'date' : 'timestamp'} string, got ${JSON.stringify(v)}`);
          try {
            (d as Float64Array | Int32Array)[r] = col.type.id === TypeId.DATE ? parseDate(v) : parseTimestamp(v);
          } catch (e) {
            throw this.fail(line, col, (e as Error).message);
          }
          break;
        default:
          (d as string[])[r] = typeof v === 'string' ? (v.startsWith(BIG) ? v.slice(BIG.length) : v) : JSON.stringify(v).replace(BIG_IN_JSON, '$1');
      }
    }
    this.rows++;
  }

  /** A BIGINT beyond 2^53: the column's vector switches to BigInt64Array for this batch. */
  private storeBig(line: number, c: number, r: number, digits: string): void {
    const x = BigInt(digits);
    if (x > INT64_MAX_BIG || x < -INT64_MAX_BIG - 1n) throw this.fail(line, this.columns[c]!, `${digits} is out of range for BIGINT`);
    const d = toBigIntData(this.data[c]!);
    this.data[c] = d;
    d[r] = x;
  }

  private fail(line: number, col: NdjsonColumn, what: string): QuiverError {
    return lineError(this.path, line, `"${col.name}": ${what}`);
  }

  take(): Batch {
    const n = this.rows;
    const vectors = this.columns.map((col, c) => {
      const valid = this.validity[c]!.subarray(0, n);
      const data = n === this.size ? this.data[c]! : this.data[c]!.slice(0, n);
      // A NULL slot of a VARCHAR column holds '' (vector.ts's invariant for harmless values).
      if (Array.isArray(data)) for (let i = 0; i < n; i++) if (valid[i] === 0) data[i] = '';
      return flatVector(col.type, data, valid.every((x) => x === 1) ? null : valid);
    });
    this.reset();
    return makeBatch(vectors, n);
  }
}
