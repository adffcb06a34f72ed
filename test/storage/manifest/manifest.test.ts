// The manifest's derive functions (storage/manifest/manifest.ts): each returns a new manifest
// with a greater version and leaves its source exactly as it was, and each refuses a change that
// would break an invariant with an error saying what and where.

import { describe, expect, it } from 'vitest';
import { T, decimalType } from '../../../common/types.js';
import type { TableSchema } from '../../../storage/table.js';
import {
  type Manifest, addColumn, addParts, columnDropRefusal, createIndex, createTable, createView, dropColumn, dropIndex, dropTable, dropView, emptyManifest,
  partColumnMap, partPositions, renameColumn, renameTable, replaceParts, replaceView, setDeletionFile, setFirstWalSegment,
} from '../../../storage/manifest/manifest.js';

const orders: TableSchema = {
  name: 'orders',
  columns: [
    { name: 'id', type: T.BIGINT, notNull: true },
    { name: 'amount', type: decimalType(12, 2), notNull: false },
    { name: 'day', type: T.DATE, notNull: false },
  ],
  sortKey: ['day', 'id'],
  primaryKey: ['id'],
};

function base(): Manifest {
  let m = createTable(emptyManifest(), orders);
  m = addParts(m, 'orders', [{ id: 1, rowCount: 10 }, { id: 2, rowCount: 20 }]);
  m = createIndex(m, { name: 'orders_day', table: 'orders', columns: ['day'], using: 'bitmap', kind: 'bitmap', unique: false });
  return createView(m, { name: 'big', sql: 'SELECT * FROM orders WHERE amount > 100', columnNames: ['id', 'amount', 'day'] });
}

/** Checks `change` leaves its source untouched and bumps the version; returns the result. */
function derived(m: Manifest, change: (m: Manifest) => Manifest): Manifest {
  const before = structuredClone(m);
  const next = change(m);
  expect(m).toEqual(before);
  expect(next.version).toBeGreaterThan(m.version);
  expect(Object.isFrozen(next)).toBe(true);
  return next;
}

describe('manifest derive functions', () => {
  it('an empty manifest is version 0 with part ids and log segments from 1', () => {
    expect(emptyManifest()).toMatchObject({ version: 0, nextPartId: 1, firstWalSegment: 1 });
    expect(emptyManifest().tables.size).toBe(0);
  });

  it('createTable adds a table with no parts and refuses a taken name or a bad key', () => {
    const m = derived(emptyManifest(), (m) => createTable(m, orders));
    expect(m.tables.get('orders')).toEqual({ schema: orders, columnIds: [0, 1, 2], nextColumnId: 3, parts: [] });
    expect(() => createTable(m, orders)).toThrow('cannot create table "orders": a table or view of that name exists');
    expect(() => createTable(m, { ...orders, name: 'x', sortKey: ['nope'] })).toThrow('table "x" has no column "nope" for its key');
    expect(() => createTable(m, { ...orders, name: 'x', columns: [] })).toThrow('must have at least one column');
    expect(() => createTable(m, { ...orders, name: 'x', columns: [orders.columns[0]!, orders.columns[0]!] })).toThrow('two columns named "id"');
  });

  it('addParts appends parts, defaults their directory and column ids, and moves nextPartId', () => {
    const m = derived(base(), (m) => addParts(m, 'orders', [{ id: 7, rowCount: 5, deletionFile: 'deleted-0000000001.bitmap' }]));
    expect(m.tables.get('orders')!.parts.map((p) => p.id)).toEqual([1, 2, 7]);
    expect(m.tables.get('orders')!.parts[2]).toEqual({ id: 7, directory: 'p0000000007', rowCount: 5, columnIds: [0, 1, 2], deletionFile: 'deleted-0000000001.bitmap' });
    expect(m.nextPartId).toBe(8);
    expect(() => addParts(m, 'orders', [{ id: 2, rowCount: 1 }])).toThrow('part id 2 is already in use');
    expect(() => addParts(m, 'orders', [{ id: 9, rowCount: 1, columnIds: [0, 3] }])).toThrow('column id 3 is not one table "orders" ever had (its ids are below 3)');
    expect(() => addParts(m, 'orders', [{ id: 9, rowCount: 1, columnIds: [1, 1] }])).toThrow('column id 1 is named twice');
    expect(() => addParts(m, 'orders', [{ id: 9, rowCount: 1, columnIds: [] }])).toThrow('holds no column');
    expect(() => addParts(m, 'orders', [{ id: 9, rowCount: -1 }])).toThrow('row count must be a non-negative integer');
    expect(() => addParts(m, 'orders', [{ id: 9, rowCount: 1, directory: '../x' }])).toThrow('must be a plain file name');
    expect(() => addParts(m, 'missing', [{ id: 9, rowCount: 1 }])).toThrow('table "missing" does not exist');
  });

  it('part ids are unique across tables', () => {
    const m = createTable(base(), { ...orders, name: 'other' });
    expect(() => addParts(m, 'other', [{ id: 1, rowCount: 1 }])).toThrow('part id 1 is already in use');
  });

  it('replaceParts swaps compacted parts for the merged one in one version', () => {
    const m = derived(base(), (m) => replaceParts(m, 'orders', [1, 2], [{ id: 3, rowCount: 30 }]));
    expect(m.tables.get('orders')!.parts.map((p) => [p.id, p.rowCount])).toEqual([[3, 30]]);
    expect(() => replaceParts(m, 'orders', [1], [])).toThrow('cannot remove part 1 from table "orders": it is not one of its live parts');
  });

  it('setDeletionFile points one part at a new deletion bitmap, or none', () => {
    const m = derived(base(), (m) => setDeletionFile(m, 'orders', 2, 'deleted-0000000004.bitmap'));
    expect(m.tables.get('orders')!.parts.map((p) => p.deletionFile)).toEqual([null, 'deleted-0000000004.bitmap']);
    const cleared = derived(m, (m) => setDeletionFile(m, 'orders', 2, null));
    expect(cleared.tables.get('orders')!.parts[1]!.deletionFile).toBeNull();
    expect(() => setDeletionFile(m, 'orders', 9, null)).toThrow('part 9 of table "orders"');
  });

  it('addColumn gives the column a new id and keeps old parts at their ids, so they read it as NULL', () => {
    const m = derived(base(), (m) => addColumn(m, 'orders', { name: 'note', type: T.VARCHAR, notNull: false }));
    expect(m.tables.get('orders')!.schema.columns.map((c) => c.name)).toEqual(['id', 'amount', 'day', 'note']);
    expect(m.tables.get('orders')!.columnIds).toEqual([0, 1, 2, 3]);
    expect(m.tables.get('orders')!.parts.map((p) => p.columnIds)).toEqual([[0, 1, 2], [0, 1, 2]]);
    const next = addParts(m, 'orders', [{ id: 3, rowCount: 1 }]);
    expect(next.tables.get('orders')!.parts[2]!.columnIds).toEqual([0, 1, 2, 3]);
    expect([...partColumnMap(next.tables.get('orders')!, next.tables.get('orders')!.parts[0]!)]).toEqual([0, 1, 2, -1]);
    expect(() => addColumn(m, 'orders', { name: 'id', type: T.INTEGER, notNull: false })).toThrow('column "id" of table "orders" already exists');
  });

  it('dropColumn removes the column and its id; parts keep their ids, new ones hold the rest', () => {
    let m = derived(base(), (m) => addColumn(m, 'orders', { name: 'note', type: T.VARCHAR, notNull: false }));
    m = derived(m, (m) => dropColumn(m, 'orders', 'amount'));
    const entry = m.tables.get('orders')!;
    expect(entry.schema.columns.map((c) => c.name)).toEqual(['id', 'day', 'note']);
    expect(entry.columnIds).toEqual([0, 2, 3]);
    expect(entry.nextColumnId).toBe(4);
    expect(entry.parts.map((p) => p.columnIds)).toEqual([[0, 1, 2], [0, 1, 2]]);
    expect([...partColumnMap(entry, entry.parts[0]!)]).toEqual([0, 2, -1]);
    expect(partPositions(entry, entry.parts[0]!, [2, 1])).toEqual([2]);
    const next = addParts(m, 'orders', [{ id: 3, rowCount: 1 }]);
    expect(next.tables.get('orders')!.parts[2]!.columnIds).toEqual([0, 2, 3]);
    // The same name again is a new column: no part holds its id.
    const again = derived(m, (m) => addColumn(m, 'orders', { name: 'amount', type: decimalType(12, 2), notNull: false }));
    expect(again.tables.get('orders')!.columnIds).toEqual([0, 2, 3, 4]);
    expect([...partColumnMap(again.tables.get('orders')!, again.tables.get('orders')!.parts[0]!)]).toEqual([0, 2, -1, -1]);
    // Renames keep ids.
    const renamed = derived(again, (m) => renameColumn(renameTable(m, 'orders', 'sales'), 'sales', 'note', 'memo'));
    expect(renamed.tables.get('sales')!.columnIds).toEqual([0, 2, 3, 4]);
    expect(renamed.tables.get('sales')!.nextColumnId).toBe(5);
  });

  it('dropColumn refuses key columns, indexed columns, the last column and a missing one', () => {
    const m = base();
    expect(() => dropColumn(m, 'orders', 'day')).toThrow('Cannot drop column "day" because the sort key (ORDER BY) of table "orders" depends on it');
    const unsorted = createTable(m, { ...orders, name: 'u', sortKey: [] });
    expect(() => dropColumn(unsorted, 'u', 'id')).toThrow('Cannot drop column "id" because the primary key of table "u" depends on it');
    const indexed = createIndex(unsorted, { name: 'u_amount', table: 'u', columns: ['day', 'amount'], using: 'btree', kind: 'recorded', unique: false });
    expect(() => dropColumn(indexed, 'u', 'amount')).toThrow('Cannot drop column "amount" because index "u_amount" depends on it; drop the index first');
    // An index of another table with a column of that name does not count.
    expect(columnDropRefusal(m.tables.get('orders')!.schema, [{ name: 'x', table: 'other', columns: ['amount'], using: 'default', kind: 'recorded', unique: false }], 'amount')).toBeNull();
    const single = createTable(m, { name: 's', columns: [{ name: 'x', type: T.INTEGER, notNull: false }], sortKey: [], primaryKey: [] });
    expect(() => dropColumn(single, 's', 'x')).toThrow('Cannot drop column "x": table "s" only has one column remaining');
    expect(() => dropColumn(m, 'orders', 'nope')).toThrow('column "nope" of table "orders" does not exist');
    expect(() => dropColumn(m, 'nope', 'x')).toThrow('table "nope" does not exist');
  });

  it('createTable takes stored column ids and checks them', () => {
    const m = createTable(emptyManifest(), orders, { columnIds: [4, 0, 7], nextColumnId: 8 });
    expect(m.tables.get('orders')!.columnIds).toEqual([4, 0, 7]);
    expect(() => createTable(emptyManifest(), orders, { columnIds: [0, 1], nextColumnId: 3 })).toThrow('has 3 columns but 2 column ids');
    expect(() => createTable(emptyManifest(), orders, { columnIds: [0, 1, 3], nextColumnId: 3 })).toThrow('column id 3 is not below its next column id 3');
    expect(() => createTable(emptyManifest(), orders, { columnIds: [0, 1, 1], nextColumnId: 3 })).toThrow('two columns have id 1');
  });

  it('renameColumn renames in the schema, keys and indexes', () => {
    const m = derived(base(), (m) => renameColumn(m, 'orders', 'day', 'order_day'));
    const s = m.tables.get('orders')!.schema;
    expect(s.columns.map((c) => c.name)).toEqual(['id', 'amount', 'order_day']);
    expect(s.sortKey).toEqual(['order_day', 'id']);
    expect(m.indexes.get('orders_day')!.columns).toEqual(['order_day']);
    expect(() => renameColumn(m, 'orders', 'nope', 'x')).toThrow('column "nope" of table "orders" does not exist');
    expect(() => renameColumn(m, 'orders', 'id', 'amount')).toThrow('column "amount" of table "orders" already exists');
  });

  it('renameTable keeps parts and order, and moves indexes along', () => {
    let m = createTable(base(), { ...orders, name: 'zz' });
    m = derived(m, (m) => renameTable(m, 'orders', 'sales'));
    expect([...m.tables.keys()]).toEqual(['sales', 'zz']);
    expect(m.tables.get('sales')!.schema.name).toBe('sales');
    expect(m.tables.get('sales')!.parts.map((p) => p.directory)).toEqual(['p0000000001', 'p0000000002']);
    expect(m.indexes.get('orders_day')!.table).toBe('sales');
    expect(() => renameTable(m, 'sales', 'zz')).toThrow('a table or view of that name exists');
    expect(() => renameTable(m, 'sales', 'big')).toThrow('a table or view of that name exists');
  });

  it('dropTable removes the table, its parts and its indexes, and keeps nextPartId', () => {
    const m = derived(base(), (m) => dropTable(m, 'orders'));
    expect(m.tables.size).toBe(0);
    expect(m.indexes.size).toBe(0);
    expect(m.nextPartId).toBe(3);
    expect(() => dropTable(m, 'orders')).toThrow('table "orders" does not exist');
  });

  it('views: create, replace, drop', () => {
    let m = derived(base(), (m) => replaceView(m, { name: 'big', sql: 'SELECT 1' }));
    expect(m.views.get('big')).toEqual({ name: 'big', sql: 'SELECT 1' });
    expect(() => createView(m, { name: 'big', sql: 'SELECT 2' })).toThrow('cannot create view "big"');
    expect(() => createView(m, { name: 'orders', sql: 'SELECT 2' })).toThrow('cannot create view "orders"');
    m = derived(m, (m) => dropView(m, 'big'));
    expect(m.views.size).toBe(0);
    expect(() => dropView(m, 'big')).toThrow('view "big" does not exist');
  });

  it('indexes: create on existing columns, drop', () => {
    expect(() => createIndex(base(), { name: 'i2', table: 'orders', columns: ['nope'], using: 'bitmap', kind: 'bitmap', unique: false })).toThrow('table "orders" has no column "nope"');
    expect(() => createIndex(base(), { name: 'orders_day', table: 'orders', columns: ['id'], using: 'bitmap', kind: 'bitmap', unique: false })).toThrow('an index of that name exists');
    const m = derived(base(), (m) => dropIndex(m, 'orders_day'));
    expect(m.indexes.size).toBe(0);
    expect(() => dropIndex(m, 'orders_day')).toThrow('index "orders_day" does not exist');
  });

  it('setFirstWalSegment only moves forward', () => {
    const m = derived(base(), (m) => setFirstWalSegment(m, 5));
    expect(m.firstWalSegment).toBe(5);
    expect(() => setFirstWalSegment(m, 4)).toThrow('cannot move from 5 to 4');
  });

  it('derived manifests share nothing mutable with their source', () => {
    const schema = structuredClone(orders);
    const m = createTable(emptyManifest(), schema);
    schema.columns.push({ name: 'late', type: T.INTEGER, notNull: false });
    schema.sortKey.push('late');
    expect(m.tables.get('orders')!.schema).toEqual(orders);
    expect(Object.isFrozen(m.tables.get('orders')!.schema.columns)).toBe(true);
  });
});
