// EXPLAIN: renders a physical plan as an indented tree a person can read, with each node's
// expressions in SQL-like text and, for EXPLAIN ANALYZE, the rows each node produced and, under
// each scan that met stored blocks, a detail line (indented, with no `->`) saying what storage
// did: blocks read of those considered, skipped by zone maps (and the sort key) or by bitmap
// indexes, rows bitmaps selected, values decoded and bytes read.

import { internalError } from '../../common/errors.js';
import { type LogicalType, TypeId, typeToString } from '../../common/types.js';
import type { Scalar } from '../../common/vector.js';
import type { NodeProfile } from '../../exec/context.js';
import type { ColumnPredicate, ScanStats } from '../../storage/table.js';
import type { PExpr, PlanNode, ScanNode, ScanPredicate } from '../../exec/plan.js';
import { drivingScanPath, nodeAt } from '../../exec/parallel/fragment.js';
import { formatValue } from '../../exec/expression/cast.js';
import { windowSpecText } from './explain-window.js';

const OPS: Record<string, string> = {
  add: '+', subtract: '-', multiply: '*', divide: '/', modulo: '%', eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=', concat_op: '||',
};

/** A pushed scan predicate: `#0 IN 1, 2`, an OR as `(#0 = 1 AND #1 = 2 OR #2 IS NULL)`. */
function scanPredicateText(p: ScanPredicate, types: readonly LogicalType[]): string {
  const one = (q: ColumnPredicate) => `#${q.column} ${q.op.replace('_', ' ').toUpperCase()} ${q.values.map((v) => literalText(v, types[q.column]!)).join(', ')}`.trimEnd();
  return p.op === 'or' ? `(${p.branches.map((b) => b.map(one).join(' AND ')).join(' OR ')})` : one(p);
}

/** EXPLAIN's text. With `profile` (EXPLAIN ANALYZE) each node says its rows, and aggregates run
 *  in worker threads say how many; without, an aggregate that would run in `threads` threads
 *  over tables on disk says so. */
export function explainPlan(plan: PlanNode, options: { profile?: Map<PlanNode, NodeProfile>; threads?: number } = {}): string {
  const { profile, threads = 1 } = options;
  const lines: string[] = [];
  const walk = (n: PlanNode, depth: number) => {
    const names = n.names;
    const col = (i: number) => `#${i}${names[i] ? ` ${names[i]}` : ''}`;
    let head: string;
    let kids: PlanNode[] = [];
    switch (n.op) {
      case 'scan':
        head = `Scan ${n.table} [${n.names.join(', ')}]${n.predicates.length ? ` prune: ${n.predicates.map((p) => scanPredicateText(p, n.types)).join(' AND ')}` : ''}`;
        if (n.joinFilters !== undefined) head += ` join filter: ${n.joinFilters.map((f) => `#${f.column} IN build keys of join ${f.id}`).join(', ')}`;
        break;
      case 'values':
        head = `Values (${n.rows.length} row${n.rows.length === 1 ? '' : 's'})`;
        break;
      case 'filter':
        head = `Filter ${exprText(n.predicate)}`;
        kids = [n.input];
        break;
      case 'project':
        head = `Project ${n.exprs.map((e, i) => `${exprText(e)}${names[i] ? ` AS ${names[i]}` : ''}`).join(', ')}`;
        kids = [n.input];
        break;
      case 'aggregate':
        head = `Aggregate${n.keys.length ? ` by ${n.keys.map((k) => `#${k}`).join(', ')}` : ''}: ${n.aggregates.map((a) => `${a.fn}(${a.distinct ? 'DISTINCT ' : ''}${a.args.map((x) => `#${x}`).join(', ')}${a.orderBy?.length ? ` ORDER BY ${a.orderBy.map((k) => `#${k.index} ${k.desc ? 'DESC' : 'ASC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`).join(', ')}` : ''})${a.filter !== null ? ` FILTER #${a.filter}` : ''}`).join(', ') || '(distinct)'}`;
        // Sets name keys by their input column (#k), like `by`.
        if (profile === undefined && threads > 1) {
          const path = drivingScanPath(n);
          if (path !== null) head += ` (parallel: ${threads} threads, each scanning a share of ${(nodeAt(n.input, path) as ScanNode).table})`;
        }
        if (n.groupingSets) head += ` grouping sets: ${n.groupingSets.map((s) => `(${s.map((k) => `#${n.keys[k]}`).join(', ')})`).join(', ')}${(n.groupings ?? []).map((g) => `, grouping(${g.map((k) => `#${n.keys[k]}`).join(', ')})`).join('')}`;
        kids = [n.input];
        break;
      case 'hash_join':
        head = `HashJoin ${n.joinType.toUpperCase()} on ${n.leftKeys.map((k, i) => `left#${k} = right#${n.rightKeys[i]}`).join(' AND ')}${n.residual ? ` AND ${exprText(n.residual)}` : ''}`;
        if (n.joinFilters !== undefined) head += ` (publishes join filter ${n.joinFilters.map((f) => f.id).join(', ')})`;
        kids = [n.left, n.right];
        break;
      case 'nested_loop_join':
        head = `NestedLoopJoin ${n.joinType.toUpperCase()}${n.condition ? ` on ${exprText(n.condition)}` : ' (cross product)'}`;
        kids = [n.left, n.right];
        break;
      case 'sort':
        head = `${n.limit !== null ? `TopN ${n.limit}${n.offset ? ` offset ${n.offset}` : ''}` : 'Sort'} by ${n.keys.map((k) => `${col(k.index)} ${k.desc ? 'DESC' : 'ASC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`).join(', ')}`;
        kids = [n.input];
        break;
      case 'limit':
        head = `Limit ${n.limit ?? 'ALL'}${n.offset ? ` offset ${n.offset}` : ''}`;
        kids = [n.input];
        break;
      case 'set_op':
        head = `${n.setOp.toUpperCase()}${n.all ? ' ALL' : ''}`;
        kids = [n.left, n.right];
        break;
      case 'apply':
        head = `Apply ${n.mode} (correlated subquery, run per distinct outer row: ${n.correlated.map(exprText).join(', ')})`;
        kids = [n.input, n.subplan];
        break;
      case 'table_function':
        head = `TableFunction ${n.name}(${n.args.map(argText).join(', ')}) [${n.names.join(', ')}]`;
        break;
      case 'window':
        head = `Window ${n.functions.map((f) => windowSpecText(f, col)).join(', ')}`;
        kids = [n.input];
        break;
      case 'empty':
        head = 'Empty';
        break;
    }
    const p = profile?.get(n);
    const stats = profile ? ` (rows=${p?.rows ?? 0}${p?.threads === undefined ? '' : `, ${p.threads} threads`})` : '';
    lines.push(`${'  '.repeat(depth)}${depth > 0 ? '-> ' : ''}${head}${stats}`);
    if (p?.scan !== undefined && touchedStorage(p.scan)) lines.push(`${'  '.repeat(depth)}${depth > 0 ? '   ' : ''}  ${scanStatsText(p.scan)}`);
    for (const k of kids) walk(k, depth + 1);
  };
  walk(plan, 0);
  return lines.join('\n');
}

/** Did the scan meet stored blocks? Tables held in memory count nothing. */
function touchedStorage(s: ScanStats): boolean {
  return s.blocksTotal > 0 || s.valuesDecoded > 0 || s.bytesRead > 0;
}

/** `blocks: 12 of 40 read (28 skipped by zone maps, 0 by bitmaps), bitmap rows: 0, ...` */
export function scanStatsText(s: ScanStats): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const read = s.blocksTotal - s.blocksSkipped - s.blocksSkippedByBitmap;
  return (
    `blocks: ${n(read)} of ${n(s.blocksTotal)} read (${n(s.blocksSkipped)} skipped by zone maps, ${n(s.blocksSkippedByBitmap)} by bitmaps), ` +
    `bitmap rows: ${n(s.bitmapRows)}, values decoded: ${n(s.valuesDecoded)}, bytes read: ${n(s.bytesRead)}` +
    (s.blocksCached > 0 ? `, column blocks from cache: ${n(s.blocksCached)}` : '')
  );
}

/** A table function argument as a SQL literal (the binder admits no INTERVAL arguments). */
function argText(v: Scalar): string {
  if (v === null) return 'NULL';
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  if (typeof v === 'object') throw internalError('a table function argument is an INTERVAL');
  return String(v);
}

export function exprText(e: PExpr): string {
  switch (e.kind) {
    case 'col':
      return `#${e.index}`;
    case 'outer':
      return `outer#${e.index}`;
    case 'const':
      return literalText(e.value, e.type);
    case 'call': {
      const op = OPS[e.fn];
      if (op !== undefined && e.args.length === 2) return `(${exprText(e.args[0]!)} ${op} ${exprText(e.args[1]!)})`;
      if (e.fn === 'negate') return `-${exprText(e.args[0]!)}`;
      return `${e.fn}(${e.args.map(exprText).join(', ')})`;
    }
    case 'cast':
      return `CAST(${exprText(e.expr)} AS ${typeToString(e.type)})`;
    case 'case':
      return `CASE ${e.whens.map((w) => `WHEN ${exprText(w.when)} THEN ${exprText(w.then)}`).join(' ')}${e.else ? ` ELSE ${exprText(e.else)}` : ''} END`;
    case 'and':
    case 'or':
      return `(${e.args.map(exprText).join(` ${e.kind.toUpperCase()} `)})`;
    case 'not':
      return `NOT ${exprText(e.arg)}`;
    case 'is_null':
      return `${exprText(e.arg)} IS ${e.negated ? 'NOT ' : ''}NULL`;
    case 'in_list':
      return `${exprText(e.arg)} ${e.negated ? 'NOT ' : ''}IN (${e.list.map(exprText).join(', ')})`;
  }
}

/** A value as a SQL literal: strings and temporal values quoted, decimals with their scale. */
function literalText(v: Scalar, type: LogicalType): string {
  if (v === null) return 'NULL';
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  const text = formatValue(v, type);
  return type.id === TypeId.DATE || type.id === TypeId.TIMESTAMP || type.id === TypeId.TIMESTAMPTZ ? `'${text}'` : text;
}
