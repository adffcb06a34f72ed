// The CST visitor, step three of the parser: it turns chevrotain's concrete syntax tree into
// the typed AST of sql/ast.ts, normalizing names (unquoted lower-cased), unwrapping needless
// parentheses and desugaring SUBSTRING/TRIM/POSITION into plain calls. It checks what the
// grammar cannot say (one LIMIT, a join condition where one is needed, ...), never the catalog.
//
// Methods are called directly with the typed children (not through `visit`), which keeps the
// types exact; `validateVisitor()` still checks that every grammar rule has its method.
//
// The methods are written as a chain of classes mirroring the grammar's rule layers, one per
// file, each extending the one below (a layer calls methods of layers above it through
// abstract declarations):
//   visitor-base.ts        chevrotain's visitor base and the per-input state
//   name-visitor.ts        names, qualified names, type names
//   expression-visitor.ts  operator precedence over flat expressions, IS/BETWEEN/IN/LIKE
//   call-visitor.ts        function calls, special-syntax functions, windows
//   primary-visitor.ts     literals, parameters, column references, CASE, CAST, subqueries
//   query-visitor.ts       SELECT, VALUES, set operations, WITH, ORDER BY/LIMIT, FROM and joins
//   statement-visitor.ts   scripts and statements
// and cst-tokens.ts reads tokens and positions out of the tree for all of them.

import type * as C from './cst.js';
import { StatementVisitor } from './statement-visitor.js';

/** The complete CST -> AST visitor: every layer's methods, checked against the grammar. */
export class AstBuilder extends StatementVisitor implements C.SqlCstVisitor<unknown, unknown> {
  constructor() {
    super();
    this.validateVisitor();
  }
}
