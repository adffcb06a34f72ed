// Hash join (JoinNode). Build: the whole right input is materialized (RowCollection), its key
// columns encoded (KeyEncoder: typed arrays, numeric representations normalized so INTEGER vs
// BIGINT, or Float64Array vs BigInt64Array batches, compare by value) and linked into a chained
// Int32Array hash table (JoinHashTable); rows with a NULL key are left out of the table, since
// NULL never matches. Probe: each left batch's keys are encoded and hashed column-wise, chains
// are walked comparing the stored Uint32 hash and then the key columns, and equal pairs go in
// chunks of at most BATCH_SIZE to the JoinMatcher, which evaluates the residual and applies the
// join type (join-matcher.ts). Semi, anti and mark joins without a residual stop at the first
// match and gather nothing.
//
// Mark joins (`x IN (subquery)`, keys = the IN columns, residual = the correlation) output the
// left columns plus a BOOLEAN: TRUE if some right row equals the left row on every key and
// passes the residual; otherwise NULL if some right row passing the residual is not known to
// differ (every key pair equal or involving a NULL — for one key: the left key is NULL and the
// right side has a row passing the residual, or a right row with a NULL key passes it);
// otherwise FALSE. An empty right side gives FALSE, even for a NULL left key.

import { BATCH_SIZE, type Batch, makeBatch } from '../../common/batch.js';
import { flatten, type Vector } from '../../common/vector.js';
import { JoinFilter } from '../join-filter.js';
import { internalError } from '../../common/errors.js';
import type { LogicalType } from '../../common/types.js';
import { type BatchStream, pace, type ExecContext } from '../context.js';
import type { CompiledExpr } from '../expression/compiled.js';
import type { JoinNode } from '../plan.js';
import { JoinHashTable } from '../hash/join-table.js';
import { emitsPairs, JoinMatcher } from '../hash/join-matcher.js';
import { joinKeyKind, KEY_I32, type KeyColumns, KeyEncoder, keyRowsEqual, keyRowsMaybeEqual } from '../hash/key-columns.js';
import { RowCollection, withType } from '../hash/row-collection.js';
import { DirectJoin } from '../hash/direct-join.js';

export async function* hashJoin(
  node: JoinNode,
  ctx: ExecContext,
  left: BatchStream,
  right: BatchStream,
  residual: CompiledExpr | null,
): AsyncGenerator<Batch> {
  const leftTypes = node.left.types;
  const rightTypes = node.right.types;
  const nLeft = leftTypes.length;
  if (node.leftKeys.length === 0 || node.leftKeys.length !== node.rightKeys.length) {
    throw internalError(`hash join needs matching key lists, got ${node.leftKeys.length} left and ${node.rightKeys.length} right keys`);
  }
  const kinds = node.leftKeys.map((lk, i) => joinKeyKind(leftTypes[lk]!, rightTypes[node.rightKeys[i]!]!));
  const joinType = node.joinType;
  const pairs = emitsPairs(joinType);
  const expected = pairs ? nLeft + rightTypes.length : joinType === 'mark' ? nLeft + 1 : nLeft;
  if (node.types.length !== expected) {
    throw internalError(`a ${joinType} join outputs ${expected} columns, the plan lists ${node.types.length}`);
  }

  // Build.
  const build = new RowCollection(rightTypes, 'a join', ctx.memory);
  try {
    await build.appendAll(right, ctx);
    const rightCols = build.finish();
    const nRight = build.rowCount;
    // The probe side has not started yet: the scans under it will find these (join-filter.ts).
    for (const jf of node.joinFilters ?? []) {
      const f = JoinFilter.fromKeys(flatten(rightCols[node.rightKeys[jf.key]!]!));
      if (f !== null) (ctx.joinFilters ??= new Map()).set(jf.id, f);
    }
    if (nRight === 0 && (joinType === 'inner' || joinType === 'semi' || joinType === 'right')) return;
    // A dimension's unique key: a lookup array, and the probe batches pass through (direct-join.ts).
    const direct =
      joinType === 'inner' && residual === null && kinds.length === 1 && kinds[0] === KEY_I32
        ? DirectJoin.build(rightCols[node.rightKeys[0]!]!, node.leftKeys[0]!, node.types.slice(0, nLeft), rightCols, node.types.slice(nLeft))
        : null;
    if (direct !== null) {
      for await (const lb of left) {
        await pace(ctx);
        if (lb.count === 0) continue;
        const out = direct.probe(lb);
        if (out !== null) yield out;
      }
      return;
    }
    const buildKeys = new KeyEncoder(kinds).encode(node.rightKeys.map((c) => rightCols[c]!), null, nRight, true);
    const table = new JoinHashTable(buildKeys);

    const outLeft = node.types.slice(0, nLeft);
    const outRight = pairs ? node.types.slice(nLeft) : rightTypes;
    const matcher = new JoinMatcher(joinType, outLeft, outRight, rightCols, nRight, residual);
    const mark = joinType === 'mark' ? new MarkNulls(buildKeys, matcher, residual !== null) : null;

    // Probe.
    const probe = new KeyEncoder(kinds);
    const K = new Int32Array(BATCH_SIZE);
    const R = new Int32Array(BATCH_SIZE);
    const cursor: ProbeCursor = { k: 0, j: -1 };
    // One INTEGER-like key (the star-join case) compares values directly, no generic row compare.
    const singleI32 = kinds.length === 1 && kinds[0] === KEY_I32;
    for await (const lb of left) {
      await pace(ctx);
      const n = lb.count;
      if (n === 0) continue;
      const keys = probe.encode(node.leftKeys.map((c) => lb.columns[c]!), lb.selection, n, true);
      matcher.beginBatch(lb);
      if (!pairs && residual === null) {
        // Semi, anti, mark: the first equal key decides.
        markFirstMatches(keys, n, table, buildKeys, matcher.leftMatches);
      } else {
        // The probe loop runs in a plain function: locals of an async generator that live
        // across a `yield` are kept in the generator object, which makes a tight loop slow.
        cursor.k = 0;
        cursor.j = -1;
        for (;;) {
          const p = singleI32
            ? probePairsI32(keys, n, table, buildKeys, K, R, cursor)
            : probePairs(keys, n, table, buildKeys, K, R, cursor);
          const out = matcher.pairs(K, R, p);
          if (out !== null) yield out;
          if (p < BATCH_SIZE) break;
        }
      }
      if (mark !== null) {
        yield mark.output(lb, keys, node.types);
        continue;
      }
      const tail = matcher.endBatch();
      if (tail !== null) yield tail;
    }
    for (const b of matcher.unmatchedRight()) yield b;
  } finally {
    build.release();
  }
}

/** Where a probe stopped: the next left row, and the build row to resume its chain at (-1:
 *  start the row's chain from its bucket). */
interface ProbeCursor {
  k: number;
  j: number;
}

/**
 * Writes up to BATCH_SIZE (left row, build row) pairs with equal keys into K and R, starting
 * at `cur` and leaving `cur` where it stopped. Returns the number of pairs; fewer than
 * BATCH_SIZE means the batch is done.
 */
function probePairs(keys: KeyColumns, n: number, table: JoinHashTable, build: KeyColumns, K: Int32Array, R: Int32Array, cur: ProbeCursor): number {
  const hashes = keys.hashes;
  const anyNull = keys.anyNull;
  const heads = table.heads;
  const next = table.next;
  const mask = table.mask;
  const buildHashes = build.hashes;
  let p = 0;
  let k = cur.k;
  let j = cur.j;
  for (; k < n; k++) {
    if (anyNull[k] === 1) continue;
    const h = hashes[k]!;
    for (j = j === -1 ? heads[h & mask]! : j; j !== -1; j = next[j]!) {
      if (buildHashes[j] !== h || !keyRowsEqual(keys, k, build, j)) continue;
      K[p] = k;
      R[p] = j;
      if (++p === BATCH_SIZE) {
        cur.j = next[j]!;
        cur.k = cur.j === -1 ? k + 1 : k;
        return p;
      }
    }
  }
  cur.k = n;
  cur.j = -1;
  return p;
}

/** probePairs specialized for one KEY_I32 key column: compares the Int32 values themselves. */
function probePairsI32(keys: KeyColumns, n: number, table: JoinHashTable, build: KeyColumns, K: Int32Array, R: Int32Array, cur: ProbeCursor): number {
  const hashes = keys.hashes;
  const anyNull = keys.anyNull;
  const probeValues = keys.cols[0]!.i32;
  const buildValues = build.cols[0]!.i32;
  const heads = table.heads;
  const next = table.next;
  const mask = table.mask;
  let p = 0;
  let k = cur.k;
  let j = cur.j;
  for (; k < n; k++) {
    if (anyNull[k] === 1) continue;
    const v = probeValues[k]!;
    for (j = j === -1 ? heads[hashes[k]! & mask]! : j; j !== -1; j = next[j]!) {
      if (buildValues[j] !== v) continue;
      K[p] = k;
      R[p] = j;
      if (++p === BATCH_SIZE) {
        cur.j = next[j]!;
        cur.k = cur.j === -1 ? k + 1 : k;
        return p;
      }
    }
  }
  cur.k = n;
  cur.j = -1;
  return p;
}

/** For semi, anti and mark joins without a residual: flags left rows with an equal build key. */
function markFirstMatches(keys: KeyColumns, n: number, table: JoinHashTable, build: KeyColumns, matches: Uint8Array | Int32Array): void {
  const hashes = keys.hashes;
  const anyNull = keys.anyNull;
  const heads = table.heads;
  const next = table.next;
  const mask = table.mask;
  const buildHashes = build.hashes;
  for (let k = 0; k < n; k++) {
    if (anyNull[k] === 1) continue;
    const h = hashes[k]!;
    for (let j = heads[h & mask]!; j !== -1; j = next[j]!) {
      if (buildHashes[j] === h && keyRowsEqual(keys, k, build, j)) {
        matches[k] = 1;
        break;
      }
    }
  }
}

/** The NULL / FALSE decision of a mark join for left rows without a TRUE match. */
class MarkNulls {
  /** Build rows with a NULL in some key column. */
  private readonly nullKeyRows: Int32Array;
  private readonly K = new Int32Array(BATCH_SIZE);
  private readonly R = new Int32Array(BATCH_SIZE);
  private readonly pass = new Uint8Array(BATCH_SIZE);
  private isNull = new Uint8Array(BATCH_SIZE);

  constructor(
    private readonly buildKeys: KeyColumns,
    private readonly matcher: JoinMatcher,
    private readonly hasResidual: boolean,
  ) {
    let count = 0;
    for (let j = 0; j < buildKeys.count; j++) count += buildKeys.anyNull[j]!;
    this.nullKeyRows = new Int32Array(count);
    let q = 0;
    for (let j = 0; j < buildKeys.count; j++) if (buildKeys.anyNull[j] === 1) this.nullKeyRows[q++] = j;
  }

  /** The left batch with its mark column appended (same physical rows and selection). */
  output(lb: Batch, keys: KeyColumns, types: readonly LogicalType[]): Batch {
    const n = lb.count;
    if (this.isNull.length < n) this.isNull = new Uint8Array(n);
    const isNull = this.isNull;
    isNull.fill(0, 0, n);
    this.findNulls(keys, n);
    const matches = this.matcher.leftMatches;
    const data = new Uint8Array(lb.length);
    const validity = new Uint8Array(lb.length).fill(1);
    let nulls = 0;
    const sel = lb.selection;
    for (let k = 0; k < n; k++) {
      const i = sel === null ? k : sel[k]!;
      if (matches[k]! > 0) data[i] = 1;
      else if (isNull[k] === 1) {
        validity[i] = 0;
        nulls++;
      }
    }
    const nLeft = lb.columns.length;
    const cols: Vector[] = lb.columns.map((v, c) => withType(v, types[c]!));
    cols.push({ kind: 'flat', type: types[nLeft]!, length: lb.length, data, validity: nulls === 0 ? null : validity });
    return makeBatch(cols, lb.length, sel);
  }

  private findNulls(keys: KeyColumns, n: number): void {
    const build = this.buildKeys;
    const nRight = build.count;
    if (nRight === 0) return;
    const matches = this.matcher.leftMatches;
    const isNull = this.isNull;
    const K = this.K;
    const R = this.R;
    let p = 0;
    for (let k = 0; k < n; k++) {
      if (matches[k]! > 0) continue;
      // A NULL left key may meet any right row; otherwise only rows with a NULL key can.
      const all = keys.anyNull[k] === 1;
      const candidates = all ? nRight : this.nullKeyRows.length;
      for (let c = 0; c < candidates; c++) {
        const j = all ? c : this.nullKeyRows[c]!;
        if (!keyRowsMaybeEqual(keys, k, build, j)) continue;
        if (!this.hasResidual) {
          isNull[k] = 1;
          break;
        }
        K[p] = k;
        R[p] = j;
        if (++p === BATCH_SIZE) {
          this.flush(p);
          p = 0;
        }
      }
    }
    this.flush(p);
  }

  private flush(p: number): void {
    if (p === 0) return;
    this.matcher.evaluatePairs(this.K, this.R, p, this.pass);
    for (let q = 0; q < p; q++) if (this.pass[q] === 1) this.isNull[this.K[q]!] = 1;
  }
}
