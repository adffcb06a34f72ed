// The VARCHAR columns of the delimited-text reader (csv-batch-parser.ts). A fact table's text
// columns repeat a few values millions of times (SSB's lo_shipmode has 7), so each column
// interns its values by their bytes: a value seen before is found by a hash of its bytes, and
// it costs no new string (no allocation, nothing for the garbage collector, and equal values are
// one object, which the block encoder's dictionaries compare by identity). A column that turns
// out to hold mostly distinct values (names, addresses) stops interning at INTERN_LIMIT.
//
// Two forms: StringColumn holds JavaScript strings (parsing on the calling thread); EncodedText
// holds codes into the interned values and the other values' UTF-8 bytes, which a worker thread
// can transfer without copying (csv-worker.ts), and decodeText turns back into strings.

import { internalError } from '../../common/errors.js';
import type { LogicalType } from '../../common/types.js';
import { type FlatVector, flatVector, type Vector } from '../../common/vector.js';
import type { FastBuffer } from './csv-input.js';

/** Distinct values a column interns; past this it stops (its values are mostly distinct). */
export const INTERN_LIMIT = 1 << 16;

/** A row's code when its value is not interned (EncodedText: its bytes are in `bytes`). */
export const RAW_CODE = -1;
/** A NULL row's code (its value is the harmless ''). */
export const NULL_CODE = -2;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** The distinct values of one column by their bytes, each with a dense code in first-seen order. */
export class TextInterner {
  /** Distinct values held. */
  size = 0;
  /** Reached INTERN_LIMIT: intern() returns RAW_CODE from then on. */
  full = false;
  /** Values' bytes back to back; value c is arena[starts[c], starts[c + 1]). */
  arena: Buffer = Buffer.allocUnsafe(1024);
  starts = new Int32Array(257);
  /** Whether each value is ASCII (decodes as latin1). */
  ascii = new Uint8Array(256);
  private slots = new Int32Array(512); // code + 1; 0 = empty
  private hashes = new Int32Array(256);

  /** The code of bytes b[s, e), added when new; RAW_CODE once the column is full. */
  intern(b: Buffer, s: number, e: number, isAscii: boolean): number {
    if (this.full) return RAW_CODE;
    let h = FNV_OFFSET ^ (e - s);
    for (let p = s; p < e; p++) h = Math.imul(h ^ b[p]!, FNV_PRIME);
    const slots = this.slots;
    const mask = slots.length - 1;
    let slot = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const c = slots[slot]! - 1;
      if (c < 0) break;
      if (this.hashes[c] === h && this.equals(c, b, s, e)) return c;
      slot = (slot + 1) & mask;
    }
    if (this.size === INTERN_LIMIT) {
      this.full = true;
      return RAW_CODE;
    }
    const code = this.size++;
    this.add(code, h, b, s, e, isAscii);
    slots[slot] = code + 1;
    if (this.size * 2 > slots.length) this.rehash();
    return code;
  }

  private equals(c: number, b: Buffer, s: number, e: number): boolean {
    const a = this.arena;
    let q = this.starts[c]!;
    if (this.starts[c + 1]! - q !== e - s) return false;
    for (let p = s; p < e; p++, q++) if (a[q] !== b[p]) return false;
    return true;
  }

  private add(code: number, h: number, b: Buffer, s: number, e: number, isAscii: boolean): void {
    if (code + 1 >= this.starts.length) {
      const starts = new Int32Array(this.starts.length * 2);
      starts.set(this.starts);
      this.starts = starts;
      const ascii = new Uint8Array(this.ascii.length * 2);
      ascii.set(this.ascii);
      this.ascii = ascii;
      const hashes = new Int32Array(this.hashes.length * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    const at = this.starts[code]!;
    const end = at + (e - s);
    if (end > this.arena.length) {
      const arena = Buffer.allocUnsafe(Math.max(end, this.arena.length * 2));
      this.arena.copy(arena, 0, 0, at);
      this.arena = arena;
    }
    b.copy(this.arena, at, s, e);
    this.starts[code + 1] = end;
    this.ascii[code] = isAscii ? 1 : 0;
    this.hashes[code] = h;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let c = 0; c < this.size; c++) {
      const h = this.hashes[c]!;
      let slot = (h ^ (h >>> 15)) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = c + 1;
    }
    this.slots = slots;
  }

  /** Value c as a string. */
  decode(c: number): string {
    const a = this.arena as FastBuffer;
    const s = this.starts[c]!;
    const e = this.starts[c + 1]!;
    return this.ascii[c] === 1 ? a.latin1Slice(s, e) : a.utf8Slice(s, e);
  }
}

/** A VARCHAR column of the batch being filled, as strings. */
export class StringColumn {
  private readonly interner = new TextInterner();
  /** The interned values as strings, by code. */
  private readonly strings: string[] = [];
  data: string[];

  constructor(private readonly batchSize: number) {
    this.data = new Array<string>(batchSize).fill('');
  }

  store(row: number, b: FastBuffer, s: number, e: number, isAscii: boolean): void {
    const code = this.interner.intern(b, s, e, isAscii);
    if (code === RAW_CODE) {
      this.data[row] = isAscii ? b.latin1Slice(s, e) : b.utf8Slice(s, e);
      return;
    }
    if (code === this.strings.length) this.strings.push(this.interner.decode(code));
    this.data[row] = this.strings[code]!;
  }

  storeNull(row: number): void {
    this.data[row] = '';
  }

  /** The first `rows` values; the next batch gets a new array. */
  take(rows: number): string[] {
    const d = this.data;
    this.data = new Array<string>(this.batchSize).fill('');
    return rows === this.batchSize ? d : d.slice(0, rows);
  }
}

/**
 * One batch of a VARCHAR column as a worker thread sends it: a code per row (an interned value,
 * RAW_CODE or NULL_CODE), the bytes of the RAW_CODE rows' values (row i's are bytes[ends[i-1],
 * ends[i]), empty for other rows), and the values the column interned since its previous batch.
 */
export interface EncodedText {
  readonly codes: Int32Array;
  readonly bytes: Uint8Array;
  readonly ends: Int32Array;
  /** Every RAW_CODE value is ASCII. */
  readonly rawAscii: boolean;
  /** Interned values new in this batch, from code firstNew on: bytes, their ends, ASCII flags. */
  readonly firstNew: number;
  readonly newBytes: Uint8Array;
  readonly newEnds: Int32Array;
  readonly newAscii: Uint8Array;
}

/** A VARCHAR column of the batch being filled, as codes and bytes (see EncodedText). */
export class EncodedTextColumn {
  private readonly interner = new TextInterner();
  private sent = 0;
  private codes: Int32Array;
  private ends: Int32Array;
  private bytes: Buffer;
  private length = 0;
  private rawAscii = true;

  constructor(private readonly batchSize: number) {
    this.codes = new Int32Array(batchSize);
    this.ends = new Int32Array(batchSize);
    this.bytes = Buffer.allocUnsafe(4096);
  }

  store(row: number, b: FastBuffer, s: number, e: number, isAscii: boolean): void {
    const code = this.interner.intern(b, s, e, isAscii);
    this.codes[row] = code;
    if (code === RAW_CODE) {
      const end = this.length + (e - s);
      if (end > this.bytes.length) {
        const bigger = Buffer.allocUnsafe(Math.max(end, this.bytes.length * 2));
        this.bytes.copy(bigger, 0, 0, this.length);
        this.bytes = bigger;
      }
      b.copy(this.bytes, this.length, s, e);
      this.length = end;
      if (!isAscii) this.rawAscii = false;
    }
    this.ends[row] = this.length;
  }

  storeNull(row: number): void {
    this.codes[row] = NULL_CODE;
    this.ends[row] = this.length;
  }

  /** Forgets what a partial record stored in `row` (it is parsed again). */
  discard(row: number): void {
    this.length = row === 0 ? 0 : this.ends[row - 1]!;
  }

  /** The first `rows` rows and the values interned since the last take; the next batch starts empty. */
  take(rows: number): EncodedText {
    const it = this.interner;
    const from = it.starts[this.sent]!;
    const newEnds = new Int32Array(it.size - this.sent);
    for (let c = this.sent; c < it.size; c++) newEnds[c - this.sent] = it.starts[c + 1]! - from;
    const out: EncodedText = {
      codes: rows === this.batchSize ? this.codes : this.codes.slice(0, rows),
      bytes: Uint8Array.prototype.slice.call(this.bytes, 0, this.length),
      ends: rows === this.batchSize ? this.ends : this.ends.slice(0, rows),
      rawAscii: this.rawAscii,
      firstNew: this.sent,
      newBytes: Uint8Array.prototype.slice.call(it.arena, from, it.starts[it.size]!),
      newEnds,
      newAscii: it.ascii.slice(this.sent, it.size),
    };
    this.sent = it.size;
    this.codes = new Int32Array(this.batchSize);
    this.ends = new Int32Array(this.batchSize);
    this.length = 0;
    this.rawAscii = true;
    return out;
  }
}

/** Turns a worker's batches of one column back into strings, keeping its interned values as strings. */
export class TextColumnDecoder {
  private readonly strings: string[] = [];
  /** The interned values as a dictionary, while no value was added since it was made. */
  private dictionary: FlatVector | null = null;

  /**
   * The batch as a dictionary vector over the interned values when every row holds one (its
   * codes are the worker's, no string per row: millions of rows of a fact table's text columns
   * stay out of the garbage-collected heap); else as flat strings.
   */
  decodeVector(t: EncodedText, type: LogicalType): Vector {
    this.addNew(t);
    let interned = true;
    const codes = t.codes;
    for (let i = 0; i < codes.length && interned; i++) interned = codes[i]! >= 0;
    if (!interned) return flatVector(type, this.rows(t), null);
    if (this.dictionary === null || this.dictionary.length !== this.strings.length) this.dictionary = flatVector(type, this.strings.slice(), null);
    return { kind: 'dictionary', type, length: codes.length, codes, dictionary: this.dictionary };
  }

  decode(t: EncodedText): string[] {
    this.addNew(t);
    return this.rows(t);
  }

  /** Takes the values the worker interned since its previous batch. */
  private addNew(t: EncodedText): void {
    const newBytes = Buffer.from(t.newBytes.buffer, t.newBytes.byteOffset, t.newBytes.byteLength) as FastBuffer;
    if (t.firstNew !== this.strings.length) throw internalError(`a text column's values arrived out of order: ${t.firstNew} after ${this.strings.length}`);
    let s = 0;
    for (let k = 0; k < t.newEnds.length; k++) {
      const e = t.newEnds[k]!;
      this.strings.push(t.newAscii[k] === 1 ? newBytes.latin1Slice(s, e) : newBytes.utf8Slice(s, e));
      s = e;
    }
  }

  /** The batch's rows as strings. */
  private rows(t: EncodedText): string[] {
    const bytes = Buffer.from(t.bytes.buffer, t.bytes.byteOffset, t.bytes.byteLength) as FastBuffer;
    const n = t.codes.length;
    const out = new Array<string>(n);
    const strings = this.strings;
    let start = 0;
    for (let i = 0; i < n; i++) {
      const c = t.codes[i]!;
      const end = t.ends[i]!;
      if (c >= 0) out[i] = strings[c]!;
      else if (c === RAW_CODE) out[i] = t.rawAscii ? bytes.latin1Slice(start, end) : bytes.utf8Slice(start, end);
      else out[i] = '';
      start = end;
    }
    return out;
  }
}
