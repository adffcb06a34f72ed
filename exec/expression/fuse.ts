// Operator fusion: a tree of simple numeric operators (+ - * unary minus and comparisons) is
// compiled into ONE generated loop, so `a * 2 + b > c` makes one pass over its inputs with no
// intermediate vectors. The fused body is composed from the same per-operator templates as
// the unfused kernels (functions.ts), so both compute identically; the leaves (columns,
// constants, anything not fusable) are evaluated first and passed in as arguments.
// Operators with a NULL-if rule (/, %) or a BigInt path end a fused tree: the caller falls back
// to operator-at-a-time evaluation when a batch needs the exact BigInt path.

import { TypeId, isNumeric } from '../../common/types.js';
import type { PExpr } from '../plan.js';
import { scalarKernel } from './functions.js';
import type { KernelTemplate } from './kernel.js';
import * as H from './helpers.js';

const FUSABLE = new Set(['add', 'subtract', 'multiply', 'negate', 'eq', 'ne', 'lt', 'le', 'gt', 'ge']);

type Call = Extract<PExpr, { kind: 'call' }>;

export interface FusedTree {
  template: KernelTemplate;
  /** The non-fused inputs, in the order the template's $0, $1, ... refer to them. */
  leaves: PExpr[];
}

function fusable(e: PExpr): e is Call {
  return (
    e.kind === 'call' &&
    FUSABLE.has(e.fn) &&
    (isNumeric(e.type) || e.type.id === TypeId.BOOLEAN) &&
    e.args.every((a) => isNumeric(a.type))
  );
}

// Fused bodies are cached by text, so every distinct tree gets one stable kernel name.
const names = new Map<string, string>();

/** The fused form of `e`, or null when it is not a tree of at least two fusable operators. */
export function fuseTree(e: PExpr): FusedTree | null {
  if (!fusable(e) || !e.args.some(fusable)) return null;
  const leaves: PExpr[] = [];
  const body = compose(e, leaves);
  let name = names.get(body);
  if (name === undefined) {
    name = `fused${names.size}`;
    names.set(body, name);
  }
  return { template: { name, body, helpers: H }, leaves };
}

function compose(e: Call, leaves: PExpr[]): string {
  const t = scalarKernel(e.fn, e.args.map((a) => a.type), e.type, 'number');
  const body = t.body.replace(/\$(\d+)/g, (_, d: string) => {
    const arg = e.args[Number(d)]!;
    if (fusable(arg)) return compose(arg, leaves);
    leaves.push(arg);
    return `$${leaves.length - 1}`;
  });
  return `(${body})`;
}
