// The text encoders of COPY TO: batches as CSV (PostgreSQL's quoting, so COPY FROM and read_csv
// read the file back: NULL is an empty unquoted field; a value is quoted when it is empty or holds
// the delimiter, the quote, a CR or LF, or leading/trailing spaces; quotes inside are doubled)
// and as NDJSON (one object per row, keys in column order). NDJSON values follow DuckDB: BOOLEAN
// as true/false; integers, DECIMAL and finite doubles as JSON numbers written exactly (DECIMAL
// with its scale's digits, 1.50); NaN and infinities, dates, timestamps, intervals and text as
// strings; NULL as null.

import type { Batch } from '../../common/batch.js';
import { type LogicalType, TypeId } from '../../common/types.js';
import { flatten, getScalar, type Vector } from '../../common/vector.js';
import { formatValue } from '../expression/cast.js';

export interface CsvWriteOptions {
  delimiter: string;
  quote: string;
  header: boolean;
}

/** Turns batches into the text of one file format; `header` is written first. */
export interface RowEncoder {
  header(): string;
  batch(b: Batch): string;
}

export function csvEncoder(names: readonly string[], types: readonly LogicalType[], o: CsvWriteOptions): RowEncoder {
  const doubled = o.quote + o.quote;
  const quoteAll = new RegExp(escapeRegExp(o.quote), 'g');
  const needs = (s: string) =>
    s === '' || s.includes(o.delimiter) || s.includes(o.quote) || s.includes('\n') || s.includes('\r') || s.trim() !== s;
  const field = (s: string) => (needs(s) ? o.quote + s.replace(quoteAll, doubled) + o.quote : s);
  return {
    header: () => (o.header ? names.map(field).join(o.delimiter) + '\n' : ''),
    batch(b) {
      const cols = b.columns.map(flatten);
      const lines: string[] = new Array<string>(b.count);
      const fields: string[] = new Array<string>(cols.length);
      for (let k = 0; k < b.count; k++) {
        const r = b.selection === null ? k : b.selection[k]!;
        for (let c = 0; c < cols.length; c++) {
          const v = getScalar(cols[c]!, r);
          fields[c] = v === null ? '' : field(formatValue(v, types[c]!));
        }
        lines[k] = fields.join(o.delimiter);
      }
      return b.count === 0 ? '' : lines.join('\n') + '\n';
    },
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function ndjsonEncoder(names: readonly string[], types: readonly LogicalType[]): RowEncoder {
  const keys = names.map((n, i) => (i === 0 ? '{' : ',') + JSON.stringify(n) + ':');
  const numeric = types.map((t) => isNumeric(t.id));
  return {
    header: () => '',
    batch(b) {
      const cols: Vector[] = b.columns.map(flatten);
      const lines: string[] = new Array<string>(b.count);
      for (let k = 0; k < b.count; k++) {
        const r = b.selection === null ? k : b.selection[k]!;
        let line = '';
        for (let c = 0; c < cols.length; c++) {
          const v = getScalar(cols[c]!, r);
          let text: string;
          if (v === null) text = 'null';
          else if (types[c]!.id === TypeId.BOOLEAN) text = v ? 'true' : 'false';
          else {
            const s = formatValue(v, types[c]!);
            text = numeric[c] && /^-?\d/.test(s) && !s.includes('Infinity') ? s : JSON.stringify(s);
          }
          line += keys[c] + text;
        }
        lines[k] = (cols.length === 0 ? '{' : line) + '}';
      }
      return b.count === 0 ? '' : lines.join('\n') + '\n';
    },
  };
}

function isNumeric(id: TypeId): boolean {
  return id === TypeId.SMALLINT || id === TypeId.INTEGER || id === TypeId.BIGINT || id === TypeId.DECIMAL || id === TypeId.REAL || id === TypeId.DOUBLE;
}
