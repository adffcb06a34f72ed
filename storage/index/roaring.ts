// The roaring bitmap class (the `roaring` package, CRoaring for Node), imported in one place:
// the package is CommonJS, so ES modules take its default export and pick the class from it.

import roaring from 'roaring';

export const RoaringBitmap32 = roaring.RoaringBitmap32;
export type RoaringBitmap32 = InstanceType<typeof roaring.RoaringBitmap32>;
