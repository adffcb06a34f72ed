// The MANIFEST encoding (storage/manifest/manifest-codec.ts): random manifests round-trip exactly
// (DECIMAL precision and scale, unicode names with lone surrogates, the largest safe row counts),
// and every damaged file — bad magic, format, length, checksum, payload — is an IO_ERROR naming
// the file. A format 1 manifest (before stable column ids) is read and upgraded. Also the tagged
// JSON the payload is written in, whose bigints round-trip exactly.

import fc from 'fast-check';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { T, decimalType } from '../../../common/types.js';
import { FORMAT_VERSION, HEADER_BYTES, decodeManifest, encodeManifest } from '../../../storage/manifest/manifest-codec.js';
import { addColumn, addParts, createTable, dropColumn, emptyManifest } from '../../../storage/manifest/manifest.js';
import { fromTaggedJson, toTaggedJson } from '../../../storage/manifest/tagged-json.js';
import { manifestArb } from './manifest-arbitrary.js';

const FILE = '/db/MANIFEST';

function sample() {
  let m = createTable(emptyManifest(), { name: 'lineorder', columns: [{ name: 'lo_revenue', type: decimalType(15, 2), notNull: true }, { name: 'lo_orderdate', type: T.DATE, notNull: false }], sortKey: ['lo_orderdate'], primaryKey: [] });
  m = addParts(m, 'lineorder', [{ id: 1, rowCount: 100 }]);
  return addColumn(m, 'lineorder', { name: 'lo_tax', type: T.BIGINT, notNull: false });
}

/** Re-signs a modified payload so only the structural check can catch it. */
function withPayload(payload: string, format = FORMAT_VERSION): Uint8Array {
  const body = new TextEncoder().encode(payload);
  const bytes = new Uint8Array(HEADER_BYTES + body.length);
  bytes.set(encodeManifest(emptyManifest()).subarray(0, 8));
  const view = new DataView(bytes.buffer);
  view.setUint32(4, format, true);
  view.setUint32(8, body.length, true);
  view.setUint32(12, crc32(body), true);
  bytes.set(body, HEADER_BYTES);
  return bytes;
}

describe('manifest codec', () => {
  it('round-trips random manifests exactly', () => {
    fc.assert(
      fc.property(manifestArb, (m) => {
        const bytes = encodeManifest(m);
        const back = decodeManifest(bytes, FILE);
        expect(back).toEqual(m);
        expect([...back.tables.keys()]).toEqual([...m.tables.keys()]);
        expect(encodeManifest(back)).toEqual(bytes);
      }),
      { seed: 20261122, numRuns: 300 },
    );
  });

  it('decodes types to the canonical type objects', () => {
    const back = decodeManifest(encodeManifest(sample()), FILE);
    const cols = back.tables.get('lineorder')!.schema.columns;
    expect(cols.map((c) => c.type)).toEqual([decimalType(15, 2), T.DATE, T.BIGINT]);
    expect(cols[1]!.type).toBe(T.DATE);
    expect(back.tables.get('lineorder')!.parts[0]).toEqual({ id: 1, directory: 'p0000000001', rowCount: 100, columnIds: [0, 1], deletionFile: null });
  });

  it('keeps column ids across DROP COLUMN and a re-added name', () => {
    let m = dropColumn(sample(), 'lineorder', 'lo_revenue');
    m = addColumn(m, 'lineorder', { name: 'lo_revenue', type: decimalType(15, 2), notNull: false });
    m = addParts(m, 'lineorder', [{ id: 2, rowCount: 5 }]);
    const back = decodeManifest(encodeManifest(m), FILE);
    expect(back).toEqual(m);
    const t = back.tables.get('lineorder')!;
    expect(t.schema.columns.map((c) => c.name)).toEqual(['lo_orderdate', 'lo_tax', 'lo_revenue']);
    expect(t.columnIds).toEqual([1, 2, 3]);
    expect(t.nextColumnId).toBe(4);
    expect(t.parts.map((p) => p.columnIds)).toEqual([[0, 1], [1, 2, 3]]);
  });

  it('reads a format 1 manifest (no column ids) and upgrades it: ids by position, parts their first columns', () => {
    const v1 = {
      version: 7, nextPartId: 3, firstWalSegment: 2,
      tables: [{
        name: 't',
        columns: [{ name: 'a', type: { id: 'INTEGER' }, notNull: false }, { name: 'b', type: { id: 'VARCHAR' }, notNull: false }, { name: 'c', type: { id: 'DATE' }, notNull: false }],
        sortKey: ['a'], primaryKey: [],
        parts: [{ id: 1, directory: 'p0000000001', rowCount: 4, columnCount: 2, deletionFile: null }, { id: 2, directory: 'p0000000002', rowCount: 1, columnCount: 3, deletionFile: null }],
      }],
      views: [], indexes: [],
    };
    const m = decodeManifest(withPayload(JSON.stringify(v1), 1), FILE);
    const t = m.tables.get('t')!;
    expect(m.version).toBe(7);
    expect(t.columnIds).toEqual([0, 1, 2]);
    expect(t.nextColumnId).toBe(3);
    expect(t.parts.map((p) => p.columnIds)).toEqual([[0, 1], [0, 1, 2]]);
    // Written back in the current format.
    const bytes = encodeManifest(m);
    expect(new DataView(bytes.buffer).getUint32(4, true)).toBe(FORMAT_VERSION);
    expect(decodeManifest(bytes, FILE)).toEqual(m);
    const bad = structuredClone(v1);
    bad.tables[0]!.parts[0]!.columnCount = 4;
    expect(() => decodeManifest(withPayload(JSON.stringify(bad), 1), FILE)).toThrow(/column count 4 is outside 1\.\.3/);
  });

  it('rejects a flipped bit anywhere in the file with an IO_ERROR naming the file', () => {
    const good = encodeManifest(sample());
    for (let i = 0; i < good.length; i++) {
      for (const bit of [0, 7]) {
        const bad = good.slice();
        bad[i]! ^= 1 << bit;
        expect(() => decodeManifest(bad, FILE)).toThrow(expect.objectContaining({ code: 'IO_ERROR', message: expect.stringContaining(FILE) }));
      }
    }
  });

  it('rejects a truncated or extended file', () => {
    const good = encodeManifest(sample());
    for (const n of [0, 3, HEADER_BYTES - 1, HEADER_BYTES, good.length - 1]) {
      expect(() => decodeManifest(good.subarray(0, n), FILE)).toThrow(/MANIFEST/);
    }
    const longer = new Uint8Array(good.length + 1);
    longer.set(good);
    expect(() => decodeManifest(longer, FILE)).toThrow(/header says \d+ payload bytes but the file holds/);
  });

  it('names the problem: magic, format version, checksum', () => {
    const good = encodeManifest(sample());
    const magic = good.slice();
    magic[0] = 0x50;
    expect(() => decodeManifest(magic, FILE)).toThrow('/db/MANIFEST is not a Quiver manifest');
    const format = good.slice();
    format[4] = 9;
    expect(() => decodeManifest(format, FILE)).toThrow('has format version 9; this Quiver reads versions 1 and 2');
    const crc = good.slice();
    crc[HEADER_BYTES + 2]! ^= 0x20;
    expect(() => decodeManifest(crc, FILE)).toThrow(/damaged: checksum mismatch \(stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\)/);
  });

  it('rejects a correctly signed payload that breaks the manifest invariants', () => {
    const json = JSON.parse(new TextDecoder().decode(encodeManifest(sample()).subarray(HEADER_BYTES))) as { tables: { parts: { id: number; columnIds: number[] }[]; columns: { id: number; type: unknown }[]; nextColumnId: number }[]; nextPartId: number };
    const reSigned = (change: (j: typeof json) => void) => {
      const copy = structuredClone(json);
      change(copy);
      return withPayload(JSON.stringify(copy));
    };
    expect(() => decodeManifest(withPayload('{"version":'), FILE)).toThrow(/payload is not valid JSON/);
    expect(() => decodeManifest(reSigned((j) => { j.nextPartId = 1; }), FILE)).toThrow(/nextPartId 1 is not above every part id/);
    expect(() => decodeManifest(reSigned((j) => { j.tables[0]!.parts[0]!.columnIds = [0, 7]; }), FILE)).toThrow(/column id 7 is not one table "lineorder" ever had/);
    expect(() => decodeManifest(reSigned((j) => { j.tables[0]!.columns[1]!.id = 0; }), FILE)).toThrow(/two columns have id 0/);
    expect(() => decodeManifest(reSigned((j) => { j.tables[0]!.nextColumnId = 2; }), FILE)).toThrow(/column id 2 is not below its next column id 2/);
    expect(() => decodeManifest(reSigned((j) => { delete (j.tables[0] as Partial<(typeof j.tables)[0]>).nextColumnId; }), FILE)).toThrow(/next column id of table "lineorder" is not a non-negative integer/);
    expect(() => decodeManifest(reSigned((j) => { j.tables[0]!.parts.push({ ...j.tables[0]!.parts[0]! }); }), FILE)).toThrow(/part id 1 is already in use/);
    expect(() => decodeManifest(reSigned((j) => { j.tables[0]!.columns[0]!.type = { id: 'DECIMAL', precision: 4, scale: 9 }; }), FILE)).toThrow(/DECIMAL scale must be between 0 and the precision/);
    expect(() => decodeManifest(reSigned((j) => { j.tables[0]!.columns[0]!.type = { id: 'BLOB' }; }), FILE)).toThrow(/unknown type id "BLOB"/);
    expect(() => decodeManifest(reSigned((j) => { delete (j as Partial<typeof j>).tables; }), FILE)).toThrow(/tables is not a list/);
  });
});

describe('tagged JSON', () => {
  it('round-trips bigints of any size exactly, nested anywhere', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.bigInt(), fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }), fc.string({ unit: 'binary' }), fc.integer())), (values) => {
        const value = { values, nested: { big: values.filter((v) => typeof v === 'bigint') } };
        expect(fromTaggedJson(toTaggedJson(value))).toEqual(value);
      }),
      { seed: 7, numRuns: 200 },
    );
    expect(fromTaggedJson(toTaggedJson(2n ** 63n - 1n))).toBe(9223372036854775807n);
  });

  it('rejects a malformed bigint tag and non-finite numbers', () => {
    expect(() => fromTaggedJson('{"$bigint":"12a"}')).toThrow(SyntaxError);
    expect(() => fromTaggedJson('{"$bigint":"1","x":1}')).toThrow(SyntaxError);
    expect(() => toTaggedJson(Number.NaN)).toThrow(/cannot write NaN/);
  });
});
