// The AST visitor layer for flat expressions: it applies PostgreSQL's operator precedence to
// the grammar's flat sequence of operands, operators and suffixes (precedence climbing), and
// builds the unary, binary, IS, BETWEEN, IN and LIKE nodes. Operand cores are primary-visitor.ts's.

import type { IToken } from 'chevrotain';
import type * as A from '../ast.js';
import { internalError, notSupported } from '../../common/errors.js';
import type * as C from './cst.js';
import { type Children, firstTokenOf, inOrder, pos } from './cst-tokens.js';
import * as T from './lexer.js';
import { NameVisitor } from './name-visitor.js';

/** Binding powers, PostgreSQL's precedence from loosest to tightest. */
const PREC_OR = 1;
const PREC_AND = 2;
const PREC_NOT = 3;
const PREC_IS = 4;
const PREC_COMPARISON = 5;
const PREC_PREDICATE = 6;
const PREC_CONCAT = 7;
const PREC_ADDITIVE = 8;
const PREC_MULTIPLICATIVE = 9;

/** One operator or suffix of a flat expression, ready for precedence climbing. */
interface Step {
  /** First token: orders the steps and positions the node built. */
  token: IToken;
  prec: number;
  /** The right operand of a binary operator or of IS [NOT] DISTINCT FROM; none for a suffix. */
  operand?: C.OperandCstNode;
  /** The binary operator; undefined for IS [NOT] DISTINCT FROM and for suffixes. */
  op?: A.BinaryOp;
  /** IS NOT DISTINCT FROM */
  negated: boolean;
  /** A suffix: IS [NOT] NULL/TRUE/FALSE/UNKNOWN ... */
  isClause?: C.IsClauseCstChildren;
  /** ... or [NOT] BETWEEN / IN / LIKE / ILIKE (ISNULL and NOTNULL have neither). */
  predicate?: C.PredicateSuffixCstChildren;
}

/** Reading position in a flat expression. */
interface Chain {
  steps: Step[];
  nextStep: number;
  /** The operand being read, and how many of its prefix operators are already applied. */
  operand: C.OperandCstChildren;
  nextPrefix: number;
}

const OPERATORS: Record<string, { op: A.BinaryOp; prec: number }> = {
  OR: { op: 'or', prec: PREC_OR },
  AND: { op: 'and', prec: PREC_AND },
  Equals: { op: '=', prec: PREC_COMPARISON },
  NotEquals: { op: '<>', prec: PREC_COMPARISON },
  BangEquals: { op: '<>', prec: PREC_COMPARISON },
  Less: { op: '<', prec: PREC_COMPARISON },
  LessEquals: { op: '<=', prec: PREC_COMPARISON },
  Greater: { op: '>', prec: PREC_COMPARISON },
  GreaterEquals: { op: '>=', prec: PREC_COMPARISON },
  Concat: { op: '||', prec: PREC_CONCAT },
  Plus: { op: '+', prec: PREC_ADDITIVE },
  Minus: { op: '-', prec: PREC_ADDITIVE },
  Star: { op: '*', prec: PREC_MULTIPLICATIVE },
  Slash: { op: '/', prec: PREC_MULTIPLICATIVE },
  Percent: { op: '%', prec: PREC_MULTIPLICATIVE },
};

/** The one token of an operator node. */
function operatorToken(children: Children): IToken {
  for (const key in children) return children[key]![0] as IToken;
  throw internalError('empty operator node in the syntax tree');
}

function operatorStep(ctx: C.BinaryOperatorCstChildren | C.ArithOperatorCstChildren, operand: C.OperandCstNode): Step {
  const token = operatorToken(ctx);
  const info = OPERATORS[token.tokenType.name]!;
  return { token, prec: info.prec, op: info.op, negated: false, operand };
}

function isStep(ctx: C.IsClauseCstChildren): Step {
  const token = ctx.IS[0]!;
  if (ctx.DISTINCT) return { token, prec: PREC_IS, negated: ctx.NOT !== undefined, operand: ctx.operand![0]! };
  return { token, prec: PREC_IS, negated: false, isClause: ctx };
}

function predicateStep(ctx: C.PredicateSuffixCstChildren): Step {
  const token = (ctx.NOT ?? ctx.BETWEEN ?? ctx.IN ?? ctx.LIKE ?? ctx.ILIKE)![0]!;
  return { token, prec: PREC_PREDICATE, negated: false, predicate: ctx };
}

const NO_TOKENS: IToken[] = [];

/** An operand's prefix operators in source order. */
function prefixTokens(node: C.OperandCstChildren): IToken[] {
  if (!node.NOT && !node.Plus && !node.Minus) return NO_TOKENS;
  return inOrder(node.NOT, node.Plus, node.Minus);
}

/** First token of an expression, found without walking the whole subtree. */
export function expressionStart(ctx: C.ExpressionCstChildren): IToken {
  const operand = ctx.operand[0]!.children;
  const prefixes = prefixTokens(operand);
  if (prefixes.length > 0) return prefixes[0]!;
  const primary = operand.primary[0]!.children;
  const nameLed = primary.nameLed?.[0]?.children;
  if (nameLed) return nameLed.Name?.[0] ?? nameLed.LEFT?.[0] ?? nameLed.RIGHT?.[0] ?? firstTokenOf(nameLed)!;
  const direct =
    primary.NumberLiteral ?? primary.StringLiteral ?? primary.NULL ?? primary.TRUE ?? primary.FALSE ?? primary.DollarParam ?? primary.QuestionMark;
  if (direct) return direct[0]!;
  if (primary.parenthesized) return primary.parenthesized[0]!.children.LParen[0]!;
  if (primary.existsExpr) return primary.existsExpr[0]!.children.EXISTS[0]!;
  if (primary.caseExpr) return primary.caseExpr[0]!.children.CASE[0]!;
  const cast = primary.castExpr![0]!.children;
  return (cast.CAST ?? cast.TRY_CAST)![0]!;
}

export abstract class ExpressionVisitor extends NameVisitor {
  // Defined by the layers above (primary-visitor.ts, query-visitor.ts).
  abstract primary(ctx: C.PrimaryCstChildren): A.Expr;
  abstract query(ctx: C.QueryCstChildren): A.Query;

  expression(ctx: C.ExpressionCstChildren): A.Expr {
    const operands = ctx.operand;
    const first = operands[0]!.children;
    const binary = ctx.binaryOperator;
    if (!binary && !ctx.isClause && !ctx.ISNULL && !ctx.NOTNULL && !ctx.predicateSuffix) return this.operandAlone(first);
    const steps: Step[] = [];
    let kinds = 0;
    if (binary) {
      kinds++;
      for (let i = 0; i < binary.length; i++) steps.push(operatorStep(binary[i]!.children, operands[i + 1]!));
    }
    if (ctx.isClause) {
      kinds++;
      for (const node of ctx.isClause) steps.push(isStep(node.children));
    }
    if (ctx.ISNULL) {
      kinds++;
      for (const token of ctx.ISNULL) steps.push({ token, prec: PREC_IS, negated: false });
    }
    if (ctx.NOTNULL) {
      kinds++;
      for (const token of ctx.NOTNULL) steps.push({ token, prec: PREC_IS, negated: true });
    }
    if (ctx.predicateSuffix) {
      kinds++;
      for (const node of ctx.predicateSuffix) steps.push(predicateStep(node.children));
    }
    if (kinds > 1) steps.sort((a, b) => a.token.startOffset - b.token.startOffset);
    return this.chain({ steps, nextStep: 0, operand: first, nextPrefix: 0 }, 0);
  }

  arithExpr(ctx: C.ArithExprCstChildren): A.Expr {
    const operands = ctx.operand;
    const ops = ctx.arithOperator;
    if (!ops) return this.operandAlone(operands[0]!.children);
    const steps = ops.map((node, i) => operatorStep(node.children, operands[i + 1]!));
    return this.chain({ steps, nextStep: 0, operand: operands[0]!.children, nextPrefix: 0 }, 0);
  }

  binaryOperator(_ctx: C.BinaryOperatorCstChildren): void {
    // Read by expression, which orders operators by precedence.
  }

  arithOperator(_ctx: C.ArithOperatorCstChildren): void {
    // Read by arithExpr.
  }

  isClause(_ctx: C.IsClauseCstChildren): void {
    // Read by expression, which knows the operand.
  }

  predicateSuffix(_ctx: C.PredicateSuffixCstChildren): void {
    // Read by expression, which knows the operand.
  }

  /**
   * Precedence climbing over a flat expression: reads the current operand, then steps for as
   * long as they bind at least as tightly as `minPrec`; binary operators are left-associative.
   */
  private chain(state: Chain, minPrec: number): A.Expr {
    let left = this.chainOperand(state);
    const steps = state.steps;
    while (state.nextStep < steps.length) {
      const step = steps[state.nextStep]!;
      if (step.prec < minPrec) break;
      state.nextStep++;
      if (step.operand === undefined) {
        left = this.applySuffix(step, left);
        continue;
      }
      state.operand = step.operand.children;
      state.nextPrefix = 0;
      const right = this.chain(state, step.prec + 1);
      const at = pos(step.token);
      left =
        step.op === undefined
          ? { kind: 'is_distinct', left, right, negated: step.negated, pos: at }
          : { kind: 'binary', op: step.op, left, right, pos: at };
    }
    return left;
  }

  /** The current operand with its prefix operators: NOT takes everything that binds tighter
   *  than NOT (so `NOT a = b` is NOT (a = b)); unary + and - take only the operand itself. */
  private chainOperand(state: Chain): A.Expr {
    const node = state.operand;
    const prefixes = prefixTokens(node);
    if (state.nextPrefix < prefixes.length) {
      const prefix = prefixes[state.nextPrefix++]!;
      if (prefix.tokenType === T.Not) return this.not(prefix, this.chain(state, PREC_NOT));
      const operand = this.chainOperand(state);
      return { kind: 'unary', op: prefix.tokenType === T.Plus ? '+' : '-', operand, pos: pos(prefix) };
    }
    return this.operandCore(node);
  }

  /** An expression that is a single operand: its prefixes apply to it, innermost last. */
  private operandAlone(node: C.OperandCstChildren): A.Expr {
    let expr = this.operandCore(node);
    const prefixes = prefixTokens(node);
    for (let i = prefixes.length - 1; i >= 0; i--) {
      const prefix = prefixes[i]!;
      expr =
        prefix.tokenType === T.Not
          ? this.not(prefix, expr)
          : { kind: 'unary', op: prefix.tokenType === T.Plus ? '+' : '-', operand: expr, pos: pos(prefix) };
    }
    return expr;
  }

  private not(token: IToken, operand: A.Expr): A.Expr {
    // NOT EXISTS (...) is its own node, as the AST documents.
    if (operand.kind === 'exists' && !operand.negated) return { ...operand, negated: true, pos: pos(token) };
    return { kind: 'unary', op: 'not', operand, pos: pos(token) };
  }

  /** A primary and its `::type` casts. */
  private operandCore(node: C.OperandCstChildren): A.Expr {
    let expr = this.primary(node.primary[0]!.children);
    const casts = node.DoubleColon;
    if (casts) {
      for (let i = 0; i < casts.length; i++) {
        expr = { kind: 'cast', expr, type: this.typeName(node.typeName![i]!.children), try: false, pos: pos(casts[i]!) };
      }
    }
    return expr;
  }

  operand(ctx: C.OperandCstChildren): A.Expr {
    return this.operandAlone(ctx);
  }

  private applySuffix(step: Step, expr: A.Expr): A.Expr {
    const is = step.isClause;
    if (is) {
      const at = pos(is.IS[0]!);
      const negated = is.NOT !== undefined;
      if (is.NULL) return { kind: 'is_null', expr, negated, pos: at };
      const value = is.TRUE ? true : is.FALSE ? false : null;
      return { kind: 'is_bool', expr, value, negated, pos: at };
    }
    const ctx = step.predicate;
    // ISNULL / NOTNULL
    if (!ctx) return { kind: 'is_null', expr, negated: step.negated, pos: pos(step.token) };
    const negated = ctx.NOT !== undefined;
    const at = pos((ctx.NOT ?? ctx.BETWEEN ?? ctx.IN ?? ctx.LIKE ?? ctx.ILIKE)![0]!);
    if (ctx.BETWEEN) {
      if (ctx.SYMMETRIC) {
        throw notSupported('BETWEEN SYMMETRIC is not supported; write (x BETWEEN a AND b) OR (x BETWEEN b AND a)', pos(ctx.SYMMETRIC[0]!));
      }
      return {
        kind: 'between',
        expr,
        low: this.arithExpr(ctx.low![0]!.children),
        high: this.arithExpr(ctx.high![0]!.children),
        negated,
        pos: at,
      };
    }
    if (ctx.inTarget) {
      const target = ctx.inTarget[0]!.children;
      if (target.query) return { kind: 'in_subquery', expr, query: this.query(target.query[0]!.children), negated, pos: at };
      return { kind: 'in_list', expr, list: (target.expression ?? []).map((e) => this.expression(e.children)), negated, pos: at };
    }
    const like: A.LikeExpr = {
      kind: 'like',
      expr,
      pattern: this.arithExpr(ctx.pattern![0]!.children),
      negated,
      caseInsensitive: ctx.ILIKE !== undefined,
      pos: at,
    };
    if (ctx.escape) like.escape = this.arithExpr(ctx.escape[0]!.children);
    return like;
  }

  inTarget(_ctx: C.InTargetCstChildren): void {
    // Read by applySuffix, which knows the left operand.
  }
}
