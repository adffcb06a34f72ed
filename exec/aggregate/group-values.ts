// One value per group, of any type: the state of MIN, MAX and ANY_VALUE. Values are held in the
// key representations (key-columns.ts): Int32Array for BOOLEAN/SMALLINT/INTEGER/DATE,
// Float64Array for REAL/DOUBLE/TIMESTAMP, string[] for VARCHAR, and for BIGINT/DECIMAL a
// Float64Array while every value seen fits in 2^53 ("narrow"), switching for good to two limbs
// (hi, lo; see int64-limbs.ts) at the first BigInt64Array input ("wide"), so no BigInt is made
// per row. `has` marks groups that hold a value; the others finalize to NULL.

import { type LogicalType, TypeId } from '../../common/types.js';
import type { ColumnData, FlatVector } from '../../common/vector.js';
import { internalError } from '../../common/errors.js';
import { KEY_F64, KEY_I32, KEY_STR, KEY_WIDE, type KeyKind, keyKindOf } from '../hash/key-columns.js';
import { HI_WORD, LO_WORD, limbsToFlat, TWO32, wordsOf } from '../hash/int64-limbs.js';
import { decodeStrings, encodeStrings, growF64, growI32, grownCapacity, growStrings, growU8, type StateArray } from './state.js';

export class GroupValues {
  readonly type: LogicalType;
  readonly kind: KeyKind;
  count = 0;
  private capacity = 0;
  has = new Uint8Array(0);
  i32 = new Int32Array(0);
  /** KEY_F64 values, and KEY_WIDE values while narrow. */
  f64 = new Float64Array(0);
  /** KEY_WIDE limbs once wide: hi integer, lo in [0, 2^32). */
  hi = new Float64Array(0);
  lo = new Float64Array(0);
  str: string[] = [];
  wide = false;

  constructor(type: LogicalType) {
    this.type = type;
    this.kind = keyKindOf(type);
  }

  init(n: number): void {
    if (n > this.capacity) {
      const cap = grownCapacity(this.capacity, n);
      this.has = growU8(this.has, cap);
      switch (this.kind) {
        case KEY_I32:
          this.i32 = growI32(this.i32, cap);
          break;
        case KEY_F64:
          this.f64 = growF64(this.f64, cap);
          break;
        case KEY_WIDE:
          if (this.wide) {
            this.hi = growF64(this.hi, cap);
            this.lo = growF64(this.lo, cap);
          } else {
            this.f64 = growF64(this.f64, cap);
          }
          break;
        case KEY_STR:
          this.str = growStrings(this.str, cap);
          break;
      }
      this.capacity = cap;
    }
    if (n > this.count) this.count = n;
  }

  /** Switches a BIGINT/DECIMAL state to limbs (once a value may pass 2^53). */
  toWide(): void {
    if (this.wide) return;
    const hi = new Float64Array(this.capacity);
    const lo = new Float64Array(this.capacity);
    for (let g = 0; g < this.count; g++) {
      const v = this.f64[g]!;
      const h = Math.floor(v / TWO32);
      hi[g] = h;
      lo[g] = v - h * TWO32;
    }
    this.hi = hi;
    this.lo = lo;
    this.f64 = new Float64Array(0);
    this.wide = true;
  }

  finalize(): FlatVector {
    const n = this.count;
    const type = this.type;
    if (this.kind === KEY_WIDE && this.wide) return limbsToFlat(type, this.hi, this.lo, this.has, 0, n);
    let validity: Uint8Array | null = this.has.slice(0, n);
    if (validity.indexOf(0) < 0) validity = null;
    switch (this.kind) {
      case KEY_I32: {
        const src = this.i32.subarray(0, n);
        const data = type.id === TypeId.BOOLEAN ? Uint8Array.from(src) : src.slice();
        return { kind: 'flat', type, length: n, data, validity };
      }
      case KEY_F64:
      case KEY_WIDE:
        return { kind: 'flat', type, length: n, data: this.f64.slice(0, n), validity };
      case KEY_STR:
        return { kind: 'flat', type, length: n, data: this.str.slice(0, n), validity };
    }
  }

  serialize(): StateArray[] {
    const n = this.count;
    const has = this.has.slice(0, n);
    switch (this.kind) {
      case KEY_I32:
        return [has, this.i32.slice(0, n)];
      case KEY_F64:
        return [has, this.f64.slice(0, n)];
      case KEY_WIDE:
        return this.wide ? [has, this.hi.slice(0, n), this.lo.slice(0, n)] : [has, this.f64.slice(0, n)];
      case KEY_STR:
        return [has, ...encodeStrings(this.str, n)];
    }
  }

  /** Restores serialize()'s arrays, checking their kinds (they may come from another process). */
  load(n: number, arrays: readonly StateArray[]): void {
    this.init(n);
    this.has.set(need(arrays, 0, Uint8Array, n).subarray(0, n));
    switch (this.kind) {
      case KEY_I32:
        this.i32.set(need(arrays, 1, Int32Array, n).subarray(0, n));
        break;
      case KEY_F64:
        this.f64.set(need(arrays, 1, Float64Array, n).subarray(0, n));
        break;
      case KEY_WIDE:
        if (arrays.length === 3) {
          this.toWide();
          this.hi.set(need(arrays, 1, Float64Array, n).subarray(0, n));
          this.lo.set(need(arrays, 2, Float64Array, n).subarray(0, n));
        } else {
          this.f64.set(need(arrays, 1, Float64Array, n).subarray(0, n));
        }
        break;
      case KEY_STR: {
        const s = decodeStrings(need(arrays, 1, Uint8Array, 0), need(arrays, 2, Int32Array, n), n);
        for (let g = 0; g < n; g++) this.str[g] = s[g]!;
        break;
      }
    }
  }

  /** Sets group g to row i of `data` (a vector's data of this type). */
  setFrom(g: number, data: ColumnData, i: number): void {
    this.has[g] = 1;
    switch (this.kind) {
      case KEY_I32:
        this.i32[g] = (data as Int32Array)[i]!;
        return;
      case KEY_F64:
        this.f64[g] = (data as Float64Array)[i]!;
        return;
      case KEY_WIDE:
        if (data instanceof BigInt64Array) {
          this.toWide();
          const words = wordsOf(data);
          this.hi[g] = words[2 * i + HI_WORD]!;
          this.lo[g] = words[2 * i + LO_WORD]! >>> 0;
        } else {
          const v = (data as Float64Array)[i]!;
          if (this.wide) {
            const h = Math.floor(v / TWO32);
            this.hi[g] = h;
            this.lo[g] = v - h * TWO32;
          } else {
            this.f64[g] = v;
          }
        }
        return;
      case KEY_STR:
        this.str[g] = (data as string[])[i]!;
        return;
    }
  }

  /** Sets group g to other's group og (which holds a value). */
  copyGroup(g: number, other: GroupValues, og: number): void {
    if (other.kind === KEY_WIDE && other.wide) this.toWide();
    this.has[g] = 1;
    switch (this.kind) {
      case KEY_I32:
        this.i32[g] = other.i32[og]!;
        return;
      case KEY_F64:
        this.f64[g] = other.f64[og]!;
        return;
      case KEY_WIDE:
        if (!this.wide) this.f64[g] = other.f64[og]!;
        else if (other.wide) {
          this.hi[g] = other.hi[og]!;
          this.lo[g] = other.lo[og]!;
        } else {
          const v = other.f64[og]!;
          const h = Math.floor(v / TWO32);
          this.hi[g] = h;
          this.lo[g] = v - h * TWO32;
        }
        return;
      case KEY_STR:
        this.str[g] = other.str[og]!;
        return;
    }
  }

  /**
   * Orders group g against other's group og (both hold values): negative, 0 or positive.
   * NaN is greater than every other double and equal to itself (PostgreSQL's float order);
   * strings compare by UTF-16 code unit.
   */
  compareGroups(g: number, other: GroupValues, og: number): number {
    switch (this.kind) {
      case KEY_I32:
        return this.i32[g]! - other.i32[og]!;
      case KEY_F64:
        return compareDoubles(this.f64[g]!, other.f64[og]!);
      case KEY_WIDE: {
        if (!this.wide && !other.wide) return compareDoubles(this.f64[g]!, other.f64[og]!);
        const [ah, al] = this.limbsOf(g);
        const [bh, bl] = other.limbsOf(og);
        return ah !== bh ? ah - bh : al - bl;
      }
      case KEY_STR: {
        const a = this.str[g]!;
        const b = other.str[og]!;
        return a < b ? -1 : a > b ? 1 : 0;
      }
    }
  }

  private limbsOf(g: number): [number, number] {
    if (this.wide) return [this.hi[g]!, this.lo[g]!];
    const v = this.f64[g]!;
    const h = Math.floor(v / TWO32);
    return [h, v - h * TWO32];
  }
}

export function compareDoubles(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  const an = a !== a;
  const bn = b !== b;
  return an === bn ? 0 : an ? 1 : -1;
}

function need<A extends StateArray>(arrays: readonly StateArray[], i: number, ctor: { new (n: number): A; readonly name: string }, n: number): A {
  const a = arrays[i];
  if (!(a instanceof ctor) || a.length < n) {
    throw internalError(`serialized aggregate values: array ${i} should be a ${ctor.name} of at least ${n} values`);
  }
  return a;
}
