// The typed abstract syntax tree: what the parser's visitor produces and the binder consumes.
// Names are normalized by the parser: unquoted identifiers are lower-cased, quoted ones are
// kept exactly. Every node that can be the subject of an error carries `pos` (1-based).
// Binding to the catalog (what a name means, what type an expression has) is not done here.

export interface Pos {
  line: number;
  column: number;
}

// ---------------------------------------------------------------- statements

export type Statement =
  | QueryStatement
  | CreateTableStatement
  | DropStatement
  | CreateViewStatement
  | CreateIndexStatement
  | InsertStatement
  | TransactionStatement
  | CopyStatement
  | CopyToStatement
  | DeleteStatement
  | UpdateStatement
  | AlterTableStatement
  | TruncateStatement
  | CheckpointStatement
  | OptimizeStatement
  | ExplainStatement
  | ShowTablesStatement
  | DescribeStatement
  | SetStatement
  | ResetStatement
  | ShowSettingStatement
  | ShowCreateStatement;

export interface QueryStatement {
  kind: 'query';
  query: Query;
  pos: Pos;
}

export interface TypeName {
  /** As written, upper-cased, multi-word names normalized: DOUBLE PRECISION -> DOUBLE,
   *  CHARACTER VARYING -> VARCHAR, TIMESTAMP WITH TIME ZONE -> TIMESTAMPTZ. */
  name: string;
  /** Parenthesized integer arguments: VARCHAR(20) -> [20], DECIMAL(10,2) -> [10, 2]. */
  args: number[];
  pos: Pos;
}

export interface ColumnDef {
  name: string;
  type: TypeName;
  notNull: boolean;
  primaryKey: boolean;
  /** DEFAULT expression, if any. */
  default?: Expr;
  pos: Pos;
}

export interface CreateTableStatement {
  kind: 'create_table';
  name: string;
  ifNotExists: boolean;
  orReplace: boolean;
  columns: ColumnDef[];
  /** Table-level PRIMARY KEY (a, b); column-level ones are on ColumnDef. */
  primaryKey: string[];
  /** ORDER BY (cols): the sort key. */
  orderBy: string[];
  /** CREATE TABLE ... AS query (columns is then empty). */
  as?: Query;
  pos: Pos;
}

export interface DropStatement {
  kind: 'drop';
  object: 'table' | 'view' | 'index';
  names: string[];
  ifExists: boolean;
  pos: Pos;
}

export interface CreateViewStatement {
  kind: 'create_view';
  name: string;
  orReplace: boolean;
  ifNotExists: boolean;
  columnNames?: string[];
  query: Query;
  /** The view's SQL text as written (kept in the catalog). */
  text: string;
  pos: Pos;
}

export interface CreateIndexStatement {
  kind: 'create_index';
  name: string;
  table: string;
  columns: string[];
  /** USING method, lower-cased ('bitmap', 'btree', ...), if given. */
  using?: string;
  unique: boolean;
  ifNotExists: boolean;
  pos: Pos;
}

export interface InsertStatement {
  kind: 'insert';
  table: string;
  /** `INSERT INTO t AS alias`: the target's name in ON CONFLICT DO UPDATE. */
  alias?: string;
  columns?: string[];
  /** VALUES (...) or a query. */
  source: Query;
  onConflict?: OnConflict;
  pos: Pos;
}

/**
 * An upsert's conflict clause. `target` lists the key columns (null: the primary key).
 * 'replace' is `INSERT OR REPLACE` (DO UPDATE SET every other column = excluded's); `INSERT OR
 * IGNORE` is 'nothing'.
 */
export type OnConflict =
  | { action: 'nothing'; target: string[] | null; pos: Pos }
  | { action: 'replace'; target: null; pos: Pos }
  | { action: 'update'; target: string[] | null; assignments: Assignment[]; where?: Expr; pos: Pos };

export interface Assignment {
  column: string;
  value: Expr;
  pos: Pos;
}

/** BEGIN / COMMIT / ROLLBACK (and their synonyms). */
export interface TransactionStatement {
  kind: 'begin' | 'commit' | 'rollback';
  pos: Pos;
}

export type CopyOptionValue = string | number | boolean;

export interface CopyStatement {
  kind: 'copy';
  table: string;
  columns?: string[];
  path: string;
  /** Option names lower-cased: delimiter, header, quote, escape, null, format... Both
   *  PostgreSQL's `WITH (FORMAT csv, HEADER true)` and the old `DELIMITER '|' CSV HEADER`
   *  forms land here. A bare flag (HEADER) is `true`. */
  options: Record<string, CopyOptionValue>;
  pos: Pos;
}

/** COPY t [(cols)] TO 'file' (options) or COPY (query) TO 'file' (options): exactly one of
 *  `table` and `query`. Options as CopyStatement's (format, header, delimiter, ...). */
export interface CopyToStatement {
  kind: 'copy_to';
  table?: string;
  columns?: string[];
  query?: Query;
  path: string;
  options: Record<string, CopyOptionValue>;
  pos: Pos;
}

export interface UpdateStatement {
  kind: 'update';
  table: string;
  alias?: string;
  assignments: Assignment[];
  where?: Expr;
  pos: Pos;
}

export interface AlterTableStatement {
  kind: 'alter_table';
  table: string;
  action: { kind: 'add_column'; def: ColumnDef } | { kind: 'rename_table'; to: string } | { kind: 'rename_column'; from: string; to: string } | { kind: 'drop_column'; column: string };
  pos: Pos;
}

export interface TruncateStatement {
  kind: 'truncate';
  table: string;
  pos: Pos;
}

export interface CheckpointStatement {
  kind: 'checkpoint';
  pos: Pos;
}

export interface OptimizeStatement {
  kind: 'optimize';
  table?: string;
  pos: Pos;
}

export interface DeleteStatement {
  kind: 'delete';
  table: string;
  alias?: string;
  where?: Expr;
  pos: Pos;
}

export interface ExplainStatement {
  kind: 'explain';
  analyze: boolean;
  /** EXPLAIN (CODEGEN) -> ['codegen']; lower-cased option names. */
  options: string[];
  statement: Statement;
  pos: Pos;
}

export interface ShowTablesStatement {
  kind: 'show_tables';
  pos: Pos;
}

export interface DescribeStatement {
  kind: 'describe';
  table: string;
  pos: Pos;
}

/** SET name = value (sql/settings.ts). */
export interface SetStatement {
  kind: 'set';
  /** Lower-cased unless quoted. */
  name: string;
  /** A string literal or bare word (lower-cased unless quoted), a number, TRUE / FALSE / ON;
   *  null for DEFAULT. */
  value: string | number | boolean | null;
  pos: Pos;
}

export interface ResetStatement {
  kind: 'reset';
  /** null for RESET ALL. */
  name: string | null;
  pos: Pos;
}

export interface ShowSettingStatement {
  kind: 'show_setting';
  /** null for SHOW ALL. */
  name: string | null;
  pos: Pos;
}

/** SHOW CREATE TABLE|VIEW name: the statement that recreates it (SHOW CREATE TABLE also takes a view). */
export interface ShowCreateStatement {
  kind: 'show_create';
  object: 'table' | 'view';
  name: string;
  pos: Pos;
}

// ---------------------------------------------------------------- queries

export interface CommonTableExpr {
  name: string;
  columnNames?: string[];
  query: Query;
  pos: Pos;
}

export interface OrderItem {
  expr: Expr;
  desc: boolean;
  /** Explicit NULLS FIRST / NULLS LAST; undefined means the default (NULLs largest). */
  nulls?: 'first' | 'last';
}

/** A full query: WITH, a body, then ORDER BY / LIMIT / OFFSET applying to the whole body. */
export interface Query {
  kind: 'query';
  with: CommonTableExpr[];
  body: QueryBody;
  orderBy: OrderItem[];
  limit?: Expr;
  offset?: Expr;
  pos: Pos;
}

export type QueryBody = SelectCore | SetOperation | ValuesBody | Query;

export interface SelectCore {
  kind: 'select';
  distinct: boolean;
  items: SelectItem[];
  /** Comma-separated FROM items; empty for SELECT without FROM. */
  from: TableRef[];
  where?: Expr;
  /** GROUP BY expressions, when the clause has only plain expressions. */
  groupBy: Expr[];
  /** The whole GROUP BY clause instead, when it uses ROLLUP, CUBE, GROUPING SETS or `(a, b)`. */
  groupingSets?: GroupingElement[];
  having?: Expr;
  /** QUALIFY: a filter over window function results, after HAVING. */
  qualify?: Expr;
  pos: Pos;
}

/** A GROUP BY element with grouping sets; the sets of the elements of one clause multiply. */
export type GroupingElement =
  | { kind: 'expr'; expr: Expr }
  /** One set: `()` or `(a, b)`. */
  | { kind: 'set'; exprs: Expr[]; pos: Pos }
  /** Each item is a list of expressions: ROLLUP (a, (b, c)) has items [a] and [b, c]. */
  | { kind: 'rollup' | 'cube'; items: Expr[][]; pos: Pos }
  | { kind: 'grouping_sets'; elements: GroupingElement[]; pos: Pos };

export interface SetOperation {
  kind: 'set_op';
  op: 'union' | 'intersect' | 'except';
  all: boolean;
  left: QueryBody;
  right: QueryBody;
  pos: Pos;
}

export interface ValuesBody {
  kind: 'values';
  rows: Expr[][];
  pos: Pos;
}

export type SelectItem =
  | { kind: 'star'; table?: string; pos: Pos }
  | { kind: 'expr'; expr: Expr; alias?: string; pos: Pos };

export type TableRef = BaseTableRef | SubqueryRef | JoinRef | TableFunctionRef;

export interface BaseTableRef {
  kind: 'table';
  name: string;
  alias?: string;
  columnAliases?: string[];
  pos: Pos;
}

export interface SubqueryRef {
  kind: 'subquery';
  query: Query;
  alias?: string;
  columnAliases?: string[];
  pos: Pos;
}

export interface TableFunctionRef {
  kind: 'table_function';
  name: string;
  args: Expr[];
  /** name => value arguments, lower-cased names. */
  namedArgs: Record<string, Expr>;
  alias?: string;
  columnAliases?: string[];
  pos: Pos;
}

export interface JoinRef {
  kind: 'join';
  joinType: 'inner' | 'left' | 'right' | 'full' | 'cross';
  natural: boolean;
  left: TableRef;
  right: TableRef;
  on?: Expr;
  using?: string[];
  pos: Pos;
}

// ---------------------------------------------------------------- expressions

export type Expr =
  | NumberLiteral
  | StringLiteral
  | BooleanLiteral
  | NullLiteral
  | TypedLiteral
  | IntervalLiteral
  | ColumnRef
  | ParamRef
  | UnaryExpr
  | BinaryExpr
  | IsNullExpr
  | IsDistinctExpr
  | IsBoolExpr
  | BetweenExpr
  | InListExpr
  | InSubqueryExpr
  | ExistsExpr
  | SubqueryExpr
  | LikeExpr
  | CaseExpr
  | CastExpr
  | FunctionCall
  | ExtractExpr
  | StarExpr;

/** A number as written: `12`, `1.50`, `1e3`, `.5`. The binder decides INTEGER/BIGINT/DECIMAL/DOUBLE. */
export interface NumberLiteral {
  kind: 'number';
  text: string;
  pos: Pos;
}
export interface StringLiteral {
  kind: 'string';
  value: string;
  pos: Pos;
}
export interface BooleanLiteral {
  kind: 'boolean';
  value: boolean;
  pos: Pos;
}
export interface NullLiteral {
  kind: 'null';
  pos: Pos;
}
/** DATE '1998-12-01', TIMESTAMP '...', or any `typename 'text'` literal. */
export interface TypedLiteral {
  kind: 'typed_literal';
  type: TypeName;
  value: string;
  pos: Pos;
}
/** INTERVAL '3' DAY, INTERVAL '1 month 2 days', INTERVAL 3 DAY: `value` is the text, `unit` lower-cased if given. */
export interface IntervalLiteral {
  kind: 'interval';
  value: string;
  unit?: string;
  pos: Pos;
}
/** a, t.a, s.t.a (parts as normalized names). */
export interface ColumnRef {
  kind: 'column';
  parts: string[];
  pos: Pos;
}
/** $1 -> index 1; each `?` gets the next index in order of appearance, starting at 1. */
export interface ParamRef {
  kind: 'param';
  index: number;
  pos: Pos;
}
export interface UnaryExpr {
  kind: 'unary';
  op: '-' | '+' | 'not';
  operand: Expr;
  pos: Pos;
}
export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '||'
  | '='
  | '<>'
  | '<'
  | '<='
  | '>'
  | '>='
  | 'and'
  | 'or';
export interface BinaryExpr {
  kind: 'binary';
  op: BinaryOp;
  left: Expr;
  right: Expr;
  pos: Pos;
}
export interface IsNullExpr {
  kind: 'is_null';
  expr: Expr;
  negated: boolean;
  pos: Pos;
}
export interface IsDistinctExpr {
  kind: 'is_distinct';
  left: Expr;
  right: Expr;
  /** IS NOT DISTINCT FROM */
  negated: boolean;
  pos: Pos;
}
/** x IS [NOT] TRUE / FALSE / UNKNOWN */
export interface IsBoolExpr {
  kind: 'is_bool';
  expr: Expr;
  value: boolean | null;
  negated: boolean;
  pos: Pos;
}
export interface BetweenExpr {
  kind: 'between';
  expr: Expr;
  low: Expr;
  high: Expr;
  negated: boolean;
  pos: Pos;
}
export interface InListExpr {
  kind: 'in_list';
  expr: Expr;
  list: Expr[];
  negated: boolean;
  pos: Pos;
}
export interface InSubqueryExpr {
  kind: 'in_subquery';
  expr: Expr;
  query: Query;
  negated: boolean;
  pos: Pos;
}
export interface ExistsExpr {
  kind: 'exists';
  query: Query;
  negated: boolean;
  pos: Pos;
}
/** A scalar subquery: (SELECT ...) used as a value. */
export interface SubqueryExpr {
  kind: 'subquery';
  query: Query;
  pos: Pos;
}
export interface LikeExpr {
  kind: 'like';
  expr: Expr;
  pattern: Expr;
  escape?: Expr;
  negated: boolean;
  /** ILIKE */
  caseInsensitive: boolean;
  pos: Pos;
}
export interface CaseExpr {
  kind: 'case';
  operand?: Expr;
  whens: { when: Expr; then: Expr }[];
  else?: Expr;
  pos: Pos;
}
/** CAST(x AS t), x::t, TRY_CAST(x AS t) */
export interface CastExpr {
  kind: 'cast';
  expr: Expr;
  type: TypeName;
  try: boolean;
  pos: Pos;
}
export interface WindowSpec {
  partitionBy: Expr[];
  orderBy: OrderItem[];
  /** Frame text is kept structured for the window issue; absent means the default frame. */
  frame?: {
    units: 'rows' | 'range';
    start: FrameBound;
    end: FrameBound;
  };
}
export type FrameBound =
  | { kind: 'unbounded_preceding' }
  | { kind: 'preceding'; offset: Expr }
  | { kind: 'current_row' }
  | { kind: 'following'; offset: Expr }
  | { kind: 'unbounded_following' };

/** f(args), count(*), count(DISTINCT x), sum(x) FILTER (WHERE ...), f(...) OVER (...).
 *  Special syntaxes are desugared by the parser into calls:
 *  SUBSTRING(x FROM a FOR b) -> substring(x, a, b); TRIM([BOTH|LEADING|TRAILING] [c] FROM x)
 *  -> trim/ltrim/rtrim(x[, c]); POSITION(a IN b) -> position(a, b). */
export interface FunctionCall {
  kind: 'function';
  /** Lower-cased. */
  name: string;
  args: Expr[];
  distinct: boolean;
  /** count(*) */
  star: boolean;
  /** An aggregate's ORDER BY inside the call: string_agg(x, ',' ORDER BY y). */
  orderBy?: OrderItem[];
  filter?: Expr;
  over?: WindowSpec;
  pos: Pos;
}
/** EXTRACT(field FROM x); field lower-cased (year, month, day, hour, minute, second, dow, doy, quarter, week, epoch). */
export interface ExtractExpr {
  kind: 'extract';
  field: string;
  expr: Expr;
  pos: Pos;
}
/** `*` or `t.*` inside an expression context the binder must reject (kept for good errors). */
export interface StarExpr {
  kind: 'star';
  table?: string;
  pos: Pos;
}
