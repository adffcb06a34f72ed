// BlockCache (storage/part/block-cache.ts): least-recently-used eviction by the bytes vectors
// hold, keys per opened part object (a part written again under the same directory never
// reads a stale block), and blocks too big to keep are not kept.

import { describe, expect, it } from 'vitest';
import { T } from '../../../common/types.js';
import { type FlatVector, vectorBytes } from '../../../common/vector.js';
import { BlockCache } from '../../../storage/part/block-cache.js';

const ints = (n: number): FlatVector => ({ kind: 'flat', type: T.INTEGER, length: n, data: new Int32Array(n), validity: null });

describe('BlockCache', () => {
  it('evicts the least recently used blocks beyond its capacity', () => {
    const cache = new BlockCache(4 * 1024 * 16);
    const part = {};
    for (let b = 0; b < 16; b++) cache.set(cache.key(part, 0, b), ints(1024));
    expect(cache.size).toBe(16 * 4096);
    expect(cache.get(cache.key(part, 0, 0))).toBeDefined();
    cache.set(cache.key(part, 1, 0), ints(1024));
    // Block 1 was the least recently used (block 0 was just read).
    expect(cache.get(cache.key(part, 0, 1))).toBeUndefined();
    expect(cache.get(cache.key(part, 0, 0))).toBeDefined();
    expect(cache.size).toBe(16 * 4096);
    cache.setCapacity(4096 * 2);
    expect(cache.size).toBe(2 * 4096);
  });

  it('keys blocks by part object, not by directory', () => {
    const cache = new BlockCache(1 << 20);
    const a = { dir: '/db/parts/p1' };
    const b = { dir: '/db/parts/p1' };
    cache.set(cache.key(a, 0, 0), ints(8));
    expect(cache.get(cache.key(b, 0, 0))).toBeUndefined();
    expect(cache.get(cache.key(a, 0, 0))).toBeDefined();
  });

  it('does not keep a block bigger than a sixteenth of its capacity', () => {
    const cache = new BlockCache(16 * 4096);
    cache.set(cache.key({}, 0, 0), ints(1025));
    expect(cache.size).toBe(0);
  });

  it('counts the bytes of every vector kind', () => {
    expect(vectorBytes(ints(10))).toBe(40);
    expect(vectorBytes({ kind: 'flat', type: T.VARCHAR, length: 2, data: ['ab', ''], validity: new Uint8Array(2) })).toBe(2 + 32 + 4 + 32);
    expect(vectorBytes({ kind: 'rle', type: T.INTEGER, length: 100, values: ints(2), runEnds: new Int32Array(2) })).toBe(16);
    expect(vectorBytes({ kind: 'dictionary', type: T.INTEGER, length: 3, dictionary: ints(2), codes: new Int32Array(3) })).toBe(20);
  });
});
