// Grammar rules for an operand's core: literals, parameters, parenthesized expressions and
// scalar subqueries, EXISTS, CASE, CAST, INTERVAL and typed literals (DATE '...'), and
// everything that starts with a word: column references, calls and the special-syntax functions.

import * as T from './lexer.js';
import { CallRules } from './call-rules.js';

const INTERVAL_UNITS = new Set([
  'year', 'years', 'month', 'months', 'week', 'weeks', 'day', 'days', 'hour', 'hours',
  'minute', 'minutes', 'second', 'seconds', 'millisecond', 'milliseconds',
  'microsecond', 'microseconds', 'quarter', 'quarters', 'decade', 'decades',
  'century', 'centuries', 'millennium', 'millennia',
]);

export abstract class PrimaryRules extends CallRules {
  /** After a name in an expression: is what follows part of it (a call, a typed literal's
   *  string, a qualified name), rather than an alias or the next clause? */
  private nameTailAhead(): boolean {
    const next = this.LA(1).tokenType;
    if (next === T.Precision || next === T.Varying) return this.LA(2).tokenType === T.StringLiteral;
    if (next === T.With || next === T.Without) {
      return this.LA(2).tokenType === T.Time && this.LA(3).tokenType === T.Zone && this.LA(4).tokenType === T.StringLiteral;
    }
    return true;
  }

  /** INTERVAL followed by its string or number (otherwise `interval` is a name). */
  private intervalAhead(): boolean {
    const next = this.LA(2).tokenType;
    return next === T.StringLiteral || next === T.NumberLiteral;
  }

  /** A word followed by `(`: EXTRACT(...) and the like, rather than a column of that name. */
  private callAhead(): boolean {
    return this.LA(2).tokenType === T.LParen;
  }

  // Every alternative starts with a token of its own, so the choice is one table lookup.
  public override primary = this.RULE('primary', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.SUBRULE(this.nameLed) },
      { ALT: () => this.SUBRULE(this.parenthesized) },
      { ALT: () => this.CONSUME(T.Null) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => this.CONSUME(T.DollarParam) },
      { ALT: () => this.CONSUME(T.QuestionMark) },
      { ALT: () => this.SUBRULE(this.existsExpr) },
      { ALT: () => this.SUBRULE(this.caseExpr) },
      { ALT: () => this.SUBRULE(this.castExpr) },
    ]);
  });

  /** `( query )` (a scalar subquery) or `( expression )`. */
  public parenthesized = this.RULE('parenthesized', () => {
    this.CONSUME(T.LParen);
    this.OR([
      { GATE: () => this.queryAhead(1), ALT: () => this.SUBRULE(this.query) },
      { ALT: () => this.SUBRULE(this.expression) },
    ]);
    this.CONSUME(T.RParen);
  });

  /**
   * Everything that starts with a word. The special forms come first (INTERVAL '1' DAY,
   * EXTRACT(...), SUBSTRING(...), TRIM(...), POSITION(...)); their keywords are also names, so
   * order is the whole disambiguation (hence IGNORE_AMBIGUITIES). Otherwise a name, then
   * what follows it decides in one token: `(` a call, a string a typed literal
   * (DATE '1998-12-01'), `.` a qualified column, anything else a plain column.
   */
  public nameLed = this.RULE('nameLed', () => {
    this.OR({
      // One token of lookahead plus cheap gates: with more, chevrotain would enumerate every
      // three-token path through a call's arguments and try them all for each column name.
      MAX_LOOKAHEAD: 1,
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { GATE: () => this.intervalAhead(), ALT: () => this.SUBRULE(this.intervalLiteral) },
        { GATE: () => this.callAhead(), ALT: () => this.SUBRULE(this.extractExpr) },
        { GATE: () => this.callAhead(), ALT: () => this.SUBRULE(this.substringExpr) },
        { GATE: () => this.callAhead(), ALT: () => this.SUBRULE(this.trimExpr) },
        { GATE: () => this.callAhead(), ALT: () => this.SUBRULE(this.positionExpr) },
        {
          // LEFT and RIGHT are reserved (joins) but also string functions.
          ALT: () => {
            this.OR2([{ ALT: () => this.CONSUME(T.Left) }, { ALT: () => this.CONSUME(T.Right) }]);
            this.SUBRULE(this.callTail);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Name);
            this.OPTION({
              // `y precision`: PRECISION, VARYING, WITH, WITHOUT start a typed literal's type
              // only when the string literal follows; otherwise they are an alias or the next clause.
              GATE: () => this.nameTailAhead(),
              DEF: () => {
                this.OR3([
                  { ALT: () => this.SUBRULE2(this.callTail) },
                  { ALT: () => this.SUBRULE(this.typedLiteralTail) },
                  {
                    ALT: () => {
                      this.AT_LEAST_ONE(() => {
                        this.CONSUME(T.Dot);
                        this.OR4([{ ALT: () => this.CONSUME(T.Label) }, { ALT: () => this.CONSUME(T.Star) }]);
                      });
                    },
                  },
                ]);
              },
            });
          },
        },
      ],
    });
  });

  public subquery = this.RULE('subquery', () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.query);
    this.CONSUME(T.RParen);
  });

  public existsExpr = this.RULE('existsExpr', () => {
    this.CONSUME(T.Exists);
    this.SUBRULE(this.subquery);
  });

  public caseExpr = this.RULE('caseExpr', () => {
    this.CONSUME(T.Case);
    this.OPTION(() => this.SUBRULE(this.expression, { LABEL: 'operand' }));
    this.AT_LEAST_ONE(() => {
      this.CONSUME(T.When);
      this.SUBRULE2(this.expression, { LABEL: 'when' });
      this.CONSUME(T.Then);
      this.SUBRULE3(this.expression, { LABEL: 'then' });
    });
    this.OPTION2(() => {
      this.CONSUME(T.Else);
      this.SUBRULE4(this.expression, { LABEL: 'else' });
    });
    this.CONSUME(T.End);
  });

  public castExpr = this.RULE('castExpr', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Cast) }, { ALT: () => this.CONSUME(T.TryCast) }]);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(T.As);
    this.SUBRULE(this.typeName);
    this.CONSUME(T.RParen);
  });

  public intervalLiteral = this.RULE('intervalLiteral', () => {
    this.CONSUME(T.Interval);
    this.OR([{ ALT: () => this.CONSUME(T.StringLiteral) }, { ALT: () => this.CONSUME(T.NumberLiteral) }]);
    this.OPTION({
      // Only a unit word: `INTERVAL '1 day' d` keeps `d` as the column alias.
      GATE: () => INTERVAL_UNITS.has(this.LA(1).image.toLowerCase()),
      DEF: () => this.CONSUME(T.Name),
    });
  });

  /** After a type's first word: the rest of a `typename 'text'` literal (DATE '1998-12-01',
   *  DOUBLE PRECISION '1.5', TIMESTAMP WITH TIME ZONE '...'). */
  public typedLiteralTail = this.RULE('typedLiteralTail', () => {
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Precision) },
        { ALT: () => this.CONSUME(T.Varying) },
        {
          ALT: () => {
            this.OR2([{ ALT: () => this.CONSUME(T.With) }, { ALT: () => this.CONSUME(T.Without) }]);
            this.CONSUME(T.Time);
            this.CONSUME(T.Zone);
          },
        },
      ]);
    });
    this.CONSUME(T.StringLiteral);
  });
}
