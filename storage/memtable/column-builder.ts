// One column of the memtable's open chunk: a typed array (or string[]) with room to grow and a
// validity mask created at the first NULL. Appends only write slots at and beyond `length`, and
// growing, widening (BIGINT/DECIMAL turning from Float64 to BigInt64 at the first value beyond
// 2^53) or creating the validity mask always allocates fresh arrays, so a snapshot that captured
// the arrays and a row count keeps reading exactly the rows it saw.

import type { LogicalType } from '../../common/types.js';
import { allocData, type ColumnData, type FlatVector } from '../../common/vector.js';

export class ColumnBuilder {
  data: ColumnData;
  validity: Uint8Array | null = null;
  length = 0;
  /** UTF-16 code units held (VARCHAR), for the size estimate. */
  textUnits = 0;

  constructor(
    readonly type: LogicalType,
    capacity: number,
  ) {
    this.data = allocData(type, capacity);
  }

  get capacity(): number {
    return this.data.length;
  }

  /** Reallocates to `capacity` slots, keeping the rows held. */
  grow(capacity: number): void {
    const old = this.data;
    if (Array.isArray(old)) {
      const next = new Array<string>(capacity).fill('');
      for (let i = 0; i < this.length; i++) next[i] = old[i]!;
      this.data = next;
    } else {
      const next = new (old.constructor as new (n: number) => typeof old)(capacity);
      (next as Float64Array).set((old as Float64Array).subarray(0, this.length));
      this.data = next;
    }
    if (this.validity !== null) {
      const v = new Uint8Array(capacity);
      v.set(this.validity.subarray(0, this.length));
      this.validity = v;
    }
  }

  /** Appends src rows [start, end); the caller made room for them. */
  appendFrom(src: FlatVector, start: number, end: number): void {
    const at = this.length;
    const n = end - start;
    const s = src.data;
    if (s instanceof BigInt64Array && !(this.data instanceof BigInt64Array)) this.widen();
    const d = this.data;
    if (Array.isArray(d)) {
      const ss = s as string[];
      let units = 0;
      for (let i = 0; i < n; i++) {
        const x = ss[start + i]!;
        d[at + i] = x;
        units += x.length;
      }
      this.textUnits += units;
    } else if (d instanceof BigInt64Array && !(s instanceof BigInt64Array)) {
      // Float64 BIGINT values are integers within 2^53 by the representation invariant.
      const sf = s as Float64Array;
      for (let i = 0; i < n; i++) d[at + i] = BigInt(sf[start + i]!);
    } else {
      (d as Float64Array).set((s as Float64Array).subarray(start, end), at);
    }
    const sv = src.validity;
    if (sv !== null) {
      let nulls = 0;
      for (let i = start; i < end; i++) nulls += sv[i]! ^ 1;
      if (nulls > 0 && this.validity === null) {
        this.validity = new Uint8Array(this.capacity);
        this.validity.fill(1, 0, at);
      }
    }
    if (this.validity !== null) {
      if (sv !== null) this.validity.set(sv.subarray(start, end), at);
      else this.validity.fill(1, at, at + n);
    }
    this.length = at + n;
  }

  /** Switches a BIGINT/DECIMAL column to BigInt64Array (a value beyond 2^53 arrived). */
  private widen(): void {
    const old = this.data as Float64Array;
    const next = new BigInt64Array(old.length);
    for (let i = 0; i < this.length; i++) next[i] = BigInt(old[i]!);
    this.data = next;
  }

  /** Approximate bytes held: typed-array bytes, or about two per code unit plus a string header. */
  bytes(): number {
    const d = this.data;
    const valid = this.validity === null ? 0 : this.validity.length;
    return valid + (Array.isArray(d) ? 2 * this.textUnits + STRING_OVERHEAD_BYTES * d.length : d.byteLength);
  }
}

/** A rough per-string cost of a JavaScript string and its array slot. */
const STRING_OVERHEAD_BYTES = 24;
