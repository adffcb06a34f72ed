// Grammar rules for scripts and statements: CREATE TABLE/VIEW/INDEX, DROP, INSERT, COPY (with
// both option syntaxes), DELETE, EXPLAIN, SET/RESET, SHOW (TABLES, ALL or a setting) and
// DESCRIBE. The top rule layer.

import * as T from './lexer.js';
import { QueryRules } from './query-rules.js';

export abstract class StatementRules extends QueryRules {
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
      { ALT: () => this.SUBRULE(this.updateStatement) },
      { ALT: () => this.SUBRULE(this.alterStatement) },
      { ALT: () => this.SUBRULE(this.truncateStatement) },
      { ALT: () => this.SUBRULE(this.checkpointStatement) },
      { ALT: () => this.SUBRULE(this.optimizeStatement) },
      { ALT: () => this.SUBRULE(this.explainStatement) },
      { ALT: () => this.SUBRULE(this.showStatement) },
      { ALT: () => this.SUBRULE(this.describeStatement) },
      { ALT: () => this.SUBRULE(this.setStatement) },
      { ALT: () => this.SUBRULE(this.resetStatement) },
      { ALT: () => this.SUBRULE(this.transactionStatement) },
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

  /** INSERT [OR REPLACE | OR IGNORE] INTO t [AS alias] [(cols)] query [ON CONFLICT ...]. */
  public insertStatement = this.RULE('insertStatement', () => {
    this.CONSUME(T.Insert);
    this.OPTION(() => {
      this.CONSUME(T.Or);
      this.OR([{ ALT: () => this.CONSUME(T.Replace) }, { ALT: () => this.CONSUME(T.Ignore) }]);
    });
    this.CONSUME(T.Into);
    this.SUBRULE(this.qualifiedName);
    this.OPTION2(() => {
      this.CONSUME(T.As);
      this.CONSUME(T.Label);
    });
    this.OPTION3({
      GATE: () => !this.parenQueryAhead(),
      DEF: () => this.SUBRULE(this.parenNameList),
    });
    this.SUBRULE(this.query);
    this.OPTION4(() => this.SUBRULE(this.onConflict));
  });

  /** ON CONFLICT [(cols)] DO NOTHING | DO UPDATE SET col = expr [, ...] [WHERE cond]. */
  public onConflict = this.RULE('onConflict', () => {
    this.CONSUME(T.On);
    this.CONSUME(T.Conflict);
    this.OPTION(() => this.SUBRULE(this.parenNameList));
    this.CONSUME(T.Do);
    this.OR([
      { ALT: () => this.CONSUME(T.Nothing) },
      {
        ALT: () => {
          this.CONSUME(T.Update);
          this.CONSUME(T.SetKeyword);
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.assignment) });
          this.OPTION2(() => {
            this.CONSUME(T.Where);
            this.SUBRULE(this.expression);
          });
        },
      },
    ]);
  });

  /** BEGIN [TRANSACTION | WORK], START TRANSACTION; COMMIT / END and ROLLBACK / ABORT [TRANSACTION | WORK]. */
  public transactionStatement = this.RULE('transactionStatement', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Start);
          this.CONSUME(T.Transaction);
        },
      },
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(T.Begin) },
            { ALT: () => this.CONSUME(T.Commit) },
            { ALT: () => this.CONSUME(T.End) },
            { ALT: () => this.CONSUME(T.Rollback) },
            { ALT: () => this.CONSUME(T.Abort) },
          ]);
          this.OPTION(() => this.OR3([{ ALT: () => this.CONSUME2(T.Transaction) }, { ALT: () => this.CONSUME(T.Work) }]));
        },
      },
    ]);
  });

  /** COPY t [(cols)] FROM 'file', COPY t [(cols)] TO 'file', COPY (query) TO 'file'. */
  public copyStatement = this.RULE('copyStatement', () => {
    this.CONSUME(T.Copy);
    this.OR1([
      {
        ALT: () => {
          this.SUBRULE(this.qualifiedName);
          this.OPTION(() => this.SUBRULE(this.parenNameList));
        },
      },
      {
        ALT: () => {
          this.CONSUME2(T.LParen);
          this.SUBRULE(this.query);
          this.CONSUME2(T.RParen);
        },
      },
    ]);
    this.OR2([{ ALT: () => this.CONSUME(T.From) }, { ALT: () => this.CONSUME(T.To) }]);
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

  /** UPDATE t [[AS] alias] SET col = expr [, ...] [WHERE cond]. */
  public updateStatement = this.RULE('updateStatement', () => {
    this.CONSUME(T.Update);
    this.SUBRULE(this.qualifiedName);
    // SET is non-reserved, so it could read as an alias: it never is one here.
    this.OPTION({
      GATE: () => this.LA(1).tokenType !== T.SetKeyword,
      DEF: () => {
        this.OR([
          {
            ALT: () => {
              this.CONSUME(T.As);
              this.CONSUME(T.Label);
            },
          },
          { ALT: () => this.CONSUME(T.Name) },
        ]);
      },
    });
    this.CONSUME(T.SetKeyword);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.assignment) });
    this.OPTION2(() => {
      this.CONSUME(T.Where);
      this.SUBRULE(this.expression);
    });
  });

  public assignment = this.RULE('assignment', () => {
    this.SUBRULE(this.name);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  /** ALTER TABLE t ADD [COLUMN] def | RENAME TO u | RENAME [COLUMN] a TO b | DROP [COLUMN] a. */
  public alterStatement = this.RULE('alterStatement', () => {
    this.CONSUME(T.Alter);
    this.CONSUME(T.Table);
    this.SUBRULE(this.qualifiedName);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Add);
          this.OPTION(() => this.CONSUME(T.Column));
          this.SUBRULE(this.columnDef);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Rename);
          this.OR2([
            {
              ALT: () => {
                this.CONSUME(T.To);
                this.SUBRULE(this.name);
              },
            },
            {
              ALT: () => {
                this.OPTION2(() => this.CONSUME2(T.Column));
                this.SUBRULE2(this.name);
                this.CONSUME2(T.To);
                this.SUBRULE3(this.name);
              },
            },
          ]);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Drop);
          this.OPTION3(() => this.CONSUME3(T.Column));
          this.SUBRULE4(this.name);
        },
      },
    ]);
  });

  /** TRUNCATE [TABLE] t. */
  public truncateStatement = this.RULE('truncateStatement', () => {
    this.CONSUME(T.Truncate);
    this.OPTION(() => this.CONSUME(T.Table));
    this.SUBRULE(this.qualifiedName);
  });

  /** CHECKPOINT: flush the memtables into parts. */
  public checkpointStatement = this.RULE('checkpointStatement', () => {
    this.CONSUME(T.Checkpoint);
  });

  /** OPTIMIZE [t]: compact now (every table without a name). */
  public optimizeStatement = this.RULE('optimizeStatement', () => {
    this.CONSUME(T.Optimize);
    this.OPTION(() => this.SUBRULE(this.qualifiedName));
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

  /** SHOW TABLES, SHOW ALL (every setting), SHOW setting_name, or SHOW CREATE TABLE|VIEW name
   *  (the words are checked by the visitor). */
  public showStatement = this.RULE('showStatement', () => {
    this.CONSUME(T.Show);
    this.CONSUME(T.Label);
    this.OPTION(() => {
      this.CONSUME2(T.Label);
      this.SUBRULE(this.qualifiedName);
    });
  });

  /** SET name = value, SET name TO value; the value DEFAULT resets the setting. */
  public setStatement = this.RULE('setStatement', () => {
    this.CONSUME(T.SetKeyword);
    this.CONSUME(T.Label);
    this.OR([{ ALT: () => this.CONSUME(T.Equals) }, { ALT: () => this.CONSUME(T.To) }]);
    this.SUBRULE(this.settingValue);
  });

  /** A string, a number, or a word: TRUE, FALSE, ON, DEFAULT or a bare name such as rle. */
  public settingValue = this.RULE('settingValue', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.StringLiteral) },
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(T.Minus));
          this.CONSUME(T.NumberLiteral);
        },
      },
      { ALT: () => this.CONSUME(T.Label) },
    ]);
  });

  /** RESET name, or RESET ALL. */
  public resetStatement = this.RULE('resetStatement', () => {
    this.CONSUME(T.Reset);
    this.CONSUME(T.Label);
  });

  public describeStatement = this.RULE('describeStatement', () => {
    this.CONSUME(T.Describe);
    this.SUBRULE(this.qualifiedName);
  });
}
