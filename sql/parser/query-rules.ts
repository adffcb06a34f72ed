// Grammar rules for queries: WITH, set operations (UNION/EXCEPT over INTERSECT), SELECT and
// VALUES, ORDER BY / LIMIT / OFFSET, and FROM with its joins, subqueries and table functions.

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
      this.AT_LEAST_ONE_SEP3({ SEP: T.Comma, DEF: () => this.SUBRULE2(this.expression, { LABEL: 'groupBy' }) });
    });
    this.OPTION5(() => {
      this.CONSUME(T.Having);
      this.SUBRULE3(this.expression, { LABEL: 'having' });
    });
  });

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
