// Grammar rules for names and types: a name, a qualified `schema.table` name, a parenthesized
// name list, and a type name with its multi-word forms (DOUBLE PRECISION, CHARACTER VARYING,
// TIMESTAMP WITH TIME ZONE) and modifiers. The lowest rule layer: every other layer uses them.

import * as T from './lexer.js';
import { GrammarBase } from './grammar-base.js';

export abstract class NameRules extends GrammarBase {
  /** After a type's first word: PRECISION only after DOUBLE, VARYING after CHARACTER/CHAR,
   *  WITH/WITHOUT TIME ZONE after TIME/TIMESTAMP. */
  private typeSuffixAhead(): boolean {
    const word = this.LA(0).image.toUpperCase();
    const next = this.LA(1).tokenType;
    if (next === T.Precision) return word === 'DOUBLE';
    if (next === T.Varying) return word === 'CHARACTER' || word === 'CHAR';
    return (word === 'TIME' || word === 'TIMESTAMP') && this.LA(2).tokenType === T.Time;
  }

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
}
