// The bitmap indexes of one part: which columns have an index file (`i<column>.idx` in the part
// directory, found by openPart's one readdir, or added by addBitmapIndexes), and the opened
// indexes, each opened on first use and then kept for the life of the part object.

import { posix } from 'node:path';
import { QuiverError } from '../../common/errors.js';
import type { FileSystem } from '../fs/file-system.js';
import type { PartMeta } from '../part/part-meta.js';
import { BitmapIndex } from './bitmap-index.js';
import type { IndexedRows } from './bitmap-filter.js';

export const indexFileName = (column: number): string => `i${column}.idx`;
const INDEX_FILE = /^i(0|[1-9][0-9]*)\.idx$/;

export class PartIndexes implements IndexedRows {
  private readonly opened = new Map<number, Promise<BitmapIndex>>();
  private readonly columns: Set<number>;

  /** `names`: the part directory's entries. A column part.meta records an index for MUST have
   *  its file; index files of columns the part does not have are ignored. */
  constructor(
    private readonly fs: FileSystem,
    private readonly dir: string,
    private readonly meta: PartMeta,
    names: readonly string[],
  ) {
    this.columns = new Set();
    for (const name of names) {
      const m = INDEX_FILE.exec(name);
      if (m !== null && Number(m[1]) < meta.columns.length) this.columns.add(Number(m[1]));
    }
    meta.columns.forEach((c, i) => {
      if (c.bitmapIndex && !this.columns.has(i)) {
        throw new QuiverError('IO_ERROR', `part ${dir} is damaged: part.meta records a bitmap index for column ${i}, but ${indexFileName(i)} is missing`);
      }
    });
  }

  get rows(): number {
    return this.meta.rows;
  }

  get columnCount(): number {
    return this.meta.columns.length;
  }

  /** Columns with an index, ascending. */
  get indexed(): number[] {
    return [...this.columns].sort((a, b) => a - b);
  }

  has(column: number): boolean {
    return this.columns.has(column);
  }

  /** The index of `column`, opened on first use; null when the column has none. */
  index(column: number): Promise<BitmapIndex> | null {
    if (!this.columns.has(column)) return null;
    let p = this.opened.get(column);
    if (p === undefined) {
      const col = this.meta.columns[column]!;
      p = BitmapIndex.open(this.fs, posix.join(this.dir, indexFileName(column)), { column, type: col.type, rows: this.meta.rows });
      this.opened.set(column, p);
      // A failed open is not remembered: the next scan reports the error again.
      p.catch(() => {
        if (this.opened.get(column) === p) this.opened.delete(column);
      });
    }
    return p;
  }

  /** Records an index file written for `column` after the part was opened. */
  added(column: number): void {
    this.columns.add(column);
    this.opened.delete(column);
  }
}
