// sql/parser/cst.ts holds the CST types generated from the grammar; this test fails when the
// grammar changed and the file was not regenerated (UPDATE_CST=1 rewrites it).

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateCstDts } from 'chevrotain';
import { expect, it } from 'vitest';
import { sqlParser } from '../../../sql/parser/grammar.js';

const CST_FILE = fileURLToPath(new URL('../../../sql/parser/cst.ts', import.meta.url));
const HEADER = [
  "// The concrete syntax tree's types, generated from sql/parser/grammar.ts by chevrotain's",
  '// generateCstDts. Do not edit by hand: after changing the grammar, regenerate with',
  '//   UPDATE_CST=1 npx vitest run test/sql/parser/cst.test.ts',
  '// (the same test fails while this file is out of date).',
  '',
  '',
].join('\n');

it('sql/parser/cst.ts matches the grammar', () => {
  const generated = HEADER + generateCstDts(sqlParser.getGAstProductions(), { visitorInterfaceName: 'SqlCstVisitor' });
  if (process.env.UPDATE_CST === '1') writeFileSync(CST_FILE, generated);
  expect(readFileSync(CST_FILE, 'utf8')).toBe(generated);
});
