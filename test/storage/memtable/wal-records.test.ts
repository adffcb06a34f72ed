// The WAL record codec: inserts of every storable type (NULLs, BIGINT/DECIMAL beyond 2^53, NaN,
// -0, lone surrogates) handed over as plain, selected and dictionary batches decode to exactly
// the values encoded, in flat vectors of the right types; deletes round-trip; truncated,
// damaged or unknown records are IO_ERRORs and never anything else.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeBatch } from '../../../common/batch.js';
import { QuiverError } from '../../../common/errors.js';
import { decimalType, type LogicalType, T, TypeId, typesEqual } from '../../../common/types.js';
import { getScalar, type Scalar } from '../../../common/vector.js';
import { decodeWalRecord, encodeDelete, encodeInsert, encodeUpdate, type InsertRecord } from '../../../storage/memtable/wal-records.js';
import { BLOCK_TYPES, sameScalar, valueArb, vectorOf } from '../encoding/blocks.js';
import { type BatchShape, batchOf } from '../part/part-test-helpers.js';

const SAFE_N = 2n ** 53n;

const insertArb = fc
  .record({
    types: fc.array(fc.constantFrom(...BLOCK_TYPES), { minLength: 1, maxLength: 5 }),
    rows: fc.integer({ min: 0, max: 80 }),
    shape: fc.constantFrom<BatchShape>('plain', 'selection', 'dictionary'),
    table: fc.string({ maxLength: 10 }),
  })
  .chain(({ types, rows, shape, table }) =>
    fc
      .tuple(...types.map((t) => fc.array(fc.option(valueArb(t), { freq: 3 }), { minLength: rows, maxLength: rows })))
      .map((columns) => ({ types, rows, shape, table, columns })),
  );

function decodeInsert(bytes: Uint8Array): InsertRecord {
  const r = decodeWalRecord(bytes);
  if (r.kind !== 'insert') throw new Error(`expected an insert, got ${r.kind}`);
  return r;
}

function expectIoError(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(QuiverError);
    expect((e as QuiverError).code).toBe('IO_ERROR');
    return;
  }
  throw new Error('expected an IO_ERROR');
}

function checkValues(rec: InsertRecord, types: readonly LogicalType[], columns: readonly Scalar[][]): void {
  expect(rec.columns.length).toBe(types.length);
  for (const [c, v] of rec.columns.entries()) {
    expect(v.kind).toBe('flat');
    expect(typesEqual(v.type, types[c]!)).toBe(true);
    expect(v.length).toBe(rec.rows);
    expect(v.data.length).toBe(rec.rows);
    for (let i = 0; i < rec.rows; i++) {
      const want = columns[c]![i]!;
      const got = getScalar(v, i);
      if (!sameScalar(got, want)) throw new Error(`column ${c} row ${i}: got ${String(got)}, want ${String(want)}`);
    }
    if (v.type.id === TypeId.BIGINT || v.type.id === TypeId.DECIMAL) {
      const beyond = columns[c]!.some((x) => x !== null && ((x as bigint) > SAFE_N || (x as bigint) < -SAFE_N));
      if (beyond) expect(v.data).toBeInstanceOf(BigInt64Array);
    }
  }
}

describe('insert records', () => {
  it('round-trip every storable type exactly, whatever the batch shape', () => {
    fc.assert(
      fc.property(insertArb, ({ types, rows, shape, table, columns }) => {
        const bytes = encodeInsert(table, types, batchOf(types, columns, 0, rows, shape));
        const rec = decodeInsert(bytes);
        expect(rec.table).toBe(table);
        expect(rec.rows).toBe(rows);
        checkValues(rec, types, columns);
      }),
      { seed: 20261122, numRuns: 150 },
    );
  });

  it('decode from an unaligned buffer and keep no reference to it', () => {
    const types = [T.INTEGER, T.BIGINT, T.DOUBLE, T.VARCHAR];
    const columns: Scalar[][] = [[1, null, -3], [2n ** 62n, null, -(2n ** 63n)], [NaN, -0, null], ['é', null, '\ud800x']];
    const bytes = encodeInsert('t', types, batchOf(types, columns, 0, 3, 'plain'));
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const rec = decodeInsert(shifted.subarray(3));
    shifted.fill(0xff);
    checkValues(rec, types, columns);
  });

  it('keep a BIGINT column held as Float64 as Float64, and the NULL type', () => {
    const types = [T.BIGINT, T.NULL];
    const batch = makeBatch(
      [vectorOf({ type: T.BIGINT, values: [5n, null], asBigInt: false }), { kind: 'flat', type: T.NULL, length: 2, data: new Float64Array(2), validity: new Uint8Array(2) }],
      2,
    );
    const rec = decodeInsert(encodeInsert('t', types, batch));
    expect(rec.columns[0]!.data).toBeInstanceOf(Float64Array);
    checkValues(rec, types, [[5n, null], [null, null]]);
  });

  it('refuse columns the table does not have or an INTERVAL column', () => {
    const batch = makeBatch([vectorOf({ type: T.INTEGER, values: [1], asBigInt: false })], 1);
    expect(() => encodeInsert('t', [T.INTEGER, T.INTEGER], batch)).toThrow(/1 columns, the table 2/);
    expect(() => encodeInsert('t', [T.DOUBLE], batch)).toThrow(/holds INTEGER/);
    expect(() => encodeInsert('t', [T.INTERVAL], batch)).toThrow(/cannot be logged/);
  });
});

describe('delete records', () => {
  it('round-trip memtable and part targets, several per record', () => {
    const target = fc.record({
      target: fc.oneof(fc.constant<'memtable'>('memtable'), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER })),
      rowIds: fc.array(fc.nat({ max: 0xffffffff }), { maxLength: 50 }).map((ids) => Uint32Array.from(ids)),
    });
    fc.assert(
      fc.property(fc.array(target, { maxLength: 4 }), fc.string({ maxLength: 8 }), (targets, table) => {
        const rec = decodeWalRecord(encodeDelete(table, targets));
        expect(rec).toEqual({ kind: 'delete', table, targets });
      }),
      { seed: 7, numRuns: 100 },
    );
  });

  it('refuse a part id that is not a positive integer', () => {
    expect(() => encodeDelete('t', [{ target: 0, rowIds: new Uint32Array(1) }])).toThrow(/positive integer/);
    expect(() => encodeDelete('t', [{ target: 'memtable', rowIds: new Uint32Array(0) }, { target: 1.5, rowIds: new Uint32Array(1) }])).toThrow(/positive integer/);
  });
});

describe('update records', () => {
  it('round-trip the deleted row ids and the new rows together', () => {
    const types = [T.INTEGER, T.VARCHAR, decimalType(18, 3)];
    const columns: Scalar[][] = [[1, null, 3], ['a', 'bé', null], [2n ** 60n, null, 1n]];
    const targets = [
      { target: 4, rowIds: Uint32Array.of(0, 9) },
      { target: 'memtable' as const, rowIds: Uint32Array.of(2) },
    ];
    const rec = decodeWalRecord(encodeUpdate('orders', targets, types, batchOf(types, columns, 0, 3, 'plain')));
    expect(rec.kind).toBe('update');
    if (rec.kind !== 'update') return;
    expect(rec.targets).toEqual(targets);
    expect(rec.rows).toBe(3);
    const insert = decodeWalRecord(encodeInsert('orders', types, batchOf(types, columns, 0, 3, 'plain')));
    expect(rec.columns).toEqual((insert as InsertRecord).columns);
    for (let n = 0; n < 40; n++) expectIoError(() => decodeWalRecord(encodeUpdate('orders', targets, types, batchOf(types, columns, 0, 3, 'plain')).subarray(0, n)));
  });
});

describe('malformed records', () => {
  const types = [T.BOOLEAN, T.SMALLINT, decimalType(18, 3), T.VARCHAR, T.TIMESTAMP];
  const columns: Scalar[][] = [[1, null, 0], [7, 8, null], [2n ** 60n, null, 1n], ['a', 'bé', null], [1.5e15, null, 0]];
  const insert = encodeInsert('orders', types, batchOf(types, columns, 0, 3, 'plain'));
  const del = encodeDelete('orders', [
    { target: 12, rowIds: Uint32Array.of(1, 2, 3) },
    { target: 'memtable', rowIds: Uint32Array.of(4) },
  ]);

  it('every truncation is an IO_ERROR', () => {
    for (const rec of [insert, del]) {
      for (let n = 0; n < rec.length; n++) expectIoError(() => decodeWalRecord(rec.subarray(0, n)));
    }
  });

  it('trailing bytes, unknown kinds, versions, type codes and flags are IO_ERRORs', () => {
    const withTail = new Uint8Array(insert.length + 1);
    withTail.set(insert);
    expectIoError(() => decodeWalRecord(withTail));
    const patch = (at: number, value: number) => {
      const b = insert.slice();
      b[at] = value;
      return b;
    };
    expect(() => decodeWalRecord(patch(0, 9))).toThrow(/unknown record kind 9/);
    expectIoError(() => decodeWalRecord(patch(1, 2)));
    expectIoError(() => decodeWalRecord(patch(2, 1)));
    const firstColumn = 4 + 4 + 'orders'.length + 8;
    expect(() => decodeWalRecord(patch(firstColumn, 200))).toThrow(/unknown type code 200/);
    expect(() => decodeWalRecord(patch(firstColumn + 3, 0x80))).toThrow(/unknown flags/);
    expect(() => decodeWalRecord(patch(firstColumn + 3, 2))).toThrow(/flagged as int64/);
  });

  it('random damage decodes or is an IO_ERROR, never another error', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { minLength: 1, maxLength: 4 }), fc.boolean(), (edits, useDelete) => {
        const b = (useDelete ? del : insert).slice();
        for (const [at, v] of edits) b[at % b.length] = v;
        try {
          decodeWalRecord(b);
        } catch (e) {
          expect(e).toBeInstanceOf(QuiverError);
          expect((e as QuiverError).code).toBe('IO_ERROR');
        }
      }),
      { seed: 99, numRuns: 400 },
    );
  });
});
