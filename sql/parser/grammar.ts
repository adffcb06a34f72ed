// The SQL grammar (chevrotain CstParser), step two of the parser: it only recognizes the
// syntax and builds a concrete syntax tree; sql/parser/visitor.ts turns that into the AST.
//
// chevrotain needs every rule on one parser instance before performSelfAnalysis, so the rules
// are written as a chain of classes, one layer of the language per file, each extending the one
// below (a layer refers to rules of layers above it through abstract declarations):
//   grammar-base.ts       parser configuration and shared lookahead gates
//   name-rules.ts         names, qualified names, type names
//   expression-rules.ts   flat expressions: operands, operators, IS/BETWEEN/IN/LIKE suffixes
//   call-rules.ts         function calls, special-syntax functions, windows
//   primary-rules.ts      literals, column references, CASE, CAST, subqueries
//   query-rules.ts        SELECT, VALUES, set operations, WITH, ORDER BY/LIMIT, FROM and joins
//   statement-rules.ts    scripts and statements (DDL, DML, COPY, EXPLAIN, ...)
//
// The parser instance is built once (performSelfAnalysis is costly) and reused for every
// statement: set `input`, call a top rule, read `errors`.

import { StatementRules } from './statement-rules.js';

/** The complete SQL parser: every layer's rules, analysed once. */
export class SqlParser extends StatementRules {
  constructor() {
    super();
    // Runs after every layer's rule fields are initialized (they are, once super() returns).
    this.performSelfAnalysis();
  }
}

/** The one parser instance (grammar analysis runs once, at import). */
export const sqlParser = new SqlParser();
