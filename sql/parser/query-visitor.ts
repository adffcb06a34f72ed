// The AST visitor layer for queries: WITH, set operations with their ALL/DISTINCT, SELECT and
// VALUES, ORDER BY / LIMIT / OFFSET (each at most once), and FROM: joins (a condition where one
// is needed), subqueries, table functions and aliases.

import type { IToken } from 'chevrotain';
import type * as A from '../ast.js';
import { notSupported, syntaxError } from '../../common/errors.js';
import type * as C from './cst.js';
import { inOrder, normalizeName, pos, posOf } from './cst-tokens.js';
import { expressionStart } from './expression-visitor.js';
import * as T from './lexer.js';
import { PrimaryVisitor } from './primary-visitor.js';

interface Alias {
  alias: string;
  columnAliases?: string[];
}

/** First token of a query. */
function queryStart(ctx: C.QueryCstChildren): IToken {
  if (ctx.withClause) return ctx.withClause[0]!.children.WITH[0]!;
  const primary = ctx.setExpression[0]!.children.intersectExpression[0]!.children.queryPrimary[0]!.children;
  if (primary.selectCore) return primary.selectCore[0]!.children.SELECT[0]!;
  if (primary.valuesBody) return primary.valuesBody[0]!.children.VALUES[0]!;
  return primary.LParen![0]!;
}

export abstract class QueryVisitor extends PrimaryVisitor {
  override query(ctx: C.QueryCstChildren): A.Query {
    const query: A.Query = {
      kind: 'query',
      with: ctx.withClause ? this.withClause(ctx.withClause[0]!.children) : [],
      body: this.setExpression(ctx.setExpression[0]!.children),
      orderBy: ctx.orderByClause ? this.orderByClause(ctx.orderByClause[0]!.children) : [],
      pos: pos(queryStart(ctx)),
    };
    if (ctx.limitClause) {
      if (ctx.limitClause.length > 1) throw syntaxError('LIMIT is given more than once', pos(ctx.limitClause[1]!.children.LIMIT[0]!));
      const limit = this.limitClause(ctx.limitClause[0]!.children);
      if (limit) query.limit = limit;
    }
    if (ctx.offsetClause) {
      if (ctx.offsetClause.length > 1) throw syntaxError('OFFSET is given more than once', pos(ctx.offsetClause[1]!.children.OFFSET[0]!));
      query.offset = this.offsetClause(ctx.offsetClause[0]!.children);
    }
    return query;
  }

  withClause(ctx: C.WithClauseCstChildren): A.CommonTableExpr[] {
    if (ctx.RECURSIVE) throw notSupported('WITH RECURSIVE is not supported; only plain WITH queries are', pos(ctx.RECURSIVE[0]!));
    return ctx.commonTableExpr.map((c) => this.commonTableExpr(c.children));
  }

  commonTableExpr(ctx: C.CommonTableExprCstChildren): A.CommonTableExpr {
    const nameToken = ctx.name[0]!.children.Name[0]!;
    const cte: A.CommonTableExpr = {
      name: normalizeName(nameToken),
      query: this.query(ctx.query[0]!.children),
      pos: pos(nameToken),
    };
    if (ctx.parenNameList) cte.columnNames = this.parenNameList(ctx.parenNameList[0]!.children);
    return cte;
  }

  setExpression(ctx: C.SetExpressionCstChildren): A.QueryBody {
    const operands = ctx.intersectExpression;
    let body = this.intersectExpression(operands[0]!.children);
    if (operands.length === 1) return body;
    const ops = inOrder(ctx.UNION, ctx.EXCEPT);
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      body = {
        kind: 'set_op',
        op: op.tokenType === T.Union ? 'union' : 'except',
        all: this.quantifierAfter(op, ops[i + 1], ctx.setQuantifier),
        left: body,
        right: this.intersectExpression(operands[i + 1]!.children),
        pos: pos(op),
      };
    }
    return body;
  }

  intersectExpression(ctx: C.IntersectExpressionCstChildren): A.QueryBody {
    const operands = ctx.queryPrimary;
    let body = this.queryPrimary(operands[0]!.children);
    const ops = ctx.INTERSECT ?? [];
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      body = {
        kind: 'set_op',
        op: 'intersect',
        all: this.quantifierAfter(op, ops[i + 1], ctx.setQuantifier),
        left: body,
        right: this.queryPrimary(operands[i + 1]!.children),
        pos: pos(op),
      };
    }
    return body;
  }

  /** Is the set operator `op` followed by ALL (rather than DISTINCT or nothing)? The
   *  quantifiers of this level's operators are collected apart from them; each one sits between
   *  its operator and the next. */
  private quantifierAfter(op: IToken, nextOp: IToken | undefined, quantifiers: C.SetQuantifierCstNode[] | undefined): boolean {
    if (!quantifiers) return false;
    const end = nextOp ? nextOp.startOffset : Infinity;
    for (const q of quantifiers) {
      const token = q.children.ALL?.[0] ?? q.children.DISTINCT![0]!;
      if (token.startOffset > op.startOffset && token.startOffset < end) return q.children.ALL !== undefined;
    }
    return false;
  }

  override setQuantifier(ctx: C.SetQuantifierCstChildren): boolean {
    return ctx.DISTINCT !== undefined;
  }

  queryPrimary(ctx: C.QueryPrimaryCstChildren): A.QueryBody {
    if (ctx.selectCore) return this.selectCore(ctx.selectCore[0]!.children);
    if (ctx.valuesBody) return this.valuesBody(ctx.valuesBody[0]!.children);
    const inner = this.query(ctx.query![0]!.children);
    // `(SELECT ...)` as a set operand needs no Query of its own unless it has WITH/ORDER/LIMIT.
    const plain = inner.with.length === 0 && inner.orderBy.length === 0 && !inner.limit && !inner.offset;
    return plain ? inner.body : inner;
  }

  selectCore(ctx: C.SelectCoreCstChildren): A.SelectCore {
    const select: A.SelectCore = {
      kind: 'select',
      distinct: ctx.setQuantifier ? this.setQuantifier(ctx.setQuantifier[0]!.children) : false,
      items: ctx.selectItem.map((i) => this.selectItem(i.children)),
      from: (ctx.tableRef ?? []).map((t) => this.tableRef(t.children)),
      groupBy: [],
      pos: pos(ctx.SELECT[0]!),
    };
    const grouping = (ctx.groupBy ?? []).map((e) => this.groupingElement(e.children));
    if (grouping.every((g) => g.kind === 'expr')) select.groupBy = grouping.map((g) => g.expr);
    else select.groupingSets = grouping;
    if (ctx.where) select.where = this.expression(ctx.where[0]!.children);
    if (ctx.having) select.having = this.expression(ctx.having[0]!.children);
    if (ctx.qualify) select.qualify = this.expression(ctx.qualify[0]!.children);
    return select;
  }

  groupingElement(ctx: C.GroupingElementCstChildren): A.GroupingElement {
    if (ctx.rollup) return { kind: 'rollup', items: this.groupingList(ctx.rollup[0]!.children), pos: pos(ctx.ROLLUP![0]!) };
    if (ctx.cube) return { kind: 'cube', items: this.groupingList(ctx.cube[0]!.children), pos: pos(ctx.CUBE![0]!) };
    if (ctx.GROUPING) return { kind: 'grouping_sets', elements: (ctx.sets ?? []).map((e) => this.groupingElement(e.children)), pos: pos(ctx.GROUPING[0]!) };
    if (ctx.groupingTuple) {
      const t = ctx.groupingTuple[0]!.children;
      return { kind: 'set', exprs: this.groupingTuple(t), pos: pos(t.LParen[0]!) };
    }
    return { kind: 'expr', expr: this.expression(ctx.expression![0]!.children) };
  }

  groupingList(ctx: C.GroupingListCstChildren): A.Expr[][] {
    return (ctx.groupingItem ?? []).map((i) => this.groupingItem(i.children));
  }

  groupingItem(ctx: C.GroupingItemCstChildren): A.Expr[] {
    if (ctx.groupingTuple) return this.groupingTuple(ctx.groupingTuple[0]!.children);
    return [this.expression(ctx.expression![0]!.children)];
  }

  groupingTuple(ctx: C.GroupingTupleCstChildren): A.Expr[] {
    return (ctx.expression ?? []).map((e) => this.expression(e.children));
  }

  valuesBody(ctx: C.ValuesBodyCstChildren): A.ValuesBody {
    return { kind: 'values', rows: ctx.valuesRow.map((r) => this.valuesRow(r.children)), pos: pos(ctx.VALUES[0]!) };
  }

  valuesRow(ctx: C.ValuesRowCstChildren): A.Expr[] {
    return ctx.expression.map((e) => this.expression(e.children));
  }

  selectItem(ctx: C.SelectItemCstChildren): A.SelectItem {
    if (ctx.Star) return { kind: 'star', pos: pos(ctx.Star[0]!) };
    const expr = this.expression(ctx.expression![0]!.children);
    if (expr.kind === 'star') {
      if (ctx.columnAlias) throw syntaxError(`${expr.table}.* cannot have an alias`, posOf(ctx.columnAlias[0]!.children));
      return expr.table === undefined ? { kind: 'star', pos: expr.pos } : { kind: 'star', table: expr.table, pos: expr.pos };
    }
    const item: A.SelectItem = { kind: 'expr', expr, pos: pos(expressionStart(ctx.expression![0]!.children)) };
    if (ctx.columnAlias) item.alias = this.columnAlias(ctx.columnAlias[0]!.children);
    return item;
  }

  columnAlias(ctx: C.ColumnAliasCstChildren): string {
    return normalizeName(ctx.Label?.[0] ?? ctx.Name![0]!);
  }

  override orderByClause(ctx: C.OrderByClauseCstChildren): A.OrderItem[] {
    return ctx.orderItem.map((o) => this.orderItem(o.children));
  }

  orderItem(ctx: C.OrderItemCstChildren): A.OrderItem {
    const item: A.OrderItem = { expr: this.expression(ctx.expression[0]!.children), desc: ctx.DESC !== undefined };
    if (ctx.NULLS) item.nulls = ctx.FIRST ? 'first' : 'last';
    return item;
  }

  /** undefined for LIMIT ALL. */
  limitClause(ctx: C.LimitClauseCstChildren): A.Expr | undefined {
    return ctx.expression ? this.expression(ctx.expression[0]!.children) : undefined;
  }

  offsetClause(ctx: C.OffsetClauseCstChildren): A.Expr {
    return this.expression(ctx.expression[0]!.children);
  }

  // ------------------------------------------------------------ FROM

  tableRef(ctx: C.TableRefCstChildren): A.TableRef {
    let ref = this.tablePrimary(ctx.tablePrimary[0]!.children);
    for (const join of ctx.joinClause ?? []) ref = this.joinClause(join.children, ref);
    return ref;
  }

  joinClause(ctx: C.JoinClauseCstChildren, left?: A.TableRef): A.JoinRef {
    const kind = ctx.joinType?.[0]?.children;
    const first = ctx.CROSS ?? ctx.NATURAL ?? kind?.INNER ?? kind?.LEFT ?? kind?.RIGHT ?? kind?.FULL ?? ctx.JOIN!;
    const start = pos(first[0]!);
    const right = this.tablePrimary(ctx.tablePrimary![0]!.children);
    if (ctx.CROSS) return { kind: 'join', joinType: 'cross', natural: false, left: left!, right, pos: start };
    const joinType = ctx.joinType ? this.joinType(ctx.joinType[0]!.children) : 'inner';
    const natural = ctx.NATURAL !== undefined;
    const join: A.JoinRef = { kind: 'join', joinType, natural, left: left!, right, pos: start };
    const condition = ctx.joinCondition?.[0]?.children;
    if (natural && condition) {
      throw syntaxError('a NATURAL join cannot have an ON or USING clause', posOf(condition));
    }
    if (!natural && !condition) {
      const joinToken = ctx.JOIN![0]!;
      throw syntaxError(
        `JOIN needs ON <condition> or USING (<columns>) after the joined table; use CROSS JOIN for a cross product`,
        pos(joinToken),
      );
    }
    if (condition?.expression) join.on = this.expression(condition.expression[0]!.children);
    if (condition?.parenNameList) join.using = this.parenNameList(condition.parenNameList[0]!.children);
    return join;
  }

  joinType(ctx: C.JoinTypeCstChildren): A.JoinRef['joinType'] {
    if (ctx.LEFT) return 'left';
    if (ctx.RIGHT) return 'right';
    if (ctx.FULL) return 'full';
    return 'inner';
  }

  joinCondition(_ctx: C.JoinConditionCstChildren): void {
    // Read by joinClause, which checks it against NATURAL.
  }

  tablePrimary(ctx: C.TablePrimaryCstChildren): A.TableRef {
    if (ctx.tableRef) return this.tableRef(ctx.tableRef[0]!.children);
    const alias = ctx.tableAlias ? this.tableAlias(ctx.tableAlias[0]!.children) : undefined;
    let ref: A.TableRef;
    if (ctx.query) {
      ref = { kind: 'subquery', query: this.query(ctx.query[0]!.children), pos: pos(ctx.LParen![0]!) };
    } else if (ctx.callArguments) {
      const nameToken = ctx.name![0]!.children.Name[0]!;
      const call = this.callArguments(ctx.callArguments[0]!.children);
      if (call.star || call.distinct || call.orderBy.length > 0) {
        throw syntaxError(`table function ${normalizeName(nameToken)} takes plain arguments`, pos(nameToken));
      }
      ref = { kind: 'table_function', name: normalizeName(nameToken), args: call.args, namedArgs: call.namedArgs, pos: pos(nameToken) };
    } else {
      const nameNode = ctx.qualifiedName![0]!;
      ref = { kind: 'table', name: this.qualifiedName(nameNode.children), pos: pos(nameNode.children.Name[0]!) };
    }
    if (alias) {
      ref.alias = alias.alias;
      if (alias.columnAliases) ref.columnAliases = alias.columnAliases;
    }
    return ref;
  }

  tableAlias(ctx: C.TableAliasCstChildren): Alias {
    const alias: Alias = { alias: normalizeName(ctx.Label?.[0] ?? ctx.Name![0]!) };
    if (ctx.parenNameList) alias.columnAliases = this.parenNameList(ctx.parenNameList[0]!.children);
    return alias;
  }
}
