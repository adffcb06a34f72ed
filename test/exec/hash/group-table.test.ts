// GroupTable and GroupIdAssigner: dense ids in first-seen order through growth, NULL as one
// group, and the same ids whichever path (direct integer, dictionary codes, hash) a batch takes.

import { describe, expect, it } from 'vitest';
import { T } from '../../../common/types.js';
import { GroupTable } from '../../../exec/hash/group-table.js';
import { GroupIdAssigner } from '../../../exec/hash/group-ids.js';
import { KEY_I32, KEY_STR, KeyEncoder } from '../../../exec/hash/key-columns.js';
import { JoinHashTable } from '../../../exec/hash/join-table.js';
import { vectorOf } from '../operators/batches.js';

describe('GroupTable', () => {
  it('assigns dense ids in first-seen order through many resizes', () => {
    const n = 50_000;
    const values = Array.from({ length: n }, (_, i) => `k${(i * 7) % 20_011}`);
    const enc = new KeyEncoder([KEY_STR]);
    const keys = enc.encode([vectorOf(T.VARCHAR, values, 'flat')], null, n, true);
    const table = new GroupTable([KEY_STR]);
    const ids = new Int32Array(n);
    table.findOrInsertAll(keys, ids);
    expect(table.groupCount).toBe(20_011);
    const first = new Map<string, number>();
    let wrong = 0;
    for (let i = 0; i < n; i++) {
      if (!first.has(values[i]!)) first.set(values[i]!, first.size);
      if (ids[i] !== first.get(values[i]!)) wrong++;
    }
    expect(wrong).toBe(0);
    expect(table.find(keys, 5, keys.hashes[5]!)).toBe(ids[5]);
  });
});

describe('GroupIdAssigner', () => {
  it('gives the same ids on the direct, dictionary and hash paths', () => {
    const a = new GroupIdAssigner([T.INTEGER]);
    const ids1 = Array.from(a.assign([vectorOf(T.INTEGER, [5, null, 7, 5], 'flat')], null, 4).subarray(0, 4));
    expect(ids1).toEqual([0, 1, 2, 0]);
    const ids2 = Array.from(a.assign([vectorOf(T.INTEGER, [7, 8, null, 5], 'dictionary')], null, 4).subarray(0, 4));
    expect(ids2).toEqual([2, 3, 1, 0]);
    // A value far away turns the direct path off; earlier groups are kept.
    const ids3 = Array.from(a.assign([vectorOf(T.INTEGER, [2_000_000_000, 8, -2_000_000_000], 'flat')], null, 3).subarray(0, 3));
    expect(ids3).toEqual([4, 3, 5]);
    const ids4 = Array.from(a.assign([vectorOf(T.INTEGER, [8, 5, null, 2_000_000_000], 'rle')], Int32Array.from([0, 1, 2, 3]), 4).subarray(0, 4));
    expect(ids4).toEqual([3, 0, 1, 4]);
    expect(a.groupCount).toBe(6);
  });

  it('groups dictionary codes lazily: unused entries make no group', () => {
    const a = new GroupIdAssigner([T.VARCHAR]);
    const v = vectorOf(T.VARCHAR, ['x', 'x', null], 'dictionary');
    a.assign([v], null, 3);
    expect(a.groupCount).toBe(2);
  });
});

describe('JoinHashTable', () => {
  it('chains rows of a bucket in build order and leaves NULL keys out', () => {
    const keys = new KeyEncoder([KEY_I32]).encode([vectorOf(T.INTEGER, [4, null, 4, 9, 4], 'flat')], null, 5, true);
    const t = new JoinHashTable(keys);
    const chain: number[] = [];
    for (let j = t.heads[keys.hashes[0]! & t.mask]!; j !== -1; j = t.next[j]!) if (keys.cols[0]!.i32[j] === 4) chain.push(j);
    expect(chain).toEqual([0, 2, 4]);
    let reachable = false;
    for (const h of t.heads) for (let j = h; j !== -1; j = t.next[j]!) if (j === 1) reachable = true;
    expect(reachable).toBe(false);
  });
});
