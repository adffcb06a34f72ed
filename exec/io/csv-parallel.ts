// Parallel parsing of a large delimited file: the file is cut into ranges at line starts and
// each range is parsed by a worker thread (csv-worker.ts) with the parser the calling thread
// uses, so values, NULLs and error messages are the same.
//
// A cut at a line start is a record boundary unless it falls inside a quoted field holding a
// newline (or after a backslash-escaped newline in the text format). Each worker parses on
// past the end of its range to finish its last record, and reports where it stopped: when
// that is exactly where the next range starts, the next worker began on a record and its
// rows are right; otherwise the file is parsed again on the calling thread, from the start.
// Lines are counted per range and added up, so an error names its line in the whole file. The
// first error in file order wins, as when one thread reads the file.
//
// Workers are started per file and exit when their range is parsed; nothing stays behind to
// keep the process alive.

import { open } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { type Batch, makeBatch } from '../../common/batch.js';
import { internalError, QuiverError } from '../../common/errors.js';
import { TypeId } from '../../common/types.js';
import { flatVector, type Vector } from '../../common/vector.js';
import { workerUrl } from '../../common/worker-url.js';
import type { EncodedBatch } from './csv-batch-parser.js';
import type { CsvOptions, DelimitedColumn } from './csv-options.js';
import { type EncodedText, TextColumnDecoder } from './csv-text-columns.js';
import { CsvInputError, type ParseRange } from './csv-tokenizer.js';
import type { CsvWorkerJob, CsvWorkerMessage } from './csv-worker.js';

const LF = 10;
/** Bytes read at a nominal cut to find the next line start. */
const PROBE_BYTES = 64 << 10;
/** Most bytes searched for a line start after a nominal cut; without one there, no cut. */
const MAX_PROBE_BYTES = 4 << 20;

/** What one worker produced: its rows, or its error, and where it stopped. */
interface RangeResult {
  batches: Batch[];
  end: { offset: number; lines: number; endMarker: boolean } | null;
  failure: QuiverError | { line: number; field: number; columnName: string | undefined; detail: string } | null;
}

/**
 * Cuts the file of `size` bytes into at most `parts` ranges that start at line starts; fewer
 * when lines are too long to find a start near a cut.
 */
export async function splitAtLines(path: string, size: number, parts: number): Promise<ParseRange[]> {
  const starts = [0];
  const fh = await open(path, 'r').catch((e: Error) => {
    throw new QuiverError('IO_ERROR', `cannot open ${path}: ${e.message}`);
  });
  try {
    const probe = Buffer.allocUnsafe(PROBE_BYTES);
    for (let k = 1; k < parts; k++) {
      let at = Math.max(Math.floor((size * k) / parts), starts[starts.length - 1]! + 1);
      let found = -1;
      for (let searched = 0; found < 0 && searched < MAX_PROBE_BYTES && at < size; searched += PROBE_BYTES) {
        const { bytesRead } = await fh.read(probe, 0, PROBE_BYTES, at);
        if (bytesRead === 0) break;
        const i = probe.subarray(0, bytesRead).indexOf(LF);
        if (i >= 0) found = at + i + 1;
        else at += bytesRead;
      }
      if (found > 0 && found < size) starts.push(found);
    }
  } catch (e) {
    throw new QuiverError('IO_ERROR', `cannot read ${path}: ${(e as Error).message}`);
  } finally {
    await fh.close();
  }
  return starts.map((start, k) => ({ start, stop: k + 1 < starts.length ? starts[k + 1]! : Infinity }));
}

/**
 * The file's rows as readDelimited gives them, parsed by one worker thread per range; null when
 * a range did not begin on a record (the caller then reads the file on its own thread).
 */
export async function parseInWorkers(
  path: string,
  columns: DelimitedColumn[],
  options: CsvOptions,
  batchSize: number,
  ranges: readonly ParseRange[],
): Promise<Batch[] | null> {
  const workers: Worker[] = [];
  try {
    const results = await Promise.all(
      ranges.map((range) => {
        const job: CsvWorkerJob = { path, columns, options, batchSize, range };
        const worker = new Worker(workerUrl(import.meta.url, './csv-worker.js'), { workerData: job });
        workers.push(worker);
        return collect(worker, columns, options.dictionaryText === true);
      }),
    );
    const out: Batch[] = [];
    let lineBase = 0;
    for (let k = 0; k < results.length; k++) {
      const r = results[k]!;
      const f = r.failure;
      if (f instanceof QuiverError) throw f;
      if (f !== null) throw new CsvInputError(path, f.line + lineBase, f.field, f.columnName, f.detail);
      const end = r.end!;
      out.push(...r.batches);
      if (end.endMarker) break;
      if (k + 1 < results.length && end.offset !== ranges[k + 1]!.start) return null;
      lineBase += end.lines;
    }
    return out;
  } finally {
    // Workers exit by themselves once done; this ends those still parsing after another failed.
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Gathers one worker's batches (decoded as they arrive) and its end or error. */
function collect(worker: Worker, columns: DelimitedColumn[], dictionaryText: boolean): Promise<RangeResult> {
  const result: RangeResult = { batches: [], end: null, failure: null };
  const decoders = columns.map((c) => (c.type.id === TypeId.VARCHAR ? new TextColumnDecoder() : null));
  return new Promise((resolve) => {
    let settled = false;
    const settle = (): void => {
      settled = true;
      resolve(result);
    };
    const fail = (why: string): void => {
      if (settled) return;
      result.failure = internalError(`a CSV parsing worker thread stopped: ${why}`);
      settle();
    };
    worker.on('message', (m: CsvWorkerMessage) => {
      if (settled) return;
      switch (m.kind) {
        case 'batch':
          try {
            result.batches.push(decodeBatch(m.batch, columns, decoders, dictionaryText));
          } catch (e) {
            fail((e as Error).message);
          }
          return;
        case 'end':
          result.end = { offset: m.offset, lines: m.lines, endMarker: m.endMarker };
          return settle();
        case 'input-error':
          result.failure = { line: m.line, field: m.field, columnName: m.columnName, detail: m.detail };
          return settle();
        case 'error':
          result.failure = new QuiverError(m.code, m.message);
          return settle();
      }
    });
    worker.on('messageerror', (e) => fail(`a message could not be read (${e.message})`));
    worker.on('error', (e) => fail(e.message));
    worker.on('exit', (code) => fail(`it exited with code ${code} before it finished`));
  });
}

function decodeBatch(b: EncodedBatch, columns: DelimitedColumn[], decoders: (TextColumnDecoder | null)[], dictionaryText: boolean): Batch {
  const vectors: Vector[] = b.columns.map((c, i) => {
    const d = decoders[i];
    const type = columns[i]!.type;
    if (d === null || d === undefined) return flatVector(type, c.data as Exclude<typeof c.data, EncodedText>, c.validity);
    // A NULL row has no code of a value, so a column with NULLs comes as strings.
    if (dictionaryText && c.validity === null) return d.decodeVector(c.data as EncodedText, type);
    return flatVector(type, d.decode(c.data as EncodedText), c.validity);
  });
  return makeBatch(vectors, b.rows);
}
