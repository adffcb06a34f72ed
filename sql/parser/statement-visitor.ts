// The AST visitor layer for scripts and statements: CREATE TABLE/VIEW/INDEX (one primary key,
// consistent NULL constraints, CREATE OR REPLACE rules), DROP, INSERT, COPY options collected and
// checked, DELETE, EXPLAIN, SET/RESET, SHOW (TABLES, ALL, a setting) and DESCRIBE.

import type { IToken } from 'chevrotain';
import type * as A from '../ast.js';
import { syntaxError } from '../../common/errors.js';
import type * as C from './cst.js';
import { firstTokenOf, lastTokenOf, normalizeName, pos, posOf, stringValue } from './cst-tokens.js';
import * as T from './lexer.js';
import { QueryVisitor } from './query-visitor.js';

type TableElement =
  | { kind: 'column'; def: A.ColumnDef }
  | { kind: 'primary_key'; columns: string[]; pos: A.Pos }
  | { kind: 'unique' };

export abstract class StatementVisitor extends QueryVisitor {
  script(ctx: C.ScriptCstChildren): A.Statement[] {
    return (ctx.statement ?? []).map((s) => this.statement(s.children));
  }

  statement(ctx: C.StatementCstChildren): A.Statement {
    if (ctx.query) {
      const query = this.query(ctx.query[0]!.children);
      return { kind: 'query', query, pos: query.pos };
    }
    if (ctx.createStatement) return this.createStatement(ctx.createStatement[0]!.children);
    if (ctx.dropStatement) return this.dropStatement(ctx.dropStatement[0]!.children);
    if (ctx.insertStatement) return this.insertStatement(ctx.insertStatement[0]!.children);
    if (ctx.copyStatement) return this.copyStatement(ctx.copyStatement[0]!.children);
    if (ctx.deleteStatement) return this.deleteStatement(ctx.deleteStatement[0]!.children);
    if (ctx.updateStatement) return this.updateStatement(ctx.updateStatement[0]!.children);
    if (ctx.alterStatement) return this.alterStatement(ctx.alterStatement[0]!.children);
    if (ctx.truncateStatement) return this.truncateStatement(ctx.truncateStatement[0]!.children);
    if (ctx.checkpointStatement) return this.checkpointStatement(ctx.checkpointStatement[0]!.children);
    if (ctx.optimizeStatement) return this.optimizeStatement(ctx.optimizeStatement[0]!.children);
    if (ctx.explainStatement) return this.explainStatement(ctx.explainStatement[0]!.children);
    if (ctx.showStatement) return this.showStatement(ctx.showStatement[0]!.children);
    if (ctx.setStatement) return this.setStatement(ctx.setStatement[0]!.children);
    if (ctx.resetStatement) return this.resetStatement(ctx.resetStatement[0]!.children);
    if (ctx.transactionStatement) return this.transactionStatement(ctx.transactionStatement[0]!.children);
    return this.describeStatement(ctx.describeStatement![0]!.children);
  }

  createStatement(ctx: C.CreateStatementCstChildren): A.Statement {
    const orReplace = ctx.OR !== undefined;
    const start = pos(ctx.CREATE[0]!);
    if (ctx.createTableBody) return this.createTableBody(ctx.createTableBody[0]!.children, orReplace, start);
    if (ctx.createViewBody) return this.createViewBody(ctx.createViewBody[0]!.children, orReplace, start);
    if (orReplace) throw syntaxError('CREATE OR REPLACE is not allowed for an index; drop it and create it again', pos(ctx.OR![0]!));
    return this.createIndexBody(ctx.createIndexBody![0]!.children, start);
  }

  ifNotExists(_ctx: C.IfNotExistsCstChildren): true {
    return true;
  }

  createTableBody(ctx: C.CreateTableBodyCstChildren, orReplace = false, start?: A.Pos): A.CreateTableStatement {
    const name = this.qualifiedName(ctx.qualifiedName[0]!.children);
    const ifNotExists = ctx.ifNotExists !== undefined;
    if (orReplace && ifNotExists) {
      throw syntaxError('CREATE OR REPLACE TABLE and IF NOT EXISTS cannot be used together', pos(ctx.TABLE[0]!));
    }
    const columns: A.ColumnDef[] = [];
    let primaryKey: string[] = [];
    let primaryKeys = 0;
    for (const element of ctx.tableElement ?? []) {
      const e = this.tableElement(element.children);
      if (e.kind === 'column') {
        columns.push(e.def);
        if (e.def.primaryKey) primaryKeys++;
      } else if (e.kind === 'primary_key') {
        primaryKey = e.columns;
        primaryKeys++;
      }
      if (primaryKeys > 1) {
        throw syntaxError(`multiple primary keys for table "${name}" are not allowed`, posOf(element.children));
      }
    }
    const orderBy = ctx.tableOrderBy ? this.tableOrderBy(ctx.tableOrderBy[0]!.children) : [];
    const statement: A.CreateTableStatement = {
      kind: 'create_table',
      name,
      ifNotExists,
      orReplace,
      columns,
      primaryKey,
      orderBy,
      pos: start ?? pos(ctx.TABLE[0]!),
    };
    if (ctx.query) statement.as = this.query(ctx.query[0]!.children);
    return statement;
  }

  tableOrderBy(ctx: C.TableOrderByCstChildren): string[] {
    if (ctx.parenNameList) return this.parenNameList(ctx.parenNameList[0]!.children);
    return (ctx.name ?? []).map((n) => this.name(n.children));
  }

  tableElement(ctx: C.TableElementCstChildren): TableElement {
    if (ctx.columnDef) return { kind: 'column', def: this.columnDef(ctx.columnDef[0]!.children) };
    if (ctx.PRIMARY) {
      return { kind: 'primary_key', columns: this.parenNameList(ctx.parenNameList![0]!.children), pos: pos(ctx.PRIMARY[0]!) };
    }
    // UNIQUE (cols) is accepted and not enforced, as in most analytic engines.
    return { kind: 'unique' };
  }

  columnDef(ctx: C.ColumnDefCstChildren): A.ColumnDef {
    const nameToken = ctx.name[0]!.children.Name[0]!;
    const def: A.ColumnDef = {
      name: normalizeName(nameToken),
      type: this.typeName(ctx.typeName[0]!.children),
      notNull: false,
      primaryKey: false,
      pos: pos(nameToken),
    };
    let nullability: 'null' | 'not_null' | undefined;
    for (const constraint of ctx.columnConstraint ?? []) {
      const c = constraint.children;
      if (c.NOT || c.NULL) {
        const said = c.NOT ? 'not_null' : 'null';
        if (nullability !== undefined && nullability !== said) {
          throw syntaxError(`conflicting NULL/NOT NULL declarations for column "${def.name}"`, posOf(c));
        }
        nullability = said;
        def.notNull = said === 'not_null';
      } else if (c.PRIMARY) {
        def.primaryKey = true;
      } else if (c.DEFAULT) {
        if (def.default !== undefined) throw syntaxError(`multiple default values specified for column "${def.name}"`, pos(c.DEFAULT[0]!));
        def.default = this.expression(c.expression![0]!.children);
      }
      // UNIQUE: accepted, not enforced.
    }
    return def;
  }

  columnConstraint(_ctx: C.ColumnConstraintCstChildren): void {
    // Read by columnDef, which needs all constraints of a column together.
  }

  createViewBody(ctx: C.CreateViewBodyCstChildren, orReplace = false, start?: A.Pos): A.CreateViewStatement {
    const queryNode = ctx.query[0]!;
    const first = firstTokenOf(queryNode.children)!;
    const last = lastTokenOf(queryNode.children)!;
    const statement: A.CreateViewStatement = {
      kind: 'create_view',
      name: this.qualifiedName(ctx.qualifiedName[0]!.children),
      orReplace,
      ifNotExists: ctx.ifNotExists !== undefined,
      query: this.query(queryNode.children),
      text: this.text.slice(first.startOffset, (last.endOffset ?? last.startOffset) + 1),
      pos: start ?? pos(ctx.VIEW[0]!),
    };
    if (orReplace && statement.ifNotExists) {
      throw syntaxError('CREATE OR REPLACE VIEW and IF NOT EXISTS cannot be used together', pos(ctx.VIEW[0]!));
    }
    if (ctx.parenNameList) statement.columnNames = this.parenNameList(ctx.parenNameList[0]!.children);
    return statement;
  }

  createIndexBody(ctx: C.CreateIndexBodyCstChildren, start?: A.Pos): A.CreateIndexStatement {
    const statement: A.CreateIndexStatement = {
      kind: 'create_index',
      name: this.name(ctx.name[0]!.children),
      table: this.qualifiedName(ctx.qualifiedName[0]!.children),
      columns: ctx.indexColumn.map((c) => this.indexColumn(c.children)),
      unique: ctx.UNIQUE !== undefined,
      ifNotExists: ctx.ifNotExists !== undefined,
      pos: start ?? pos(ctx.INDEX[0]!),
    };
    if (ctx.USING) statement.using = this.name(ctx.name[1]!.children).toLowerCase();
    return statement;
  }

  indexColumn(ctx: C.IndexColumnCstChildren): string {
    // ASC/DESC are accepted for compatibility; a bitmap or zone-map index has no direction.
    return this.name(ctx.name[0]!.children);
  }

  dropStatement(ctx: C.DropStatementCstChildren): A.DropStatement {
    return {
      kind: 'drop',
      object: ctx.TABLE ? 'table' : ctx.VIEW ? 'view' : 'index',
      names: ctx.qualifiedName.map((n) => this.qualifiedName(n.children)),
      ifExists: ctx.IF !== undefined,
      pos: pos(ctx.DROP[0]!),
    };
  }

  insertStatement(ctx: C.InsertStatementCstChildren): A.InsertStatement {
    const statement: A.InsertStatement = {
      kind: 'insert',
      table: this.qualifiedName(ctx.qualifiedName[0]!.children),
      source: this.query(ctx.query[0]!.children),
      pos: pos(ctx.INSERT[0]!),
    };
    if (ctx.Label) statement.alias = normalizeName(ctx.Label[0]!);
    if (ctx.parenNameList) statement.columns = this.parenNameList(ctx.parenNameList[0]!.children);
    if (ctx.OR) {
      const at = pos(ctx.OR[0]!);
      if (ctx.onConflict) throw syntaxError(`INSERT OR ${ctx.REPLACE ? 'REPLACE' : 'IGNORE'} cannot have an ON CONFLICT clause too; use one of them`, at);
      statement.onConflict = ctx.REPLACE ? { action: 'replace', target: null, pos: at } : { action: 'nothing', target: null, pos: at };
    }
    if (ctx.onConflict) statement.onConflict = this.onConflict(ctx.onConflict[0]!.children);
    return statement;
  }

  onConflict(ctx: C.OnConflictCstChildren): A.OnConflict {
    const at = pos(ctx.ON[0]!);
    const target = ctx.parenNameList ? this.parenNameList(ctx.parenNameList[0]!.children) : null;
    if (ctx.NOTHING) return { action: 'nothing', target, pos: at };
    const clause: A.OnConflict = { action: 'update', target, assignments: (ctx.assignment ?? []).map((a) => this.assignment(a.children)), pos: at };
    if (ctx.expression) clause.where = this.expression(ctx.expression[0]!.children);
    return clause;
  }

  transactionStatement(ctx: C.TransactionStatementCstChildren): A.TransactionStatement {
    const token = ctx.BEGIN?.[0] ?? ctx.START?.[0] ?? ctx.COMMIT?.[0] ?? ctx.END?.[0] ?? ctx.ROLLBACK?.[0] ?? ctx.ABORT![0]!;
    const kind = ctx.BEGIN || ctx.START ? 'begin' : ctx.COMMIT || ctx.END ? 'commit' : 'rollback';
    return { kind, pos: pos(token) };
  }

  copyStatement(ctx: C.CopyStatementCstChildren): A.CopyStatement | A.CopyToStatement {
    const options: Record<string, A.CopyOptionValue> = {};
    const set = (token: IToken, value: A.CopyOptionValue) => {
      let name = normalizeName(token);
      // The old flags CSV and BINARY name the format.
      if (name === 'csv' || name === 'binary' || name === 'text') {
        if (value !== true) throw syntaxError(`COPY option ${name.toUpperCase()} takes no value`, pos(token));
        value = name;
        name = 'format';
      }
      if (Object.prototype.hasOwnProperty.call(options, name)) {
        throw syntaxError(`COPY option "${name}" is given more than once`, pos(token));
      }
      options[name] = value;
    };
    for (const option of ctx.copyOption ?? []) {
      const o = option.children;
      set(o.Label[0]!, o.copyValue ? this.copyValue(o.copyValue[0]!.children) : true);
    }
    for (const option of ctx.legacyCopyOption ?? []) {
      const o = option.children;
      set(o.Label[0]!, o.copyLiteral ? this.copyLiteral(o.copyLiteral[0]!.children) : true);
    }
    if (ctx.TO !== undefined) {
      const to: A.CopyToStatement = { kind: 'copy_to', path: stringValue(ctx.StringLiteral[0]!), options, pos: pos(ctx.COPY[0]!) };
      if (ctx.query) to.query = this.query(ctx.query[0]!.children);
      else to.table = this.qualifiedName(ctx.qualifiedName![0]!.children);
      if (ctx.parenNameList) to.columns = this.parenNameList(ctx.parenNameList[0]!.children);
      return to;
    }
    if (ctx.query) throw syntaxError('COPY (query) can only write to a file: COPY (query) TO \'file\'', pos(ctx.COPY[0]!));
    const statement: A.CopyStatement = {
      kind: 'copy',
      table: this.qualifiedName(ctx.qualifiedName![0]!.children),
      path: stringValue(ctx.StringLiteral[0]!),
      options,
      pos: pos(ctx.COPY[0]!),
    };
    if (ctx.parenNameList) statement.columns = this.parenNameList(ctx.parenNameList[0]!.children);
    return statement;
  }

  copyOption(_ctx: C.CopyOptionCstChildren): void {
    // Read by copyStatement, which collects the options into one record.
  }

  legacyCopyOption(_ctx: C.LegacyCopyOptionCstChildren): void {
    // Read by copyStatement.
  }

  copyValue(ctx: C.CopyValueCstChildren): A.CopyOptionValue {
    if (ctx.copyLiteral) return this.copyLiteral(ctx.copyLiteral[0]!.children);
    if (ctx.ON) return true;
    const word = normalizeName(ctx.Name![0]!);
    if (word === 'off') return false;
    return word;
  }

  copyLiteral(ctx: C.CopyLiteralCstChildren): A.CopyOptionValue {
    if (ctx.StringLiteral) return stringValue(ctx.StringLiteral[0]!);
    if (ctx.NumberLiteral) return Number(ctx.NumberLiteral[0]!.image);
    return ctx.TRUE !== undefined;
  }

  updateStatement(ctx: C.UpdateStatementCstChildren): A.UpdateStatement {
    const statement: A.UpdateStatement = {
      kind: 'update',
      table: this.qualifiedName(ctx.qualifiedName[0]!.children),
      assignments: ctx.assignment.map((a) => this.assignment(a.children)),
      pos: pos(ctx.UPDATE[0]!),
    };
    const aliasToken = ctx.Label?.[0] ?? ctx.Name?.[0];
    if (aliasToken) statement.alias = normalizeName(aliasToken);
    if (ctx.expression) statement.where = this.expression(ctx.expression[0]!.children);
    return statement;
  }

  assignment(ctx: C.AssignmentCstChildren): A.Assignment {
    return { column: this.name(ctx.name[0]!.children), value: this.expression(ctx.expression[0]!.children), pos: pos(ctx.name[0]!.children.Name[0]!) };
  }

  alterStatement(ctx: C.AlterStatementCstChildren): A.AlterTableStatement {
    const table = this.qualifiedName(ctx.qualifiedName[0]!.children);
    const at = pos(ctx.ALTER[0]!);
    const names = (ctx.name ?? []).map((n) => this.name(n.children));
    if (ctx.columnDef) return { kind: 'alter_table', table, action: { kind: 'add_column', def: this.columnDef(ctx.columnDef[0]!.children) }, pos: at };
    if (ctx.DROP) return { kind: 'alter_table', table, action: { kind: 'drop_column', column: names[0]! }, pos: at };
    if (names.length === 1) return { kind: 'alter_table', table, action: { kind: 'rename_table', to: names[0]! }, pos: at };
    return { kind: 'alter_table', table, action: { kind: 'rename_column', from: names[0]!, to: names[1]! }, pos: at };
  }

  truncateStatement(ctx: C.TruncateStatementCstChildren): A.TruncateStatement {
    return { kind: 'truncate', table: this.qualifiedName(ctx.qualifiedName[0]!.children), pos: pos(ctx.TRUNCATE[0]!) };
  }

  checkpointStatement(ctx: C.CheckpointStatementCstChildren): A.CheckpointStatement {
    return { kind: 'checkpoint', pos: pos(ctx.CHECKPOINT[0]!) };
  }

  optimizeStatement(ctx: C.OptimizeStatementCstChildren): A.OptimizeStatement {
    const statement: A.OptimizeStatement = { kind: 'optimize', pos: pos(ctx.OPTIMIZE[0]!) };
    if (ctx.qualifiedName) statement.table = this.qualifiedName(ctx.qualifiedName[0]!.children);
    return statement;
  }

  deleteStatement(ctx: C.DeleteStatementCstChildren): A.DeleteStatement {
    const statement: A.DeleteStatement = {
      kind: 'delete',
      table: this.qualifiedName(ctx.qualifiedName[0]!.children),
      pos: pos(ctx.DELETE[0]!),
    };
    const aliasToken = ctx.Label?.[0] ?? ctx.Name?.[0];
    if (aliasToken) statement.alias = normalizeName(aliasToken);
    if (ctx.expression) statement.where = this.expression(ctx.expression[0]!.children);
    return statement;
  }

  explainStatement(ctx: C.ExplainStatementCstChildren): A.ExplainStatement {
    // EXPLAIN (ANALYZE, ...) is EXPLAIN ANALYZE, as in PostgreSQL.
    const options = (ctx.Label ?? []).map((t) => normalizeName(t).toLowerCase());
    const analyze = ctx.ANALYZE !== undefined || options.includes('analyze');
    return {
      kind: 'explain',
      analyze,
      options: options.filter((o) => o !== 'analyze'),
      statement: this.statement(ctx.statement[0]!.children),
      pos: pos(ctx.EXPLAIN[0]!),
    };
  }

  showStatement(ctx: C.ShowStatementCstChildren): A.ShowTablesStatement | A.ShowSettingStatement | A.ShowCreateStatement {
    const word = ctx.Label[0]!;
    const at = pos(ctx.SHOW[0]!);
    if (ctx.qualifiedName) {
      const what = ctx.Label[1]!;
      if (word.tokenType !== T.Create || (what.tokenType !== T.Table && what.tokenType !== T.View)) {
        throw syntaxError(`syntax error at or near "${what.image}": write SHOW CREATE TABLE name or SHOW CREATE VIEW name`, pos(what));
      }
      const name = this.qualifiedName(ctx.qualifiedName[0]!.children);
      return { kind: 'show_create', object: what.tokenType === T.Table ? 'table' : 'view', name, pos: at };
    }
    if (word.tokenType === T.Tables) return { kind: 'show_tables', pos: at };
    return { kind: 'show_setting', name: word.tokenType === T.All ? null : normalizeName(word), pos: at };
  }

  setStatement(ctx: C.SetStatementCstChildren): A.SetStatement {
    return { kind: 'set', name: normalizeName(ctx.Label[0]!), value: this.settingValue(ctx.settingValue[0]!.children), pos: pos(ctx.SET[0]!) };
  }

  settingValue(ctx: C.SettingValueCstChildren): A.SetStatement['value'] {
    if (ctx.StringLiteral) return stringValue(ctx.StringLiteral[0]!);
    if (ctx.NumberLiteral) return (ctx.Minus ? -1 : 1) * Number(ctx.NumberLiteral[0]!.image);
    const word = ctx.Label![0]!;
    if (word.tokenType === T.True || word.tokenType === T.On) return true;
    if (word.tokenType === T.False) return false;
    if (word.tokenType === T.Default) return null;
    return normalizeName(word);
  }

  resetStatement(ctx: C.ResetStatementCstChildren): A.ResetStatement {
    const word = ctx.Label[0]!;
    return { kind: 'reset', name: word.tokenType === T.All ? null : normalizeName(word), pos: pos(ctx.RESET[0]!) };
  }

  describeStatement(ctx: C.DescribeStatementCstChildren): A.DescribeStatement {
    return { kind: 'describe', table: this.qualifiedName(ctx.qualifiedName[0]!.children), pos: pos(ctx.DESCRIBE[0]!) };
  }
}
