// The MANIFEST file's bytes (manifest.ts for what a manifest holds). The manifest is read once
// per open or refresh, never on a query's read path, so its payload is JSON (tagged-json.ts)
// inside a checksummed binary envelope, all integers little-endian:
//
//   offset 0   4 bytes  magic "QVMF"
//   offset 4   u32      format version (FORMAT_VERSION)
//   offset 8   u32      payload length in bytes
//   offset 12  u32      crc32 (node:zlib) of the payload
//   offset 16  payload  UTF-8 JSON: { version, nextPartId, firstWalSegment, tables, views, indexes }
//
// Format 2 gives every table column a stable id (`columns[i].id`, `nextColumnId`) and every part
// the ids of the columns it holds (`parts[j].columnIds`), so DROP COLUMN needs no rewrite.
// Format 1 (before DROP COLUMN) is still read and upgraded on load: its columns get ids 0, 1, ...
// in order and a part's `columnCount` c becomes ids 0..c-1; the next commit writes format 2,
// which a Quiver that reads only format 1 refuses with a clear error.
//
// The file MUST be exactly 16 + length bytes. Decoding rebuilds the manifest through the derive
// functions of manifest.ts, so a payload that passes the checksum but breaks an invariant (a part
// id used twice, an index on a missing column) is rejected too. Every rejection is an IO_ERROR
// naming the file and saying what is wrong.

import { crc32 } from 'node:zlib';
import { QuiverError } from '../../common/errors.js';
import { type LogicalType, T, TypeId, decimalType } from '../../common/types.js';
import { type IndexDef, indexKind, type ViewDef } from '../catalog.js';
import type { ColumnSchema } from '../table.js';
import { type Manifest, addParts, createIndex, createTable, createView, emptyManifest } from './manifest.js';
import { type TaggedJsonValue, fromTaggedJson, toTaggedJson } from './tagged-json.js';

const MAGIC = new Uint8Array([0x51, 0x56, 0x4d, 0x46]); // "QVMF"
export const FORMAT_VERSION = 2;
/** The format before stable column ids; read and upgraded (module comment). */
const FORMAT_VERSION_1 = 1;
export const HEADER_BYTES = 16;

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

export function encodeManifest(m: Manifest): Uint8Array {
  const payload = utf8.encode(toTaggedJson(manifestToJson(m)));
  const bytes = new Uint8Array(HEADER_BYTES + payload.length);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  view.setUint32(4, FORMAT_VERSION, true);
  view.setUint32(8, payload.length, true);
  view.setUint32(12, crc32(payload), true);
  bytes.set(payload, HEADER_BYTES);
  return bytes;
}

/** Decodes MANIFEST bytes; `file` names the file in errors. */
export function decodeManifest(bytes: Uint8Array, file: string): Manifest {
  const damaged = (why: string) => new QuiverError('IO_ERROR', `manifest ${file} is damaged: ${why}; the database cannot be opened from it`);
  if (bytes.length < HEADER_BYTES) throw damaged(`it has ${bytes.length} bytes, fewer than its ${HEADER_BYTES}-byte header`);
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) throw new QuiverError('IO_ERROR', `${file} is not a Quiver manifest: its first bytes are not "QVMF"`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const format = view.getUint32(4, true);
  if (format !== FORMAT_VERSION && format !== FORMAT_VERSION_1) {
    throw new QuiverError('IO_ERROR', `manifest ${file} has format version ${format}; this Quiver reads versions ${FORMAT_VERSION_1} and ${FORMAT_VERSION} (open it with the Quiver that wrote it)`);
  }
  const length = view.getUint32(8, true);
  if (HEADER_BYTES + length !== bytes.length) throw damaged(`its header says ${length} payload bytes but the file holds ${bytes.length - HEADER_BYTES}`);
  const payload = bytes.subarray(HEADER_BYTES);
  const expected = view.getUint32(12, true);
  const actual = crc32(payload);
  if (actual !== expected) throw damaged(`checksum mismatch (stored ${hex(expected)}, computed ${hex(actual)})`);
  let json: TaggedJsonValue;
  try {
    json = fromTaggedJson(utf8Strict.decode(payload));
  } catch (e) {
    throw damaged(`its payload is not valid JSON (${(e as Error).message})`);
  }
  try {
    return manifestFromJson(json, format);
  } catch (e) {
    throw damaged(e instanceof Error ? e.message : String(e));
  }
}

function hex(n: number): string {
  return '0x' + n.toString(16).padStart(8, '0');
}

function manifestToJson(m: Manifest): TaggedJsonValue {
  return {
    version: m.version,
    nextPartId: m.nextPartId,
    firstWalSegment: m.firstWalSegment,
    tables: [...m.tables.values()].map((t) => ({
      name: t.schema.name,
      columns: t.schema.columns.map((c, i) => ({ id: t.columnIds[i]!, name: c.name, type: typeToJson(c.type), notNull: c.notNull })),
      nextColumnId: t.nextColumnId,
      sortKey: [...t.schema.sortKey],
      primaryKey: [...t.schema.primaryKey],
      parts: t.parts.map((p) => ({ id: p.id, directory: p.directory, rowCount: p.rowCount, columnIds: [...p.columnIds], deletionFile: p.deletionFile })),
    })),
    views: [...m.views.values()].map((v): TaggedJsonValue => (v.columnNames === undefined ? { name: v.name, sql: v.sql } : { name: v.name, sql: v.sql, columnNames: [...v.columnNames] })),
    indexes: [...m.indexes.values()].map((ix) => ({ name: ix.name, table: ix.table, columns: [...ix.columns], using: ix.using, unique: ix.unique })),
  };
}

function typeToJson(t: LogicalType): TaggedJsonValue {
  return t.id === TypeId.DECIMAL ? { id: t.id, precision: t.precision ?? null, scale: t.scale ?? null } : { id: t.id };
}

type JsonObject = { [key: string]: TaggedJsonValue };

/** Rebuilds a manifest through the derive functions, so every invariant is checked; a format 1
 *  payload is upgraded (module comment). */
function manifestFromJson(json: TaggedJsonValue, format: number): Manifest {
  const v1 = format === FORMAT_VERSION_1;
  const root = object(json, 'the manifest');
  let m = emptyManifest();
  for (const [i, tv] of array(root.tables, 'tables').entries()) {
    const t = object(tv, `table ${i}`);
    const name = string(t.name, `name of table ${i}`);
    const where = `table "${name}"`;
    const columnIds: number[] = [];
    const columns = array(t.columns, `columns of ${where}`).map((cv, j): ColumnSchema => {
      const c = object(cv, `column ${j} of ${where}`);
      columnIds.push(v1 ? j : integer(c.id, `id of column ${j} of ${where}`));
      return { name: string(c.name, `name of column ${j} of ${where}`), type: typeFromJson(c.type, `type of column ${j} of ${where}`), notNull: boolean(c.notNull, `notNull of column ${j} of ${where}`) };
    });
    const nextColumnId = v1 ? columns.length : integer(t.nextColumnId, `next column id of ${where}`);
    m = createTable(m, { name, columns, sortKey: strings(t.sortKey, `sort key of ${where}`), primaryKey: strings(t.primaryKey, `primary key of ${where}`) }, { columnIds, nextColumnId });
    const parts = array(t.parts, `parts of ${where}`).map((pv, j) => {
      const p = object(pv, `part ${j} of ${where}`);
      const what = `part ${j} of ${where}`;
      return {
        id: integer(p.id, `id of ${what}`),
        directory: string(p.directory, `directory of ${what}`),
        rowCount: integer(p.rowCount, `row count of ${what}`),
        columnIds: v1 ? firstColumnIds(integer(p.columnCount, `column count of ${what}`), columns.length, what) : integers(p.columnIds, `column ids of ${what}`),
        deletionFile: p.deletionFile === null ? null : string(p.deletionFile, `deletion file of ${what}`),
      };
    });
    if (parts.length > 0) m = addParts(m, name, parts);
  }
  for (const [i, vv] of array(root.views, 'views').entries()) {
    const v = object(vv, `view ${i}`);
    const view: ViewDef = { name: string(v.name, `name of view ${i}`), sql: string(v.sql, `SQL of view ${i}`) };
    if (v.columnNames !== undefined) view.columnNames = strings(v.columnNames, `column names of view ${i}`);
    m = createView(m, view);
  }
  for (const [i, iv] of array(root.indexes, 'indexes').entries()) {
    const x = object(iv, `index ${i}`);
    const using = string(x.using, `method of index ${i}`);
    const index: IndexDef = {
      name: string(x.name, `name of index ${i}`),
      table: string(x.table, `table of index ${i}`),
      columns: strings(x.columns, `columns of index ${i}`),
      using,
      kind: indexKind(using),
      unique: boolean(x.unique, `unique flag of index ${i}`),
    };
    m = createIndex(m, index);
  }
  const version = integer(root.version, 'version');
  const nextPartId = integer(root.nextPartId, 'nextPartId');
  const firstWalSegment = integer(root.firstWalSegment, 'firstWalSegment');
  if (nextPartId < m.nextPartId) throw new Error(`nextPartId ${nextPartId} is not above every part id (${m.nextPartId - 1})`);
  if (firstWalSegment < 1) throw new Error(`firstWalSegment ${firstWalSegment} is below 1`);
  return Object.freeze({ ...m, version, nextPartId, firstWalSegment });
}

/** Format 1: a part held the table's first `count` columns, whose ids are their positions. */
function firstColumnIds(count: number, columns: number, what: string): number[] {
  if (count < 1 || count > columns) throw new Error(`${what}: column count ${count} is outside 1..${columns}`);
  return Array.from({ length: count }, (_, i) => i);
}

function typeFromJson(v: TaggedJsonValue | undefined, what: string): LogicalType {
  const o = object(v, what);
  const id = string(o.id, `${what} id`);
  if (id === TypeId.DECIMAL) return decimalType(integer(o.precision, `${what} precision`), integer(o.scale, `${what} scale`));
  const t = (T as Record<string, LogicalType>)[id];
  if (t === undefined) throw new Error(`${what} has unknown type id ${JSON.stringify(id)}`);
  return t;
}

function object(v: TaggedJsonValue | undefined, what: string): JsonObject {
  if (v === null || v === undefined || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${what} is not an object`);
  return v;
}

function array(v: TaggedJsonValue | undefined, what: string): TaggedJsonValue[] {
  if (!Array.isArray(v)) throw new Error(`${what} is not a list`);
  return v;
}

function string(v: TaggedJsonValue | undefined, what: string): string {
  if (typeof v !== 'string') throw new Error(`${what} is not a string`);
  return v;
}

function strings(v: TaggedJsonValue | undefined, what: string): string[] {
  return array(v, what).map((s, i) => string(s, `${what}, item ${i}`));
}

function integers(v: TaggedJsonValue | undefined, what: string): number[] {
  return array(v, what).map((n, i) => integer(n, `${what}, item ${i}`));
}

function boolean(v: TaggedJsonValue | undefined, what: string): boolean {
  if (typeof v !== 'boolean') throw new Error(`${what} is not true or false`);
  return v;
}

function integer(v: TaggedJsonValue | undefined, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new Error(`${what} is not a non-negative integer`);
  return v;
}
