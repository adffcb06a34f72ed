// Writing a name back as SQL: bare when the lexer reads it back as the same plain identifier
// (lower case, not a keyword), otherwise "quoted" with its quotes doubled. Used where Quiver
// prints SQL that must parse again (SHOW CREATE TABLE, statements built from catalog names).

import { Identifier, sqlLexer } from './lexer.js';

export function quoteIdentifier(name: string): string {
  if (/^[a-z_][a-z0-9_]*$/.test(name)) {
    const { tokens, errors } = sqlLexer.tokenize(name);
    if (errors.length === 0 && tokens.length === 1 && tokens[0]!.tokenType === Identifier) return name;
  }
  return `"${name.replace(/"/g, '""')}"`;
}
