// Reading tokens out of chevrotain's concrete syntax tree for the AST visitor layers: the first
// and last token of a subtree, source positions, tokens in source order, and identifiers and
// string literals as the rest of the system sees them.

import type { CstNode, IToken } from 'chevrotain';
import type * as A from '../ast.js';
import { syntaxError } from '../../common/errors.js';
import * as T from './lexer.js';

/** A CST node's children, by rule or token name. */
export type Children = Record<string, (CstNode | IToken)[] | undefined>;

function isToken(element: CstNode | IToken): element is IToken {
  return (element as IToken).image !== undefined;
}

/** The first token of a CST subtree (the children of a node). */
export function firstTokenOf(children: Children): IToken | undefined {
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
export function lastTokenOf(children: Children): IToken | undefined {
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

/** A token's 1-based line and column, for the AST and error messages. */
export function pos(token: IToken): A.Pos {
  return { line: token.startLine ?? 1, column: token.startColumn ?? 1 };
}

/** The position of a CST subtree: its first token's. */
export function posOf(children: Children): A.Pos {
  const token = firstTokenOf(children);
  return token ? pos(token) : { line: 1, column: 1 };
}

/** Tokens of several kinds in source order (operators of one precedence level). */
export function inOrder(...lists: (IToken[] | undefined)[]): IToken[] {
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

/** A string literal's text: the quotes removed, '' -> '. */
export function stringValue(token: IToken): string {
  return token.image.slice(1, -1).replace(/''/g, "'");
}
