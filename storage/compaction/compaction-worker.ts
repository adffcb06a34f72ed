// The compaction worker thread's entry (started by compaction-thread.ts, which runs the compiled
// dist/ copy): it runs each merge it is sent over the real file system and answers with the
// result, or with the error's code and message; never a stack, never a rejection left unhandled.

import { parentPort } from 'node:worker_threads';
import { internalError, toQuiverError } from '../../common/errors.js';
import { nodeFileSystem } from '../fs/node-file-system.js';
import type { MergeCall, MergeReply } from './compaction-thread.js';
import { mergeParts } from './merge.js';

const port = parentPort;
if (port === null) throw internalError('compaction-worker.js runs only as a worker thread (see compaction-thread.ts)');

port.on('message', (call: MergeCall) => {
  mergeParts(nodeFileSystem, call.request).then(
    (result) => port.postMessage({ id: call.id, ok: true, result } satisfies MergeReply),
    (e: unknown) => {
      const q = toQuiverError(e);
      port.postMessage({ id: call.id, ok: false, code: q.code, message: q.message } satisfies MergeReply);
    },
  );
});
