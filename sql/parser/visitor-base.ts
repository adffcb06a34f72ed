// The base of the AST visitor's class layers (sql/parser/visitor.ts assembles them): chevrotain's
// visitor base for our grammar, and the per-input state the layers share.

import type { IToken } from 'chevrotain';
import { sqlParser } from './grammar.js';
import * as T from './lexer.js';

const BaseVisitor = sqlParser.getBaseCstVisitorConstructor();

export abstract class VisitorBase extends BaseVisitor {
  /** The SQL text being converted (CREATE VIEW keeps a slice of it). */
  protected text = '';
  /** Parameter number of each `?`, by token start offset: numbered in order of appearance. */
  protected questionMarks = new Map<number, number>();

  /** Prepares for one input; `tokens` are all of its tokens, in order. */
  begin(text: string, tokens: IToken[]): void {
    this.text = text;
    this.questionMarks.clear();
    let next = 1;
    for (const token of tokens) if (token.tokenType === T.QuestionMark) this.questionMarks.set(token.startOffset, next++);
  }
}
