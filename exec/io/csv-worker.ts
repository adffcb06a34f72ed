// A worker thread of parallel delimited-text parsing (csv-parallel.ts): it parses one range of
// a file with the same parser as the calling thread (csv-batch-parser.ts) and sends each batch
// as it fills, its arrays transferred, not copied, with its text columns as codes and UTF-8
// bytes (csv-text-columns.ts). Then it reports where it stopped and how many lines it passed,
// which tell the calling thread whether the range began on a record and where its lines are in
// the file; an error is sent with its place in the range. It exits when done. With a sort key
// (a bulk load's, CsvOptions.sortKey) it keeps the batches, sorts the range (csv-range-sort.ts)
// and sends it sorted when parsed.

import { open } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { QuiverError, toQuiverError } from '../../common/errors.js';
import { CsvBatchParser, type EncodedBatch } from './csv-batch-parser.js';
import { sortRange, sortsRanges, withoutNulls } from './csv-range-sort.js';
import type { CsvOptions, DelimitedColumn } from './csv-options.js';
import { CsvInputError, ParseStatus, type ParseRange } from './csv-tokenizer.js';

/** What the calling thread gives a worker. */
export interface CsvWorkerJob {
  readonly path: string;
  readonly columns: DelimitedColumn[];
  readonly options: CsvOptions;
  readonly batchSize: number;
  readonly range: ParseRange;
}

/** What a worker sends, in this order: batches, then one end or error. */
export type CsvWorkerMessage =
  | { readonly kind: 'batch'; readonly batch: EncodedBatch }
  | { readonly kind: 'end'; readonly offset: number; readonly lines: number; readonly endMarker: boolean }
  | { readonly kind: 'input-error'; readonly line: number; readonly field: number; readonly columnName: string | undefined; readonly detail: string }
  | { readonly kind: 'error'; readonly code: QuiverError['code']; readonly message: string };

function send(message: CsvWorkerMessage, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(message, transfer);
}

/** The distinct buffers under a batch's arrays (each may be listed only once). */
function buffersOf(batch: EncodedBatch): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const add = (a: ArrayBufferView | null): void => {
    if (a !== null && a.buffer instanceof ArrayBuffer) out.add(a.buffer);
  };
  for (const c of batch.columns) {
    add(c.validity);
    const d = c.data;
    if (ArrayBuffer.isView(d)) add(d);
    else for (const a of [d.codes, d.bytes, d.ends, d.newBytes, d.newEnds, d.newAscii]) add(a);
  }
  return [...out];
}

async function run(job: CsvWorkerJob): Promise<void> {
  const parser = new CsvBatchParser(job.path, job.columns, job.options, job.batchSize, job.range, true);
  const fh = await open(job.path, 'r').catch((e: Error) => {
    throw new QuiverError('IO_ERROR', `cannot open ${job.path}: ${e.message}`);
  });
  const sortKey = job.options.sortKey ?? [];
  const sorting = sortsRanges(job.columns, sortKey);
  const held: EncodedBatch[] = [];
  try {
    for (;;) {
      const status = parser.parse();
      if (status === ParseStatus.NeedMore) {
        await parser.fill(fh);
        continue;
      }
      if (parser.rows > 0) {
        const batch = parser.takeEncoded();
        if (sorting) held.push(batch);
        else send({ kind: 'batch', batch }, buffersOf(batch));
      }
      if (status === ParseStatus.Done) break;
    }
  } finally {
    await fh.close();
  }
  const out = held.length > 0 && withoutNulls(held) ? sortRange(held, job.columns, sortKey, job.batchSize) : held;
  for (const batch of out) send({ kind: 'batch', batch }, buffersOf(batch));
  send({ kind: 'end', offset: parser.offset, lines: parser.linesParsed, endMarker: parser.endMarkerSeen });
}

run(workerData as CsvWorkerJob).catch((e: unknown) => {
  if (e instanceof CsvInputError) {
    send({ kind: 'input-error', line: e.line, field: e.field, columnName: e.columnName, detail: e.detail });
  } else {
    const q = toQuiverError(e);
    send({ kind: 'error', code: q.code, message: q.message });
  }
});
