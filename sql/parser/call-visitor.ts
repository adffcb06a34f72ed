// The AST visitor layer for function calls: ordinary calls with DISTINCT, an aggregate's
// ORDER BY, FILTER and OVER windows (frames checked), argument lists (named arguments are for table functions), and the
// special-syntax functions desugared into plain calls (SUBSTRING, TRIM, POSITION) or EXTRACT.

import type { IToken } from 'chevrotain';
import type * as A from '../ast.js';
import { syntaxError } from '../../common/errors.js';
import type * as C from './cst.js';
import { normalizeName, pos, posOf, stringValue } from './cst-tokens.js';
import { ExpressionVisitor } from './expression-visitor.js';

/** A call's arguments as written: positional, named (`name => value`), DISTINCT, `*`. */
export interface CallArgs {
  args: A.Expr[];
  namedArgs: Record<string, A.Expr>;
  named: IToken[];
  distinct: boolean;
  star: boolean;
  /** An aggregate's ORDER BY inside the parentheses; empty when none. */
  orderBy: A.OrderItem[];
}

export abstract class CallVisitor extends ExpressionVisitor {
  // Defined by query-visitor.ts.
  abstract setQuantifier(ctx: C.SetQuantifierCstChildren): boolean;
  abstract orderByClause(ctx: C.OrderByClauseCstChildren): A.OrderItem[];

  extractExpr(ctx: C.ExtractExprCstChildren): A.ExtractExpr {
    const field = ctx.Label ? normalizeName(ctx.Label[0]!).toLowerCase() : stringValue(ctx.StringLiteral![0]!).toLowerCase();
    return { kind: 'extract', field, expr: this.expression(ctx.expression[0]!.children), pos: pos(ctx.EXTRACT[0]!) };
  }

  private call(name: string, args: A.Expr[], at: IToken): A.FunctionCall {
    return { kind: 'function', name, args, distinct: false, star: false, pos: pos(at) };
  }

  substringExpr(ctx: C.SubstringExprCstChildren): A.FunctionCall {
    const keyword = ctx.SUBSTRING[0]!;
    const args = [this.expression(ctx.subject![0]!.children)];
    if (ctx.start) {
      args.push(this.expression(ctx.start[0]!.children));
    } else if (ctx.length) {
      // SUBSTRING(x FOR n) starts at 1.
      args.push({ kind: 'number', text: '1', pos: pos(ctx.FOR![0]!) });
    }
    if (ctx.length) args.push(this.expression(ctx.length[0]!.children));
    for (const arg of ctx.args ?? []) args.push(this.expression(arg.children));
    return this.call('substring', args, keyword);
  }

  trimExpr(ctx: C.TrimExprCstChildren): A.FunctionCall {
    const name = ctx.LEADING ? 'ltrim' : ctx.TRAILING ? 'rtrim' : 'trim';
    const args: A.Expr[] = [];
    if (ctx.first && ctx.subject) {
      // TRIM(chars FROM x) -> trim(x, chars)
      args.push(this.expression(ctx.subject[0]!.children), this.expression(ctx.first[0]!.children));
    } else {
      args.push(this.expression((ctx.subject ?? ctx.first)![0]!.children));
      if (ctx.chars) args.push(this.expression(ctx.chars[0]!.children));
    }
    return this.call(name, args, ctx.TRIM[0]!);
  }

  positionExpr(ctx: C.PositionExprCstChildren): A.FunctionCall {
    const args = [this.arithExpr(ctx.arithExpr[0]!.children), this.expression(ctx.expression[0]!.children)];
    return this.call('position', args, ctx.POSITION[0]!);
  }

  callTail(ctx: C.CallTailCstChildren, nameToken?: IToken): A.FunctionCall {
    const at = nameToken!;
    const name = normalizeName(at);
    const call = this.callArguments(ctx.callArguments[0]!.children);
    if (call.named.length > 0) {
      throw syntaxError(`named arguments (name => value) are only allowed for table functions in FROM, not in ${name}(...)`, pos(call.named[0]!));
    }
    const fn: A.FunctionCall = { kind: 'function', name, args: call.args, distinct: call.distinct, star: call.star, pos: pos(at) };
    if (call.orderBy.length > 0) fn.orderBy = call.orderBy;
    if (ctx.filter) fn.filter = this.expression(ctx.filter[0]!.children);
    if (ctx.windowSpec) fn.over = this.windowSpec(ctx.windowSpec[0]!.children);
    return fn;
  }

  callArguments(ctx: C.CallArgumentsCstChildren): CallArgs {
    const result: CallArgs = { args: [], namedArgs: {}, named: [], distinct: false, star: ctx.Star !== undefined, orderBy: [] };
    if (ctx.setQuantifier) result.distinct = this.setQuantifier(ctx.setQuantifier[0]!.children);
    if (ctx.orderByClause) result.orderBy = this.orderByClause(ctx.orderByClause[0]!.children);
    for (const arg of ctx.callArgument ?? []) {
      const a = arg.children;
      const value = this.expression(a.expression[0]!.children);
      if (a.Name) {
        const token = a.Name[0]!;
        const argName = normalizeName(token);
        if (Object.prototype.hasOwnProperty.call(result.namedArgs, argName)) {
          throw syntaxError(`argument "${argName}" is given more than once`, pos(token));
        }
        result.namedArgs[argName] = value;
        result.named.push(token);
      } else {
        result.args.push(value);
      }
    }
    return result;
  }

  callArgument(_ctx: C.CallArgumentCstChildren): void {
    // Read by callArguments, which sorts positional and named arguments.
  }

  windowSpec(ctx: C.WindowSpecCstChildren): A.WindowSpec {
    const spec: A.WindowSpec = {
      partitionBy: (ctx.expression ?? []).map((e) => this.expression(e.children)),
      orderBy: ctx.orderByClause ? this.orderByClause(ctx.orderByClause[0]!.children) : [],
    };
    if (ctx.frameClause) spec.frame = this.frameClause(ctx.frameClause[0]!.children);
    return spec;
  }

  frameClause(ctx: C.FrameClauseCstChildren): NonNullable<A.WindowSpec['frame']> {
    const start = this.frameBound(ctx.start![0]!.children);
    const end: A.FrameBound = ctx.end ? this.frameBound(ctx.end[0]!.children) : { kind: 'current_row' };
    if (start.kind === 'unbounded_following') {
      throw syntaxError('frame start cannot be UNBOUNDED FOLLOWING', posOf(ctx.start![0]!.children));
    }
    if (end.kind === 'unbounded_preceding') {
      throw syntaxError('frame end cannot be UNBOUNDED PRECEDING', posOf(ctx.end![0]!.children));
    }
    return { units: ctx.ROWS ? 'rows' : 'range', start, end };
  }

  frameBound(ctx: C.FrameBoundCstChildren): A.FrameBound {
    if (ctx.CURRENT) return { kind: 'current_row' };
    if (ctx.UNBOUNDED) return ctx.PRECEDING ? { kind: 'unbounded_preceding' } : { kind: 'unbounded_following' };
    const offset = this.arithExpr(ctx.arithExpr![0]!.children);
    return ctx.PRECEDING ? { kind: 'preceding', offset } : { kind: 'following', offset };
  }
}
