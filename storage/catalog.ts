// The catalog: every table, view and index of a database, by name. Names are compared
// exactly (the parser has already lower-cased unquoted identifiers).
// Catalog changes are copy-on-write: `with*` methods return a new Catalog, so a statement
// that fails half-way leaves the committed catalog untouched.

import { catalogError } from '../common/errors.js';
import type { Table, TableSchema } from './table.js';

export interface ViewDef {
  name: string;
  /** The view's query as SQL text; bound anew at each use. */
  sql: string;
  columnNames?: string[];
}

/** What an index does. 'bitmap' (USING BITMAP): each part of the table keeps a roaring bitmap
 *  index file per indexed column (storage/index/), which scans use to skip blocks and rows.
 *  'recorded': any other method (btree, the default, ...), kept in the catalog only. */
export type IndexKind = 'bitmap' | 'recorded';

/** The kind of an index created USING `method`. */
export function indexKind(method: string): IndexKind {
  return method.toLowerCase() === 'bitmap' ? 'bitmap' : 'recorded';
}

export interface IndexDef {
  name: string;
  table: string;
  columns: string[];
  /** The USING method as written, lower-cased ('default' when none was given). */
  using: string;
  /** Always indexKind(using); derived, not stored separately in the manifest. */
  kind: IndexKind;
  unique: boolean;
}

export class Catalog {
  constructor(
    readonly tables: ReadonlyMap<string, Table> = new Map(),
    readonly views: ReadonlyMap<string, ViewDef> = new Map(),
    readonly indexes: ReadonlyMap<string, IndexDef> = new Map(),
  ) {}

  getTable(name: string): Table | undefined {
    return this.tables.get(name);
  }

  requireTable(name: string): Table {
    const t = this.tables.get(name);
    if (t === undefined) {
      const hint = this.views.has(name) ? `; "${name}" is a view` : this.suggest(name);
      throw catalogError(`table "${name}" does not exist${hint}`);
    }
    return t;
  }

  /** "; did you mean ..." for a misspelt name, or ''. */
  suggest(name: string): string {
    const all = [...this.tables.keys(), ...this.views.keys()];
    let best = '';
    let bestD = Infinity;
    for (const n of all) {
      const d = editDistance(n, name);
      if (d < bestD) {
        bestD = d;
        best = n;
      }
    }
    return bestD <= Math.max(1, Math.floor(name.length / 3)) ? `; did you mean "${best}"?` : '';
  }

  hasRelation(name: string): boolean {
    return this.tables.has(name) || this.views.has(name);
  }

  withTable(table: Table): Catalog {
    const tables = new Map(this.tables);
    tables.set(table.schema.name, table);
    return new Catalog(tables, this.views, this.indexes);
  }

  withoutTable(name: string): Catalog {
    const tables = new Map(this.tables);
    tables.delete(name);
    const indexes = new Map([...this.indexes].filter(([, ix]) => ix.table !== name));
    return new Catalog(tables, this.views, indexes);
  }

  withView(view: ViewDef): Catalog {
    const views = new Map(this.views);
    views.set(view.name, view);
    return new Catalog(this.tables, views, this.indexes);
  }

  withoutView(name: string): Catalog {
    const views = new Map(this.views);
    views.delete(name);
    return new Catalog(this.tables, views, this.indexes);
  }

  withIndex(index: IndexDef): Catalog {
    const indexes = new Map(this.indexes);
    indexes.set(index.name, index);
    return new Catalog(this.tables, this.views, indexes);
  }

  withoutIndex(name: string): Catalog {
    const indexes = new Map(this.indexes);
    indexes.delete(name);
    return new Catalog(this.tables, this.views, indexes);
  }

  tableSchemas(): TableSchema[] {
    return [...this.tables.values()].map((t) => t.schema);
  }
}

function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}
