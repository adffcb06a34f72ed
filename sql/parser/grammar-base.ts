// The base of the SQL grammar's class layers (sql/parser/grammar.ts assembles them): the
// chevrotain parser's configuration, and the lookahead gates that rules of several layers share.
// Gates used by one layer only live with that layer's rules.

import { CstParser, EOF, tokenMatcher, type IToken, type TokenType } from 'chevrotain';
import * as T from './lexer.js';
import { syntaxErrorMessages } from './syntax-errors.js';

/** Tokens that can start a query: what `(` must be followed by to open a subquery. */
function startsQuery(token: IToken): boolean {
  return tokenMatcher(token, T.Select) || tokenMatcher(token, T.Values) || tokenMatcher(token, T.With);
}

/** Tokens after a parenthesized query that show the parentheses belong to a query body. */
function continuesQuery(token: IToken): boolean {
  return (
    tokenMatcher(token, T.RParen) ||
    tokenMatcher(token, T.Union) ||
    tokenMatcher(token, T.Intersect) ||
    tokenMatcher(token, T.Except) ||
    tokenMatcher(token, T.Order) ||
    tokenMatcher(token, T.Limit) ||
    tokenMatcher(token, T.Offset)
  );
}

/**
 * The parser's configuration and shared gates. It defines no rules and never runs
 * performSelfAnalysis: only the complete parser (SqlParser) may, once every layer's rules exist.
 */
export abstract class GrammarBase extends CstParser {
  constructor() {
    super(T.allTokens, { maxLookahead: 3, errorMessageProvider: syntaxErrorMessages });
  }

  /**
   * Does a query start at LA(offset)? `SELECT ...`, `VALUES ...` and `WITH ...` do. Behind
   * parentheses, `(SELECT 1) UNION (SELECT 2)` and `(SELECT 1)` do, while `(SELECT 1) + 1`
   * and `(SELECT 1) s JOIN t ON ...` do not: after the parenthesized query closes, the next
   * token decides.
   */
  protected queryAhead(offset: number): boolean {
    const first = this.LA(offset);
    if (startsQuery(first)) return true;
    if (!tokenMatcher(first, T.LParen)) return false;
    let i = offset + 1;
    while (tokenMatcher(this.LA(i), T.LParen)) i++;
    if (!startsQuery(this.LA(i))) return false;
    // Find where the group opened at LA(offset) closes.
    let depth = 0;
    for (let j = offset; ; j++) {
      const token = this.LA(j);
      if (tokenMatcher(token, T.LParen)) depth++;
      else if (tokenMatcher(token, T.RParen)) {
        depth--;
        if (depth === 0) return continuesQuery(this.LA(j + 1));
      } else if (token.tokenType === EOF) return false;
    }
  }

  /** At `(`: do the parentheses hold a query (rather than an expression, a column list or a join)? */
  protected parenQueryAhead(): boolean {
    return tokenMatcher(this.LA(1), T.LParen) && this.queryAhead(2);
  }

  /** Is LA(2) a token of this type? */
  protected secondIs(type: TokenType): boolean {
    return tokenMatcher(this.LA(2), type);
  }
}
