// Syntax error messages a person can act on: where (the offending token, 1-based line and
// column) and what was expected, in a few words. chevrotain's own messages list every
// lookahead path; ours name at most a handful of tokens, or what kind of thing was expected.

import {
  EOF,
  tokenLabel,
  type ILexingError,
  type IParserErrorMessageProvider,
  type IRecognitionException,
  type IToken,
  type TokenType,
} from 'chevrotain';
import { QuiverError, syntaxError, type SourcePosition } from '../../common/errors.js';
import * as T from './lexer.js';

/** How many expected tokens a message lists before it summarizes. */
const MAX_LISTED = 6;

/** What a rule expects, for alternations too wide to list token by token. */
const RULE_DESCRIPTIONS: Record<string, string> = {
  script: 'a statement',
  statement: 'a statement (SELECT, WITH, VALUES, CREATE, DROP, INSERT, COPY, DELETE, EXPLAIN, SHOW, DESCRIBE)',
  expression: 'an expression',
  andExpr: 'an expression',
  notExpr: 'an expression',
  isExpr: 'an expression',
  comparison: 'an expression',
  predicate: 'an expression',
  concatExpr: 'an expression',
  additive: 'an expression',
  multiplicative: 'an expression',
  unary: 'an expression',
  postfix: 'an expression',
  primary: 'an expression',
  selectItem: 'an expression or *',
  tablePrimary: 'a table name, table function or parenthesized subquery',
  tableRef: 'a table name, table function or parenthesized subquery',
  queryPrimary: 'SELECT, VALUES or a parenthesized query',
  query: 'SELECT, VALUES, WITH or a parenthesized query',
};

/** `at or near "FORM"`, or `at end of input`. */
export function nearText(token: IToken): string {
  return token.tokenType === EOF ? 'at end of input' : `at or near "${token.image}"`;
}

function labelOf(type: TokenType): string {
  return tokenLabel(type);
}

function joinAlternatives(labels: string[]): string {
  if (labels.length === 1) return labels[0]!;
  return `${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1]}`;
}

/** Tokens that can start an expression: when a number may come next, so may all of these. */
const EXPRESSION_STARTS = new Set<TokenType>([
  T.Not, T.Plus, T.Minus, T.NumberLiteral, T.StringLiteral, T.Name, T.LParen, T.Null, T.True,
  T.False, T.DollarParam, T.QuestionMark, T.Exists, T.Case, T.Cast, T.TryCast, T.Left, T.Right,
  T.Interval, T.Extract, T.Substring, T.Trim, T.Position,
]);

function describeExpected(firstTokens: TokenType[], ruleName: string): string {
  let types = [...new Set(firstTokens)];
  let prefix: string[] = [];
  if (types.includes(T.NumberLiteral)) {
    prefix = ['an expression'];
    types = types.filter((t) => !EXPRESSION_STARTS.has(t));
  }
  const labels = [...prefix, ...new Set(types.map(labelOf))];
  if (labels.length <= MAX_LISTED) return joinAlternatives(labels);
  return RULE_DESCRIPTIONS[ruleName] ?? `${labels.slice(0, MAX_LISTED).join(', ')}, ...`;
}

export const syntaxErrorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `syntax error ${nearText(actual)}; expected ${labelOf(expected)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `syntax error ${nearText(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, customUserDescription, ruleName }) {
    const expected =
      customUserDescription ??
      describeExpected(
        expectedPathsPerAlt.flatMap((alt) => alt.map((path) => path[0]).filter((t): t is TokenType => t !== undefined)),
        ruleName,
      );
    return `syntax error ${nearText(actual[0]!)}; expected ${expected}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, customUserDescription, ruleName }) {
    const expected =
      customUserDescription ??
      describeExpected(
        expectedIterationPaths.map((path) => path[0]).filter((t): t is TokenType => t !== undefined),
        ruleName,
      );
    return `syntax error ${nearText(actual[0]!)}; expected ${expected}`;
  },
};

/** Where a token is; EOF (which has no position) maps to just past the last token. */
export function tokenPosition(token: IToken, tokens: IToken[]): SourcePosition {
  if (token.tokenType !== EOF && token.startLine !== undefined && !Number.isNaN(token.startLine)) {
    return { line: token.startLine, column: token.startColumn ?? 1 };
  }
  const last = tokens[tokens.length - 1];
  if (!last) return { line: 1, column: 1 };
  return { line: last.endLine ?? 1, column: (last.endColumn ?? 0) + 1 };
}

// Keywords a misspelling most often stands for; a near miss earns a "did you mean" hint.
const SUGGESTABLE = [
  'SELECT', 'FROM', 'WHERE', 'GROUP', 'ORDER', 'HAVING', 'LIMIT', 'OFFSET', 'JOIN', 'INNER',
  'LEFT', 'RIGHT', 'OUTER', 'CROSS', 'UNION', 'EXCEPT', 'INTERSECT', 'DISTINCT', 'VALUES',
  'INSERT', 'INTO', 'CREATE', 'TABLE', 'DELETE', 'BETWEEN', 'CASE', 'WHEN', 'THEN', 'ELSE',
  'CAST', 'NULL', 'EXISTS', 'LIKE', 'USING',
];

/** Optimal-string-alignment distance (an adjacent swap costs 1), capped: we only ask "<= 1?". */
function editDistanceAtMostOne(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  const n = a.length;
  const m = b.length;
  const d: number[][] = [];
  for (let i = 0; i <= n; i++) {
    d.push(new Array<number>(m + 1).fill(0));
    d[i]![0] = i;
  }
  for (let j = 0; j <= m; j++) d[0]![j] = j;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[n]![m]! <= 1;
}

function suggestKeyword(word: string): string | undefined {
  const upper = word.toUpperCase();
  if (upper.length < 3 || SUGGESTABLE.includes(upper)) return undefined;
  return SUGGESTABLE.find((k) => editDistanceAtMostOne(upper, k));
}

/** Turns a chevrotain parse error into our SYNTAX_ERROR, with a "did you mean" when it helps. */
export function parseErrorToQuiverError(error: IRecognitionException, tokens: IToken[]): QuiverError {
  const token = error.token;
  let message = error.message;
  const index = token.tokenType === EOF ? tokens.length : tokens.indexOf(token);
  // Left over where a statement should start (`UPDATE t ...`): say what a statement can be.
  if (error.name === 'NotAllInputParsedException' && (index === 0 || tokens[index - 1]?.tokenType === T.Semicolon)) {
    message += `; expected ${RULE_DESCRIPTIONS.statement}`;
  }
  // The culprit is often the word before: in `SELECT a FORM t`, FORM is read as an alias of a.
  for (const candidate of [tokens[index], tokens[index - 1]]) {
    if (!candidate) continue;
    const suggestion = suggestKeyword(candidate.image);
    if (suggestion) {
      message += `; did you mean ${suggestion} instead of "${candidate.image}"?`;
      break;
    }
  }
  return syntaxError(message, tokenPosition(token, tokens));
}

/** A lexing error: an unterminated string, quoted identifier or comment, or a stray character. */
export function lexErrorToQuiverError(error: ILexingError, text: string): QuiverError {
  const position = { line: error.line ?? 1, column: error.column ?? 1 };
  const ch = text[error.offset] ?? '';
  if (ch === "'") return syntaxError('unterminated string literal; close it with \' (write \'\' for a quote inside)', position);
  if (ch === '"') return syntaxError('unterminated quoted identifier; close it with " (write "" for a quote inside)', position);
  const code = text.codePointAt(error.offset) ?? 0;
  const shown = code < 0x20 ? `\\u${code.toString(16).padStart(4, '0')}` : String.fromCodePoint(code);
  return syntaxError(`syntax error at or near "${shown}": unexpected character`, position);
}

export function unterminatedCommentError(token: IToken): QuiverError {
  return syntaxError('unterminated /* comment; close it with */', { line: token.startLine ?? 1, column: token.startColumn ?? 1 });
}
