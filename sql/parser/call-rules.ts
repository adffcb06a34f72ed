// Grammar rules for function calls: the special-syntax functions (EXTRACT, SUBSTRING, TRIM,
// POSITION) and what follows an ordinary function's name: its arguments (possibly named or
// DISTINCT, optionally followed by an aggregate's ORDER BY), FILTER (WHERE ...) and an
// OVER (...) window with its frame.

import type { CstNode, ParserMethod } from 'chevrotain';
import * as T from './lexer.js';
import { ExpressionRules } from './expression-rules.js';

export abstract class CallRules extends ExpressionRules {
  // Defined by query-rules.ts.
  public abstract setQuantifier: ParserMethod<[], CstNode>;
  public abstract orderByClause: ParserMethod<[], CstNode>;

  public extractExpr = this.RULE('extractExpr', () => {
    this.CONSUME(T.Extract);
    this.CONSUME(T.LParen);
    this.OR([{ ALT: () => this.CONSUME(T.Label) }, { ALT: () => this.CONSUME(T.StringLiteral) }]);
    this.CONSUME(T.From);
    this.SUBRULE(this.expression);
    this.CONSUME(T.RParen);
  });

  /** SUBSTRING(x FROM a [FOR b]), SUBSTRING(x FOR b), substring(x, a[, b]). */
  public substringExpr = this.RULE('substringExpr', () => {
    this.CONSUME(T.Substring);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression, { LABEL: 'subject' });
    this.OPTION(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.From);
            this.SUBRULE2(this.expression, { LABEL: 'start' });
            this.OPTION2(() => {
              this.CONSUME(T.For);
              this.SUBRULE3(this.expression, { LABEL: 'length' });
            });
          },
        },
        {
          ALT: () => {
            this.CONSUME2(T.For);
            this.SUBRULE4(this.expression, { LABEL: 'length' });
          },
        },
        {
          ALT: () => {
            this.AT_LEAST_ONE(() => {
              this.CONSUME(T.Comma);
              this.SUBRULE5(this.expression, { LABEL: 'args' });
            });
          },
        },
      ]);
    });
    this.CONSUME(T.RParen);
  });

  /** TRIM([BOTH|LEADING|TRAILING] [chars] FROM x), TRIM([mode] [FROM] x[, chars]). */
  public trimExpr = this.RULE('trimExpr', () => {
    this.CONSUME(T.Trim);
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Both) },
        { ALT: () => this.CONSUME(T.Leading) },
        { ALT: () => this.CONSUME(T.Trailing) },
      ]);
    });
    this.OR2([
      {
        ALT: () => {
          this.CONSUME(T.From);
          this.SUBRULE(this.expression, { LABEL: 'subject' });
          this.OPTION2(() => {
            this.CONSUME(T.Comma);
            this.SUBRULE2(this.expression, { LABEL: 'chars' });
          });
        },
      },
      {
        ALT: () => {
          this.SUBRULE3(this.expression, { LABEL: 'first' });
          this.OPTION3(() => {
            this.OR3([
              {
                ALT: () => {
                  this.CONSUME2(T.From);
                  this.SUBRULE4(this.expression, { LABEL: 'subject' });
                },
              },
              {
                ALT: () => {
                  this.CONSUME2(T.Comma);
                  this.SUBRULE5(this.expression, { LABEL: 'chars' });
                },
              },
            ]);
          });
        },
      },
    ]);
    this.CONSUME(T.RParen);
  });

  /** POSITION(a IN b); `a` stops before IN, as PostgreSQL's b_expr does. */
  public positionExpr = this.RULE('positionExpr', () => {
    this.CONSUME(T.Position);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.arithExpr);
    this.OR([{ ALT: () => this.CONSUME(T.In) }, { ALT: () => this.CONSUME(T.Comma) }]);
    this.SUBRULE(this.expression);
    this.CONSUME(T.RParen);
  });

  /** What follows a function's name: its arguments, FILTER (WHERE ...), OVER (...). */
  public callTail = this.RULE('callTail', () => {
    this.SUBRULE(this.callArguments);
    this.OPTION(() => {
      this.CONSUME(T.Filter);
      this.CONSUME(T.LParen);
      this.CONSUME(T.Where);
      this.SUBRULE(this.expression, { LABEL: 'filter' });
      this.CONSUME(T.RParen);
    });
    this.OPTION2(() => {
      this.CONSUME(T.Over);
      this.SUBRULE(this.windowSpec);
    });
  });

  /** `(*)`, `()`, `([DISTINCT|ALL] arg, ... [ORDER BY ...])`; an argument may be named: `name => value`. */
  public callArguments = this.RULE('callArguments', () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Star) },
        {
          ALT: () => {
            this.OPTION2(() => this.SUBRULE(this.setQuantifier));
            this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.callArgument) });
            // An aggregate's own order: string_agg(x, ',' ORDER BY y DESC).
            this.OPTION3(() => this.SUBRULE(this.orderByClause));
          },
        },
      ]);
    });
    this.CONSUME(T.RParen);
  });

  public callArgument = this.RULE('callArgument', () => {
    this.OPTION({
      GATE: () => this.secondIs(T.Arrow) || this.secondIs(T.ColonEquals),
      DEF: () => {
        this.CONSUME(T.Name);
        this.OR([{ ALT: () => this.CONSUME(T.Arrow) }, { ALT: () => this.CONSUME(T.ColonEquals) }]);
      },
    });
    this.SUBRULE(this.expression);
  });

  public windowSpec = this.RULE('windowSpec', () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.CONSUME(T.Partition);
      this.CONSUME(T.By);
      this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) });
    });
    this.OPTION2(() => this.SUBRULE(this.orderByClause));
    this.OPTION3(() => this.SUBRULE(this.frameClause));
    this.CONSUME(T.RParen);
  });

  public frameClause = this.RULE('frameClause', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Rows) }, { ALT: () => this.CONSUME(T.Range) }]);
    this.OR2([
      {
        ALT: () => {
          this.CONSUME(T.Between);
          this.SUBRULE(this.frameBound, { LABEL: 'start' });
          this.CONSUME(T.And);
          this.SUBRULE2(this.frameBound, { LABEL: 'end' });
        },
      },
      { ALT: () => this.SUBRULE3(this.frameBound, { LABEL: 'start' }) },
    ]);
  });

  public frameBound = this.RULE('frameBound', () => {
    this.OR({
      // UNBOUNDED and CURRENT are also names; tried first, they win over a column named so.
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          ALT: () => {
            this.CONSUME(T.Unbounded);
            this.OR2([{ ALT: () => this.CONSUME(T.Preceding) }, { ALT: () => this.CONSUME(T.Following) }]);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Current);
            this.CONSUME(T.Row);
          },
        },
        {
          ALT: () => {
            this.SUBRULE(this.arithExpr);
            this.OR3([
              { ALT: () => this.CONSUME2(T.Preceding) },
              { ALT: () => this.CONSUME2(T.Following) },
            ]);
          },
        },
      ],
    });
  });
}
