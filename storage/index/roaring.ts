// The roaring bitmap class (the `roaring` package, CRoaring for Node), loaded in one place: the
// package is CommonJS, so it is required and the class picked from it. Its native-binding
// finder reads process.argv (a program's own `--dir X` would send it looking under X), so it
// is loaded with the arguments hidden.

import { createRequire } from 'node:module';

const roaring = loadHidingArgv();

function loadHidingArgv(): typeof import('roaring') {
  const argv = process.argv;
  process.argv = argv.slice(0, 2);
  try {
    return createRequire(import.meta.url)('roaring') as typeof import('roaring');
  } finally {
    process.argv = argv;
  }
}

export const RoaringBitmap32 = roaring.RoaringBitmap32;
export type RoaringBitmap32 = InstanceType<typeof roaring.RoaringBitmap32>;
