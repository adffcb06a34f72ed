// The reader of delimited text files for COPY and loads: CSV, TSV and dbgen's .tbl, with
// PostgreSQL's COPY rules (FORMAT csv and FORMAT text), streamed into Batches of flat vectors in
// the target column types. This module is the entry point and drives the reading; the parts:
//   csv-options.ts         the options, PostgreSQL's defaults, the format by file extension
//   csv-input.ts           the file read in chunks into one reusable buffer
//   csv-tokenizer.ts       bytes -> records and fields (quoting, escapes, line ends, NULL strings)
//   csv-batch-parser.ts    fields -> typed column vectors -> Batches
//   csv-field-decoders.ts  the byte-level fast paths for numbers, dates and timestamps

import { open, type FileHandle } from 'node:fs/promises';
import { type Batch, BATCH_SIZE } from '../../common/batch.js';
import { QuiverError } from '../../common/errors.js';
import { CsvBatchParser } from './csv-batch-parser.js';
import type { CsvOptions, DelimitedColumn } from './csv-options.js';
import { ParseStatus } from './csv-tokenizer.js';

export {
  type CsvOptions,
  type DelimitedColumn,
  DEFAULT_CHUNK_SIZE,
  csvDefaults,
  detectFormatFromPath,
  textDefaults,
} from './csv-options.js';

/**
 * Streams the records of a delimited file as Batches with one flat vector per column, in
 * `columns`' order and types (BIGINT/DECIMAL vectors are Float64Array unless a batch holds a
 * value beyond 2^53, then BigInt64Array). Errors are INVALID_INPUT naming the file, the
 * physical line (1-based) and the field (1-based, with the column's name). NOT NULL is the
 * caller's to check.
 */
export async function* readDelimited(
  path: string,
  columns: DelimitedColumn[],
  options: CsvOptions,
  batchSize: number = BATCH_SIZE,
): AsyncGenerator<Batch> {
  const parser = new CsvBatchParser(path, columns, options, batchSize);
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new QuiverError('IO_ERROR', `cannot open ${path}: ${(e as Error).message}`);
  }
  try {
    for (;;) {
      const status = parser.parse();
      if (status === ParseStatus.BatchFull) {
        yield parser.takeBatch();
      } else if (status === ParseStatus.NeedMore) {
        await parser.fill(fh);
      } else {
        if (parser.rows > 0) yield parser.takeBatch();
        return;
      }
    }
  } finally {
    await fh.close();
  }
}
