// Grammar rules for queries: WITH, set operations (UNION/EXCEPT over INTERSECT), SELECT and
// VALUES, ORDER BY / LIMIT / OFFSET, and FROM with its joins, subqueries and table functions.

import { EOF, tokenMatcher } from 'chevrotain';
import * as T from './lexer.js';
import { PrimaryRules } from './primary-rules.js';

export abstract class QueryRules extends PrimaryRules {
  public override query = this.RULE('query', () => {
    this.OPTION(() => this.SUBRULE(this.withClause));
    this.SUBRULE(this.setExpression);
    this.OPTION2(() => this.SUBRULE(this.orderByClause));
    this.MANY(() => {
      this.OR([{ ALT: () => this.SUBRULE(this.limitClause) }, { ALT: () => this.SUBRULE(this.offsetClause) }]);
    });
  });

  public withClause = this.RULE('withClause', () => {
    this.CONSUME(T.With);
    this.OPTION(() => this.CONSUME(T.Recursive));
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.commonTableExpr) });
  });

  public commonTableExpr = this.RULE('commonTableExpr', () => {
    this.SUBRULE(this.name);
    this.OPTION(() => this.SUBRULE(this.parenNameList));
    this.CONSUME(T.As);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.query);
    this.CONSUME(T.RParen);
  });

  /** UNION and EXCEPT: one level, left-associative, over INTERSECT which binds tighter. */
  public setExpression = this.RULE('setExpression', () => {
    this.SUBRULE(this.intersectExpression);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Union) }, { ALT: () => this.CONSUME(T.Except) }]);
      this.OPTION(() => this.SUBRULE(this.setQuantifier));
      this.SUBRULE2(this.intersectExpression);
    });
  });

  public intersectExpression = this.RULE('intersectExpression', () => {
    this.SUBRULE(this.queryPrimary);
    this.MANY(() => {
      this.CONSUME(T.Intersect);
      this.OPTION(() => this.SUBRULE(this.setQuantifier));
      this.SUBRULE2(this.queryPrimary);
    });
  });

  public override setQuantifier = this.RULE('setQuantifier', () => {
    this.OR([{ ALT: () => this.CONSUME(T.All) }, { ALT: () => this.CONSUME(T.Distinct) }]);
  });

  public queryPrimary = this.RULE('queryPrimary', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.selectCore) },
      { ALT: () => this.SUBRULE(this.valuesBody) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.query);
          this.CONSUME(T.RParen);
        },
      },
    ]);
  });

  public selectCore = this.RULE('selectCore', () => {
    this.CONSUME(T.Select);
    this.OPTION(() => this.SUBRULE(this.setQuantifier));
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.selectItem) });
    this.OPTION2(() => {
      this.CONSUME(T.From);
      this.AT_LEAST_ONE_SEP2({ SEP: T.Comma, DEF: () => this.SUBRULE(this.tableRef) });
    });
    this.OPTION3(() => {
      this.CONSUME(T.Where);
      this.SUBRULE(this.expression, { LABEL: 'where' });
    });
    this.OPTION4(() => {
      this.CONSUME(T.Group);
      this.CONSUME(T.By);
      this.AT_LEAST_ONE_SEP3({ SEP: T.Comma, DEF: () => this.SUBRULE(this.groupingElement, { LABEL: 'groupBy' }) });
    });
    this.OPTION5(() => {
      this.CONSUME(T.Having);
      this.SUBRULE3(this.expression, { LABEL: 'having' });
    });
    this.OPTION6(() => {
      this.CONSUME(T.Qualify);
      this.SUBRULE4(this.expression, { LABEL: 'qualify' });
    });
  });

  /**
   * One GROUP BY element: ROLLUP (...), CUBE (...), GROUPING SETS (...), a grouping set written
   * `()` or `(a, b)`, or an expression. ROLLUP, CUBE and GROUPING are also names, so a column
   * `rollup` is an expression unless `(` follows; a parenthesized single expression `(a)` is
   * an expression (the same set).
   */
  public groupingElement = this.RULE('groupingElement', () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => this.secondIs(T.LParen),
          ALT: () => {
            this.CONSUME(T.Rollup);
            this.SUBRULE(this.groupingList, { LABEL: 'rollup' });
          },
        },
        {
          GATE: () => this.secondIs(T.LParen),
          ALT: () => {
            this.CONSUME(T.Cube);
            this.SUBRULE2(this.groupingList, { LABEL: 'cube' });
          },
        },
        {
          GATE: () => this.secondIs(T.Sets),
          ALT: () => {
            this.CONSUME(T.Grouping);
            this.CONSUME(T.Sets);
            this.CONSUME(T.LParen);
            this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.groupingElement, { LABEL: 'sets' }) });
            this.CONSUME(T.RParen);
          },
        },
        { GATE: () => this.groupingTupleAhead(), ALT: () => this.SUBRULE(this.groupingTuple) },
        { ALT: () => this.SUBRULE(this.expression) },
      ],
    });
  });

  /** The elements of ROLLUP (...) and CUBE (...): expressions or parenthesized lists. */
  public groupingList = this.RULE('groupingList', () => {
    this.CONSUME(T.LParen);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.groupingItem) });
    this.CONSUME(T.RParen);
  });

  public groupingItem = this.RULE('groupingItem', () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [{ GATE: () => this.groupingTupleAhead(), ALT: () => this.SUBRULE(this.groupingTuple) }, { ALT: () => this.SUBRULE(this.expression) }],
    });
  });

  /** `()` or `(a, b, ...)`. */
  public groupingTuple = this.RULE('groupingTuple', () => {
    this.CONSUME(T.LParen);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) });
    this.CONSUME(T.RParen);
  });

  /** At `(`: is it `()` or a list with a comma at its own level (not an expression)? */
  private groupingTupleAhead(): boolean {
    if (!tokenMatcher(this.LA(1), T.LParen)) return false;
    if (tokenMatcher(this.LA(2), T.RParen)) return true;
    let depth = 0;
    for (let j = 1; ; j++) {
      const token = this.LA(j);
      if (tokenMatcher(token, T.LParen)) depth++;
      else if (tokenMatcher(token, T.RParen)) {
        depth--;
        if (depth === 0) return false;
      } else if (depth === 1 && tokenMatcher(token, T.Comma)) return true;
      else if (token.tokenType === EOF) return false;
    }
  }

  public valuesBody = this.RULE('valuesBody', () => {
    this.CONSUME(T.Values);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.valuesRow) });
  });

  public valuesRow = this.RULE('valuesRow', () => {
    this.CONSUME(T.LParen);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) });
    this.CONSUME(T.RParen);
  });

  public selectItem = this.RULE('selectItem', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Star) },
      {
        ALT: () => {
          this.SUBRULE(this.expression);
          this.OPTION(() => this.SUBRULE(this.columnAlias));
        },
      },
    ]);
  });

  /** `AS any_word` or a bare non-reserved name. */
  public columnAlias = this.RULE('columnAlias', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.As);
          this.CONSUME(T.Label);
        },
      },
      { ALT: () => this.CONSUME(T.Name) },
    ]);
  });

  public override orderByClause = this.RULE('orderByClause', () => {
    this.CONSUME(T.Order);
    this.CONSUME(T.By);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.orderItem) });
  });

  public orderItem = this.RULE('orderItem', () => {
    this.SUBRULE(this.expression);
    this.OPTION(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Asc) }, { ALT: () => this.CONSUME(T.Desc) }]);
    });
    this.OPTION2(() => {
      this.CONSUME(T.Nulls);
      this.OR2([{ ALT: () => this.CONSUME(T.First) }, { ALT: () => this.CONSUME(T.Last) }]);
    });
  });

  public limitClause = this.RULE('limitClause', () => {
    this.CONSUME(T.Limit);
    this.OR([{ ALT: () => this.CONSUME(T.All) }, { ALT: () => this.SUBRULE(this.expression) }]);
  });

  public offsetClause = this.RULE('offsetClause', () => {
    this.CONSUME(T.Offset);
    this.SUBRULE(this.expression);
    this.OPTION(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Row) }, { ALT: () => this.CONSUME(T.Rows) }]);
    });
  });

  // ------------------------------------------------------------ FROM

  public tableRef = this.RULE('tableRef', () => {
    this.SUBRULE(this.tablePrimary);
    this.MANY(() => this.SUBRULE(this.joinClause));
  });

  public joinClause = this.RULE('joinClause', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Cross);
          this.CONSUME(T.Join);
          this.SUBRULE(this.tablePrimary);
        },
      },
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(T.Natural));
          this.OPTION2(() => this.SUBRULE(this.joinType));
          this.CONSUME2(T.Join);
          this.SUBRULE2(this.tablePrimary);
          this.OPTION3(() => this.SUBRULE(this.joinCondition));
        },
      },
    ]);
  });

  public joinType = this.RULE('joinType', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Inner) },
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(T.Left) },
            { ALT: () => this.CONSUME(T.Right) },
            { ALT: () => this.CONSUME(T.Full) },
          ]);
          this.OPTION(() => this.CONSUME(T.Outer));
        },
      },
    ]);
  });

  public joinCondition = this.RULE('joinCondition', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.On);
          this.SUBRULE(this.expression);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Using);
          this.SUBRULE(this.parenNameList);
        },
      },
    ]);
  });

  public tablePrimary = this.RULE('tablePrimary', () => {
    this.OR([
      {
        GATE: () => this.parenQueryAhead(),
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.query);
          this.CONSUME(T.RParen);
          this.OPTION(() => this.SUBRULE(this.tableAlias));
        },
      },
      {
        ALT: () => {
          this.CONSUME2(T.LParen);
          this.SUBRULE(this.tableRef);
          this.CONSUME2(T.RParen);
        },
      },
      {
        GATE: () => this.secondIs(T.LParen),
        ALT: () => {
          this.SUBRULE(this.name);
          this.SUBRULE(this.callArguments);
          this.OPTION2(() => this.SUBRULE2(this.tableAlias));
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.qualifiedName);
          this.OPTION3(() => this.SUBRULE3(this.tableAlias));
        },
      },
    ]);
  });

  public tableAlias = this.RULE('tableAlias', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.As);
          this.CONSUME(T.Label);
        },
      },
      { ALT: () => this.CONSUME(T.Name) },
    ]);
    this.OPTION(() => this.SUBRULE(this.parenNameList));
  });
}
