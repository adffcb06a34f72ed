// Compiles a bound expression (PExpr) into a tree of evaluators, once per execution.
// Scalar functions run through generated kernels (kernel.ts); the forms with their own
// NULL or laziness rules (AND, OR, NOT, CASE, COALESCE, IN, IS DISTINCT FROM) are evaluated
// here. Every evaluator returns a vector dense over the batch's selected rows.

import type { Batch } from '../../common/batch.js';
import { makeBatch } from '../../common/batch.js';
import { internalError } from '../../common/errors.js';
import { type LogicalType, TypeId, isWideInteger } from '../../common/types.js';
import {
  type ColumnData, type DictionaryVector, type FlatVector, type Scalar, type Vector, allocData, constantVector, flatten, gather, gatherAny, toBigIntData,
} from '../../common/vector.js';
import type { ExecContext } from '../context.js';
import type { PExpr } from '../plan.js';
import type { CompiledExpr } from './compiled.js';
import { castScalar, castVector } from './cast.js';
import { type NumericPath, hasBigIntPath, scalarKernel } from './functions.js';
import * as H from './helpers.js';
import { UnsafeResult, likeToRegExp } from './helpers.js';
import { type ArgShape, type KernelTemplate, compileKernel } from './kernel.js';
import { type FusedTree, fuseTree } from './fuse.js';

export function compileExpr(expr: PExpr, ctx: ExecContext): CompiledExpr {
  return { evaluate: build(expr, ctx) };
}

type Eval = (batch: Batch) => Vector;

function build(e: PExpr, ctx: ExecContext): Eval {
  switch (e.kind) {
    case 'col': {
      const index = e.index;
      return (b) => {
        const v = b.columns[index]!;
        return b.selection === null ? v : gatherAny(v, b.selection, b.count);
      };
    }
    case 'outer': {
      const index = e.index;
      const type = e.type;
      return (b) => constantVector(type, ctx.outer[index] ?? null, b.count);
    }
    case 'const': {
      const { value, type } = e;
      return (b) => constantVector(type, value, b.count);
    }
    case 'cast': {
      const inner = build(e.expr, ctx);
      const { type } = e;
      const tryCast = e.try;
      return (b) => {
        const v = inner(b);
        if (v.kind === 'constant') return constantVector(type, castScalar(v.value, v.type, type, tryCast), v.length);
        if (v.kind === 'dictionary' && v.dictionary.length < b.count) {
          // Cast the dictionary once, not every row. An entry no row uses must not fail the
          // query: entries are cast leniently, and a failed one a row uses is cast again,
          // strictly, row by row below.
          const entries = castVector(v.dictionary, type, true);
          if (tryCast || !failedEntryUsed(v, entries, b)) return { kind: 'dictionary', type, length: v.length, codes: v.codes, dictionary: entries };
        }
        return castVector(flatten(v), type, tryCast);
      };
    }
    case 'and':
    case 'or':
      return buildLogical(e.kind, e.args.map((a) => build(a, ctx)));
    case 'not': {
      const inner = build(e.arg, ctx);
      return (b) => mapBool(inner(b), (x) => (x === 1 ? 0 : 1));
    }
    case 'is_null': {
      const inner = build(e.arg, ctx);
      const neg = e.negated;
      return (b) => isNullVector(inner(b), neg);
    }
    case 'in_list':
      return buildInList(e.arg, e.list, e.negated, ctx);
    case 'case':
      return buildCase(e, ctx);
    case 'call': {
      const fused = fuseTree(e);
      if (fused !== null) return buildFused(fused, e, ctx);
      return buildCall(e.fn, e.args, e.type, ctx);
    }
  }
}

/** One generated loop for a fused operator tree; operator-at-a-time when a batch holds exact
 *  BigInt data or a result may pass 2^53 (the unfused kernels then take the BigInt path). */
function buildFused(fused: FusedTree, e: Extract<PExpr, { kind: 'call' }>, ctx: ExecContext): Eval {
  const leaves = fused.leaves.map((l) => build(l, ctx));
  const unfused = buildCall(e.fn, e.args, e.type, ctx);
  return (b) => {
    const vs = leaves.map((l) => l(b));
    if (vs.some(isBig)) return unfused(b);
    try {
      return runTemplate(fused.template, vs, e.type, b.count, 'number', ctx);
    } catch (err) {
      if (err instanceof UnsafeResult) return unfused(b);
      throw err;
    }
  };
}

// ---------------------------------------------------------------- booleans

/** Applies a 0/1 -> 0/1 map to a BOOLEAN vector, keeping NULLs. */
function mapBool(v: Vector, f: (x: number) => number): Vector {
  if (v.kind === 'constant') return v.value === null ? v : constantVector(v.type, f(v.value as number), v.length);
  const flat = flatten(v);
  const src = flat.data as Uint8Array;
  const out = new Uint8Array(flat.length);
  for (let i = 0; i < out.length; i++) out[i] = f(src[i]!);
  return { kind: 'flat', type: flat.type, length: flat.length, data: out, validity: flat.validity };
}

const BOOL: LogicalType = { id: TypeId.BOOLEAN };

function isNullVector(v: Vector, negated: boolean): Vector {
  if (v.kind === 'constant') return constantVector(BOOL, (v.value === null) !== negated ? 1 : 0, v.length);
  const flat = flatten(v);
  const out = new Uint8Array(flat.length);
  const val = flat.validity;
  if (val === null) out.fill(negated ? 1 : 0);
  else for (let i = 0; i < out.length; i++) out[i] = negated ? val[i]! : val[i]! ^ 1;
  return { kind: 'flat', type: BOOL, length: out.length, data: out, validity: null };
}

/** Whether a selected row of `b` uses a dictionary entry that was not NULL before a lenient
 *  cast and is NULL after it (a value the cast rejects). */
function failedEntryUsed(v: DictionaryVector, cast: FlatVector, b: Batch): boolean {
  const before = v.dictionary.validity;
  const after = cast.validity;
  if (after === null) return false;
  const sel = b.selection;
  for (let k = 0; k < b.count; k++) {
    const code = v.codes[sel === null ? k : sel[k]!]!;
    if (after[code] === 0 && (before === null || before[code] === 1)) return true;
  }
  return false;
}

/** Three-valued AND/OR over all arguments, evaluating each argument only on the rows whose
 *  result is not yet decided (FALSE for AND, TRUE for OR), as short-circuit SQL engines do. */
function buildLogical(kind: 'and' | 'or', args: Eval[]): Eval {
  const decisive = kind === 'and' ? 0 : 1;
  return (b) => {
    const n = b.count;
    const value = new Uint8Array(n).fill(decisive ^ 1);
    const valid = new Uint8Array(n).fill(1);
    // `open` holds the dense positions still undecided.
    let open: Int32Array | null = null;
    for (const arg of args) {
      const sub: Batch = open === null ? b : subBatch(b, open);
      const v = arg(sub);
      const m: number = sub.count;
      const f = v.kind === 'constant' ? null : flatten(v);
      const cv = v.kind === 'constant' ? v.value : null;
      const next: Int32Array = new Int32Array(m);
      let k = 0;
      for (let j = 0; j < m; j++) {
        const pos = open === null ? j : open[j]!;
        const isNullV = f === null ? cv === null : f.validity !== null && f.validity[j] === 0;
        const x = f === null ? (cv as number) : (f.data as Uint8Array)[j]!;
        if (isNullV) {
          valid[pos] = 0;
          next[k++] = pos;
        } else if (x === decisive) {
          value[pos] = decisive;
          valid[pos] = 1;
        } else next[k++] = pos;
      }
      open = next.subarray(0, k);
      if (k === 0) break;
    }
    // Rows decided by a decisive value are valid; undecided rows keep NULL if any arg was NULL.
    let anyNull = false;
    for (let i = 0; i < n; i++) if (valid[i] === 0) { value[i] = 0; anyNull = true; }
    return { kind: 'flat', type: BOOL, length: n, data: value, validity: anyNull ? valid : null };
  };
}

/** A batch over the same columns restricted to dense positions `pos` of b's selected rows. */
export function subBatch(b: Batch, pos: Int32Array): Batch {
  const sel = new Int32Array(pos.length);
  if (b.selection === null) sel.set(pos);
  else for (let k = 0; k < pos.length; k++) sel[k] = b.selection[pos[k]!]!;
  return makeBatch(b.columns, b.length, sel);
}

/** Writes `src` (dense over `pos.length` rows) into `dst` at positions `pos`. */
function scatter(dst: ColumnData, dstValid: Uint8Array, src: Vector, pos: Int32Array): void {
  if (src.kind === 'constant') {
    const x = src.value;
    for (let k = 0; k < pos.length; k++) {
      if (x === null) dstValid[pos[k]!] = 0;
      else {
        (dst as unknown as Scalar[])[pos[k]!] = x;
        dstValid[pos[k]!] = 1;
      }
    }
    return;
  }
  const f = flatten(src);
  const d = f.data;
  const val = f.validity;
  for (let k = 0; k < pos.length; k++) {
    const p = pos[k]!;
    if (val !== null && val[k] === 0) dstValid[p] = 0;
    else {
      (dst as unknown as Scalar[])[p] = d[k] as Scalar;
      dstValid[p] = 1;
    }
  }
}

function allocResult(type: LogicalType, n: number, wide: boolean): ColumnData {
  return type.id === TypeId.NULL ? new Float64Array(n) : allocData(type, n, wide);
}

/** True if a vector's data is BigInt64Array (needs the wide result representation). */
function isBig(v: Vector): boolean {
  if (v.kind === 'constant') return typeof v.value === 'bigint';
  if (v.kind === 'flat') return v.data instanceof BigInt64Array;
  if (v.kind === 'dictionary') return v.dictionary.data instanceof BigInt64Array;
  return v.values.data instanceof BigInt64Array;
}

function finishResult(type: LogicalType, n: number, data: ColumnData, valid: Uint8Array): Vector {
  let allValid = true;
  for (let i = 0; i < n; i++) if (valid[i] === 0) { allValid = false; break; }
  return { kind: 'flat', type, length: n, data, validity: allValid ? null : valid };
}

/** CASE: conditions evaluated in order, each branch only on the rows that take it. */
function buildCase(e: Extract<PExpr, { kind: 'case' }>, ctx: ExecContext): Eval {
  const whens = e.whens.map((w) => ({ when: build(w.when, ctx), then: build(w.then, ctx) }));
  const otherwise = e.else === null ? null : build(e.else, ctx);
  const type = e.type;
  return (b) => {
    const n = b.count;
    const results: { pos: Int32Array; v: Vector }[] = [];
    let open: Int32Array | null = null;
    for (const w of whens) {
      const sub: Batch = open === null ? b : subBatch(b, open);
      const m: number = sub.count;
      if (m === 0) break;
      const c = w.when(sub);
      const cf = c.kind === 'constant' ? null : flatten(c);
      const take = new Int32Array(m);
      const rest: Int32Array = new Int32Array(m);
      let t = 0;
      let r = 0;
      for (let j = 0; j < m; j++) {
        const pos = open === null ? j : open[j]!;
        const yes = cf === null ? c.kind === 'constant' && c.value === 1 : (cf.validity === null || cf.validity[j] === 1) && (cf.data as Uint8Array)[j] === 1;
        if (yes) take[t++] = pos;
        else rest[r++] = pos;
      }
      if (t > 0) {
        const pos = take.subarray(0, t);
        results.push({ pos, v: w.then(subBatch(b, pos)) });
      }
      open = rest.subarray(0, r);
    }
    const remaining = open === null ? identity(n) : open;
    if (otherwise !== null && remaining.length > 0) results.push({ pos: remaining, v: otherwise(subBatch(b, remaining)) });
    const wide = results.some((x) => isBig(x.v));
    const data = allocResult(type, n, wide);
    const valid = new Uint8Array(n);
    for (const { pos, v } of results) scatter(data, valid, wide ? widen(v) : v, pos);
    return finishResult(type, n, data, valid);
  };
}

function identity(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/** Converts a BIGINT/DECIMAL vector to BigInt64Array data (for mixing with wide results). */
function widen(v: Vector): Vector {
  if (v.kind === 'constant') return typeof v.value === 'number' ? constantVector(v.type, BigInt(v.value), v.length) : v;
  const f = flatten(v);
  return { ...f, data: toBigIntData(f.data) };
}

/** x IN (list): TRUE if equal to an element; else NULL if x or an element is NULL; else FALSE.
 *  Elements are evaluated lazily only on rows not yet TRUE. `x IN ()` is FALSE even for NULL x. */
function buildInList(arg: PExpr, list: PExpr[], negated: boolean, ctx: ExecContext): Eval {
  if (list.length === 0) {
    return (b) => constantVector(BOOL, negated ? 1 : 0, b.count);
  }
  if (list.length >= IN_SET_MIN && list.every((x) => x.kind === 'const')) {
    return buildInSet(build(arg, ctx), list.map((x) => (x as { value: Scalar }).value), negated);
  }
  const eqs = list.map((item) => buildCall('eq', [arg, item], BOOL, ctx));
  const any = buildLogical('or', eqs);
  return negated ? (b) => mapBool(any(b), (x) => (x === 1 ? 0 : 1)) : any;
}

/** Constant lists at least this long are matched through a hash set, not one comparison each. */
const IN_SET_MIN = 8;

/** Set key of a value: BIGINT/DECIMAL values compare by value whether number or bigint. */
function setKey(x: Scalar): Scalar {
  return typeof x === 'bigint' && x >= -9007199254740991n && x <= 9007199254740991n ? Number(x) : x;
}

/** x IN (constants): one hash lookup per row, with the same three-valued result as the OR. */
function buildInSet(arg: Eval, values: Scalar[], negated: boolean): Eval {
  const set = new Set<Scalar>();
  let hasNull = false;
  for (const v of values) {
    if (v === null) hasNull = true;
    else set.add(setKey(v));
  }
  const yes = negated ? 0 : 1;
  const match = (v: Vector, n: number): Vector => {
    if (v.kind === 'constant') {
      if (v.value === null) return constantVector(BOOL, null, n);
      return set.has(setKey(v.value)) ? constantVector(BOOL, yes, n) : constantVector(BOOL, hasNull ? null : yes ^ 1, n);
    }
    // A dictionary column: look each entry up once; the rows keep their codes.
    if (v.kind === 'dictionary' && v.dictionary.length < n) {
      return { kind: 'dictionary', type: BOOL, length: v.length, codes: v.codes, dictionary: flatten(match(v.dictionary, v.dictionary.length)) };
    }
    const f = flatten(v);
    const data = f.data;
    const out = new Uint8Array(n);
    const valid = new Uint8Array(n).fill(1);
    let nulls = 0;
    for (let i = 0; i < n; i++) {
      if (f.validity !== null && f.validity[i] === 0) {
        valid[i] = 0;
        nulls++;
      } else if (set.has(setKey(data[i] as Scalar))) out[i] = yes;
      else if (hasNull) {
        valid[i] = 0;
        nulls++;
      } else out[i] = yes ^ 1;
    }
    return { kind: 'flat', type: BOOL, length: n, data: out, validity: nulls === 0 ? null : valid };
  };
  return (b) => match(arg(b), b.count);
}

// ---------------------------------------------------------------- function calls

function buildCall(fn: string, argExprs: PExpr[], type: LogicalType, ctx: ExecContext): Eval {
  const args = argExprs.map((a) => build(a, ctx));
  const argTypes = argExprs.map((a) => a.type);
  switch (fn) {
    case 'coalesce':
      return buildCoalesce(args, type);
    case 'is_distinct':
    case 'is_not_distinct':
      return buildDistinct(fn === 'is_distinct', args[0]!, args[1]!, argExprs[0]!.type, ctx);
    case 'concat':
      return buildConcat(args);
    case 'greatest':
    case 'least':
      return buildGreatest(fn === 'greatest', args, type);
    case 'like':
    case 'ilike':
      return buildLike(fn === 'ilike', args, argExprs, ctx);
  }
  const bigPath = hasBigIntPath(fn, type);
  return (b) => {
    const vs = args.map((a) => a(b));
    return runKernel(fn, vs, argTypes, type, b.count, bigPath, ctx);
  };
}

/** Comparisons never fail, so they may run over a dictionary's entries instead of its rows. */
const COMPARISONS = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);

/** Runs a kernel over evaluated arguments with the default rule: any NULL argument gives NULL. */
export function runKernel(fn: string, vs: Vector[], argTypes: LogicalType[], type: LogicalType, n: number, bigPath: boolean, ctx: ExecContext | null): Vector {
  // A NULL constant argument makes every row NULL.
  for (const v of vs) if (v.kind === 'constant' && v.value === null) return constantVector(type, null, n);
  // A dictionary column (straight from storage) compared with constants: compare each entry
  // once; the rows keep their codes, so a filter then reads one result per code.
  if (COMPARISONS.has(fn) && vs.length === 2) {
    const [a, b] = vs as [Vector, Vector];
    const dict = a.kind === 'dictionary' && b.kind === 'constant' ? a : b.kind === 'dictionary' && a.kind === 'constant' ? b : null;
    if (dict !== null && dict.dictionary.length < n) {
      const m = dict.dictionary.length;
      const args = vs.map((v) => (v === dict ? dict.dictionary : constantVector(v.type, (v as { value: Scalar }).value, m)));
      const entries = flatten(runKernel(fn, args, argTypes, type, m, bigPath, ctx));
      return { kind: 'dictionary', type, length: dict.length, codes: dict.codes, dictionary: entries };
    }
  }
  const allConst = vs.every((v) => v.kind === 'constant');
  const m = allConst ? 1 : n;
  const flats = vs.map((v) => (v.kind === 'constant' ? v : flatten(v)));
  const ov = combinedValidity(flats, m);
  const anyBig = flats.some((f) => (f.kind === 'constant' ? typeof f.value === 'bigint' : f.data instanceof BigInt64Array));
  const comparison = fn === 'eq' || fn === 'ne' || fn === 'lt' || fn === 'le' || fn === 'gt' || fn === 'ge';
  let path: NumericPath = bigPath && anyBig ? 'bigint' : 'number';
  const mixed = comparison && anyBig && flats.some((f) => (f.kind === 'constant' ? typeof f.value === 'number' : f.data instanceof Float64Array));
  for (;;) {
    try {
      return runFlat(scalarKernel(fn, argTypes, type, path, mixed), flats, ov, allConst, type, n, path, ctx);
    } catch (err) {
      if (err instanceof UnsafeResult && path === 'number' && bigPath) {
        path = 'bigint';
        continue;
      }
      throw err;
    }
  }
}

/** Runs a template over evaluated arguments (any NULL argument gives NULL), on one path. */
function runTemplate(template: KernelTemplate, vs: Vector[], type: LogicalType, n: number, path: NumericPath, ctx: ExecContext | null): Vector {
  for (const v of vs) if (v.kind === 'constant' && v.value === null) return constantVector(type, null, n);
  const allConst = vs.every((v) => v.kind === 'constant');
  const flats = vs.map((v) => (v.kind === 'constant' ? v : flatten(v)));
  return runFlat(template, flats, combinedValidity(flats, allConst ? 1 : n), allConst, type, n, path, ctx);
}

/** AND of the arguments' validity masks (null when no argument has NULLs). */
function combinedValidity(flats: (FlatVector | Extract<Vector, { kind: 'constant' }>)[], m: number): Uint8Array | null {
  let ov: Uint8Array | null = null;
  for (const f of flats) {
    if (f.kind !== 'flat' || f.validity === null) continue;
    if (ov === null) ov = f.validity.slice(0, m);
    else for (let i = 0; i < m; i++) ov[i] = ov[i]! & f.validity[i]!;
  }
  return ov;
}

function runFlat(
  template: KernelTemplate,
  flats: (FlatVector | Extract<Vector, { kind: 'constant' }>)[],
  ov: Uint8Array | null,
  allConst: boolean,
  type: LogicalType,
  n: number,
  path: NumericPath,
  ctx: ExecContext | null,
): Vector {
  const m = allConst ? 1 : n;
  const shapes: ArgShape[] = flats.map((f) => (f.kind === 'constant' ? 'c' : 'v'));
  const inputs = flats.map((f) => {
    if (f.kind === 'constant') return path === 'bigint' && typeof f.value === 'number' ? BigInt(f.value) : f.value;
    return path === 'bigint' && isWideInteger(f.type) ? toBigIntData(f.data) : f.data;
  });
  const variant = inputs.map(kindOf).join(',');
  const kernel = compileKernel(template, shapes, variant, ov !== null);
  if (ctx !== null && ctx.codegenLog !== null && !ctx.codegenLog.includes(kernel.source)) ctx.codegenLog.push(kernel.source);
  const out = allocResult(type, m, path === 'bigint');
  let valid = ov;
  if (template.nullIf !== undefined && valid === null) valid = new Uint8Array(m).fill(1);
  kernel.run(m, ...inputs, out, valid, template.helpers ?? H);
  if (allConst) {
    const value = valid !== null && valid[0] === 0 ? null : (out[0] as Scalar);
    return constantVector(type, value, n);
  }
  return { kind: 'flat', type, length: n, data: out, validity: valid };
}

function kindOf(x: unknown): string {
  if (x instanceof Int32Array) return 'i32';
  if (x instanceof Float64Array) return 'f64';
  if (x instanceof BigInt64Array) return 'i64';
  if (x instanceof Uint8Array) return 'u8';
  if (Array.isArray(x)) return 'str';
  return typeof x;
}

/** COALESCE: the first non-NULL argument, evaluating later arguments only where needed. */
function buildCoalesce(args: Eval[], type: LogicalType): Eval {
  return (b) => {
    const n = b.count;
    const parts: { pos: Int32Array; v: Vector }[] = [];
    let open: Int32Array | null = null;
    for (const arg of args) {
      const sub: Batch = open === null ? b : subBatch(b, open);
      const m: number = sub.count;
      if (m === 0) break;
      const v = arg(sub);
      const f = v.kind === 'constant' ? null : flatten(v);
      if (f === null && (v as { value: Scalar }).value !== null) {
        parts.push({ pos: open ?? identity(n), v });
        open = new Int32Array(0);
        break;
      }
      // Split the open rows into those this argument decides (non-NULL) and the rest.
      const takeIdx = new Int32Array(m);
      const takePos = new Int32Array(m);
      const restPos = new Int32Array(m);
      let t = 0;
      let r = 0;
      for (let j = 0; j < m; j++) {
        const pos = open === null ? j : open[j]!;
        if (f === null || (f.validity !== null && f.validity[j] === 0)) restPos[r++] = pos;
        else {
          takeIdx[t] = j;
          takePos[t++] = pos;
        }
      }
      if (t > 0 && f !== null) parts.push({ pos: takePos.subarray(0, t), v: gather(f, takeIdx, t) });
      open = restPos.subarray(0, r);
    }
    const wide = parts.some((p) => isBig(p.v));
    const data = allocResult(type, n, wide);
    const valid = new Uint8Array(n);
    for (const { pos, v } of parts) scatter(data, valid, wide ? widen(v) : v, pos);
    return finishResult(type, n, data, valid);
  };
}

/** IS [NOT] DISTINCT FROM: NULLs compare equal to each other; never NULL. */
function buildDistinct(distinct: boolean, left: Eval, right: Eval, argType: LogicalType, ctx: ExecContext): Eval {
  return (b) => {
    const l = left(b);
    const r = right(b);
    const n = b.count;
    const eq = runKernel('eq', [stripNulls(l), stripNulls(r)], [argType, argType], BOOL, n, false, ctx);
    const ef = flatten(eq);
    const lf = l.kind === 'constant' ? null : flatten(l);
    const rf = r.kind === 'constant' ? null : flatten(r);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const ln = lf === null ? (l as { value: Scalar }).value === null : lf.validity !== null && lf.validity[i] === 0;
      const rn = rf === null ? (r as { value: Scalar }).value === null : rf.validity !== null && rf.validity[i] === 0;
      const same = ln || rn ? ln && rn : (ef.data as Uint8Array)[i] === 1;
      out[i] = same !== distinct ? 1 : 0;
    }
    return { kind: 'flat', type: BOOL, length: n, data: out, validity: null };
  };
}

/** The vector with NULL slots treated as valid (their data is a harmless value). */
function stripNulls(v: Vector): Vector {
  if (v.kind === 'constant') {
    if (v.value !== null) return v;
    const n = v.length;
    return { kind: 'flat', type: v.type, length: n, data: allocResult(v.type, n, false), validity: null };
  }
  const f = flatten(v);
  return f.validity === null ? f : { ...f, validity: null };
}

/** GREATEST / LEAST: the largest (smallest) non-NULL argument; NULL only if all are NULL.
 *  Arguments share one type (the binder casts them); BIGINT/DECIMAL values compare by value
 *  whether held as doubles or BigInts. */
function buildGreatest(greatest: boolean, args: Eval[], type: LogicalType): Eval {
  return (b) => {
    const n = b.count;
    const vs = args.map((a) => a(b));
    const wide = vs.some(isBig);
    const data = allocResult(type, n, wide) as unknown as Scalar[];
    const valid = new Uint8Array(n);
    for (const v of vs) {
      const f = v.kind === 'constant' ? null : flatten(v);
      for (let i = 0; i < n; i++) {
        const isNull = f === null ? (v as { value: Scalar }).value === null : f.validity !== null && f.validity[i] === 0;
        if (isNull) continue;
        let x = f === null ? (v as { value: Scalar }).value! : (f.data[i] as Scalar)!;
        if (wide && typeof x === 'number') x = BigInt(x);
        if (valid[i] === 0 || (greatest ? x > data[i]! : x < data[i]!)) {
          data[i] = x;
          valid[i] = 1;
        }
      }
    }
    return finishResult(type, n, data as unknown as ColumnData, valid);
  };
}

/** concat(...): NULL arguments are skipped (PostgreSQL's concat), arguments already VARCHAR. */
function buildConcat(args: Eval[]): Eval {
  return (b) => {
    const n = b.count;
    const out = new Array<string>(n).fill('');
    for (const arg of args) {
      const v = arg(b);
      if (v.kind === 'constant') {
        if (v.value !== null) for (let i = 0; i < n; i++) out[i] += v.value as string;
        continue;
      }
      const f = flatten(v);
      const d = f.data as string[];
      for (let i = 0; i < n; i++) if (f.validity === null || f.validity[i] === 1) out[i] += d[i]!;
    }
    return { kind: 'flat', type: { id: TypeId.VARCHAR }, length: n, data: out, validity: null };
  };
}

/** LIKE / ILIKE: a constant pattern compiles to one RegExp; dictionary inputs match each
 *  dictionary entry once. */
function buildLike(ci: boolean, args: Eval[], argExprs: PExpr[], ctx: ExecContext): Eval {
  const pat = argExprs[1]!;
  const esc = argExprs[2];
  if (pat.kind === 'const' && (esc === undefined || esc.kind === 'const')) {
    if (pat.value === null || (esc !== undefined && esc.value === null)) return (b) => constantVector(BOOL, null, b.count);
    const re = likeToRegExp(pat.value as string, ci, esc === undefined ? '\\' : (esc.value as string));
    const input = args[0]!;
    const strT: LogicalType = { id: TypeId.VARCHAR };
    return (b) => {
      const v = input(b);
      if (v.kind === 'dictionary') {
        const dictResult = flatten(runKernel('like', [v.dictionary, constantVector(strT, re as unknown as Scalar, v.dictionary.length)], [strT, strT], BOOL, v.dictionary.length, false, ctx));
        return { kind: 'dictionary', type: BOOL, length: v.length, codes: v.codes, dictionary: dictResult };
      }
      return runKernel('like', [v, constantVector(strT, re as unknown as Scalar, b.count)], [strT, strT], BOOL, b.count, false, ctx);
    };
  }
  if (esc !== undefined) throw internalError('LIKE with a non-constant ESCAPE is not supported');
  const fn = ci ? 'ilike_dynamic' : 'like_dynamic';
  return (b) => runKernel(fn, [args[0]!(b), args[1]!(b)], [argExprs[0]!.type, argExprs[1]!.type], BOOL, b.count, false, ctx);
}

