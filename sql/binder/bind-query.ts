// Binds a query (WITH, SELECT cores, set operations, VALUES, ORDER BY, LIMIT) into a logical
// plan. The SELECT binder follows SQL's order: FROM, WHERE, GROUP BY + aggregates, HAVING,
// the select list, DISTINCT, ORDER BY (which may add hidden columns), LIMIT.

import { binderError, catalogError, notSupported, typeError } from '../../common/errors.js';
import type * as A from '../ast.js';
import { type LogicalType, T, TypeId, typeToString } from '../../common/types.js';
import { castSupported } from '../../exec/expression/cast.js';
import type { Catalog } from '../../storage/catalog.js';
import {
  type AggregateCall, type LExpr, type LNode, type OutputColumn, type SortItem, type WindowCall, exprEquals, forEachExpr, mapExpr, mapPlanExprs, outputsOf,
  windowExprs,
} from '../logical/plan.js';
import { bindWindowCall, substituteAliases } from './bind-window.js';
import { castTo, requireBoolean, unify } from './coercion.js';
import { type ExprContext, bindExpr, numberLiteral, paramConstant } from './bind-expr.js';
import { Scope } from './scope.js';
import { bindGroupingCalls, containsGroupingCall, expandGroupingSets } from './grouping-sets.js';
import { evaluateConstant } from '../planner/constant.js';
import { lookupTableFunction } from '../table-functions/registry.js';
import type { TableFunctionArgument } from '../table-functions/table-function.js';

export interface BoundQuery {
  plan: LNode;
  /** The visible output columns, in order. */
  columns: OutputColumn[];
}

interface CteDef {
  def: A.CommonTableExpr;
  /** CTEs visible where this CTE was defined (a CTE may use earlier ones). */
  env: CteEnv;
}
type CteEnv = ReadonlyMap<string, CteDef>;

export interface BinderOptions {
  catalog: Catalog;
  params: readonly unknown[];
  /** Parses a view's stored SQL (injected to keep the binder independent of the parser). */
  parseQuery(sql: string): A.Query;
}

export class QueryBinder {
  private nextId = 1;
  private viewDepth = 0;

  constructor(private readonly opts: BinderOptions) {}

  newId(): number {
    return this.nextId++;
  }

  bindQuery(q: A.Query, parent: Scope | null = null, env: CteEnv = new Map()): BoundQuery {
    let ctes: Map<string, CteDef> | null = null;
    const names = new Set<string>();
    for (const cte of q.with) {
      if (names.has(cte.name)) throw binderError(`WITH query name "${cte.name}" specified more than once`, cte.pos);
      names.add(cte.name);
      ctes ??= new Map(env);
      ctes.set(cte.name, { def: cte, env: new Map(ctes) });
    }
    const cteEnv = ctes ?? env;
    let bound: BoundQuery;
    if (q.body.kind === 'select') {
      bound = this.bindSelect(q.body, q.orderBy, parent, cteEnv);
    } else {
      bound = this.bindBody(q.body, parent, cteEnv);
      if (q.orderBy.length > 0) bound = this.bindOrderOverOutputs(bound, q.orderBy, parent);
    }
    if (q.limit !== undefined || q.offset !== undefined) {
      const limit = q.limit === undefined ? null : this.constInt(q.limit, 'LIMIT', true);
      const offset = q.offset === undefined ? 0 : (this.constInt(q.offset, 'OFFSET', false) ?? 0);
      bound = { plan: { op: 'limit', input: bound.plan, limit, offset }, columns: bound.columns };
    }
    return bound;
  }

  private constInt(e: A.Expr, what: string, allowNull: boolean): number | null {
    const cx = this.exprContext(false);
    const x = bindExpr(e, new Scope(null), cx);
    if (x.kind === 'const' && x.value === null && allowNull) return null;
    if (x.kind !== 'const' || (typeof x.value !== 'number' && typeof x.value !== 'bigint') || ![TypeId.INTEGER, TypeId.BIGINT, TypeId.SMALLINT].includes(x.type.id)) {
      throw binderError(`${what} must be a non-negative integer constant`, e.pos);
    }
    const v = Number(x.value);
    if (v < 0) throw binderError(`${what} must not be negative`, e.pos);
    return v;
  }

  private bindBody(body: A.QueryBody, parent: Scope | null, env: CteEnv): BoundQuery {
    switch (body.kind) {
      case 'select':
        return this.bindSelect(body, [], parent, env);
      case 'query':
        return this.bindQuery(body, parent, env);
      case 'values':
        return this.bindValues(body, parent);
      case 'set_op':
        return this.bindSetOp(body, parent, env);
    }
  }

  /**
   * VALUES rows. With `targetTypes` (INSERT ... VALUES) each value is cast to its column's
   * type, as PostgreSQL does, instead of unifying the rows first: a NULL or a date string
   * then fits a DATE column, and one wide value does not widen the others.
   */
  bindValues(v: A.ValuesBody, parent: Scope | null, targetTypes?: readonly LogicalType[]): BoundQuery {
    const cx = this.exprContext(false);
    const scope = new Scope(parent);
    const rows = v.rows.map((r) => r.map((e) => bindExpr(e, scope, cx)));
    const width = rows[0]?.length ?? 0;
    for (const r of rows) if (r.length !== width) throw binderError('VALUES lists must all be the same length', v.pos);
    if (targetTypes !== undefined && targetTypes.length !== width) {
      throw binderError(`INSERT has ${width} expressions but ${targetTypes.length} target columns`, v.pos);
    }
    const types = Array.from({ length: width }, (_, c) => {
      if (targetTypes !== undefined) {
        const to = targetTypes[c]!;
        for (const r of rows) {
          if (!castSupported(r[c]!.type, to)) throw typeError(`column ${c + 1} is of type ${typeToString(to)} but the expression is of type ${typeToString(r[c]!.type)}; add an explicit CAST`, v.pos);
        }
        return to;
      }
      const t = unify(rows.map((r) => r[c]!.type), `VALUES column ${c + 1}`, v.pos);
      return t.id === TypeId.NULL ? T.INTEGER : t;
    });
    const columns = types.map((type, c) => ({ id: this.newId(), name: `col${c}`, type }));
    return { plan: { op: 'values', rows: rows.map((r) => r.map((e, c) => castTo(e, types[c]!))), columns }, columns };
  }

  private bindSetOp(s: A.SetOperation, parent: Scope | null, env: CteEnv): BoundQuery {
    const left = this.bindBody(s.left, parent, env);
    const right = this.bindBody(s.right, parent, env);
    if (left.columns.length !== right.columns.length) {
      throw binderError(`each ${s.op.toUpperCase()} query must have the same number of columns (${left.columns.length} vs ${right.columns.length})`, s.pos);
    }
    const types = left.columns.map((c, i) => {
      const t = unify([c.type, right.columns[i]!.type], `${s.op.toUpperCase()} column ${i + 1}`, s.pos);
      return t.id === TypeId.NULL ? T.INTEGER : t;
    });
    const columns = left.columns.map((c, i) => ({ id: this.newId(), name: c.name, type: types[i]! }));
    return {
      plan: { op: 'set_op', setOp: s.op, all: s.all, left: this.castOutputs(left, types), right: this.castOutputs(right, types), columns },
      columns,
    };
  }

  /** A plan whose outputs are cast to `types` (a projection, only when needed). */
  private castOutputs(b: BoundQuery, types: LogicalType[]): LNode {
    const outs = outputsOf(b.plan);
    const visible = b.columns;
    const same = visible.length === outs.length && visible.every((c, i) => c.id === outs[i]!.id && c.type.id === types[i]!.id && c.type.scale === types[i]!.scale && c.type.precision === types[i]!.precision);
    if (same) return b.plan;
    return {
      op: 'project',
      input: b.plan,
      columns: visible.map((c, i) => ({ id: this.newId(), name: c.name, type: types[i]!, expr: castTo({ kind: 'colref', id: c.id, type: c.type, name: c.name }, types[i]!) })),
    };
  }

  /** ORDER BY over a set operation or VALUES: output names, positions, or expressions over them. */
  private bindOrderOverOutputs(b: BoundQuery, order: A.OrderItem[], parent: Scope | null): BoundQuery {
    const scope = new Scope(parent);
    scope.add({ name: '', columns: b.columns });
    const cx = this.exprContext(false);
    const keys = order.map((o) => {
      let expr: LExpr;
      const pos = positionOf(o.expr);
      if (pos !== null) {
        const c = b.columns[pos - 1];
        if (c === undefined) throw binderError(`ORDER BY position ${pos} is not in select list`, o.expr.pos);
        expr = { kind: 'colref', id: c.id, type: c.type, name: c.name };
      } else expr = bindExpr(o.expr, scope, cx);
      return sortItem(expr, o);
    });
    return { plan: { op: 'sort', input: b.plan, keys }, columns: b.columns };
  }

  exprContext(allowAggregates: boolean, env: CteEnv = new Map()): ExprContext {
    return {
      allowAggregates,
      newId: () => this.newId(),
      bindSubquery: (q, scope) => {
        const r = this.bindQuery(q, scope, env);
        return { plan: projectVisible(r, this), types: r.columns.map((c) => c.type) };
      },
      param: (index, pos) => {
        if (index < 1 || index > this.opts.params.length) {
          throw binderError(`parameter $${index} has no value (${this.opts.params.length} given)`, pos);
        }
        return paramConstant(this.opts.params[index - 1], index, pos);
      },
    };
  }

  // ---------------------------------------------------------------- FROM

  private bindFrom(from: A.TableRef[], scope: Scope, env: CteEnv): LNode {
    let plan: LNode | null = null;
    for (const ref of from) {
      const p = this.bindTableRef(ref, scope, env);
      plan = plan === null ? p : { op: 'join', joinType: 'inner', left: plan, right: p, condition: null, mark: null };
    }
    return plan ?? { op: 'values', rows: [[]], columns: [] };
  }

  private bindTableRef(ref: A.TableRef, scope: Scope, env: CteEnv): LNode {
    switch (ref.kind) {
      case 'table':
        return this.bindNamedTable(ref, scope, env);
      case 'subquery': {
        // A derived table sees the enclosing query's outer scope (LATERAL is not supported).
        const b = this.bindQuery(ref.query, scope.parent, env);
        return this.addRelation(b, ref.alias ?? `subquery`, ref.columnAliases, scope, ref.pos);
      }
      case 'table_function':
        return this.bindTableFunction(ref, scope);
      case 'join':
        return this.bindJoin(ref, scope, env);
    }
  }

  private bindNamedTable(ref: A.BaseTableRef, scope: Scope, env: CteEnv): LNode {
    const alias = ref.alias ?? ref.name;
    const cte = env.get(ref.name);
    if (cte !== undefined) {
      const b = this.bindQuery(cte.def.query, scope.parent, cte.env);
      return this.addRelation(b, alias, ref.columnAliases ?? cte.def.columnNames, scope, ref.pos);
    }
    const info = /^information_schema\.(.*)$/.exec(ref.name);
    if (info !== null) {
      // information_schema.tables / .columns are table functions (table-functions/information-schema.ts).
      if (info[1] !== 'tables' && info[1] !== 'columns') throw catalogError(`table "${ref.name}" does not exist; information_schema has tables and columns`, ref.pos);
      const call: A.TableFunctionRef = { kind: 'table_function', name: ref.name, args: [], namedArgs: {}, alias: ref.alias ?? info[1], columnAliases: ref.columnAliases, pos: ref.pos };
      return this.bindTableFunction(call, scope);
    }
    const view = this.opts.catalog.views.get(ref.name);
    if (view !== undefined) {
      if (++this.viewDepth > 32) throw binderError(`view "${ref.name}" refers to itself`, ref.pos);
      try {
        const b = this.bindQuery(this.opts.parseQuery(view.sql), null, new Map());
        return this.addRelation(b, alias, ref.columnAliases ?? view.columnNames, scope, ref.pos);
      } finally {
        this.viewDepth--;
      }
    }
    const table = this.opts.catalog.getTable(ref.name);
    if (table === undefined) {
      throw catalogError(`table "${ref.name}" does not exist${this.opts.catalog.suggest(ref.name)}`, ref.pos);
    }
    const cols = table.schema.columns;
    if (ref.columnAliases && ref.columnAliases.length > cols.length) {
      throw binderError(`table "${ref.name}" has ${cols.length} columns but ${ref.columnAliases.length} aliases were given`, ref.pos);
    }
    const columns = cols.map((c, index) => ({ id: this.newId(), index, name: ref.columnAliases?.[index] ?? c.name, type: c.type }));
    scope.add({ name: alias, columns: columns.map(({ id, name, type }) => ({ id, name, type })) }, ref.pos);
    return { op: 'get', table: table.schema.name, columns };
  }

  /** FROM name(args): the arguments are constants (parameters allowed), evaluated now. */
  private bindTableFunction(ref: A.TableFunctionRef, scope: Scope): LNode {
    const fn = lookupTableFunction(ref.name, ref.pos);
    const cx = this.exprContext(false);
    const argument = (e: A.Expr): TableFunctionArgument => {
      // The arguments see no columns: a table function in FROM is not LATERAL.
      const bound = bindExpr(e, new Scope(null), cx);
      const folded = bound.kind === 'const' ? bound : evaluateConstant(bound);
      if (folded === null || folded.kind !== 'const') {
        throw binderError(`the arguments of table function ${ref.name}() must be constant values; call it as ${fn.usage}`, e.pos);
      }
      return { value: folded.value, type: folded.type, pos: e.pos };
    };
    const named: Record<string, TableFunctionArgument> = {};
    for (const [name, e] of Object.entries(ref.namedArgs)) named[name] = argument(e);
    // DuckDB's `read_csv('f', header = true)`: an argument `name = value` is a named one.
    const positional: A.Expr[] = [];
    for (const e of ref.args) {
      if (e.kind === 'binary' && e.op === '=' && e.left.kind === 'column' && e.left.parts.length === 1) {
        const name = e.left.parts[0]!.toLowerCase();
        if (Object.prototype.hasOwnProperty.call(named, name)) throw binderError(`argument "${name}" is given more than once`, e.pos);
        named[name] = argument(e.right);
      } else positional.push(e);
    }
    const b = fn.bind(positional.map(argument), named, this.opts.catalog, ref.pos);
    if (ref.columnAliases && ref.columnAliases.length > b.columns.length) {
      throw binderError(`table function ${ref.name}() has ${b.columns.length} columns but ${ref.columnAliases.length} aliases were given`, ref.pos);
    }
    const columns = b.columns.map((c, index) => ({ id: this.newId(), index, name: ref.columnAliases?.[index] ?? c.name, type: c.type }));
    scope.add({ name: ref.alias ?? ref.name, columns: columns.map(({ id, name, type }) => ({ id, name, type })) }, ref.pos);
    return { op: 'table_function', name: fn.name, args: b.args, columns, estimatedRows: b.estimatedRows };
  }

  private addRelation(b: BoundQuery, alias: string, aliases: string[] | undefined, scope: Scope, pos: A.Pos): LNode {
    if (aliases && aliases.length > b.columns.length) {
      throw binderError(`"${alias}" has ${b.columns.length} columns but ${aliases.length} column aliases were given`, pos);
    }
    const columns = b.columns.map((c, i) => ({ ...c, name: aliases?.[i] ?? c.name }));
    scope.add({ name: alias, columns }, pos);
    return projectVisible(b, this);
  }

  private bindJoin(j: A.JoinRef, scope: Scope, env: CteEnv): LNode {
    const leftScope = new Scope(scope.parent);
    const left = this.bindTableRef(j.left, leftScope, env);
    const rightScope = new Scope(scope.parent);
    const right = this.bindTableRef(j.right, rightScope, env);
    for (const r of [...leftScope.relations, ...rightScope.relations]) scope.add(r, j.pos);
    for (const [k, v] of [...leftScope.merged, ...rightScope.merged]) scope.merged.set(k, v);
    for (const id of [...leftScope.hiddenFromStar, ...rightScope.hiddenFromStar]) scope.hiddenFromStar.add(id);
    const joinType = j.joinType === 'cross' ? 'inner' : j.joinType;
    let condition: LExpr | null = null;
    let using = j.using;
    if (j.natural) {
      const names = (sc: Scope) => [...sc.merged.keys(), ...sc.allColumns().map((c) => c.name)];
      const leftNames = new Set(names(leftScope));
      using = [...new Set(names(rightScope).filter((n) => leftNames.has(n)))];
    }
    if (using !== undefined) {
      const conds: LExpr[] = [];
      for (const name of using) {
        const l = leftScope.resolveLocal([name], j.pos);
        const r = rightScope.resolveLocal([name], j.pos);
        if (l === null || r === null) throw binderError(`column "${name}" specified in USING clause does not exist in ${l === null ? 'left' : 'right'} table`, j.pos);
        const t = unify([l.type, r.type], `JOIN USING column "${name}"`, j.pos);
        conds.push({ kind: 'call', fn: 'eq', args: [castTo(l, t), castTo(r, t)], type: T.BOOLEAN });
        // The merged column: the left one, the right one for RIGHT joins, COALESCE for FULL.
        const merged: LExpr = joinType === 'full'
          ? { kind: 'call', fn: 'coalesce', args: [castTo(l, t), castTo(r, t)], type: t }
          : joinType === 'right' ? r : l;
        scope.merged.set(name, merged);
        for (const side of [l, r]) if (side.kind === 'colref') scope.hiddenFromStar.add(side.id);
      }
      condition = conds.length === 0 ? null : conds.length === 1 ? conds[0]! : { kind: 'and', args: conds, type: T.BOOLEAN };
    } else if (j.on) {
      // ON sees only this join's own inputs (and enclosing queries), not earlier FROM items.
      const onScope = new Scope(scope.parent);
      for (const r of [...leftScope.relations, ...rightScope.relations]) onScope.relations.push(r);
      for (const [k, v] of [...leftScope.merged, ...rightScope.merged]) onScope.merged.set(k, v);
      condition = requireBoolean(bindExpr(j.on, onScope, this.exprContext(false, env)), 'JOIN condition', j.pos);
    } else if (j.joinType !== 'cross' && !j.natural) {
      throw binderError(`${j.joinType.toUpperCase()} JOIN needs an ON or USING clause`, j.pos);
    }
    return { op: 'join', joinType, left, right, condition, mark: null };
  }

  // ---------------------------------------------------------------- SELECT

  private bindSelect(core: A.SelectCore, order: A.OrderItem[], parent: Scope | null, env: CteEnv): BoundQuery {
    const scope = new Scope(parent);
    let plan = this.bindFrom(core.from, scope, env);
    const fromIds = new Set(outputsOf(plan).map((c) => c.id));
    for (const e of scope.merged.values()) forEachExpr(e, (x) => { if (x.kind === 'colref') fromIds.add(x.id); });

    if (core.where) {
      const cond = requireBoolean(bindExpr(core.where, scope, this.exprContext(false, env)), 'WHERE condition', core.where.pos);
      plan = { op: 'filter', input: plan, condition: cond };
    }

    // The select list, with * expanded. Window calls (bind-window.ts) collect into `windows`.
    const aggCx = this.exprContext(true, env);
    const windows: WindowCall[] = [];
    const winCx: ExprContext = { ...aggCx, bindWindow: (e, sc) => bindWindowCall(e, sc, aggCx, windows) };
    const windowIds = () => new Set(windows.map((w) => w.id));
    const items: { expr: LExpr; name: string }[] = [];
    for (const item of core.items) {
      if (item.kind === 'star') {
        const cols = item.table === undefined ? scope.allColumns() : scope.relations.find((r) => r.name === item.table)?.columns;
        if (cols === undefined) throw binderError(`missing FROM-clause entry for table "${item.table}"`, item.pos);
        if (item.table === undefined && core.from.length === 0) throw binderError('SELECT * with no tables specified is not valid', item.pos);
        // As PostgreSQL: a bare * lists each USING / NATURAL column once, first; t.* lists t's own.
        if (item.table === undefined) for (const [name, merged] of scope.merged) items.push({ expr: merged, name });
        for (const c of cols) items.push({ expr: { kind: 'colref', id: c.id, type: c.type, name: c.name }, name: c.name });
      } else {
        const expr = bindExpr(item.expr, scope, winCx);
        items.push({ expr, name: item.alias ?? defaultName(item.expr) });
      }
    }
    for (const it of items) {
      if (it.expr.type.id === TypeId.INTERVAL) {
        throw notSupported(`INTERVAL values can only be used as constants in date arithmetic for now (date + INTERVAL '1 day'); "${it.name}" is an INTERVAL`, core.pos);
      }
    }
    const aliases = new Map<string, number>();
    core.items.forEach((it) => { if (it.kind === 'expr' && it.alias) aliases.set(it.alias, items.findIndex((x) => x.name === it.alias)); });

    // GROUP BY: positions and output aliases allowed (input columns win, as in PostgreSQL).
    const bindGroupExpr = (g: A.Expr): LExpr => {
      const p = positionOf(g);
      if (p !== null) {
        const it = items[p - 1];
        if (it === undefined) throw binderError(`GROUP BY position ${p} is not in select list`, g.pos);
        if (containsAgg(it.expr)) throw binderError(`aggregate functions are not allowed in GROUP BY`, g.pos);
        if (references(it.expr, windowIds())) throw binderError(`window functions are not allowed in GROUP BY`, g.pos);
        return it.expr;
      }
      if (g.kind === 'column' && g.parts.length === 1 && scope.resolveLocal(g.parts, g.pos) === null && aliases.has(g.parts[0]!)) {
        const it = items[aliases.get(g.parts[0]!)!]!;
        if (containsAgg(it.expr)) throw binderError(`aggregate functions are not allowed in GROUP BY`, g.pos);
        if (references(it.expr, windowIds())) throw binderError(`window functions are not allowed in GROUP BY`, g.pos);
        return it.expr;
      }
      return bindExpr(g, scope, this.exprContext(false, env));
    };
    let groupExprs: LExpr[];
    let groupingSets: number[][] | null = null;
    if (core.groupingSets !== undefined) {
      const expanded = expandGroupingSets(core.groupingSets, bindGroupExpr);
      groupExprs = expanded.exprs;
      // A single set (GROUP BY (a, b), GROUPING SETS ((a))) is a plain GROUP BY.
      if (expanded.sets.length > 1) groupingSets = expanded.sets;
    } else groupExprs = core.groupBy.map(bindGroupExpr);
    if (groupExprs.some(containsGroupingCall)) throw binderError('GROUPING() is not allowed in GROUP BY', core.pos);

    const having = core.having ? requireBoolean(bindExpr(core.having, scope, aggCx), 'HAVING condition', core.having.pos) : null;
    let qualify: LExpr | null = null;
    if (core.qualify) {
      const aliased = new Map<string, A.Expr>();
      for (const it of core.items) if (it.kind === 'expr' && it.alias !== undefined) aliased.set(it.alias, it.expr);
      const cond = substituteAliases(core.qualify, aliased, (name) => scope.resolveLocal([name], core.qualify!.pos) !== null);
      qualify = requireBoolean(bindExpr(cond, scope, winCx), 'QUALIFY condition', core.qualify.pos);
    }

    // ORDER BY items bound now (they may contain aggregates too).
    const orderBound: { expr: LExpr; item: A.OrderItem; outputIndex: number | null }[] = order.map((o) => {
      const p = positionOf(o.expr);
      if (p !== null) {
        if (items[p - 1] === undefined) throw binderError(`ORDER BY position ${p} is not in select list`, o.expr.pos);
        return { expr: items[p - 1]!.expr, item: o, outputIndex: p - 1 };
      }
      if (o.expr.kind === 'column' && o.expr.parts.length === 1) {
        // As PostgreSQL: a bare name in ORDER BY means an output column first, then an input one.
        const name = o.expr.parts[0]!;
        const idx = items.findIndex((it) => it.name === name);
        if (idx >= 0) {
          if (items.some((it, i) => i > idx && it.name === name && !exprEquals(it.expr, items[idx]!.expr))) {
            throw binderError(`ORDER BY "${name}" is ambiguous`, o.expr.pos);
          }
          return { expr: items[idx]!.expr, item: o, outputIndex: idx };
        }
      }
      return { expr: bindExpr(o.expr, scope, winCx), item: o, outputIndex: null };
    });

    const aggregated = groupExprs.length > 0 || core.groupingSets !== undefined || items.some((i) => containsAgg(i.expr)) || (having !== null && containsAgg(having)) || orderBound.some((o) => containsAgg(o.expr)) || having !== null
      || (qualify !== null && containsAgg(qualify)) || windows.some((w) => windowExprs(w).some(containsAgg));
    let rewrite = (e: LExpr) => e;
    if (aggregated) {
      const groups = groupExprs.map((expr) => ({ id: this.newId(), name: exprName(expr), type: expr.type, expr }));
      const aggregates: AggregateCall[] = [];
      const groupings: (OutputColumn & { args: number[] })[] = [];
      rewrite = (e: LExpr) => this.rewriteAggregated(bindGroupingCalls(e, groups, groupingSets !== null, groupings, () => this.newId()), groups, aggregates, fromIds);
      const rewrittenItems = items.map((i) => rewrite(i.expr));
      const rewrittenHaving = having === null ? null : rewrite(having);
      const rewrittenOrder = orderBound.map((o) => rewrite(o.expr));
      const rewrittenWindows = windows.map((w) => ({
        ...w,
        args: w.args.map(rewrite),
        partitionBy: w.partitionBy.map(rewrite),
        orderBy: w.orderBy.map((k) => ({ ...k, expr: rewrite(k.expr) })),
        filter: w.filter === null ? null : rewrite(w.filter),
      }));
      windows.splice(0, windows.length, ...rewrittenWindows);
      if (qualify !== null) qualify = rewrite(qualify);
      plan = groupingSets === null ? { op: 'aggregate', input: plan, groups, aggregates } : { op: 'aggregate', input: plan, groups, aggregates, groupingSets, groupings };
      if (rewrittenHaving !== null) plan = { op: 'filter', input: plan, condition: rewrittenHaving };
      items.forEach((it, i) => { it.expr = rewrittenItems[i]!; });
      orderBound.forEach((o, i) => { o.expr = rewrittenOrder[i]!; });
    } else if (items.some((i) => containsGroupingCall(i.expr)) || orderBound.some((o) => containsGroupingCall(o.expr))) {
      throw binderError('GROUPING() needs a GROUP BY: its arguments must be GROUP BY expressions', core.pos);
    }
    // Window functions run after aggregation and HAVING, before QUALIFY and the select list.
    if (windows.length > 0) plan = { op: 'window', input: plan, windows };
    if (qualify !== null) plan = { op: 'filter', input: plan, condition: qualify };

    // Project the select list plus hidden ORDER BY expressions.
    const columns: (OutputColumn & { expr: LExpr })[] = items.map((it) => ({ id: this.newId(), name: it.name, type: it.expr.type, expr: it.expr }));
    const visible = columns.length;
    const keys: SortItem[] = [];
    for (const o of orderBound) {
      let idx = o.outputIndex;
      if (idx === null) {
        idx = columns.findIndex((c, i) => i < visible && exprEquals(c.expr, o.expr));
        if (idx < 0) {
          if (core.distinct) throw binderError('for SELECT DISTINCT, ORDER BY expressions must appear in select list', o.item.expr.pos);
          columns.push({ id: this.newId(), name: '', type: o.expr.type, expr: o.expr });
          idx = columns.length - 1;
        }
      }
      const c = columns[idx]!;
      keys.push(sortItem({ kind: 'colref', id: c.id, type: c.type, name: c.name }, o.item));
    }
    plan = { op: 'project', input: plan, columns };
    let out: OutputColumn[] = columns.slice(0, visible).map(({ id, name, type }) => ({ id, name, type }));
    if (core.distinct) {
      const groups = out.map((c) => ({ id: this.newId(), name: c.name, type: c.type, expr: { kind: 'colref', id: c.id, type: c.type, name: c.name } as LExpr }));
      plan = { op: 'aggregate', input: plan, groups, aggregates: [] };
      const remap = new Map(out.map((c, i) => [c.id, groups[i]!]));
      for (const k of keys) if (k.expr.kind === 'colref') { const g = remap.get(k.expr.id)!; k.expr = { kind: 'colref', id: g.id, type: g.type, name: g.name }; }
      out = groups.map(({ id, name, type }) => ({ id, name, type }));
    }
    if (keys.length > 0) plan = { op: 'sort', input: plan, keys };
    if (columns.length > visible && !core.distinct) {
      plan = { op: 'project', input: plan, columns: out.map((c) => ({ ...c, id: this.newId(), expr: { kind: 'colref', id: c.id, type: c.type, name: c.name } })) };
      out = outputsOf(plan);
    }
    return { plan, columns: out };
  }

  /** Replaces GROUP BY expressions and aggregates in `e` by references to the Aggregate's
   *  outputs; a remaining reference to a FROM column is an ungrouped column error. */
  private rewriteAggregated(e: LExpr, groups: (OutputColumn & { expr: LExpr })[], aggregates: AggregateCall[], fromIds: Set<number>): LExpr {
    const g = groups.find((x) => exprEquals(x.expr, e));
    if (g !== undefined) return { kind: 'colref', id: g.id, type: g.type, name: g.name };
    if (e.kind === 'agg') {
      let a = aggregates.find((x) => x.fn === e.fn && x.distinct === e.distinct && exprEquals({ kind: 'and', args: x.args, type: T.BOOLEAN }, { kind: 'and', args: e.args, type: T.BOOLEAN }) && ((x.filter === null && e.filter === null) || (x.filter !== null && e.filter !== null && exprEquals(x.filter, e.filter)))
        && x.orderBy.length === e.orderBy.length && x.orderBy.every((k, i) => sameSortItem(k, e.orderBy[i]!)));
      if (a === undefined) {
        a = { id: this.newId(), name: e.fn === 'count_star' ? 'count_star()' : `${e.fn}`, fn: e.fn, args: e.args, distinct: e.distinct, filter: e.filter, orderBy: e.orderBy, type: e.type };
        aggregates.push(a);
      }
      return { kind: 'colref', id: a.id, type: a.type, name: a.name };
    }
    if (e.kind === 'colref' && fromIds.has(e.id)) {
      throw binderError(`column "${e.name}" must appear in the GROUP BY clause or be used in an aggregate function`);
    }
    if (e.kind === 'subquery') {
      // Correlated references inside the subquery to grouped expressions resolve to the groups.
      return { ...e, plan: this.rewriteSubqueryRefs(e.plan, groups, fromIds), arg: e.arg ? this.rewriteAggregated(e.arg, groups, aggregates, fromIds) : null };
    }
    return shallowMap(e, (c) => this.rewriteAggregated(c, groups, aggregates, fromIds));
  }

  /** Inside a subquery of an aggregated SELECT, outer references to grouped columns become
   *  references to the group outputs. */
  private rewriteSubqueryRefs(plan: LNode, groups: (OutputColumn & { expr: LExpr })[], fromIds: Set<number>): LNode {
    const byId = new Map<number, OutputColumn>();
    for (const g of groups) if (g.expr.kind === 'colref') byId.set(g.expr.id, g);
    const fix = (e: LExpr): LExpr => mapExpr(e, (x) => {
      if (x.kind === 'colref' && fromIds.has(x.id)) {
        const g = byId.get(x.id);
        if (g !== undefined) return { kind: 'colref', id: g.id, type: g.type, name: g.name };
        throw binderError(`subquery uses ungrouped column "${x.name}" from outer query; add it to GROUP BY or aggregate it`);
      }
      if (x.kind === 'subquery') return { ...x, plan: this.rewriteSubqueryRefs(x.plan, groups, fromIds) };
      return x;
    });
    return mapPlanExprs(plan, fix, (p) => this.rewriteSubqueryRefs(p, groups, fromIds));
  }
}

/** Applies f to the direct children of an expression (one level). */
function shallowMap(e: LExpr, f: (e: LExpr) => LExpr): LExpr {
  switch (e.kind) {
    case 'call':
    case 'and':
    case 'or':
      return { ...e, args: e.args.map(f) };
    case 'cast':
      return { ...e, expr: f(e.expr) };
    case 'case':
      return { ...e, whens: e.whens.map((w) => ({ when: f(w.when), then: f(w.then) })), else: e.else ? f(e.else) : null };
    case 'not':
    case 'is_null':
      return { ...e, arg: f(e.arg) };
    case 'in_list':
      return { ...e, arg: f(e.arg), list: e.list.map(f) };
    default:
      return e;
  }
}

/** Whether `e` reads one of the columns `ids`. */
function references(e: LExpr, ids: Set<number>): boolean {
  let found = false;
  forEachExpr(e, (x) => { if (x.kind === 'colref' && ids.has(x.id)) found = true; });
  return found;
}

function sameSortItem(a: SortItem, b: SortItem): boolean {
  return a.desc === b.desc && a.nullsFirst === b.nullsFirst && exprEquals(a.expr, b.expr);
}

function containsAgg(e: LExpr): boolean {
  let found = false;
  forEachExpr(e, (x) => { if (x.kind === 'agg') found = true; });
  return found;
}

/** A bound query's plan restricted to its visible columns. */
function projectVisible(b: BoundQuery, binder: QueryBinder): LNode {
  const outs = outputsOf(b.plan);
  if (outs.length === b.columns.length && outs.every((c, i) => c.id === b.columns[i]!.id)) return b.plan;
  return { op: 'project', input: b.plan, columns: b.columns.map((c) => ({ ...c, id: binder.newId(), expr: { kind: 'colref', id: c.id, type: c.type, name: c.name } })) };
}

function sortItem(expr: LExpr, o: A.OrderItem): SortItem {
  // NULLs are larger than every value: last on ASC, first on DESC, unless told otherwise.
  const nullsFirst = o.nulls === undefined ? o.desc : o.nulls === 'first';
  return { expr, desc: o.desc, nullsFirst };
}

/** A bare integer literal in GROUP BY / ORDER BY is a select-list position. */
function positionOf(e: A.Expr): number | null {
  if (e.kind !== 'number' || !/^[0-9]+$/.test(e.text)) return null;
  return Number(e.text);
}

function exprName(e: LExpr): string {
  return e.kind === 'colref' ? e.name : '';
}

/** The column name PostgreSQL would give an unaliased select item. */
function defaultName(e: A.Expr): string {
  switch (e.kind) {
    case 'column':
      return e.parts[e.parts.length - 1]!;
    case 'function':
      return e.name;
    case 'cast':
      return defaultName(e.expr);
    case 'case':
      return 'case';
    case 'extract':
      return 'extract';
    case 'subquery': {
      const body = e.query.body;
      if (body.kind === 'select' && body.items.length === 1 && body.items[0]!.kind === 'expr') {
        const it = body.items[0]!;
        return it.kind === 'expr' ? (it.alias ?? defaultName(it.expr)) : '?column?';
      }
      return '?column?';
    }
    case 'exists':
      return 'exists';
    default:
      return '?column?';
  }
}

export { numberLiteral };
