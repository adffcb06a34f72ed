// Where a worker thread's entry file is. Workers run compiled JavaScript: from dist/ the worker
// file sits beside its caller; when the caller runs from the TypeScript sources (vitest), the
// compiled copy under dist/ is used, so `npm test` builds before it runs the suite.

import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { QuiverError } from './errors.js';

/** The URL of worker file `file` (a `.js` name relative to the caller's module). */
export function workerUrl(callerUrl: string, file: string): URL {
  const beside = new URL(file, callerUrl);
  const path = fileURLToPath(beside);
  if (existsSync(path)) return beside;
  const root = packageRoot(dirname(fileURLToPath(callerUrl)));
  const compiled = join(root, 'dist', relative(root, path));
  if (!existsSync(compiled)) {
    throw new QuiverError('INTERNAL_ERROR', `worker file ${compiled} is missing: run \`npm run build\` to compile the worker threads`);
  }
  return pathToFileURL(compiled);
}

function packageRoot(from: string): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new QuiverError('INTERNAL_ERROR', `no package.json above ${from}: cannot find the compiled worker files`);
    dir = up;
  }
}
