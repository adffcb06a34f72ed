// Runs a physical plan: each node becomes an async stream of Batches pulled by its parent.
// Expressions are compiled here, per execution, so the plan itself stays plain data.

import { type BatchStream, type ExecContext, type NodeProfile, nodeProfile } from './context.js';
import { internalError } from '../common/errors.js';
import type { PlanNode } from './plan.js';
import { compileExpr } from './expression/compile.js';
import { compileFilter, filter } from './operators/filter.js';
import { project } from './operators/project.js';
import { values } from './operators/values.js';
import { apply } from './operators/apply.js';
import { hashAggregate } from './operators/hash-aggregate.js';
import { groupingSetsAggregate } from './operators/grouping-sets-aggregate.js';
import { hashJoin } from './operators/hash-join.js';
import { nestedLoopJoin } from './operators/nested-loop-join.js';
import { sort } from './operators/sort.js';
import { limit } from './operators/limit.js';
import { setOp } from './operators/set-op.js';
import { scan } from './operators/scan.js';
import { tableFunction } from './operators/table-function.js';
import { windowOperator } from './operators/window.js';
import { parallelAggregate } from './parallel/parallel-aggregate.js';

export function executePlan(node: PlanNode, ctx: ExecContext): BatchStream {
  const stream = runNode(node, ctx);
  return ctx.profile === undefined ? stream : profiled(node, ctx.profile, stream);
}

async function* profiled(node: PlanNode, profile: Map<PlanNode, NodeProfile>, stream: BatchStream): BatchStream {
  const p = nodeProfile(profile, node);
  for await (const b of stream) {
    p.rows += b.count;
    p.batches++;
    yield b;
  }
}

function runNode(node: PlanNode, ctx: ExecContext): BatchStream {
  switch (node.op) {
    case 'scan':
      return scan(node, ctx);
    case 'values':
      return values(node, ctx);
    case 'filter':
      // Directly over a scan, the filter runs inside it, between reading its own columns and
      // the others (late materialization).
      if (node.input.op === 'scan') return scan(node.input, ctx, { expr: node.predicate, compiled: compileFilter(node.predicate, ctx) });
      return filter(ctx, executePlan(node.input, ctx), compileFilter(node.predicate, ctx));
    case 'project':
      return project(ctx, executePlan(node.input, ctx), node.exprs.map((e) => compileExpr(e, ctx)));
    case 'aggregate':
      if (node.groupingSets !== undefined) return groupingSetsAggregate(node, ctx, executePlan(node.input, ctx));
      if ((ctx.threads ?? 1) > 1) return parallelAggregate(node, ctx, () => hashAggregate(node, ctx, executePlan(node.input, ctx)));
      return hashAggregate(node, ctx, executePlan(node.input, ctx));
    case 'hash_join':
      return hashJoin(node, ctx, executePlan(node.left, ctx), executePlan(node.right, ctx), node.residual === null ? null : compileExpr(node.residual, ctx));
    case 'nested_loop_join':
      return nestedLoopJoin(node, ctx, executePlan(node.left, ctx), executePlan(node.right, ctx), node.condition === null ? null : compileExpr(node.condition, ctx));
    case 'sort':
      return sort(node, ctx, executePlan(node.input, ctx));
    case 'limit':
      return limit(node, ctx, executePlan(node.input, ctx));
    case 'set_op':
      return setOp(node, ctx, executePlan(node.left, ctx), executePlan(node.right, ctx));
    case 'apply':
      return apply(node, ctx, executePlan(node.input, ctx), executePlan);
    case 'table_function':
      return tableFunction(node, ctx);
    case 'window':
      return windowOperator(node, ctx, executePlan(node.input, ctx));
    case 'empty':
      return (async function* () {})();
  }
  throw internalError(`unknown plan node ${(node as PlanNode).op}`);
}
