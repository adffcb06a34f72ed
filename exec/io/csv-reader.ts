// The reader of delimited text files for COPY and loads: CSV, TSV and dbgen's .tbl, with
// PostgreSQL's COPY rules (FORMAT csv and FORMAT text), streamed into Batches of flat vectors in
// the target column types. This module is the entry point and drives the reading; the parts:
//   csv-options.ts         the options, PostgreSQL's defaults, the format by file extension
//   csv-input.ts           the file read in chunks into one reusable buffer
//   csv-tokenizer.ts       bytes -> records and fields (quoting, escapes, line ends, NULL strings)
//   csv-batch-parser.ts    fields -> typed column vectors -> Batches
//   csv-field-decoders.ts  the byte-level fast paths for numbers, dates and timestamps
//   csv-text-columns.ts    VARCHAR fields, interned by their bytes
//   csv-parallel.ts        large files cut into ranges parsed by worker threads (csv-worker.ts)

import { open, stat, type FileHandle } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { type Batch, BATCH_SIZE } from '../../common/batch.js';
import { QuiverError } from '../../common/errors.js';
import { CsvBatchParser } from './csv-batch-parser.js';
import { type CsvOptions, type DelimitedColumn, MAX_PARSE_THREADS, PARALLEL_MIN_BYTES } from './csv-options.js';
import { parseInWorkers, splitAtLines } from './csv-parallel.js';
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
 * Streams the records of a delimited file as Batches with one flat vector per column (VARCHAR
 * columns may be dictionary vectors with options.dictionaryText), in `columns`' order and
 * types (BIGINT/DECIMAL vectors are Float64Array unless a batch holds a value beyond 2^53,
 * then BigInt64Array), in file order; with options.sortKey, maybe as sorted runs. Errors are INVALID_INPUT naming the file, the
 * physical line (1-based) and the field (1-based, with the column's name). NOT NULL is the
 * caller's to check.
 */
export async function* readDelimited(
  path: string,
  columns: DelimitedColumn[],
  options: CsvOptions,
  batchSize: number = BATCH_SIZE,
): AsyncGenerator<Batch> {
  // The options are checked (and a bad one reported) before the file is opened.
  new CsvBatchParser(path, columns, options, batchSize);
  const size = await fileSize(path);
  const threads = parseThreads(size, options);
  if (threads > 1) {
    const ranges = await splitAtLines(path, size, threads);
    if (ranges.length > 1) {
      const batches = await parseInWorkers(path, columns, options, batchSize, ranges);
      if (batches !== null) {
        yield* batches;
        return;
      }
    }
  }
  yield* readOnThisThread(path, columns, options, batchSize);
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (e) {
    throw new QuiverError('IO_ERROR', `cannot open ${path}: ${(e as Error).message}`);
  }
}

/** How many threads parse the file: options.threads, else by its size and the cores. */
function parseThreads(size: number, options: CsvOptions): number {
  if (options.threads !== undefined) {
    if (!Number.isInteger(options.threads) || options.threads < 1) {
      throw new QuiverError('INVALID_INPUT', `the number of parsing threads must be a positive integer, got ${options.threads}`);
    }
    return Math.min(options.threads, MAX_PARSE_THREADS);
  }
  if (size < PARALLEL_MIN_BYTES) return 1;
  return Math.max(1, Math.min(availableParallelism(), MAX_PARSE_THREADS));
}

async function* readOnThisThread(path: string, columns: DelimitedColumn[], options: CsvOptions, batchSize: number): AsyncGenerator<Batch> {
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
