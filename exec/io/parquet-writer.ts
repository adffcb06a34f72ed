// The Parquet writer of COPY TO: batches into row groups encoded by hyparquet-writer (snappy),
// streamed into an AtomicFile row group by row group. Types: BOOLEAN; SMALLINT/INTEGER as INT32
// (SMALLINT annotated INT_16); BIGINT as INT64; DECIMAL(p,s) as INT64 annotated DECIMAL (the
// unscaled integer, exact); REAL/DOUBLE as DOUBLE; DATE as INT32 DATE; TIMESTAMP(TZ) as INT64
// TIMESTAMP_MICROS; VARCHAR as UTF8 BYTE_ARRAY. Every column is OPTIONAL. INTERVAL cannot be
// written. What read_parquet and COPY FROM read back is the same values.

import type { SchemaElement } from 'hyparquet';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { Batch } from '../../common/batch.js';
import { notSupported, QuiverError } from '../../common/errors.js';
import { type LogicalType, TypeId, typeToString } from '../../common/types.js';
import { flatten, type FlatVector } from '../../common/vector.js';
import type { AtomicFile } from './atomic-file.js';

/** Rows per row group (DuckDB's default row group size). */
const ROW_GROUP_ROWS = 122880;

type Value = boolean | number | bigint | string | null;

function schemaElement(name: string, type: LogicalType): SchemaElement {
  const e = { name, repetition_type: 'OPTIONAL' as const };
  switch (type.id) {
    case TypeId.BOOLEAN:
      return { ...e, type: 'BOOLEAN' };
    case TypeId.SMALLINT:
      return { ...e, type: 'INT32', converted_type: 'INT_16' };
    case TypeId.INTEGER:
      return { ...e, type: 'INT32' };
    case TypeId.BIGINT:
      return { ...e, type: 'INT64' };
    case TypeId.DECIMAL:
      return { ...e, type: 'INT64', converted_type: 'DECIMAL', precision: type.precision!, scale: type.scale! };
    case TypeId.REAL:
    case TypeId.DOUBLE:
      return { ...e, type: 'DOUBLE' };
    case TypeId.DATE:
      return { ...e, type: 'INT32', converted_type: 'DATE' };
    case TypeId.TIMESTAMP:
    case TypeId.TIMESTAMPTZ:
      return { ...e, type: 'INT64', converted_type: 'TIMESTAMP_MICROS' };
    case TypeId.VARCHAR:
      return { ...e, type: 'BYTE_ARRAY', converted_type: 'UTF8' };
    default:
      throw notSupported(`column "${name}" has type ${typeToString(type)}, which cannot be written to Parquet`);
  }
}

/** Writes batches of `types` as one Parquet file into `file` (not committed here). */
export class ParquetFileWriter {
  private readonly bytes = new ByteWriter();
  private readonly writer: ParquetWriter;
  private readonly kinds: TypeId[];
  private columns: Value[][];
  private rows = 0;

  constructor(
    private readonly file: AtomicFile,
    private readonly names: readonly string[],
    types: readonly LogicalType[],
  ) {
    const schema: SchemaElement[] = [{ name: 'root', num_children: names.length }, ...names.map((n, i) => schemaElement(n, types[i]!))];
    this.kinds = types.map((t) => t.id);
    this.columns = names.map(() => []);
    // hyparquet-writer calls flush after each row group: move the bytes into the file.
    Object.assign(this.bytes, { flush: () => this.drain() });
    this.writer = new ParquetWriter({ writer: this.bytes, schema });
  }

  async add(b: Batch): Promise<void> {
    const cols: FlatVector[] = b.columns.map(flatten);
    for (let c = 0; c < cols.length; c++) {
      const v = cols[c]!;
      const out = this.columns[c]!;
      const kind = this.kinds[c]!;
      for (let k = 0; k < b.count; k++) {
        const r = b.selection === null ? k : b.selection[k]!;
        if (v.validity !== null && v.validity[r] === 0) out.push(null);
        else out.push(toParquet(kind, v.data[r]!));
      }
    }
    this.rows += b.count;
    if (this.rows >= ROW_GROUP_ROWS) await this.writeGroup();
  }

  async finish(): Promise<void> {
    if (this.rows > 0) await this.writeGroup();
    await this.call(() => this.writer.finish());
    await this.drain();
  }

  private async writeGroup(): Promise<void> {
    const columnData = this.names.map((name, c) => ({ name, data: this.columns[c]! }));
    const rows = this.rows;
    this.columns = this.names.map(() => []);
    this.rows = 0;
    await this.call(() => this.writer.write({ columnData, rowGroupSize: rows }));
  }

  private async drain(): Promise<void> {
    const n = this.bytes.index;
    if (n === 0) return;
    const chunk = new Uint8Array(this.bytes.buffer, 0, n).slice();
    this.bytes.index = 0;
    await this.file.writeBytes(chunk);
  }

  private async call(f: () => void | Promise<void>): Promise<void> {
    try {
      await f();
    } catch (e) {
      if (e instanceof QuiverError) throw e;
      throw new QuiverError('IO_ERROR', `cannot write Parquet file "${this.file.path}": ${(e as Error).message}`);
    }
  }
}

function toParquet(kind: TypeId, x: number | bigint | string): Value {
  switch (kind) {
    case TypeId.BOOLEAN:
      return x === 1;
    case TypeId.BIGINT:
    case TypeId.DECIMAL:
    case TypeId.TIMESTAMP:
    case TypeId.TIMESTAMPTZ:
      return BigInt(x);
    default:
      return x;
  }
}
