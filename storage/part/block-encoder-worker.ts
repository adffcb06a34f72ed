// The block encoder thread's entry (started by block-encoder-thread.ts, which runs the compiled
// dist/ copy): it encodes each column's blocks it is sent (encodeBlock, the same code the calling
// thread runs) and answers with the encoded bytes, transferred, or with the error's code and
// message; never a stack, never a rejection left unhandled.

import { parentPort } from 'node:worker_threads';
import { internalError, toQuiverError } from '../../common/errors.js';
import { encodeBlock } from '../encoding/block-codec.js';
import type { EncodeCall, EncodeReply } from './block-encoder-thread.js';

const port = parentPort;
if (port === null) throw internalError('block-encoder-worker.js runs only as a worker thread (see block-encoder-thread.ts)');

port.on('message', (call: EncodeCall) => {
  try {
    const blocks = call.blocks.map((v) => encodeBlock(v, { force: call.force }));
    port.postMessage({ id: call.id, ok: true, blocks } satisfies EncodeReply, blocks.map((b) => b.bytes.buffer as ArrayBuffer));
  } catch (e) {
    const q = toQuiverError(e);
    port.postMessage({ id: call.id, ok: false, code: q.code, message: q.message } satisfies EncodeReply);
  }
});
