// The SQL grammar (chevrotain CstParser), step two of the parser: it only recognizes the
// syntax and builds a concrete syntax tree; sql/parser/visitor.ts turns that into the AST.
//
// Expressions are parsed flat (operands, binary operators and suffixes in a row) and the
// visitor applies PostgreSQL's operator precedence; a rule per precedence level would make
// a dozen nested CST nodes per operand, and the SQL logic test corpus is mostly expressions.
//
// The parser instance is built once (performSelfAnalysis is costly) and reused for every
// statement: set `input`, call a top rule, read `errors`.

import { CstParser, EOF, tokenMatcher, type IToken, type TokenType } from 'chevrotain';
import * as T from './lexer.js';
import { syntaxErrorMessages } from './syntax-errors.js';

const INTERVAL_UNITS = new Set([
  'year', 'years', 'month', 'months', 'week', 'weeks', 'day', 'days', 'hour', 'hours',
  'minute', 'minutes', 'second', 'seconds', 'millisecond', 'milliseconds',
  'microsecond', 'microseconds', 'quarter', 'quarters', 'decade', 'decades',
  'century', 'centuries', 'millennium', 'millennia',
]);

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

export class SqlParser extends CstParser {
  constructor() {
    super(T.allTokens, { maxLookahead: 3, errorMessageProvider: syntaxErrorMessages });
    this.performSelfAnalysis();
  }

  // ------------------------------------------------------------ custom lookahead (gates)

  /**
   * Does a query start at LA(offset)? `SELECT ...`, `VALUES ...` and `WITH ...` do. Behind
   * parentheses, `(SELECT 1) UNION (SELECT 2)` and `(SELECT 1)` do, while `(SELECT 1) + 1`
   * and `(SELECT 1) s JOIN t ON ...` do not: after the parenthesized query closes, the next
   * token decides.
   */
  private queryAhead(offset: number): boolean {
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
  private parenQueryAhead(): boolean {
    return tokenMatcher(this.LA(1), T.LParen) && this.queryAhead(2);
  }

  /** After an operand, NOT continues the expression only as NOT BETWEEN/IN/LIKE/ILIKE. */
  private predicateAfterNot(): boolean {
    const next = this.LA(2);
    return (
      tokenMatcher(next, T.Between) || tokenMatcher(next, T.In) || tokenMatcher(next, T.Like) || tokenMatcher(next, T.Ilike)
    );
  }

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

  /** After a type's first word: PRECISION only after DOUBLE, VARYING after CHARACTER/CHAR,
   *  WITH/WITHOUT TIME ZONE after TIME/TIMESTAMP. */
  private typeSuffixAhead(): boolean {
    const word = this.LA(0).image.toUpperCase();
    const next = this.LA(1).tokenType;
    if (next === T.Precision) return word === 'DOUBLE';
    if (next === T.Varying) return word === 'CHARACTER' || word === 'CHAR';
    return (word === 'TIME' || word === 'TIMESTAMP') && this.LA(2).tokenType === T.Time;
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

  private secondIs(type: TokenType): boolean {
    return tokenMatcher(this.LA(2), type);
  }

  // ------------------------------------------------------------ script and statements

  public script = this.RULE('script', () => {
    this.OPTION(() => this.SUBRULE(this.statement));
    this.MANY(() => {
      this.CONSUME(T.Semicolon);
      this.OPTION2(() => this.SUBRULE2(this.statement));
    });
  });

  public statement = this.RULE('statement', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.query) },
      { ALT: () => this.SUBRULE(this.createStatement) },
      { ALT: () => this.SUBRULE(this.dropStatement) },
      { ALT: () => this.SUBRULE(this.insertStatement) },
      { ALT: () => this.SUBRULE(this.copyStatement) },
      { ALT: () => this.SUBRULE(this.deleteStatement) },
      { ALT: () => this.SUBRULE(this.explainStatement) },
      { ALT: () => this.SUBRULE(this.showStatement) },
      { ALT: () => this.SUBRULE(this.describeStatement) },
    ]);
  });

  public createStatement = this.RULE('createStatement', () => {
    this.CONSUME(T.Create);
    this.OPTION(() => {
      this.CONSUME(T.Or);
      this.CONSUME(T.Replace);
    });
    this.OR([
      { ALT: () => this.SUBRULE(this.createTableBody) },
      { ALT: () => this.SUBRULE(this.createViewBody) },
      { ALT: () => this.SUBRULE(this.createIndexBody) },
    ]);
  });

  public ifNotExists = this.RULE('ifNotExists', () => {
    this.CONSUME(T.If);
    this.CONSUME(T.Not);
    this.CONSUME(T.Exists);
  });

  public createTableBody = this.RULE('createTableBody', () => {
    this.CONSUME(T.Table);
    this.OPTION(() => this.SUBRULE(this.ifNotExists));
    this.SUBRULE(this.qualifiedName);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.tableElement) });
          this.CONSUME(T.RParen);
          this.OPTION2(() => this.SUBRULE(this.tableOrderBy));
        },
      },
      {
        ALT: () => {
          this.OPTION3(() => this.SUBRULE2(this.tableOrderBy));
          this.CONSUME(T.As);
          this.SUBRULE(this.query);
        },
      },
    ]);
  });

  public tableOrderBy = this.RULE('tableOrderBy', () => {
    this.CONSUME(T.Order);
    this.CONSUME(T.By);
    this.OR([
      { ALT: () => this.SUBRULE(this.parenNameList) },
      { ALT: () => this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.name) }) },
    ]);
  });

  public tableElement = this.RULE('tableElement', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Primary);
          this.CONSUME(T.Key);
          this.SUBRULE(this.parenNameList);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Unique);
          this.SUBRULE2(this.parenNameList);
        },
      },
      { ALT: () => this.SUBRULE(this.columnDef) },
    ]);
  });

  public columnDef = this.RULE('columnDef', () => {
    this.SUBRULE(this.name);
    this.SUBRULE(this.typeName);
    this.MANY(() => this.SUBRULE(this.columnConstraint));
  });

  public columnConstraint = this.RULE('columnConstraint', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Not);
          this.CONSUME(T.Null);
        },
      },
      { ALT: () => this.CONSUME2(T.Null) },
      {
        ALT: () => {
          this.CONSUME(T.Primary);
          this.CONSUME(T.Key);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Default);
          this.SUBRULE(this.expression);
        },
      },
      { ALT: () => this.CONSUME(T.Unique) },
    ]);
  });

  public createViewBody = this.RULE('createViewBody', () => {
    this.CONSUME(T.View);
    this.OPTION(() => this.SUBRULE(this.ifNotExists));
    this.SUBRULE(this.qualifiedName);
    this.OPTION2(() => this.SUBRULE(this.parenNameList));
    this.CONSUME(T.As);
    this.SUBRULE(this.query);
  });

  public createIndexBody = this.RULE('createIndexBody', () => {
    this.OPTION(() => this.CONSUME(T.Unique));
    this.CONSUME(T.Index);
    this.OPTION2(() => this.SUBRULE(this.ifNotExists));
    this.SUBRULE(this.name);
    this.CONSUME(T.On);
    this.SUBRULE(this.qualifiedName);
    this.OPTION3(() => {
      this.CONSUME(T.Using);
      this.SUBRULE2(this.name);
    });
    this.CONSUME(T.LParen);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.indexColumn) });
    this.CONSUME(T.RParen);
  });

  public indexColumn = this.RULE('indexColumn', () => {
    this.SUBRULE(this.name);
    this.OPTION(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Asc) }, { ALT: () => this.CONSUME(T.Desc) }]);
    });
  });

  public dropStatement = this.RULE('dropStatement', () => {
    this.CONSUME(T.Drop);
    this.OR([
      { ALT: () => this.CONSUME(T.Table) },
      { ALT: () => this.CONSUME(T.View) },
      { ALT: () => this.CONSUME(T.Index) },
    ]);
    this.OPTION(() => {
      this.CONSUME(T.If);
      this.CONSUME(T.Exists);
    });
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.qualifiedName) });
  });

  public insertStatement = this.RULE('insertStatement', () => {
    this.CONSUME(T.Insert);
    this.CONSUME(T.Into);
    this.SUBRULE(this.qualifiedName);
    this.OPTION({
      GATE: () => !this.parenQueryAhead(),
      DEF: () => this.SUBRULE(this.parenNameList),
    });
    this.SUBRULE(this.query);
  });

  public copyStatement = this.RULE('copyStatement', () => {
    this.CONSUME(T.Copy);
    this.SUBRULE(this.qualifiedName);
    this.OPTION(() => this.SUBRULE(this.parenNameList));
    this.CONSUME(T.From);
    this.CONSUME(T.StringLiteral);
    this.OPTION2(() => this.CONSUME(T.With));
    this.OPTION3(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.LParen);
            this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.copyOption) });
            this.CONSUME(T.RParen);
          },
        },
        { ALT: () => this.AT_LEAST_ONE(() => this.SUBRULE(this.legacyCopyOption)) },
      ]);
    });
  });

  /** PostgreSQL's `(FORMAT csv, HEADER true, DELIMITER '|')` options. */
  public copyOption = this.RULE('copyOption', () => {
    this.CONSUME(T.Label);
    this.OPTION(() => this.SUBRULE(this.copyValue));
  });

  /** The old `DELIMITER [AS] '|' NULL [AS] 'x' CSV HEADER QUOTE '"'` options: values are literals only. */
  public legacyCopyOption = this.RULE('legacyCopyOption', () => {
    this.CONSUME(T.Label);
    this.OPTION(() => this.CONSUME(T.As));
    this.OPTION2(() => this.SUBRULE(this.copyLiteral));
  });

  public copyValue = this.RULE('copyValue', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.copyLiteral) },
      { ALT: () => this.CONSUME(T.On) },
      { ALT: () => this.CONSUME(T.Name) },
    ]);
  });

  public copyLiteral = this.RULE('copyLiteral', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
    ]);
  });

  public deleteStatement = this.RULE('deleteStatement', () => {
    this.CONSUME(T.Delete);
    this.CONSUME(T.From);
    this.SUBRULE(this.qualifiedName);
    this.OPTION(() => {
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
    this.OPTION2(() => {
      this.CONSUME(T.Where);
      this.SUBRULE(this.expression);
    });
  });

  public explainStatement = this.RULE('explainStatement', () => {
    this.CONSUME(T.Explain);
    this.OPTION(() => this.CONSUME(T.Analyze));
    this.OPTION2({
      // `EXPLAIN (CODEGEN) SELECT ...` versus `EXPLAIN (SELECT ...)`.
      GATE: () => !this.parenQueryAhead(),
      DEF: () => {
        this.CONSUME(T.LParen);
        this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME(T.Label) });
        this.CONSUME(T.RParen);
      },
    });
    this.SUBRULE(this.statement);
  });

  public showStatement = this.RULE('showStatement', () => {
    this.CONSUME(T.Show);
    this.CONSUME(T.Tables);
  });

  public describeStatement = this.RULE('describeStatement', () => {
    this.CONSUME(T.Describe);
    this.SUBRULE(this.qualifiedName);
  });

  // ------------------------------------------------------------ queries

  public query = this.RULE('query', () => {
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

  public setQuantifier = this.RULE('setQuantifier', () => {
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

  public orderByClause = this.RULE('orderByClause', () => {
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

  // ------------------------------------------------------------ names

  public name = this.RULE('name', () => {
    this.CONSUME(T.Name);
  });

  /** name(.word)*: `schema.table`. */
  public qualifiedName = this.RULE('qualifiedName', () => {
    this.CONSUME(T.Name);
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.CONSUME(T.Label);
    });
  });

  public parenNameList = this.RULE('parenNameList', () => {
    this.CONSUME(T.LParen);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.name) });
    this.CONSUME(T.RParen);
  });

  /** A type: one word, or DOUBLE PRECISION, CHARACTER VARYING, TIMESTAMP WITH[OUT] TIME ZONE; then (n[, m]). */
  public typeName = this.RULE('typeName', () => {
    this.CONSUME(T.Name);
    this.OPTION({
      // Only after the word it belongs to: in `x::int precision`, precision is an alias.
      GATE: () => this.typeSuffixAhead(),
      DEF: () => {
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
      },
    });
    this.OPTION2(() => {
      this.CONSUME(T.LParen);
      this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME(T.NumberLiteral) });
      this.CONSUME(T.RParen);
    });
  });

  // ------------------------------------------------------------ expressions

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

  // Every alternative starts with a token of its own, so the choice is one table lookup.
  public primary = this.RULE('primary', () => {
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

  /** `(*)`, `()`, `([DISTINCT|ALL] arg, ...)`; an argument may be named: `name => value`. */
  public callArguments = this.RULE('callArguments', () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Star) },
        {
          ALT: () => {
            this.OPTION2(() => this.SUBRULE(this.setQuantifier));
            this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.callArgument) });
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

/** The one parser instance (grammar analysis runs once, at import). */
export const sqlParser = new SqlParser();
