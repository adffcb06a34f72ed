// The payloads the storage engine writes into the write-ahead log (storage/wal/ frames them with
// a length and a checksum): an `insert` of rows into a table and a `delete` of row ids from a
// part or from the memtable. Row data is binary, never JSON, so replay costs about a memcpy per
// column.
//
// Layout (little-endian; alignment is relative to the payload's first byte):
//   u8 kind (1 insert, 2 delete), u8 format version, u8 0, u8 0, u32 table-name bytes, UTF-8 name
//   insert: u32 rows, u32 columns, then per column:
//     u8 type code (TYPE_CODES of the block format), u8 DECIMAL precision, u8 scale,
//     u8 flags (bit 0 validity bitmap follows, bit 1 values are int64),
//     [validity bitmap, one bit per row], values:
//       BOOLEAN      one byte per row
//       SMALLINT/INTEGER/DATE  Int32 bytes (4-aligned)
//       BIGINT/DECIMAL         Float64 or, with flag bit 1, BigInt64 bytes (8-aligned)
//       REAL/DOUBLE/TIMESTAMP(TZ)/NULL  Float64 bytes (8-aligned)
//       VARCHAR      the block format's strings: UTF-8 (WTF-8 for lone surrogates) + offsets
//   update: a delete's body, then an insert's body (the rows' new values): one record, so a
//     statement's deletes and inserts are replayed together or not at all
//   delete: u32 targets, then per target: u8 target (0 memtable, 1 part), [f64 part id,
//     8-aligned], u32 count, u32 row ids (4-aligned). One record holds every row a DELETE
//     statement removes, so replay applies a statement whole or not at all.
// Typed-array bytes are copied as the platform holds them; the check below refuses to run on a
// big-endian machine rather than write logs another machine would misread.

import type { Batch } from '../../common/batch.js';
import { compactBatch } from '../../common/batch.js';
import { internalError, QuiverError } from '../../common/errors.js';
import { decimalType, type LogicalType, T, TypeId, typeToString } from '../../common/types.js';
import { type ColumnData, type FlatVector, flatten } from '../../common/vector.js';
import { bitmapBytes, packBits, unpackBits } from '../encoding/bitmap.js';
import { TYPE_CODES, TYPES_BY_CODE } from '../encoding/block-header.js';
import { BlockReader } from '../encoding/block-reader.js';
import { ByteWriter } from '../encoding/byte-writer.js';
import { readStrings, writeStrings } from '../encoding/string-values.js';

export const WAL_RECORD_VERSION = 1;
/** The record-kind byte; new kinds (commit, DDL) take the next codes. */
export const WalRecordKind = { Insert: 1, Delete: 2, Update: 3 } as const;
type WalRecordKindCode = (typeof WalRecordKind)[keyof typeof WalRecordKind];

const FLAG_VALIDITY = 1;
const FLAG_INT64 = 2;
const TARGET_MEMTABLE = 0;
const TARGET_PART = 1;

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw internalError('the write-ahead log format assumes a little-endian machine');
}

export interface InsertRecord {
  readonly kind: 'insert';
  readonly table: string;
  /** Decoded rows: one dense flat vector per column. */
  readonly columns: FlatVector[];
  readonly rows: number;
}

/** Rows deleted from one part (by part id; row ids are row positions in the part) or from the
 *  table's current memtable ('memtable'; row ids are memtable row ids). */
export interface DeleteTarget {
  readonly target: number | 'memtable';
  readonly rowIds: Uint32Array;
}

export interface DeleteRecord {
  readonly kind: 'delete';
  readonly table: string;
  readonly targets: readonly DeleteTarget[];
}

/** UPDATE: the old rows deleted, then their new values appended (to the memtable). */
export interface UpdateRecord {
  readonly kind: 'update';
  readonly table: string;
  readonly targets: readonly DeleteTarget[];
  readonly columns: FlatVector[];
  readonly rows: number;
}

export type WalRecord = InsertRecord | DeleteRecord | UpdateRecord;

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function writeHeader(w: ByteWriter, kind: WalRecordKindCode, table: string): void {
  w.u8(kind);
  w.u8(WAL_RECORD_VERSION);
  w.u8(0);
  w.u8(0);
  const name = utf8.encode(table);
  w.u32(name.length);
  w.bytes(name);
}

const bytesOf = (d: ArrayBufferView) => new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

/** Encodes the rows of `batch` (any vector kinds, with or without a selection) as an insert into `table`. */
export function encodeInsert(table: string, types: readonly LogicalType[], batch: Batch): Uint8Array {
  if (batch.columns.length !== types.length) {
    throw internalError(`insert into "${table}": the batch has ${batch.columns.length} columns, the table ${types.length}`);
  }
  const w = new ByteWriter(64 + batch.count * 9 * types.length);
  writeHeader(w, WalRecordKind.Insert, table);
  writeInsertBody(w, table, types, batch);
  return w.finish();
}

/** Encodes an UPDATE: the row ids it deletes and the new rows it appends. */
export function encodeUpdate(table: string, targets: readonly DeleteTarget[], types: readonly LogicalType[], batch: Batch): Uint8Array {
  if (batch.columns.length !== types.length) {
    throw internalError(`update of "${table}": the batch has ${batch.columns.length} columns, the table ${types.length}`);
  }
  const w = new ByteWriter(deleteBodyBytes(table, targets) + batch.count * 9 * types.length);
  writeHeader(w, WalRecordKind.Update, table);
  writeDeleteBody(w, targets);
  writeInsertBody(w, table, types, batch);
  return w.finish();
}

function writeInsertBody(w: ByteWriter, table: string, types: readonly LogicalType[], batch: Batch): void {
  const dense = compactBatch(batch);
  const rows = dense.count;
  w.u32(rows);
  w.u32(types.length);
  for (let c = 0; c < types.length; c++) {
    const type = types[c]!;
    const v = flatten(dense.columns[c]!);
    const code = TYPE_CODES[type.id];
    if (code === undefined) throw internalError(`insert into "${table}": a ${typeToString(type)} column cannot be logged`);
    if (v.type.id !== type.id) {
      throw internalError(`insert into "${table}": column ${c} holds ${typeToString(v.type)}, the table says ${typeToString(type)}`);
    }
    const wide = v.data instanceof BigInt64Array;
    w.u8(code);
    w.u8(type.precision ?? 0);
    w.u8(type.scale ?? 0);
    w.u8((v.validity !== null ? FLAG_VALIDITY : 0) | (wide ? FLAG_INT64 : 0));
    if (v.validity !== null) packBits(v.validity, rows, w.bytesView(bitmapBytes(rows)));
    const data = v.data;
    if (Array.isArray(data)) {
      writeStrings(w, data, null, null, rows);
    } else {
      w.align(data.BYTES_PER_ELEMENT);
      w.bytes(bytesOf(data));
    }
  }
}

/** Encodes one statement's deletes from parts and from the table's memtable. */
export function encodeDelete(table: string, targets: readonly DeleteTarget[]): Uint8Array {
  const w = new ByteWriter(deleteBodyBytes(table, targets));
  writeHeader(w, WalRecordKind.Delete, table);
  writeDeleteBody(w, targets);
  return w.finish();
}

/** The bytes a delete's header and body take at most; checks the part ids. */
function deleteBodyBytes(table: string, targets: readonly DeleteTarget[]): number {
  let bytes = 64 + table.length * 3;
  for (const t of targets) {
    if (t.target !== 'memtable' && (!Number.isSafeInteger(t.target) || t.target < 1)) {
      throw internalError(`delete from "${table}": part id must be a positive integer, not ${t.target}`);
    }
    bytes += 24 + t.rowIds.length * 4;
  }
  return bytes;
}

function writeDeleteBody(w: ByteWriter, targets: readonly DeleteTarget[]): void {
  w.u32(targets.length);
  for (const t of targets) {
    if (t.target === 'memtable') {
      w.u8(TARGET_MEMTABLE);
    } else {
      w.u8(TARGET_PART);
      w.float64View(1)[0] = t.target;
    }
    w.u32(t.rowIds.length);
    w.align(4);
    w.bytes(bytesOf(t.rowIds));
  }
}

function malformed(detail: string): QuiverError {
  return new QuiverError('IO_ERROR', `malformed write-ahead log record: ${detail}`);
}

/** Decodes a payload written by encodeInsert/encodeDelete; damage of any kind is an IO_ERROR. */
export function decodeWalRecord(payload: Uint8Array): WalRecord {
  try {
    return decodeRecord(new BlockReader(payload, 0, payload.length));
  } catch (e) {
    if (e instanceof QuiverError && e.message.startsWith('malformed')) throw e;
    // Reader errors say "corrupt block"; decoding errors may be RangeErrors (huge lengths).
    const detail = e instanceof QuiverError ? e.message.replace(/^corrupt block: /, '') : String(e);
    throw malformed(detail);
  }
}

function decodeRecord(r: BlockReader): WalRecord {
  const kind = r.u8('record kind');
  const version = r.u8('format version');
  if (version !== WAL_RECORD_VERSION) throw malformed(`unknown format version ${version}`);
  if (r.u8('reserved') !== 0 || r.u8('reserved') !== 0) throw malformed('reserved header bytes are not zero');
  const nameBytes = r.u32('table name length');
  let table: string;
  try {
    table = fromUtf8.decode(r.take(nameBytes, 'table name'));
  } catch (e) {
    if (e instanceof QuiverError) throw e;
    throw malformed('the table name is not valid UTF-8');
  }
  let record: WalRecord;
  if (kind === WalRecordKind.Insert) record = decodeInsert(r, table);
  else if (kind === WalRecordKind.Delete) record = decodeDelete(r, table);
  else if (kind === WalRecordKind.Update) {
    const { targets } = decodeDelete(r, table);
    const { columns, rows } = decodeInsert(r, table);
    record = { kind: 'update', table, targets, columns, rows };
  }
  else throw malformed(`unknown record kind ${kind}`);
  r.expectEnd('the record');
  return record;
}

function decodeInsert(r: BlockReader, table: string): InsertRecord {
  const rows = r.u32('row count');
  const columnCount = r.u32('column count');
  // Every column takes at least its 4 header bytes: bounds what a damaged count can allocate.
  if (columnCount * 4 > r.bytes.length) throw malformed(`column count ${columnCount} does not fit in ${r.bytes.length} bytes`);
  const columns: FlatVector[] = [];
  for (let c = 0; c < columnCount; c++) {
    const code = r.u8('type code');
    const precision = r.u8('precision');
    const scale = r.u8('scale');
    const flags = r.u8('column flags');
    const id = TYPES_BY_CODE.get(code);
    if (id === undefined) throw malformed(`column ${c} has unknown type code ${code}`);
    if ((flags & ~(FLAG_VALIDITY | FLAG_INT64)) !== 0) throw malformed(`column ${c} has unknown flags ${flags}`);
    const wide = (flags & FLAG_INT64) !== 0;
    if (wide && id !== TypeId.BIGINT && id !== TypeId.DECIMAL) throw malformed(`column ${c} (${id}) is flagged as int64`);
    let type: LogicalType;
    if (id === TypeId.DECIMAL) {
      if (precision < 1 || precision > 38 || scale > precision) throw malformed(`column ${c} has type DECIMAL(${precision},${scale})`);
      type = decimalType(precision, scale);
    } else {
      if (precision !== 0 || scale !== 0) throw malformed(`column ${c} (${id}) has a precision or scale`);
      type = T[id as keyof typeof T];
    }
    const validity = (flags & FLAG_VALIDITY) !== 0 ? unpackBits(r.take(bitmapBytes(rows), 'validity bitmap'), rows) : null;
    columns.push({ kind: 'flat', type, length: rows, data: readValues(r, id, rows, wide), validity });
  }
  return { kind: 'insert', table, columns, rows };
}

function readValues(r: BlockReader, id: TypeId, rows: number, wide: boolean): ColumnData {
  switch (id) {
    case TypeId.BOOLEAN:
      return r.take(rows, 'BOOLEAN values').slice();
    case TypeId.SMALLINT:
    case TypeId.INTEGER:
    case TypeId.DATE:
      return copyValues(r, new Int32Array(checkRows(r, rows, 4)), 4);
    case TypeId.VARCHAR: {
      const out = new Array<string>(checkRows(r, rows, 4));
      readStrings(r, rows, out);
      return out;
    }
    default:
      return copyValues(r, wide ? new BigInt64Array(checkRows(r, rows, 8)) : new Float64Array(checkRows(r, rows, 8)), 8);
  }
}

/** Refuses a row count the remaining bytes cannot hold before allocating for it. */
function checkRows(r: BlockReader, rows: number, bytesPerRow: number): number {
  if (rows * bytesPerRow > r.bytes.length - r.pos) throw malformed(`${rows} rows do not fit in the ${r.bytes.length - r.pos} bytes left`);
  return rows;
}

function copyValues<A extends Int32Array | Float64Array | BigInt64Array>(r: BlockReader, out: A, align: number): A {
  r.copyInto(out, align, 'values');
  return out;
}

function decodeDelete(r: BlockReader, table: string): DeleteRecord {
  const count = r.u32('delete target count');
  const targets: DeleteTarget[] = [];
  for (let k = 0; k < count; k++) {
    const targetKind = r.u8('delete target');
    let target: number | 'memtable';
    if (targetKind === TARGET_MEMTABLE) {
      target = 'memtable';
    } else if (targetKind === TARGET_PART) {
      const id = new Float64Array(1);
      r.copyInto(id, 8, 'part id');
      target = id[0]!;
      if (!Number.isSafeInteger(target) || target < 1) throw malformed(`part id ${target} is not a positive integer`);
    } else {
      throw malformed(`unknown delete target ${targetKind}`);
    }
    const rows = r.u32('row id count');
    const rowIds = new Uint32Array(checkRows(r, rows, 4));
    r.align(4);
    new Uint8Array(rowIds.buffer).set(r.take(rows * 4, 'row ids'));
    targets.push({ target, rowIds });
  }
  return { kind: 'delete', table, targets };
}
