// Random manifests for the manifest tests (fast-check): tables with every logical type including
// DECIMAL(p,s), unicode names (lone surrogates included), parts with and without deletion files,
// parts written before columns were added or dropped (stable column ids), views and indexes. Built through the derive
// functions, so every generated manifest keeps the invariants of manifest.ts.

import fc from 'fast-check';
import { type LogicalType, T, decimalType } from '../../../common/types.js';
import type { TableSchema } from '../../../storage/table.js';
import { indexKind } from '../../../storage/catalog.js';
import { deletionFileName } from '../../../storage/manifest/database-layout.js';
import { type Manifest, addColumn, addParts, columnDropRefusal, createIndex, createTable, createView, dropColumn, emptyManifest, setFirstWalSegment } from '../../../storage/manifest/manifest.js';

const simpleTypes = Object.values(T).filter((t) => t !== T.NULL);

export const logicalTypeArb: fc.Arbitrary<LogicalType> = fc.oneof(
  fc.constantFrom(...simpleTypes),
  fc.integer({ min: 1, max: 38 }).chain((p) => fc.integer({ min: 0, max: p }).map((s) => decimalType(p, s))),
);

export const nameArb = fc.string({ unit: 'binary', minLength: 1, maxLength: 12 });

const tableSpecArb = fc.record({
  name: nameArb,
  columns: fc.uniqueArray(fc.record({ name: nameArb, type: logicalTypeArb, notNull: fc.boolean() }), { minLength: 1, maxLength: 6, selector: (c) => c.name }),
  sortKeyLength: fc.nat(3),
  primaryKeyLength: fc.nat(2),
  parts: fc.array(fc.record({ idGap: fc.nat(3), rowCount: fc.oneof(fc.nat(2000), fc.constant(Number.MAX_SAFE_INTEGER)), missingColumns: fc.nat(3), deletion: fc.option(fc.nat(1_000_000), { nil: null }) }), { maxLength: 4 }),
  /** Columns dropped (by index) after the parts were added, each followed by a new column. */
  drops: fc.array(fc.nat(), { maxLength: 2 }),
});

const manifestSpecArb = fc.record({
  tables: fc.uniqueArray(tableSpecArb, { maxLength: 4, selector: (t) => t.name }),
  views: fc.uniqueArray(fc.record({ name: nameArb, sql: fc.string({ unit: 'binary', maxLength: 40 }), columnNames: fc.option(fc.array(nameArb, { maxLength: 3 }), { nil: undefined }) }), { maxLength: 3, selector: (v) => v.name }),
  indexes: fc.uniqueArray(fc.record({ name: nameArb, table: fc.nat(), columns: fc.array(fc.nat(), { minLength: 1, maxLength: 2 }), using: fc.constantFrom('bitmap', 'btree', 'art'), unique: fc.boolean() }), { maxLength: 3, selector: (x) => x.name }),
  extraPartIds: fc.nat(5),
  firstWalSegment: fc.integer({ min: 1, max: 1_000_000 }),
  extraVersions: fc.nat(1000),
});

export const manifestArb: fc.Arbitrary<Manifest> = manifestSpecArb.map((spec) => {
  let m = emptyManifest();
  let nextId = 1;
  const schemas: TableSchema[] = [];
  for (const t of spec.tables) {
    const names = t.columns.map((c) => c.name);
    const schema: TableSchema = { name: t.name, columns: t.columns, sortKey: names.slice(0, t.sortKeyLength), primaryKey: names.slice(0, t.primaryKeyLength) };
    m = createTable(m, schema);
    schemas.push(schema);
    const parts = t.parts.map((p) => {
      nextId += p.idGap;
      const id = nextId++;
      const columnIds = Array.from({ length: Math.max(1, t.columns.length - p.missingColumns) }, (_, i) => i);
      return { id, rowCount: p.rowCount, columnIds, deletionFile: p.deletion === null ? null : deletionFileName(p.deletion) };
    });
    if (parts.length > 0) m = addParts(m, t.name, parts);
    for (const [k, d] of t.drops.entries()) {
      const now = m.tables.get(t.name)!.schema;
      const victim = now.columns[d % now.columns.length]!.name;
      if (columnDropRefusal(now, m.indexes.values(), victim) !== null) continue;
      m = dropColumn(m, t.name, victim);
      // A name no generated column has (generated names are at most 12 code units).
      m = addColumn(m, t.name, { name: `added column ${k}`, type: T.INTEGER, notNull: false });
    }
    schemas[schemas.length - 1] = m.tables.get(t.name)!.schema;
  }
  for (const v of spec.views) {
    if (m.tables.has(v.name)) continue;
    m = createView(m, v.columnNames === undefined ? { name: v.name, sql: v.sql } : { name: v.name, sql: v.sql, columnNames: v.columnNames });
  }
  if (schemas.length > 0) {
    for (const x of spec.indexes) {
      const schema = schemas[x.table % schemas.length]!;
      const columns = [...new Set(x.columns.map((c) => schema.columns[c % schema.columns.length]!.name))];
      m = createIndex(m, { name: x.name, table: schema.name, columns, using: x.using, kind: indexKind(x.using), unique: x.unique });
    }
  }
  m = setFirstWalSegment(m, spec.firstWalSegment);
  return Object.freeze({ ...m, version: m.version + spec.extraVersions, nextPartId: m.nextPartId + spec.extraPartIds });
});
