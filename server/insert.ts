// POST /insert?table=T: rows in the request body appended to table T in one statement, so a body
// that fails anywhere inserts nothing. CSV (a header row unless ?header=false, as DESIGN.md says
// for /insert bodies) or, with ?format=tsv, tab-separated text, columns matched by position as
// in COPY; or ?format=ndjson, one JSON object per line, fields matched to columns by name. The body is written to a private temporary file and loaded with COPY (the same
// reader, types, NULL rules and errors), and the file is removed; errors name the request body,
// not that file.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QuiverError } from '../common/errors.js';
import type { Database } from '../sql/database.js';
import { quoteIdentifier } from '../sql/parser/quote-identifier.js';
import { sniffNdjson } from '../exec/io/ndjson-reader.js';

export type InsertFormat = 'csv' | 'tsv' | 'ndjson';
const INSERT_FORMATS: readonly InsertFormat[] = ['csv', 'tsv', 'ndjson'];

export interface InsertRequest {
  table: string | undefined;
  format: string | undefined;
  header: string | undefined;
  body: unknown;
}

/** Appends the body's rows to the table; resolves to how many. */
export async function insertBody(db: Database, request: InsertRequest): Promise<number> {
  const table = request.table;
  if (table === undefined || table === '') throw new QuiverError('INVALID_INPUT', 'POST /insert needs ?table=NAME: the table the rows go to');
  const format = (request.format ?? 'csv').toLowerCase();
  if (!(INSERT_FORMATS as readonly string[]).includes(format)) throw new QuiverError('INVALID_INPUT', `unknown insert format "${request.format}"; use one of ${INSERT_FORMATS.join(', ')} (Arrow bodies are not taken yet)`);
  const header = request.header === undefined ? true : parseFlag(request.header);
  if (typeof request.body !== 'string') throw new QuiverError('INVALID_INPUT', `POST /insert takes the rows as ${format.toUpperCase()} text in the body, not JSON`);
  if (request.body.length === 0) throw new QuiverError('INVALID_INPUT', 'the request body holds no rows');
  const dir = mkdtempSync(join(tmpdir(), 'quiver-insert-'));
  const file = join(dir, `body.${format}`);
  try {
    writeFileSync(file, request.body);
    const literal = `'${file.replace(/'/g, "''")}'`;
    try {
      const r = await db.query(format === 'ndjson' ? await ndjsonInsert(db, table, file, literal) : `COPY ${quoteIdentifier(table)} FROM ${literal} (FORMAT ${format === 'csv' ? 'csv' : 'text'}, HEADER ${header})`);
      return Number(r.rows()[0]![0]);
    } catch (e) {
      if (e instanceof QuiverError) throw new QuiverError(e.code, e.message.split(file).join('the request body,'));
      throw e;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The INSERT of an NDJSON body: its objects' fields are table columns, by name (a field the
 *  table lacks is an error, as ClickHouse's JSONEachRow; a column no object has is NULL). */
async function ndjsonInsert(db: Database, table: string, file: string, literal: string): Promise<string> {
  const columns = (await db.query(`SELECT * FROM ${quoteIdentifier(table)} LIMIT 0`)).names;
  const fields = sniffNdjson(file).map((c) => c.name);
  const unknown = fields.find((f) => !columns.includes(f));
  if (unknown !== undefined) throw new QuiverError('INVALID_INPUT', `the request body has a field "${unknown}" that table "${table}" does not have; its columns are ${columns.join(', ')}`);
  if (fields.length === 0) throw new QuiverError('INVALID_INPUT', 'the request body holds no JSON objects with fields');
  const list = fields.map(quoteIdentifier).join(', ');
  return `INSERT INTO ${quoteIdentifier(table)} (${list}) SELECT ${list} FROM read_ndjson(${literal})`;
}

function parseFlag(text: string): boolean {
  const t = text.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(t)) return true;
  if (['false', '0', 'no', 'off'].includes(t)) return false;
  throw new QuiverError('INVALID_INPUT', `?header must be true or false, not "${text}"`);
}
