// The parser's SET / RESET / SHOW statements (sql/parser/statement-rules.ts, statement-visitor.ts):
// the value forms SET takes, DEFAULT and ALL, SHOW TABLES beside SHOW of a setting, and SET,
// RESET and TO staying usable as names.

import { describe, expect, it } from 'vitest';
import type { Statement } from '../../../sql/ast.js';
import { parseSql } from '../../../sql/parser/index.js';

function one(sql: string): Statement {
  const statements = parseSql(sql);
  expect(statements).toHaveLength(1);
  return JSON.parse(JSON.stringify(statements[0], (key, v: unknown) => (key === 'pos' ? undefined : v))) as Statement;
}

describe('SET', () => {
  it('takes = or TO and a string, a number, a word or a boolean', () => {
    expect(one("SET force_encoding = 'RLE'")).toEqual({ kind: 'set', name: 'force_encoding', value: 'RLE' });
    expect(one('set Force_Encoding to Dict')).toEqual({ kind: 'set', name: 'force_encoding', value: 'dict' });
    expect(one('SET x = "Quoted"')).toEqual({ kind: 'set', name: 'x', value: 'Quoted' });
    expect(one('SET threads = 4')).toEqual({ kind: 'set', name: 'threads', value: 4 });
    expect(one('SET x = -2.5')).toEqual({ kind: 'set', name: 'x', value: -2.5 });
    expect(one('SET x = true')).toEqual({ kind: 'set', name: 'x', value: true });
    expect(one('SET x TO ON')).toEqual({ kind: 'set', name: 'x', value: true });
    expect(one('SET x = FALSE')).toEqual({ kind: 'set', name: 'x', value: false });
    expect(one('SET x = off')).toEqual({ kind: 'set', name: 'x', value: 'off' });
  });

  it('reads DEFAULT as the value null', () => {
    expect(one('SET force_encoding = DEFAULT')).toEqual({ kind: 'set', name: 'force_encoding', value: null });
  });

  it('needs a name, = or TO, and one value', () => {
    for (const bad of ['SET', 'SET x', 'SET x 1', "SET x = 'a' 'b'", 'SET x = (1)']) {
      expect(() => parseSql(bad), bad).toThrow(expect.objectContaining({ code: 'SYNTAX_ERROR' }));
    }
  });
});

describe('RESET and SHOW', () => {
  it('name a setting or ALL', () => {
    expect(one('RESET force_encoding')).toEqual({ kind: 'reset', name: 'force_encoding' });
    expect(one('RESET ALL')).toEqual({ kind: 'reset', name: null });
    expect(one('SHOW force_encoding')).toEqual({ kind: 'show_setting', name: 'force_encoding' });
    expect(one('SHOW ALL')).toEqual({ kind: 'show_setting', name: null });
    expect(one('show tables')).toEqual({ kind: 'show_tables' });
    expect(() => parseSql('RESET')).toThrow(expect.objectContaining({ code: 'SYNTAX_ERROR' }));
  });

  it('leave SET, RESET and TO usable as names', () => {
    expect(one('SELECT set, reset, to FROM to AS set')).toMatchObject({ kind: 'query' });
    expect(one('SELECT to_char(1) AS to')).toMatchObject({ kind: 'query' });
  });
});
