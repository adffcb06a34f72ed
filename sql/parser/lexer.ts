// The SQL tokens and the lexer (chevrotain), step one of the parser.
//
// Keywords are case-insensitive and carry `longer_alt: Identifier`, so `dates` or `selection`
// lex as identifiers. Two token categories tell the grammar what a word may stand for:
//   Name  — anything usable as an identifier: plain and "quoted" identifiers plus the
//           non-reserved keywords (DATE, KEY, FIRST, INDEX, ...), so `FROM date` works;
//   Label — Name plus the reserved keywords, for the places where any word is fine
//           (`AS select`, `t.from`, options of COPY and EXPLAIN).
// Reserved keywords are the ones that may follow an expression or a table reference
// (FROM, WHERE, JOIN, LEFT, ORDER, ...): they can never be an alias written without AS.

import { createToken, Lexer, type TokenType } from 'chevrotain';

/** Category: every token that can be read as an identifier. */
export const Name = createToken({ name: 'Name', pattern: Lexer.NA, label: 'identifier' });
/** Category: every word (identifier or keyword). */
export const Label = createToken({ name: 'Label', pattern: Lexer.NA, label: 'identifier' });

export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/,
  categories: [Name, Label],
  label: 'identifier',
});
export const QuotedIdentifier = createToken({
  name: 'QuotedIdentifier',
  pattern: /"(?:[^"]|"")*"/,
  categories: [Name, Label],
  label: 'quoted identifier',
  line_breaks: true,
});

/** Keyword tokens by upper-case word, in the order they were declared. */
const keywordTokens: TokenType[] = [];

function keyword(word: string, reserved: boolean): TokenType {
  const token = createToken({
    name: word,
    // Case-insensitive; the longer_alt makes `index_name` an identifier, not INDEX + `_name`.
    pattern: new RegExp(word, 'i'),
    longer_alt: Identifier,
    categories: reserved ? [Label] : [Name, Label],
    label: word,
  });
  keywordTokens.push(token);
  return token;
}
const reserved = (word: string) => keyword(word, true);
const nonReserved = (word: string) => keyword(word, false);

// ---------------------------------------------------------------- reserved keywords
export const All = reserved('ALL');
export const And = reserved('AND');
export const As = reserved('AS');
export const Asc = reserved('ASC');
export const Between = reserved('BETWEEN');
export const Both = reserved('BOTH');
export const By = reserved('BY');
export const Case = reserved('CASE');
export const Cast = reserved('CAST');
export const Create = reserved('CREATE');
export const Cross = reserved('CROSS');
export const Default = reserved('DEFAULT');
export const Desc = reserved('DESC');
export const Distinct = reserved('DISTINCT');
export const Else = reserved('ELSE');
export const End = reserved('END');
export const Except = reserved('EXCEPT');
export const Exists = reserved('EXISTS');
export const False = reserved('FALSE');
export const For = reserved('FOR');
export const From = reserved('FROM');
export const Full = reserved('FULL');
export const Group = reserved('GROUP');
export const Having = reserved('HAVING');
export const Ilike = reserved('ILIKE');
export const In = reserved('IN');
export const Inner = reserved('INNER');
export const Intersect = reserved('INTERSECT');
export const Into = reserved('INTO');
export const Is = reserved('IS');
export const IsNull = reserved('ISNULL');
export const Join = reserved('JOIN');
export const Leading = reserved('LEADING');
export const Left = reserved('LEFT');
export const Like = reserved('LIKE');
export const Limit = reserved('LIMIT');
export const Natural = reserved('NATURAL');
export const Not = reserved('NOT');
export const NotNull = reserved('NOTNULL');
export const Null = reserved('NULL');
export const Offset = reserved('OFFSET');
export const On = reserved('ON');
export const Or = reserved('OR');
export const Order = reserved('ORDER');
export const Outer = reserved('OUTER');
export const Primary = reserved('PRIMARY');
export const Qualify = reserved('QUALIFY');
export const Right = reserved('RIGHT');
export const Select = reserved('SELECT');
export const Symmetric = reserved('SYMMETRIC');
export const Table = reserved('TABLE');
export const Then = reserved('THEN');
export const Trailing = reserved('TRAILING');
export const True = reserved('TRUE');
export const TryCast = reserved('TRY_CAST');
export const Union = reserved('UNION');
export const Unique = reserved('UNIQUE');
export const Using = reserved('USING');
export const Values = reserved('VALUES');
export const When = reserved('WHEN');
export const Where = reserved('WHERE');
export const With = reserved('WITH');

// ---------------------------------------------------------------- non-reserved keywords
export const Abort = nonReserved('ABORT');
export const Add = nonReserved('ADD');
export const Alter = nonReserved('ALTER');
export const Analyze = nonReserved('ANALYZE');
export const Begin = nonReserved('BEGIN');
export const Character = nonReserved('CHARACTER');
export const Checkpoint = nonReserved('CHECKPOINT');
export const Column = nonReserved('COLUMN');
export const Commit = nonReserved('COMMIT');
export const Conflict = nonReserved('CONFLICT');
export const Copy = nonReserved('COPY');
export const Cube = nonReserved('CUBE');
export const Current = nonReserved('CURRENT');
export const Date = nonReserved('DATE');
export const Delete = nonReserved('DELETE');
export const Describe = nonReserved('DESCRIBE');
export const Do = nonReserved('DO');
export const Double = nonReserved('DOUBLE');
export const Drop = nonReserved('DROP');
export const Escape = nonReserved('ESCAPE');
export const Explain = nonReserved('EXPLAIN');
export const Extract = nonReserved('EXTRACT');
export const Filter = nonReserved('FILTER');
export const First = nonReserved('FIRST');
export const Following = nonReserved('FOLLOWING');
export const Grouping = nonReserved('GROUPING');
export const If = nonReserved('IF');
export const Ignore = nonReserved('IGNORE');
export const Index = nonReserved('INDEX');
export const Insert = nonReserved('INSERT');
export const Interval = nonReserved('INTERVAL');
export const Key = nonReserved('KEY');
export const Last = nonReserved('LAST');
export const Nothing = nonReserved('NOTHING');
export const Nulls = nonReserved('NULLS');
export const Optimize = nonReserved('OPTIMIZE');
export const Over = nonReserved('OVER');
export const Partition = nonReserved('PARTITION');
export const Position = nonReserved('POSITION');
export const Preceding = nonReserved('PRECEDING');
export const Precision = nonReserved('PRECISION');
export const Range = nonReserved('RANGE');
export const Recursive = nonReserved('RECURSIVE');
export const Rename = nonReserved('RENAME');
export const Replace = nonReserved('REPLACE');
export const Reset = nonReserved('RESET');
export const Rollback = nonReserved('ROLLBACK');
export const Rollup = nonReserved('ROLLUP');
export const Row = nonReserved('ROW');
export const Rows = nonReserved('ROWS');
/** `SET`, named so as not to shadow the global Set. */
export const SetKeyword = nonReserved('SET');
export const Sets = nonReserved('SETS');
export const Show = nonReserved('SHOW');
export const Start = nonReserved('START');
export const Substring = nonReserved('SUBSTRING');
export const Tables = nonReserved('TABLES');
export const Time = nonReserved('TIME');
export const Timestamp = nonReserved('TIMESTAMP');
export const To = nonReserved('TO');
export const Transaction = nonReserved('TRANSACTION');
export const Trim = nonReserved('TRIM');
export const Truncate = nonReserved('TRUNCATE');
export const Unbounded = nonReserved('UNBOUNDED');
export const Unknown = nonReserved('UNKNOWN');
export const Update = nonReserved('UPDATE');
export const Varying = nonReserved('VARYING');
export const View = nonReserved('VIEW');
export const Without = nonReserved('WITHOUT');
export const Work = nonReserved('WORK');
export const Zone = nonReserved('ZONE');

// ---------------------------------------------------------------- literals and punctuation
export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: /'(?:[^']|'')*'/,
  label: 'string literal',
  line_breaks: true,
});
export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?/,
  label: 'number',
});
export const DollarParam = createToken({ name: 'DollarParam', pattern: /\$\d+/, label: '$n parameter' });
export const QuestionMark = createToken({ name: 'QuestionMark', pattern: '?', label: "'?'" });

export const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /\s+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});
export const LineComment = createToken({ name: 'LineComment', pattern: /--[^\n\r]*/, group: Lexer.SKIPPED });
export const BlockComment = createToken({
  name: 'BlockComment',
  pattern: /\/\*[\s\S]*?\*\//,
  group: Lexer.SKIPPED,
  line_breaks: true,
});

/** A comment that never closes (BlockComment is tried first): reported as an error. */
export const UnterminatedComment = createToken({
  name: 'UnterminatedComment',
  pattern: /\/\*[\s\S]*/,
  group: 'errors',
  line_breaks: true,
});

const punct = (name: string, pattern: string) => createToken({ name, pattern, label: `'${pattern}'` });
export const DoubleColon = punct('DoubleColon', '::');
export const ColonEquals = punct('ColonEquals', ':=');
export const Arrow = punct('Arrow', '=>');
export const Concat = punct('Concat', '||');
export const LessEquals = punct('LessEquals', '<=');
export const GreaterEquals = punct('GreaterEquals', '>=');
export const NotEquals = punct('NotEquals', '<>');
export const BangEquals = punct('BangEquals', '!=');
export const Equals = punct('Equals', '=');
export const Less = punct('Less', '<');
export const Greater = punct('Greater', '>');
export const Plus = punct('Plus', '+');
export const Minus = punct('Minus', '-');
export const Star = punct('Star', '*');
export const Slash = punct('Slash', '/');
export const Percent = punct('Percent', '%');
export const LParen = punct('LParen', '(');
export const RParen = punct('RParen', ')');
export const Comma = punct('Comma', ',');
export const Semicolon = punct('Semicolon', ';');
export const Dot = punct('Dot', '.');

// Longer keywords first: a keyword pattern matching a prefix of another keyword (IN of INSERT,
// INTERVAL, INTO) would otherwise win, because longer_alt only falls back to Identifier.
const keywordsLongestFirst = [...keywordTokens].sort((a, b) => b.name.length - a.name.length);

/** Every token type, in lexing order; the parser is built from the same list. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedComment,
  StringLiteral,
  QuotedIdentifier,
  // A number before Dot so `.5` is a number; identifiers never start with a digit.
  NumberLiteral,
  DollarParam,
  QuestionMark,
  ...keywordsLongestFirst,
  Identifier,
  DoubleColon,
  ColonEquals,
  Arrow,
  Concat,
  LessEquals,
  GreaterEquals,
  NotEquals,
  BangEquals,
  Equals,
  Less,
  Greater,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  LParen,
  RParen,
  Comma,
  Semicolon,
  Dot,
  Name,
  Label,
];

/** Built once: creating a chevrotain Lexer analyses every pattern. */
export const sqlLexer = new Lexer(allTokens, { ensureOptimizations: true, positionTracking: 'full' });
