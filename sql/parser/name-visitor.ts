// The AST visitor layer for names and types: identifiers normalized for the catalog, qualified
// names, name lists, and type names with their multi-word forms checked and their modifiers.

import type { IToken } from 'chevrotain';
import type * as A from '../ast.js';
import { syntaxError } from '../../common/errors.js';
import type * as C from './cst.js';
import { normalizeName, pos } from './cst-tokens.js';
import { VisitorBase } from './visitor-base.js';

/** The tokens that name a type: typeName's, or the leading words of a typed literal. */
type TypeWords = Pick<C.TypeNameCstChildren, 'Name' | 'PRECISION' | 'VARYING' | 'WITH' | 'WITHOUT' | 'ZONE' | 'NumberLiteral'>;

export abstract class NameVisitor extends VisitorBase {
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
}
