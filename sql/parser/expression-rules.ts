// Grammar rules for expressions as a flat sequence: operands (with prefix NOT, + and -, and
// `::type` casts) joined by binary operators and followed by suffixes (IS ..., BETWEEN, IN,
// LIKE). What an operand's core is (a literal, a name, a call, CASE...) is primary-rules.ts's.
//
// Expressions are parsed flat and the visitor (expression-visitor.ts) applies PostgreSQL's
// operator precedence: a rule per precedence level would make a dozen nested CST nodes per
// operand, and the SQL logic test corpus is mostly expressions.

import { tokenMatcher, type CstNode, type ParserMethod } from 'chevrotain';
import * as T from './lexer.js';
import { NameRules } from './name-rules.js';

export abstract class ExpressionRules extends NameRules {
  // Defined by the layers above (primary-rules.ts, query-rules.ts).
  public abstract primary: ParserMethod<[], CstNode>;
  public abstract query: ParserMethod<[], CstNode>;

  /** After an operand, NOT continues the expression only as NOT BETWEEN/IN/LIKE/ILIKE. */
  private predicateAfterNot(): boolean {
    const next = this.LA(2);
    return (
      tokenMatcher(next, T.Between) || tokenMatcher(next, T.In) || tokenMatcher(next, T.Like) || tokenMatcher(next, T.Ilike)
    );
  }

  /**
   * A whole expression, flat: operands joined by binary operators and followed by suffixes
   * (IS NULL, BETWEEN, IN, LIKE, ...). The visitor applies PostgreSQL's precedence to the
   * sequence; one rule for all levels keeps the tree shallow and parsing fast.
   */
  public expression = this.RULE('expression', () => {
    this.SUBRULE(this.operand);
    this.MANY({
      // `DEFAULT 0 NOT NULL`: a NOT after an operand belongs to the expression only as
      // NOT BETWEEN / NOT IN / NOT LIKE / NOT ILIKE.
      GATE: () => !tokenMatcher(this.LA(1), T.Not) || this.predicateAfterNot(),
      // Each alternative starts with tokens of its own: the choice is one table lookup.
      DEF: () => {
        this.OR([
          {
            ALT: () => {
              this.SUBRULE(this.binaryOperator);
              this.SUBRULE2(this.operand);
            },
          },
          { ALT: () => this.SUBRULE(this.isClause) },
          { ALT: () => this.CONSUME(T.IsNull) },
          { ALT: () => this.CONSUME(T.NotNull) },
          { ALT: () => this.SUBRULE(this.predicateSuffix) },
        ]);
      },
    });
  });

  /** Only the operators that bind tighter than BETWEEN/IN/LIKE: their bounds and patterns. */
  public arithExpr = this.RULE('arithExpr', () => {
    this.SUBRULE(this.operand);
    this.MANY(() => {
      this.SUBRULE(this.arithOperator);
      this.SUBRULE2(this.operand);
    });
  });

  public binaryOperator = this.RULE('binaryOperator', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Or) },
      { ALT: () => this.CONSUME(T.And) },
      { ALT: () => this.CONSUME(T.Equals) },
      { ALT: () => this.CONSUME(T.NotEquals) },
      { ALT: () => this.CONSUME(T.BangEquals) },
      { ALT: () => this.CONSUME(T.Less) },
      { ALT: () => this.CONSUME(T.LessEquals) },
      { ALT: () => this.CONSUME(T.Greater) },
      { ALT: () => this.CONSUME(T.GreaterEquals) },
      { ALT: () => this.CONSUME(T.Concat) },
      { ALT: () => this.CONSUME(T.Plus) },
      { ALT: () => this.CONSUME(T.Minus) },
      { ALT: () => this.CONSUME(T.Star) },
      { ALT: () => this.CONSUME(T.Slash) },
      { ALT: () => this.CONSUME(T.Percent) },
    ]);
  });

  public arithOperator = this.RULE('arithOperator', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Concat) },
      { ALT: () => this.CONSUME(T.Plus) },
      { ALT: () => this.CONSUME(T.Minus) },
      { ALT: () => this.CONSUME(T.Star) },
      { ALT: () => this.CONSUME(T.Slash) },
      { ALT: () => this.CONSUME(T.Percent) },
    ]);
  });

  /** IS [NOT] NULL / TRUE / FALSE / UNKNOWN, and IS [NOT] DISTINCT FROM with its right operand. */
  public isClause = this.RULE('isClause', () => {
    this.CONSUME(T.Is);
    this.OPTION(() => this.CONSUME(T.Not));
    this.OR([
      { ALT: () => this.CONSUME(T.Null) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => this.CONSUME(T.Unknown) },
      {
        ALT: () => {
          this.CONSUME(T.Distinct);
          this.CONSUME(T.From);
          this.SUBRULE(this.operand);
        },
      },
    ]);
  });

  /** [NOT] BETWEEN a AND b, [NOT] IN (...), [NOT] LIKE/ILIKE p [ESCAPE e]. */
  public predicateSuffix = this.RULE('predicateSuffix', () => {
    this.OPTION(() => this.CONSUME(T.Not));
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Between);
          this.OPTION2(() => this.CONSUME(T.Symmetric));
          this.SUBRULE(this.arithExpr, { LABEL: 'low' });
          this.CONSUME(T.And);
          this.SUBRULE2(this.arithExpr, { LABEL: 'high' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.In);
          this.SUBRULE(this.inTarget);
        },
      },
      {
        ALT: () => {
          this.OR2([{ ALT: () => this.CONSUME(T.Like) }, { ALT: () => this.CONSUME(T.Ilike) }]);
          this.SUBRULE3(this.arithExpr, { LABEL: 'pattern' });
          this.OPTION3(() => {
            this.CONSUME(T.Escape);
            this.SUBRULE4(this.arithExpr, { LABEL: 'escape' });
          });
        },
      },
    ]);
  });

  /** `(subquery)` or `(expr, ...)`, where the list may be empty. */
  public inTarget = this.RULE('inTarget', () => {
    this.CONSUME(T.LParen);
    this.OR([
      { GATE: () => this.queryAhead(1), ALT: () => this.SUBRULE(this.query) },
      { ALT: () => this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) }) },
    ]);
    this.CONSUME(T.RParen);
  });

  /** Prefix NOT, + and -, a primary, then `::type` casts. */
  public operand = this.RULE('operand', () => {
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Not) },
        { ALT: () => this.CONSUME(T.Plus) },
        { ALT: () => this.CONSUME(T.Minus) },
      ]);
    });
    this.SUBRULE(this.primary);
    this.MANY2(() => {
      this.CONSUME(T.DoubleColon);
      this.SUBRULE(this.typeName);
    });
  });
}
