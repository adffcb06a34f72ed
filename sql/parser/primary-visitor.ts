// The AST visitor layer for an operand's core: literals and parameters (`?` numbered in order
// of appearance), parenthesized expressions and subqueries, EXISTS, CASE, CAST, INTERVAL and
// typed literals, column references and `t.*`.

import type { IToken } from 'chevrotain';
import type * as A from '../ast.js';
import { syntaxError } from '../../common/errors.js';
import type * as C from './cst.js';
import { normalizeName, pos, stringValue } from './cst-tokens.js';
import { CallVisitor } from './call-visitor.js';

const INTERVAL_UNIT_SINGULAR: Record<string, string> = {
  years: 'year',
  months: 'month',
  weeks: 'week',
  days: 'day',
  hours: 'hour',
  minutes: 'minute',
  seconds: 'second',
  milliseconds: 'millisecond',
  microseconds: 'microsecond',
  quarters: 'quarter',
  decades: 'decade',
  centuries: 'century',
  millennia: 'millennium',
};

export abstract class PrimaryVisitor extends CallVisitor {
  override primary(ctx: C.PrimaryCstChildren): A.Expr {
    if (ctx.nameLed) return this.nameLed(ctx.nameLed[0]!.children);
    if (ctx.NumberLiteral) return { kind: 'number', text: ctx.NumberLiteral[0]!.image, pos: pos(ctx.NumberLiteral[0]!) };
    if (ctx.StringLiteral) return { kind: 'string', value: stringValue(ctx.StringLiteral[0]!), pos: pos(ctx.StringLiteral[0]!) };
    if (ctx.parenthesized) return this.parenthesized(ctx.parenthesized[0]!.children);
    if (ctx.NULL) return { kind: 'null', pos: pos(ctx.NULL[0]!) };
    if (ctx.castExpr) return this.castExpr(ctx.castExpr[0]!.children);
    if (ctx.caseExpr) return this.caseExpr(ctx.caseExpr[0]!.children);
    if (ctx.TRUE) return { kind: 'boolean', value: true, pos: pos(ctx.TRUE[0]!) };
    if (ctx.FALSE) return { kind: 'boolean', value: false, pos: pos(ctx.FALSE[0]!) };
    if (ctx.existsExpr) return this.existsExpr(ctx.existsExpr[0]!.children);
    if (ctx.DollarParam) {
      const token = ctx.DollarParam[0]!;
      const index = Number(token.image.slice(1));
      if (index < 1) throw syntaxError(`there is no parameter ${token.image}; parameters are numbered from $1`, pos(token));
      return { kind: 'param', index, pos: pos(token) };
    }
    const token = ctx.QuestionMark![0]!;
    return { kind: 'param', index: this.questionMarks.get(token.startOffset) ?? 1, pos: pos(token) };
  }

  nameLed(ctx: C.NameLedCstChildren): A.Expr {
    const name = ctx.Name?.[0];
    if (name) {
      if (ctx.callTail) return this.callTail(ctx.callTail[0]!.children, name);
      if (ctx.typedLiteralTail) return this.typedLiteral(name, ctx.typedLiteralTail[0]!.children);
      return this.columnRef(name, ctx);
    }
    if (ctx.callTail) return this.callTail(ctx.callTail[0]!.children, (ctx.LEFT ?? ctx.RIGHT)![0]!);
    if (ctx.intervalLiteral) return this.intervalLiteral(ctx.intervalLiteral[0]!.children);
    if (ctx.extractExpr) return this.extractExpr(ctx.extractExpr[0]!.children);
    if (ctx.substringExpr) return this.substringExpr(ctx.substringExpr[0]!.children);
    if (ctx.trimExpr) return this.trimExpr(ctx.trimExpr[0]!.children);
    return this.positionExpr(ctx.positionExpr![0]!.children);
  }

  parenthesized(ctx: C.ParenthesizedCstChildren): A.Expr {
    if (ctx.query) return { kind: 'subquery', query: this.query(ctx.query[0]!.children), pos: pos(ctx.LParen[0]!) };
    return this.expression(ctx.expression![0]!.children);
  }

  subquery(ctx: C.SubqueryCstChildren): A.SubqueryExpr {
    return { kind: 'subquery', query: this.query(ctx.query[0]!.children), pos: pos(ctx.LParen[0]!) };
  }

  existsExpr(ctx: C.ExistsExprCstChildren): A.ExistsExpr {
    const query = this.query(ctx.subquery[0]!.children.query[0]!.children);
    return { kind: 'exists', query, negated: false, pos: pos(ctx.EXISTS[0]!) };
  }

  caseExpr(ctx: C.CaseExprCstChildren): A.CaseExpr {
    const whens = ctx.when!.map((w, i) => ({
      when: this.expression(w.children),
      then: this.expression(ctx.then![i]!.children),
    }));
    const expr: A.CaseExpr = { kind: 'case', whens, pos: pos(ctx.CASE[0]!) };
    if (ctx.operand) expr.operand = this.expression(ctx.operand[0]!.children);
    if (ctx.else) expr.else = this.expression(ctx.else[0]!.children);
    return expr;
  }

  castExpr(ctx: C.CastExprCstChildren): A.CastExpr {
    const keyword = (ctx.CAST ?? ctx.TRY_CAST)![0]!;
    return {
      kind: 'cast',
      expr: this.expression(ctx.expression[0]!.children),
      type: this.typeName(ctx.typeName[0]!.children),
      try: ctx.TRY_CAST !== undefined,
      pos: pos(keyword),
    };
  }

  intervalLiteral(ctx: C.IntervalLiteralCstChildren): A.IntervalLiteral {
    const value = ctx.StringLiteral ? stringValue(ctx.StringLiteral[0]!) : ctx.NumberLiteral![0]!.image;
    const literal: A.IntervalLiteral = { kind: 'interval', value, pos: pos(ctx.INTERVAL[0]!) };
    if (ctx.Name) {
      const unit = ctx.Name[0]!.image.toLowerCase();
      literal.unit = INTERVAL_UNIT_SINGULAR[unit] ?? unit;
    }
    return literal;
  }

  private typedLiteral(typeWord: IToken, tail: C.TypedLiteralTailCstChildren): A.TypedLiteral {
    const type = this.typeName({ ...tail, Name: [typeWord] });
    return { kind: 'typed_literal', type, value: stringValue(tail.StringLiteral[0]!), pos: type.pos };
  }

  typedLiteralTail(_ctx: C.TypedLiteralTailCstChildren): void {
    // Read by nameLed, which has the type's first word.
  }

  private columnRef(first: IToken, ctx: C.NameLedCstChildren): A.ColumnRef | A.StarExpr {
    const parts = [normalizeName(first)];
    if (ctx.Label) for (const label of ctx.Label) parts.push(normalizeName(label));
    if (ctx.Star) {
      const star = ctx.Star[0]!;
      const lastLabel = ctx.Label?.[ctx.Label.length - 1];
      if (ctx.Star.length > 1 || (lastLabel && lastLabel.startOffset > star.startOffset)) {
        throw syntaxError('* can only come last in a qualified name, as in t.*', pos(star));
      }
      return { kind: 'star', table: parts.join('.'), pos: pos(first) };
    }
    return { kind: 'column', parts, pos: pos(first) };
  }
}
