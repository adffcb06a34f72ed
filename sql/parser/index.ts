// The SQL parser's entry points: text -> tokens (lexer.ts) -> concrete syntax tree
// (grammar.ts) -> typed AST (visitor.ts, the nodes of sql/ast.ts). Any mistake in the text
// throws a QuiverError SYNTAX_ERROR with the 1-based line and column of the offending token.
//
// The lexer, parser and visitor are built once, at import, and reused: parsing is synchronous,
// so one instance serves every caller.

import type { IToken } from 'chevrotain';
import { syntaxError } from '../../common/errors.js';
import type { Expr, Statement } from '../ast.js';
import type { ExpressionCstChildren, ScriptCstChildren } from './cst.js';
import { sqlParser } from './grammar.js';
import { sqlLexer } from './lexer.js';
import { lexErrorToQuiverError, parseErrorToQuiverError, unterminatedCommentError } from './syntax-errors.js';
import { AstBuilder } from './visitor.js';

const builder = new AstBuilder();

function tokenize(text: string): IToken[] {
  const result = sqlLexer.tokenize(text);
  if (result.errors.length > 0) throw lexErrorToQuiverError(result.errors[0]!, text);
  const unterminated = result.groups.errors?.[0];
  if (unterminated) throw unterminatedCommentError(unterminated);
  return result.tokens;
}

/**
 * Parses a script: statements separated by ';' (empty statements are ignored). `?`
 * parameters are numbered in order of appearance across the whole text, from 1.
 */
export function parseSql(text: string): Statement[] {
  return guardDepth(() => {
    const tokens = tokenize(text);
    sqlParser.input = tokens;
    const cst = sqlParser.script();
    const error = sqlParser.errors[0];
    if (error) throw parseErrorToQuiverError(error, tokens);
    builder.begin(text, tokens);
    // chevrotain types every rule's result as a plain CstNode; cst.ts names its real shape.
    return builder.script(cst.children as ScriptCstChildren);
  });
}

/** Parses one expression, e.g. `a + 1 BETWEEN 0 AND 5`. */
export function parseExpression(text: string): Expr {
  return guardDepth(() => {
    const tokens = tokenize(text);
    sqlParser.input = tokens;
    const cst = sqlParser.expression();
    const error = sqlParser.errors[0];
    if (error) throw parseErrorToQuiverError(error, tokens);
    builder.begin(text, tokens);
    return builder.expression(cst.children as ExpressionCstChildren);
  });
}

/** Recursive descent runs out of stack on absurd nesting (hundreds of parentheses): a user
 *  error, not an internal one. */
function guardDepth<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      throw syntaxError('statement is nested too deeply; use fewer levels of parentheses or subqueries');
    }
    throw e;
  }
}
