// An opened bitmap index file (bitmap-index-format.ts): the directory is read when the index is
// opened (one read when the file is small), the bitmaps on first use, each cached. It answers
// single-column predicates with a bitmap of the part rows that may satisfy them, or null when it
// cannot tell (a constant of another type, a NaN): the scan then reads those rows and the
// caller's exact filter decides. Answers may hold extra rows, never miss one.
//
// The bitmaps it returns are shared with its cache: callers MUST NOT change them (use the
// static RoaringBitmap32 operations, which make new bitmaps).

import { internalError } from '../../common/errors.js';
import type { LogicalType } from '../../common/types.js';
import { typesEqual, typeToString } from '../../common/types.js';
import type { Scalar } from '../../common/vector.js';
import type { FileSystem } from '../fs/file-system.js';
import type { ColumnPredicate } from '../table.js';
import {
  type BitmapEntry,
  type BitmapIndexDirectory,
  corruptIndex,
  decodeBitmap,
  decodeBitmapIndexDirectory,
  directoryLength,
} from './bitmap-index-format.js';
import { constantKey, type IndexKey, isUnorderedKey, KeyDomain, keyDomain, NO_KEY, UNKNOWN_KEY } from './index-key.js';
import { RoaringBitmap32 } from './roaring.js';

/** The first read of an index file; a file this small is read whole at once. */
const FIRST_READ_BYTES = 64 * 1024;
/** A range or <> answer that needs more bitmaps than this (on the smaller of its two sides) is
 *  left to the scan: reading that many bitmaps costs about as much as reading the column. */
const MAX_RANGE_BITMAPS = 256;

export interface ExpectedIndex {
  readonly column: number;
  readonly type: LogicalType;
  readonly rows: number;
}

export class BitmapIndex {
  private readonly domain: KeyDomain;
  private readonly lookup = new Map<IndexKey, number>();
  /** Slot 0: the NULL bitmap; slot i + 1: the bitmap of keys[i]. */
  private readonly cache: (Promise<RoaringBitmap32> | undefined)[];

  private constructor(
    private readonly fs: FileSystem,
    readonly path: string,
    readonly directory: BitmapIndexDirectory,
    /** The first bytes of the file, as read at open. */
    private readonly head: Uint8Array,
  ) {
    this.domain = keyDomain(directory.type);
    directory.keys.forEach((k, i) => this.lookup.set(k, i));
    this.cache = new Array(directory.keys.length + 1);
  }

  /** Opens the index file at `path` and checks that it indexes `expected` (the part's column). */
  static async open(fs: FileSystem, path: string, expected: ExpectedIndex): Promise<BitmapIndex> {
    const handle = await fs.open(path, 'read');
    let head: Uint8Array;
    let directory: BitmapIndexDirectory;
    try {
      const fileBytes = await handle.size();
      head = new Uint8Array(Math.min(fileBytes, FIRST_READ_BYTES));
      const got = await handle.read(head, 0);
      if (got !== head.length) throw corruptIndex(path, `the file ended after ${got} of ${head.length} bytes`);
      const n = directoryLength(head, fileBytes, path);
      let dirBytes = head.subarray(0, n);
      if (n > head.length) {
        dirBytes = new Uint8Array(n);
        const more = await handle.read(dirBytes, 0);
        if (more !== n) throw corruptIndex(path, `the file ended after ${more} of its ${n} directory bytes`);
      }
      directory = decodeBitmapIndexDirectory(dirBytes, fileBytes, path);
    } finally {
      await handle.close();
    }
    if (directory.column !== expected.column || directory.rows !== expected.rows || !typesEqual(directory.type, expected.type)) {
      throw corruptIndex(
        path,
        `it indexes column ${directory.column} (${typeToString(directory.type)}) of ${directory.rows} rows, ` +
          `but the part's column ${expected.column} is ${typeToString(expected.type)} with ${expected.rows} rows`,
      );
    }
    return new BitmapIndex(fs, path, directory, head);
  }

  /** Distinct non-NULL values. */
  get values(): number {
    return this.directory.keys.length;
  }

  /** Rows that may satisfy `p` (its column is this index's), or null when the index cannot tell. */
  async rowsFor(p: ColumnPredicate): Promise<RoaringBitmap32 | null> {
    switch (p.op) {
      case 'is_null':
        return this.load(0);
      case 'is_not_null':
        return RoaringBitmap32.andNot(RoaringBitmap32.fromRange(0, this.directory.rows), await this.load(0));
      case '=':
      case 'in':
        return this.rowsEqual(p.values);
      default: {
        const x = p.values[0];
        return x === undefined ? null : this.rowsCompare(p.op, x);
      }
    }
  }

  private async rowsEqual(values: readonly Scalar[]): Promise<RoaringBitmap32 | null> {
    const slots: number[] = [];
    for (const x of values) {
      const key = constantKey(this.domain, x);
      if (key === UNKNOWN_KEY) return null;
      if (key === NO_KEY) continue;
      const i = this.lookup.get(key);
      if (i !== undefined) slots.push(i + 1);
    }
    return this.union(slots);
  }

  /** <, <=, >, >= and <> by the key order; unordered keys (NaN) are always included. */
  private async rowsCompare(op: ColumnPredicate['op'], x: Scalar): Promise<RoaringBitmap32 | null> {
    if (x === null) return new RoaringBitmap32();
    const comparable = this.domain === KeyDomain.STRING ? typeof x === 'string' : (typeof x === 'number' && !Number.isNaN(x)) || typeof x === 'bigint';
    if (!comparable) return null;
    const keys = this.directory.keys;
    const taken: number[] = [];
    const left: number[] = [];
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      (isUnorderedKey(k) || satisfies(op, k, x as IndexKey) ? taken : left).push(i + 1);
    }
    if (left.length === 0) return this.rowsFor({ column: this.directory.column, op: 'is_not_null', values: [] });
    if (Math.min(taken.length, left.length) > MAX_RANGE_BITMAPS) return null;
    if (taken.length <= left.length) return this.union(taken);
    // Fewer bitmaps on the other side: every non-NULL row but those.
    const notNull = RoaringBitmap32.andNot(RoaringBitmap32.fromRange(0, this.directory.rows), await this.load(0));
    return RoaringBitmap32.andNot(notNull, await this.union(left));
  }

  private async union(slots: readonly number[]): Promise<RoaringBitmap32> {
    if (slots.length === 0) return new RoaringBitmap32();
    const bitmaps = await Promise.all(slots.map((s) => this.load(s)));
    return bitmaps.length === 1 ? bitmaps[0]! : RoaringBitmap32.orMany(bitmaps);
  }

  /** The bitmap of slot `s` (0 = NULL), read and checked on first use. */
  private load(s: number): Promise<RoaringBitmap32> {
    let p = this.cache[s];
    if (p === undefined) {
      p = this.read(s);
      this.cache[s] = p;
      // A failed read is not remembered, so the error is raised again at the next use.
      p.catch(() => {
        if (this.cache[s] === p) this.cache[s] = undefined;
      });
    }
    return p;
  }

  private async read(s: number): Promise<RoaringBitmap32> {
    const d = this.directory;
    const entry: BitmapEntry | undefined = s === 0 ? d.nulls : d.entries[s - 1];
    if (entry === undefined) throw internalError(`bitmap index ${this.path} has no bitmap slot ${s}`);
    const what = s === 0 ? 'NULL' : `value ${String(d.keys[s - 1])}`;
    const end = entry.offset + entry.bytes;
    if (end <= this.head.length) return decodeBitmap(this.head.subarray(entry.offset, end), entry, d.rows, this.path, what);
    const bytes = new Uint8Array(entry.bytes);
    const handle = await this.fs.open(this.path, 'read');
    try {
      const got = await handle.read(bytes, entry.offset);
      if (got !== entry.bytes) throw corruptIndex(this.path, `the file ends after ${got} of the ${entry.bytes} bytes of the bitmap of ${what}`);
    } finally {
      await handle.close();
    }
    return decodeBitmap(bytes, entry, d.rows, this.path, what);
  }
}

/** Does key k satisfy `k op x`? Keys and x are of one domain and ordered (no NaN). */
function satisfies(op: ColumnPredicate['op'], k: IndexKey, x: IndexKey): boolean {
  switch (op) {
    case '<':
      return k < x;
    case '<=':
      return k <= x;
    case '>':
      return k > x;
    case '>=':
      return k >= x;
    case '<>':
      return k < x || k > x;
    default:
      throw internalError(`operator ${op} is not an ordered comparison`);
  }
}
