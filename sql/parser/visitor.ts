// The CST visitor, step three of the parser: it turns chevrotain's concrete syntax tree into
// the typed AST of sql/ast.ts, normalizing names (unquoted lower-cased), unwrapping needless
// parentheses and desugaring SUBSTRING/TRIM/POSITION into plain calls. It checks what the
// grammar cannot say (one LIMIT, a join condition where one is needed, ...), never the catalog.
//
// Methods are called directly with the typed children (not through `visit`), which keeps the
// types exact; `validateVisitor()` still checks that every grammar rule has its method.

import type { CstNode, IToken } from 'chevrotain';
import type * as A from '../ast.js';
import { internalError, notSupported, syntaxError } from '../../common/errors.js';
import type * as C from './cst.js';
import { sqlParser } from './grammar.js';
import * as T from './lexer.js';

type Children = Record<string, (CstNode | IToken)[] | undefined>;

function isToken(element: CstNode | IToken): element is IToken {
  return (element as IToken).image !== undefined;
}

/** The first token of a CST subtree (the children of a node). */
function firstTokenOf(children: Children): IToken | undefined {
  let best: IToken | undefined;
  for (const key in children) {
    const first = children[key]?.[0];
    if (first === undefined) continue;
    const token = isToken(first) ? first : firstTokenOf(first.children);
    if (token !== undefined && (best === undefined || token.startOffset < best.startOffset)) best = token;
  }
  return best;
}

/** The last token of a CST subtree. */
function lastTokenOf(children: Children): IToken | undefined {
  let best: IToken | undefined;
  for (const key in children) {
    const list = children[key];
    const last = list?.[list.length - 1];
    if (last === undefined) continue;
    const token = isToken(last) ? last : lastTokenOf(last.children);
    if (token !== undefined && (best === undefined || token.startOffset > best.startOffset)) best = token;
  }
  return best;
}

function pos(token: IToken): A.Pos {
  return { line: token.startLine ?? 1, column: token.startColumn ?? 1 };
}

function posOf(children: Children): A.Pos {
  const token = firstTokenOf(children);
  return token ? pos(token) : { line: 1, column: 1 };
}

/** Tokens of several kinds in source order (operators of one precedence level). */
function inOrder(...lists: (IToken[] | undefined)[]): IToken[] {
  const all: IToken[] = [];
  for (const list of lists) if (list) for (const token of list) all.push(token);
  if (all.length > 1) all.sort((a, b) => a.startOffset - b.startOffset);
  return all;
}

/** An identifier as the catalog sees it: unquoted lower-cased, "quoted" exact with "" -> ". */
export function normalizeName(token: IToken): string {
  if (token.tokenType === T.QuotedIdentifier) {
    const name = token.image.slice(1, -1).replace(/""/g, '"');
    if (name.length === 0) throw syntaxError('zero-length quoted identifier ""; write a name between the quotes', pos(token));
    return name;
  }
  return token.image.toLowerCase();
}

function stringValue(token: IToken): string {
  return token.image.slice(1, -1).replace(/''/g, "'");
}

const INTERVAL_UNIT_SINGULAR: Record<string, string> = {
  years: 'year',
  months: 'month',
  weeks: 'week',
  days: 'day',
  hours: 'hour',
  minutes: 'minute',
  seconds: 'second',
  milliseconds: 'millisecond',
  microseconds: 'microsecond',
  quarters: 'quarter',
  decades: 'decade',
  centuries: 'century',
  millennia: 'millennium',
};

type TableElement =
  | { kind: 'column'; def: A.ColumnDef }
  | { kind: 'primary_key'; columns: string[]; pos: A.Pos }
  | { kind: 'unique' };

interface CallArgs {
  args: A.Expr[];
  namedArgs: Record<string, A.Expr>;
  named: IToken[];
  distinct: boolean;
  star: boolean;
}

interface Alias {
  alias: string;
  columnAliases?: string[];
}

/** Binding powers, PostgreSQL's precedence from loosest to tightest. */
const PREC_OR = 1;
const PREC_AND = 2;
const PREC_NOT = 3;
const PREC_IS = 4;
const PREC_COMPARISON = 5;
const PREC_PREDICATE = 6;
const PREC_CONCAT = 7;
const PREC_ADDITIVE = 8;
const PREC_MULTIPLICATIVE = 9;

/** One operator or suffix of a flat expression, ready for precedence climbing. */
interface Step {
  /** First token: orders the steps and positions the node built. */
  token: IToken;
  prec: number;
  /** The right operand of a binary operator or of IS [NOT] DISTINCT FROM; none for a suffix. */
  operand?: C.OperandCstNode;
  /** The binary operator; undefined for IS [NOT] DISTINCT FROM and for suffixes. */
  op?: A.BinaryOp;
  /** IS NOT DISTINCT FROM */
  negated: boolean;
  /** A suffix: IS [NOT] NULL/TRUE/FALSE/UNKNOWN ... */
  isClause?: C.IsClauseCstChildren;
  /** ... or [NOT] BETWEEN / IN / LIKE / ILIKE (ISNULL and NOTNULL have neither). */
  predicate?: C.PredicateSuffixCstChildren;
}

/** Reading position in a flat expression. */
interface Chain {
  steps: Step[];
  nextStep: number;
  /** The operand being read, and how many of its prefix operators are already applied. */
  operand: C.OperandCstChildren;
  nextPrefix: number;
}

const OPERATORS: Record<string, { op: A.BinaryOp; prec: number }> = {
  OR: { op: 'or', prec: PREC_OR },
  AND: { op: 'and', prec: PREC_AND },
  Equals: { op: '=', prec: PREC_COMPARISON },
  NotEquals: { op: '<>', prec: PREC_COMPARISON },
  BangEquals: { op: '<>', prec: PREC_COMPARISON },
  Less: { op: '<', prec: PREC_COMPARISON },
  LessEquals: { op: '<=', prec: PREC_COMPARISON },
  Greater: { op: '>', prec: PREC_COMPARISON },
  GreaterEquals: { op: '>=', prec: PREC_COMPARISON },
  Concat: { op: '||', prec: PREC_CONCAT },
  Plus: { op: '+', prec: PREC_ADDITIVE },
  Minus: { op: '-', prec: PREC_ADDITIVE },
  Star: { op: '*', prec: PREC_MULTIPLICATIVE },
  Slash: { op: '/', prec: PREC_MULTIPLICATIVE },
  Percent: { op: '%', prec: PREC_MULTIPLICATIVE },
};

/** The one token of an operator node. */
function operatorToken(children: Children): IToken {
  for (const key in children) return children[key]![0] as IToken;
  throw internalError('empty operator node in the syntax tree');
}

function operatorStep(ctx: C.BinaryOperatorCstChildren | C.ArithOperatorCstChildren, operand: C.OperandCstNode): Step {
  const token = operatorToken(ctx);
  const info = OPERATORS[token.tokenType.name]!;
  return { token, prec: info.prec, op: info.op, negated: false, operand };
}

function isStep(ctx: C.IsClauseCstChildren): Step {
  const token = ctx.IS[0]!;
  if (ctx.DISTINCT) return { token, prec: PREC_IS, negated: ctx.NOT !== undefined, operand: ctx.operand![0]! };
  return { token, prec: PREC_IS, negated: false, isClause: ctx };
}

function predicateStep(ctx: C.PredicateSuffixCstChildren): Step {
  const token = (ctx.NOT ?? ctx.BETWEEN ?? ctx.IN ?? ctx.LIKE ?? ctx.ILIKE)![0]!;
  return { token, prec: PREC_PREDICATE, negated: false, predicate: ctx };
}

const NO_TOKENS: IToken[] = [];

/** An operand's prefix operators in source order. */
function prefixTokens(node: C.OperandCstChildren): IToken[] {
  if (!node.NOT && !node.Plus && !node.Minus) return NO_TOKENS;
  return inOrder(node.NOT, node.Plus, node.Minus);
}

/** The tokens that name a type: typeName's, or the leading words of a typed literal. */
type TypeWords = Pick<C.TypeNameCstChildren, 'Name' | 'PRECISION' | 'VARYING' | 'WITH' | 'WITHOUT' | 'ZONE' | 'NumberLiteral'>;

/** First token of an expression, found without walking the whole subtree. */
function expressionStart(ctx: C.ExpressionCstChildren): IToken {
  const operand = ctx.operand[0]!.children;
  const prefixes = prefixTokens(operand);
  if (prefixes.length > 0) return prefixes[0]!;
  const primary = operand.primary[0]!.children;
  const nameLed = primary.nameLed?.[0]?.children;
  if (nameLed) return nameLed.Name?.[0] ?? nameLed.LEFT?.[0] ?? nameLed.RIGHT?.[0] ?? firstTokenOf(nameLed)!;
  const direct =
    primary.NumberLiteral ?? primary.StringLiteral ?? primary.NULL ?? primary.TRUE ?? primary.FALSE ?? primary.DollarParam ?? primary.QuestionMark;
  if (direct) return direct[0]!;
  if (primary.parenthesized) return primary.parenthesized[0]!.children.LParen[0]!;
  if (primary.existsExpr) return primary.existsExpr[0]!.children.EXISTS[0]!;
  if (primary.caseExpr) return primary.caseExpr[0]!.children.CASE[0]!;
  const cast = primary.castExpr![0]!.children;
  return (cast.CAST ?? cast.TRY_CAST)![0]!;
}

/** First token of a query. */
function queryStart(ctx: C.QueryCstChildren): IToken {
  if (ctx.withClause) return ctx.withClause[0]!.children.WITH[0]!;
  const primary = ctx.setExpression[0]!.children.intersectExpression[0]!.children.queryPrimary[0]!.children;
  if (primary.selectCore) return primary.selectCore[0]!.children.SELECT[0]!;
  if (primary.valuesBody) return primary.valuesBody[0]!.children.VALUES[0]!;
  return primary.LParen![0]!;
}

const BaseVisitor = sqlParser.getBaseCstVisitorConstructor();

export class AstBuilder extends BaseVisitor implements C.SqlCstVisitor<unknown, unknown> {
  /** The SQL text being converted (CREATE VIEW keeps a slice of it). */
  private text = '';
  /** Parameter number of each `?`, by token start offset: numbered in order of appearance. */
  private questionMarks = new Map<number, number>();

  constructor() {
    super();
    this.validateVisitor();
  }

  /** Prepares for one input; `tokens` are all of its tokens, in order. */
  begin(text: string, tokens: IToken[]): void {
    this.text = text;
    this.questionMarks.clear();
    let next = 1;
    for (const token of tokens) if (token.tokenType === T.QuestionMark) this.questionMarks.set(token.startOffset, next++);
  }

  // ------------------------------------------------------------ statements

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
    if (ctx.explainStatement) return this.explainStatement(ctx.explainStatement[0]!.children);
    if (ctx.showStatement) return this.showStatement(ctx.showStatement[0]!.children);
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
    if (ctx.parenNameList) statement.columns = this.parenNameList(ctx.parenNameList[0]!.children);
    return statement;
  }

  copyStatement(ctx: C.CopyStatementCstChildren): A.CopyStatement {
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
    const statement: A.CopyStatement = {
      kind: 'copy',
      table: this.qualifiedName(ctx.qualifiedName[0]!.children),
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

  showStatement(ctx: C.ShowStatementCstChildren): A.ShowTablesStatement {
    return { kind: 'show_tables', pos: pos(ctx.SHOW[0]!) };
  }

  describeStatement(ctx: C.DescribeStatementCstChildren): A.DescribeStatement {
    return { kind: 'describe', table: this.qualifiedName(ctx.qualifiedName[0]!.children), pos: pos(ctx.DESCRIBE[0]!) };
  }

  // ------------------------------------------------------------ queries

  query(ctx: C.QueryCstChildren): A.Query {
    const query: A.Query = {
      kind: 'query',
      with: ctx.withClause ? this.withClause(ctx.withClause[0]!.children) : [],
      body: this.setExpression(ctx.setExpression[0]!.children),
      orderBy: ctx.orderByClause ? this.orderByClause(ctx.orderByClause[0]!.children) : [],
      pos: pos(queryStart(ctx)),
    };
    if (ctx.limitClause) {
      if (ctx.limitClause.length > 1) throw syntaxError('LIMIT is given more than once', pos(ctx.limitClause[1]!.children.LIMIT[0]!));
      const limit = this.limitClause(ctx.limitClause[0]!.children);
      if (limit) query.limit = limit;
    }
    if (ctx.offsetClause) {
      if (ctx.offsetClause.length > 1) throw syntaxError('OFFSET is given more than once', pos(ctx.offsetClause[1]!.children.OFFSET[0]!));
      query.offset = this.offsetClause(ctx.offsetClause[0]!.children);
    }
    return query;
  }

  withClause(ctx: C.WithClauseCstChildren): A.CommonTableExpr[] {
    if (ctx.RECURSIVE) throw notSupported('WITH RECURSIVE is not supported; only plain WITH queries are', pos(ctx.RECURSIVE[0]!));
    return ctx.commonTableExpr.map((c) => this.commonTableExpr(c.children));
  }

  commonTableExpr(ctx: C.CommonTableExprCstChildren): A.CommonTableExpr {
    const nameToken = ctx.name[0]!.children.Name[0]!;
    const cte: A.CommonTableExpr = {
      name: normalizeName(nameToken),
      query: this.query(ctx.query[0]!.children),
      pos: pos(nameToken),
    };
    if (ctx.parenNameList) cte.columnNames = this.parenNameList(ctx.parenNameList[0]!.children);
    return cte;
  }

  setExpression(ctx: C.SetExpressionCstChildren): A.QueryBody {
    const operands = ctx.intersectExpression;
    let body = this.intersectExpression(operands[0]!.children);
    if (operands.length === 1) return body;
    const ops = inOrder(ctx.UNION, ctx.EXCEPT);
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      body = {
        kind: 'set_op',
        op: op.tokenType === T.Union ? 'union' : 'except',
        all: this.quantifierAfter(op, ops[i + 1], ctx.setQuantifier),
        left: body,
        right: this.intersectExpression(operands[i + 1]!.children),
        pos: pos(op),
      };
    }
    return body;
  }

  intersectExpression(ctx: C.IntersectExpressionCstChildren): A.QueryBody {
    const operands = ctx.queryPrimary;
    let body = this.queryPrimary(operands[0]!.children);
    const ops = ctx.INTERSECT ?? [];
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      body = {
        kind: 'set_op',
        op: 'intersect',
        all: this.quantifierAfter(op, ops[i + 1], ctx.setQuantifier),
        left: body,
        right: this.queryPrimary(operands[i + 1]!.children),
        pos: pos(op),
      };
    }
    return body;
  }

  /** Is the set operator `op` followed by ALL (rather than DISTINCT or nothing)? The
   *  quantifiers of this level's operators are collected apart from them; each one sits between
   *  its operator and the next. */
  private quantifierAfter(op: IToken, nextOp: IToken | undefined, quantifiers: C.SetQuantifierCstNode[] | undefined): boolean {
    if (!quantifiers) return false;
    const end = nextOp ? nextOp.startOffset : Infinity;
    for (const q of quantifiers) {
      const token = q.children.ALL?.[0] ?? q.children.DISTINCT![0]!;
      if (token.startOffset > op.startOffset && token.startOffset < end) return q.children.ALL !== undefined;
    }
    return false;
  }

  setQuantifier(ctx: C.SetQuantifierCstChildren): boolean {
    return ctx.DISTINCT !== undefined;
  }

  queryPrimary(ctx: C.QueryPrimaryCstChildren): A.QueryBody {
    if (ctx.selectCore) return this.selectCore(ctx.selectCore[0]!.children);
    if (ctx.valuesBody) return this.valuesBody(ctx.valuesBody[0]!.children);
    const inner = this.query(ctx.query![0]!.children);
    // `(SELECT ...)` as a set operand needs no Query of its own unless it has WITH/ORDER/LIMIT.
    const plain = inner.with.length === 0 && inner.orderBy.length === 0 && !inner.limit && !inner.offset;
    return plain ? inner.body : inner;
  }

  selectCore(ctx: C.SelectCoreCstChildren): A.SelectCore {
    const select: A.SelectCore = {
      kind: 'select',
      distinct: ctx.setQuantifier ? this.setQuantifier(ctx.setQuantifier[0]!.children) : false,
      items: ctx.selectItem.map((i) => this.selectItem(i.children)),
      from: (ctx.tableRef ?? []).map((t) => this.tableRef(t.children)),
      groupBy: (ctx.groupBy ?? []).map((e) => this.expression(e.children)),
      pos: pos(ctx.SELECT[0]!),
    };
    if (ctx.where) select.where = this.expression(ctx.where[0]!.children);
    if (ctx.having) select.having = this.expression(ctx.having[0]!.children);
    return select;
  }

  valuesBody(ctx: C.ValuesBodyCstChildren): A.ValuesBody {
    return { kind: 'values', rows: ctx.valuesRow.map((r) => this.valuesRow(r.children)), pos: pos(ctx.VALUES[0]!) };
  }

  valuesRow(ctx: C.ValuesRowCstChildren): A.Expr[] {
    return ctx.expression.map((e) => this.expression(e.children));
  }

  selectItem(ctx: C.SelectItemCstChildren): A.SelectItem {
    if (ctx.Star) return { kind: 'star', pos: pos(ctx.Star[0]!) };
    const expr = this.expression(ctx.expression![0]!.children);
    if (expr.kind === 'star') {
      if (ctx.columnAlias) throw syntaxError(`${expr.table}.* cannot have an alias`, posOf(ctx.columnAlias[0]!.children));
      return expr.table === undefined ? { kind: 'star', pos: expr.pos } : { kind: 'star', table: expr.table, pos: expr.pos };
    }
    const item: A.SelectItem = { kind: 'expr', expr, pos: pos(expressionStart(ctx.expression![0]!.children)) };
    if (ctx.columnAlias) item.alias = this.columnAlias(ctx.columnAlias[0]!.children);
    return item;
  }

  columnAlias(ctx: C.ColumnAliasCstChildren): string {
    return normalizeName(ctx.Label?.[0] ?? ctx.Name![0]!);
  }

  orderByClause(ctx: C.OrderByClauseCstChildren): A.OrderItem[] {
    return ctx.orderItem.map((o) => this.orderItem(o.children));
  }

  orderItem(ctx: C.OrderItemCstChildren): A.OrderItem {
    const item: A.OrderItem = { expr: this.expression(ctx.expression[0]!.children), desc: ctx.DESC !== undefined };
    if (ctx.NULLS) item.nulls = ctx.FIRST ? 'first' : 'last';
    return item;
  }

  /** undefined for LIMIT ALL. */
  limitClause(ctx: C.LimitClauseCstChildren): A.Expr | undefined {
    return ctx.expression ? this.expression(ctx.expression[0]!.children) : undefined;
  }

  offsetClause(ctx: C.OffsetClauseCstChildren): A.Expr {
    return this.expression(ctx.expression[0]!.children);
  }

  // ------------------------------------------------------------ FROM

  tableRef(ctx: C.TableRefCstChildren): A.TableRef {
    let ref = this.tablePrimary(ctx.tablePrimary[0]!.children);
    for (const join of ctx.joinClause ?? []) ref = this.joinClause(join.children, ref);
    return ref;
  }

  joinClause(ctx: C.JoinClauseCstChildren, left?: A.TableRef): A.JoinRef {
    const kind = ctx.joinType?.[0]?.children;
    const first = ctx.CROSS ?? ctx.NATURAL ?? kind?.INNER ?? kind?.LEFT ?? kind?.RIGHT ?? kind?.FULL ?? ctx.JOIN!;
    const start = pos(first[0]!);
    const right = this.tablePrimary(ctx.tablePrimary![0]!.children);
    if (ctx.CROSS) return { kind: 'join', joinType: 'cross', natural: false, left: left!, right, pos: start };
    const joinType = ctx.joinType ? this.joinType(ctx.joinType[0]!.children) : 'inner';
    const natural = ctx.NATURAL !== undefined;
    const join: A.JoinRef = { kind: 'join', joinType, natural, left: left!, right, pos: start };
    const condition = ctx.joinCondition?.[0]?.children;
    if (natural && condition) {
      throw syntaxError('a NATURAL join cannot have an ON or USING clause', posOf(condition));
    }
    if (!natural && !condition) {
      const joinToken = ctx.JOIN![0]!;
      throw syntaxError(
        `JOIN needs ON <condition> or USING (<columns>) after the joined table; use CROSS JOIN for a cross product`,
        pos(joinToken),
      );
    }
    if (condition?.expression) join.on = this.expression(condition.expression[0]!.children);
    if (condition?.parenNameList) join.using = this.parenNameList(condition.parenNameList[0]!.children);
    return join;
  }

  joinType(ctx: C.JoinTypeCstChildren): A.JoinRef['joinType'] {
    if (ctx.LEFT) return 'left';
    if (ctx.RIGHT) return 'right';
    if (ctx.FULL) return 'full';
    return 'inner';
  }

  joinCondition(_ctx: C.JoinConditionCstChildren): void {
    // Read by joinClause, which checks it against NATURAL.
  }

  tablePrimary(ctx: C.TablePrimaryCstChildren): A.TableRef {
    if (ctx.tableRef) return this.tableRef(ctx.tableRef[0]!.children);
    const alias = ctx.tableAlias ? this.tableAlias(ctx.tableAlias[0]!.children) : undefined;
    let ref: A.TableRef;
    if (ctx.query) {
      ref = { kind: 'subquery', query: this.query(ctx.query[0]!.children), pos: pos(ctx.LParen![0]!) };
    } else if (ctx.callArguments) {
      const nameToken = ctx.name![0]!.children.Name[0]!;
      const call = this.callArguments(ctx.callArguments[0]!.children);
      if (call.star || call.distinct) {
        throw syntaxError(`table function ${normalizeName(nameToken)} takes plain arguments`, pos(nameToken));
      }
      ref = { kind: 'table_function', name: normalizeName(nameToken), args: call.args, namedArgs: call.namedArgs, pos: pos(nameToken) };
    } else {
      const nameNode = ctx.qualifiedName![0]!;
      ref = { kind: 'table', name: this.qualifiedName(nameNode.children), pos: pos(nameNode.children.Name[0]!) };
    }
    if (alias) {
      ref.alias = alias.alias;
      if (alias.columnAliases) ref.columnAliases = alias.columnAliases;
    }
    return ref;
  }

  tableAlias(ctx: C.TableAliasCstChildren): Alias {
    const alias: Alias = { alias: normalizeName(ctx.Label?.[0] ?? ctx.Name![0]!) };
    if (ctx.parenNameList) alias.columnAliases = this.parenNameList(ctx.parenNameList[0]!.children);
    return alias;
  }

  // ------------------------------------------------------------ names and types

  name(ctx: C.NameCstChildren): string {
    return normalizeName(ctx.Name[0]!);
  }

  qualifiedName(ctx: C.QualifiedNameCstChildren): string {
    const first = normalizeName(ctx.Name[0]!);
    if (!ctx.Label) return first;
    return [first, ...ctx.Label.map(normalizeName)].join('.');
  }

  parenNameList(ctx: C.ParenNameListCstChildren): string[] {
    return ctx.name.map((n) => this.name(n.children));
  }

  /** Also reads the type words of a typed literal, which has the same tokens but no (n). */
  typeName(ctx: TypeWords): A.TypeName {
    const word = ctx.Name[0]!;
    let name = normalizeName(word).toUpperCase();
    const misplaced = (token: IToken) =>
      syntaxError(`syntax error at or near "${token.image}": ${name} ${token.image.toUpperCase()} is not a type`, pos(token));
    if (ctx.PRECISION) {
      if (name !== 'DOUBLE') throw misplaced(ctx.PRECISION[0]!);
      name = 'DOUBLE';
    } else if (ctx.VARYING) {
      if (name !== 'CHARACTER' && name !== 'CHAR') throw misplaced(ctx.VARYING[0]!);
      name = 'VARCHAR';
    } else if (ctx.ZONE) {
      const withZone = ctx.WITH !== undefined;
      const keyword = (ctx.WITH ?? ctx.WITHOUT)![0]!;
      if (name === 'TIMESTAMP') name = withZone ? 'TIMESTAMPTZ' : 'TIMESTAMP';
      else if (name === 'TIME') name = withZone ? 'TIMETZ' : 'TIME';
      else throw misplaced(keyword);
    }
    const args = (ctx.NumberLiteral ?? []).map((token) => {
      if (!/^\d+$/.test(token.image)) {
        throw syntaxError(`type modifier of ${name} must be a whole number, not ${token.image}`, pos(token));
      }
      return Number(token.image);
    });
    return { name, args, pos: pos(word) };
  }

  // ------------------------------------------------------------ expressions

  expression(ctx: C.ExpressionCstChildren): A.Expr {
    const operands = ctx.operand;
    const first = operands[0]!.children;
    const binary = ctx.binaryOperator;
    if (!binary && !ctx.isClause && !ctx.ISNULL && !ctx.NOTNULL && !ctx.predicateSuffix) return this.operandAlone(first);
    const steps: Step[] = [];
    let kinds = 0;
    if (binary) {
      kinds++;
      for (let i = 0; i < binary.length; i++) steps.push(operatorStep(binary[i]!.children, operands[i + 1]!));
    }
    if (ctx.isClause) {
      kinds++;
      for (const node of ctx.isClause) steps.push(isStep(node.children));
    }
    if (ctx.ISNULL) {
      kinds++;
      for (const token of ctx.ISNULL) steps.push({ token, prec: PREC_IS, negated: false });
    }
    if (ctx.NOTNULL) {
      kinds++;
      for (const token of ctx.NOTNULL) steps.push({ token, prec: PREC_IS, negated: true });
    }
    if (ctx.predicateSuffix) {
      kinds++;
      for (const node of ctx.predicateSuffix) steps.push(predicateStep(node.children));
    }
    if (kinds > 1) steps.sort((a, b) => a.token.startOffset - b.token.startOffset);
    return this.chain({ steps, nextStep: 0, operand: first, nextPrefix: 0 }, 0);
  }

  arithExpr(ctx: C.ArithExprCstChildren): A.Expr {
    const operands = ctx.operand;
    const ops = ctx.arithOperator;
    if (!ops) return this.operandAlone(operands[0]!.children);
    const steps = ops.map((node, i) => operatorStep(node.children, operands[i + 1]!));
    return this.chain({ steps, nextStep: 0, operand: operands[0]!.children, nextPrefix: 0 }, 0);
  }

  binaryOperator(_ctx: C.BinaryOperatorCstChildren): void {
    // Read by expression, which orders operators by precedence.
  }

  arithOperator(_ctx: C.ArithOperatorCstChildren): void {
    // Read by arithExpr.
  }

  isClause(_ctx: C.IsClauseCstChildren): void {
    // Read by expression, which knows the operand.
  }

  predicateSuffix(_ctx: C.PredicateSuffixCstChildren): void {
    // Read by expression, which knows the operand.
  }

  /**
   * Precedence climbing over a flat expression: reads the current operand, then steps for as
   * long as they bind at least as tightly as `minPrec`; binary operators are left-associative.
   */
  private chain(state: Chain, minPrec: number): A.Expr {
    let left = this.chainOperand(state);
    const steps = state.steps;
    while (state.nextStep < steps.length) {
      const step = steps[state.nextStep]!;
      if (step.prec < minPrec) break;
      state.nextStep++;
      if (step.operand === undefined) {
        left = this.applySuffix(step, left);
        continue;
      }
      state.operand = step.operand.children;
      state.nextPrefix = 0;
      const right = this.chain(state, step.prec + 1);
      const at = pos(step.token);
      left =
        step.op === undefined
          ? { kind: 'is_distinct', left, right, negated: step.negated, pos: at }
          : { kind: 'binary', op: step.op, left, right, pos: at };
    }
    return left;
  }

  /** The current operand with its prefix operators: NOT takes everything that binds tighter
   *  than NOT (so `NOT a = b` is NOT (a = b)); unary + and - take only the operand itself. */
  private chainOperand(state: Chain): A.Expr {
    const node = state.operand;
    const prefixes = prefixTokens(node);
    if (state.nextPrefix < prefixes.length) {
      const prefix = prefixes[state.nextPrefix++]!;
      if (prefix.tokenType === T.Not) return this.not(prefix, this.chain(state, PREC_NOT));
      const operand = this.chainOperand(state);
      return { kind: 'unary', op: prefix.tokenType === T.Plus ? '+' : '-', operand, pos: pos(prefix) };
    }
    return this.operandCore(node);
  }

  /** An expression that is a single operand: its prefixes apply to it, innermost last. */
  private operandAlone(node: C.OperandCstChildren): A.Expr {
    let expr = this.operandCore(node);
    const prefixes = prefixTokens(node);
    for (let i = prefixes.length - 1; i >= 0; i--) {
      const prefix = prefixes[i]!;
      expr =
        prefix.tokenType === T.Not
          ? this.not(prefix, expr)
          : { kind: 'unary', op: prefix.tokenType === T.Plus ? '+' : '-', operand: expr, pos: pos(prefix) };
    }
    return expr;
  }

  private not(token: IToken, operand: A.Expr): A.Expr {
    // NOT EXISTS (...) is its own node, as the AST documents.
    if (operand.kind === 'exists' && !operand.negated) return { ...operand, negated: true, pos: pos(token) };
    return { kind: 'unary', op: 'not', operand, pos: pos(token) };
  }

  /** A primary and its `::type` casts. */
  private operandCore(node: C.OperandCstChildren): A.Expr {
    let expr = this.primary(node.primary[0]!.children);
    const casts = node.DoubleColon;
    if (casts) {
      for (let i = 0; i < casts.length; i++) {
        expr = { kind: 'cast', expr, type: this.typeName(node.typeName![i]!.children), try: false, pos: pos(casts[i]!) };
      }
    }
    return expr;
  }

  operand(ctx: C.OperandCstChildren): A.Expr {
    return this.operandAlone(ctx);
  }

  private applySuffix(step: Step, expr: A.Expr): A.Expr {
    const is = step.isClause;
    if (is) {
      const at = pos(is.IS[0]!);
      const negated = is.NOT !== undefined;
      if (is.NULL) return { kind: 'is_null', expr, negated, pos: at };
      const value = is.TRUE ? true : is.FALSE ? false : null;
      return { kind: 'is_bool', expr, value, negated, pos: at };
    }
    const ctx = step.predicate;
    // ISNULL / NOTNULL
    if (!ctx) return { kind: 'is_null', expr, negated: step.negated, pos: pos(step.token) };
    const negated = ctx.NOT !== undefined;
    const at = pos((ctx.NOT ?? ctx.BETWEEN ?? ctx.IN ?? ctx.LIKE ?? ctx.ILIKE)![0]!);
    if (ctx.BETWEEN) {
      if (ctx.SYMMETRIC) {
        throw notSupported('BETWEEN SYMMETRIC is not supported; write (x BETWEEN a AND b) OR (x BETWEEN b AND a)', pos(ctx.SYMMETRIC[0]!));
      }
      return {
        kind: 'between',
        expr,
        low: this.arithExpr(ctx.low![0]!.children),
        high: this.arithExpr(ctx.high![0]!.children),
        negated,
        pos: at,
      };
    }
    if (ctx.inTarget) {
      const target = ctx.inTarget[0]!.children;
      if (target.query) return { kind: 'in_subquery', expr, query: this.query(target.query[0]!.children), negated, pos: at };
      return { kind: 'in_list', expr, list: (target.expression ?? []).map((e) => this.expression(e.children)), negated, pos: at };
    }
    const like: A.LikeExpr = {
      kind: 'like',
      expr,
      pattern: this.arithExpr(ctx.pattern![0]!.children),
      negated,
      caseInsensitive: ctx.ILIKE !== undefined,
      pos: at,
    };
    if (ctx.escape) like.escape = this.arithExpr(ctx.escape[0]!.children);
    return like;
  }

  inTarget(_ctx: C.InTargetCstChildren): void {
    // Read by applySuffix, which knows the left operand.
  }

  primary(ctx: C.PrimaryCstChildren): A.Expr {
    if (ctx.nameLed) return this.nameLed(ctx.nameLed[0]!.children);
    if (ctx.NumberLiteral) return { kind: 'number', text: ctx.NumberLiteral[0]!.image, pos: pos(ctx.NumberLiteral[0]!) };
    if (ctx.StringLiteral) return { kind: 'string', value: stringValue(ctx.StringLiteral[0]!), pos: pos(ctx.StringLiteral[0]!) };
    if (ctx.parenthesized) return this.parenthesized(ctx.parenthesized[0]!.children);
    if (ctx.NULL) return { kind: 'null', pos: pos(ctx.NULL[0]!) };
    if (ctx.castExpr) return this.castExpr(ctx.castExpr[0]!.children);
    if (ctx.caseExpr) return this.caseExpr(ctx.caseExpr[0]!.children);
    if (ctx.TRUE) return { kind: 'boolean', value: true, pos: pos(ctx.TRUE[0]!) };
    if (ctx.FALSE) return { kind: 'boolean', value: false, pos: pos(ctx.FALSE[0]!) };
    if (ctx.existsExpr) return this.existsExpr(ctx.existsExpr[0]!.children);
    if (ctx.DollarParam) {
      const token = ctx.DollarParam[0]!;
      const index = Number(token.image.slice(1));
      if (index < 1) throw syntaxError(`there is no parameter ${token.image}; parameters are numbered from $1`, pos(token));
      return { kind: 'param', index, pos: pos(token) };
    }
    const token = ctx.QuestionMark![0]!;
    return { kind: 'param', index: this.questionMarks.get(token.startOffset) ?? 1, pos: pos(token) };
  }

  nameLed(ctx: C.NameLedCstChildren): A.Expr {
    const name = ctx.Name?.[0];
    if (name) {
      if (ctx.callTail) return this.callTail(ctx.callTail[0]!.children, name);
      if (ctx.typedLiteralTail) return this.typedLiteral(name, ctx.typedLiteralTail[0]!.children);
      return this.columnRef(name, ctx);
    }
    if (ctx.callTail) return this.callTail(ctx.callTail[0]!.children, (ctx.LEFT ?? ctx.RIGHT)![0]!);
    if (ctx.intervalLiteral) return this.intervalLiteral(ctx.intervalLiteral[0]!.children);
    if (ctx.extractExpr) return this.extractExpr(ctx.extractExpr[0]!.children);
    if (ctx.substringExpr) return this.substringExpr(ctx.substringExpr[0]!.children);
    if (ctx.trimExpr) return this.trimExpr(ctx.trimExpr[0]!.children);
    return this.positionExpr(ctx.positionExpr![0]!.children);
  }

  parenthesized(ctx: C.ParenthesizedCstChildren): A.Expr {
    if (ctx.query) return { kind: 'subquery', query: this.query(ctx.query[0]!.children), pos: pos(ctx.LParen[0]!) };
    return this.expression(ctx.expression![0]!.children);
  }

  subquery(ctx: C.SubqueryCstChildren): A.SubqueryExpr {
    return { kind: 'subquery', query: this.query(ctx.query[0]!.children), pos: pos(ctx.LParen[0]!) };
  }

  existsExpr(ctx: C.ExistsExprCstChildren): A.ExistsExpr {
    const query = this.query(ctx.subquery[0]!.children.query[0]!.children);
    return { kind: 'exists', query, negated: false, pos: pos(ctx.EXISTS[0]!) };
  }

  caseExpr(ctx: C.CaseExprCstChildren): A.CaseExpr {
    const whens = ctx.when!.map((w, i) => ({
      when: this.expression(w.children),
      then: this.expression(ctx.then![i]!.children),
    }));
    const expr: A.CaseExpr = { kind: 'case', whens, pos: pos(ctx.CASE[0]!) };
    if (ctx.operand) expr.operand = this.expression(ctx.operand[0]!.children);
    if (ctx.else) expr.else = this.expression(ctx.else[0]!.children);
    return expr;
  }

  castExpr(ctx: C.CastExprCstChildren): A.CastExpr {
    const keyword = (ctx.CAST ?? ctx.TRY_CAST)![0]!;
    return {
      kind: 'cast',
      expr: this.expression(ctx.expression[0]!.children),
      type: this.typeName(ctx.typeName[0]!.children),
      try: ctx.TRY_CAST !== undefined,
      pos: pos(keyword),
    };
  }

  intervalLiteral(ctx: C.IntervalLiteralCstChildren): A.IntervalLiteral {
    const value = ctx.StringLiteral ? stringValue(ctx.StringLiteral[0]!) : ctx.NumberLiteral![0]!.image;
    const literal: A.IntervalLiteral = { kind: 'interval', value, pos: pos(ctx.INTERVAL[0]!) };
    if (ctx.Name) {
      const unit = ctx.Name[0]!.image.toLowerCase();
      literal.unit = INTERVAL_UNIT_SINGULAR[unit] ?? unit;
    }
    return literal;
  }

  private typedLiteral(typeWord: IToken, tail: C.TypedLiteralTailCstChildren): A.TypedLiteral {
    const type = this.typeName({ ...tail, Name: [typeWord] });
    return { kind: 'typed_literal', type, value: stringValue(tail.StringLiteral[0]!), pos: type.pos };
  }

  typedLiteralTail(_ctx: C.TypedLiteralTailCstChildren): void {
    // Read by nameLed, which has the type's first word.
  }

  extractExpr(ctx: C.ExtractExprCstChildren): A.ExtractExpr {
    const field = ctx.Label ? normalizeName(ctx.Label[0]!).toLowerCase() : stringValue(ctx.StringLiteral![0]!).toLowerCase();
    return { kind: 'extract', field, expr: this.expression(ctx.expression[0]!.children), pos: pos(ctx.EXTRACT[0]!) };
  }

  private call(name: string, args: A.Expr[], at: IToken): A.FunctionCall {
    return { kind: 'function', name, args, distinct: false, star: false, pos: pos(at) };
  }

  substringExpr(ctx: C.SubstringExprCstChildren): A.FunctionCall {
    const keyword = ctx.SUBSTRING[0]!;
    const args = [this.expression(ctx.subject![0]!.children)];
    if (ctx.start) {
      args.push(this.expression(ctx.start[0]!.children));
    } else if (ctx.length) {
      // SUBSTRING(x FOR n) starts at 1.
      args.push({ kind: 'number', text: '1', pos: pos(ctx.FOR![0]!) });
    }
    if (ctx.length) args.push(this.expression(ctx.length[0]!.children));
    for (const arg of ctx.args ?? []) args.push(this.expression(arg.children));
    return this.call('substring', args, keyword);
  }

  trimExpr(ctx: C.TrimExprCstChildren): A.FunctionCall {
    const name = ctx.LEADING ? 'ltrim' : ctx.TRAILING ? 'rtrim' : 'trim';
    const args: A.Expr[] = [];
    if (ctx.first && ctx.subject) {
      // TRIM(chars FROM x) -> trim(x, chars)
      args.push(this.expression(ctx.subject[0]!.children), this.expression(ctx.first[0]!.children));
    } else {
      args.push(this.expression((ctx.subject ?? ctx.first)![0]!.children));
      if (ctx.chars) args.push(this.expression(ctx.chars[0]!.children));
    }
    return this.call(name, args, ctx.TRIM[0]!);
  }

  positionExpr(ctx: C.PositionExprCstChildren): A.FunctionCall {
    const args = [this.arithExpr(ctx.arithExpr[0]!.children), this.expression(ctx.expression[0]!.children)];
    return this.call('position', args, ctx.POSITION[0]!);
  }

  callTail(ctx: C.CallTailCstChildren, nameToken?: IToken): A.FunctionCall {
    const at = nameToken!;
    const name = normalizeName(at);
    const call = this.callArguments(ctx.callArguments[0]!.children);
    if (call.named.length > 0) {
      throw syntaxError(`named arguments (name => value) are only allowed for table functions in FROM, not in ${name}(...)`, pos(call.named[0]!));
    }
    const fn: A.FunctionCall = { kind: 'function', name, args: call.args, distinct: call.distinct, star: call.star, pos: pos(at) };
    if (ctx.filter) fn.filter = this.expression(ctx.filter[0]!.children);
    if (ctx.windowSpec) fn.over = this.windowSpec(ctx.windowSpec[0]!.children);
    return fn;
  }

  callArguments(ctx: C.CallArgumentsCstChildren): CallArgs {
    const result: CallArgs = { args: [], namedArgs: {}, named: [], distinct: false, star: ctx.Star !== undefined };
    if (ctx.setQuantifier) result.distinct = this.setQuantifier(ctx.setQuantifier[0]!.children);
    for (const arg of ctx.callArgument ?? []) {
      const a = arg.children;
      const value = this.expression(a.expression[0]!.children);
      if (a.Name) {
        const token = a.Name[0]!;
        const argName = normalizeName(token);
        if (Object.prototype.hasOwnProperty.call(result.namedArgs, argName)) {
          throw syntaxError(`argument "${argName}" is given more than once`, pos(token));
        }
        result.namedArgs[argName] = value;
        result.named.push(token);
      } else {
        result.args.push(value);
      }
    }
    return result;
  }

  callArgument(_ctx: C.CallArgumentCstChildren): void {
    // Read by callArguments, which sorts positional and named arguments.
  }

  windowSpec(ctx: C.WindowSpecCstChildren): A.WindowSpec {
    const spec: A.WindowSpec = {
      partitionBy: (ctx.expression ?? []).map((e) => this.expression(e.children)),
      orderBy: ctx.orderByClause ? this.orderByClause(ctx.orderByClause[0]!.children) : [],
    };
    if (ctx.frameClause) spec.frame = this.frameClause(ctx.frameClause[0]!.children);
    return spec;
  }

  frameClause(ctx: C.FrameClauseCstChildren): NonNullable<A.WindowSpec['frame']> {
    const start = this.frameBound(ctx.start![0]!.children);
    const end: A.FrameBound = ctx.end ? this.frameBound(ctx.end[0]!.children) : { kind: 'current_row' };
    if (start.kind === 'unbounded_following') {
      throw syntaxError('frame start cannot be UNBOUNDED FOLLOWING', posOf(ctx.start![0]!.children));
    }
    if (end.kind === 'unbounded_preceding') {
      throw syntaxError('frame end cannot be UNBOUNDED PRECEDING', posOf(ctx.end![0]!.children));
    }
    return { units: ctx.ROWS ? 'rows' : 'range', start, end };
  }

  frameBound(ctx: C.FrameBoundCstChildren): A.FrameBound {
    if (ctx.CURRENT) return { kind: 'current_row' };
    if (ctx.UNBOUNDED) return ctx.PRECEDING ? { kind: 'unbounded_preceding' } : { kind: 'unbounded_following' };
    const offset = this.arithExpr(ctx.arithExpr![0]!.children);
    return ctx.PRECEDING ? { kind: 'preceding', offset } : { kind: 'following', offset };
  }

  private columnRef(first: IToken, ctx: C.NameLedCstChildren): A.ColumnRef | A.StarExpr {
    const parts = [normalizeName(first)];
    if (ctx.Label) for (const label of ctx.Label) parts.push(normalizeName(label));
    if (ctx.Star) {
      const star = ctx.Star[0]!;
      const lastLabel = ctx.Label?.[ctx.Label.length - 1];
      if (ctx.Star.length > 1 || (lastLabel && lastLabel.startOffset > star.startOffset)) {
        throw syntaxError('* can only come last in a qualified name, as in t.*', pos(star));
      }
      return { kind: 'star', table: parts.join('.'), pos: pos(first) };
    }
    return { kind: 'column', parts, pos: pos(first) };
  }
}
