// Unit tests of the SQL parser: operator precedence, keywords usable as names, every statement
// form, the AST's shape and normalizations, and error messages with their positions.

import { describe, expect, it } from 'vitest';
import { QuiverError } from '../../../common/errors.js';
import type { Expr, Query, SelectCore, Statement } from '../../../sql/ast.js';
import { parseExpression, parseSql } from '../../../sql/parser/index.js';

/** Removes `pos` everywhere, to compare shapes. */
function strip<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'pos' ? undefined : v))) as T;
}

/** A compact prefix form of an expression, to pin precedence: `(+ 1 (* 2 3))`. */
function sx(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return e.text;
    case 'string':
      return `'${e.value}'`;
    case 'boolean':
      return String(e.value);
    case 'null':
      return 'null';
    case 'column':
      return e.parts.join('.');
    case 'param':
      return `$${e.index}`;
    case 'unary':
      return `(${e.op} ${sx(e.operand)})`;
    case 'binary':
      return `(${e.op} ${sx(e.left)} ${sx(e.right)})`;
    case 'is_null':
      return `(${e.negated ? 'is-not-null' : 'is-null'} ${sx(e.expr)})`;
    case 'is_bool':
      return `(is${e.negated ? '-not' : ''}-${e.value === null ? 'unknown' : String(e.value)} ${sx(e.expr)})`;
    case 'is_distinct':
      return `(${e.negated ? 'is-not-distinct' : 'is-distinct'} ${sx(e.left)} ${sx(e.right)})`;
    case 'between':
      return `(${e.negated ? 'not-between' : 'between'} ${sx(e.expr)} ${sx(e.low)} ${sx(e.high)})`;
    case 'in_list':
      return `(${e.negated ? 'not-in' : 'in'} ${sx(e.expr)} [${e.list.map(sx).join(' ')}])`;
    case 'in_subquery':
      return `(${e.negated ? 'not-in' : 'in'} ${sx(e.expr)} <query>)`;
    case 'exists':
      return `(${e.negated ? 'not-exists' : 'exists'} <query>)`;
    case 'subquery':
      return '<subquery>';
    case 'like':
      return `(${e.negated ? 'not-' : ''}${e.caseInsensitive ? 'ilike' : 'like'} ${sx(e.expr)} ${sx(e.pattern)}${e.escape ? ` ${sx(e.escape)}` : ''})`;
    case 'case':
      return `(case${e.operand ? ` ${sx(e.operand)}` : ''}${e.whens.map((w) => ` [${sx(w.when)} ${sx(w.then)}]`).join('')}${e.else ? ` ${sx(e.else)}` : ''})`;
    case 'cast':
      return `(${e.try ? 'try-cast' : 'cast'} ${sx(e.expr)} ${e.type.name}${e.type.args.length ? `(${e.type.args.join(',')})` : ''})`;
    case 'function':
      return `(${e.name}${e.distinct ? ' distinct' : ''}${e.star ? ' *' : ''}${e.args.map((a) => ` ${sx(a)}`).join('')})`;
    case 'extract':
      return `(extract ${e.field} ${sx(e.expr)})`;
    case 'typed_literal':
      return `${e.type.name}'${e.value}'`;
    case 'interval':
      return `interval'${e.value}'${e.unit ? ` ${e.unit}` : ''}`;
    case 'star':
      return e.table ? `${e.table}.*` : '*';
  }
}

const ex = (text: string) => sx(parseExpression(text));

function one(text: string): Statement {
  const statements = parseSql(text);
  expect(statements).toHaveLength(1);
  return statements[0]!;
}

function query(text: string): Query {
  const s = one(text);
  if (s.kind !== 'query') throw new Error(`not a query: ${s.kind}`);
  return s.query;
}

function select(text: string): SelectCore {
  const body = query(text).body;
  if (body.kind !== 'select') throw new Error(`not a SELECT: ${body.kind}`);
  return body;
}

/** The first select item's expression in prefix form. */
function item(text: string): string {
  const first = select(text).items[0]!;
  if (first.kind !== 'expr') throw new Error('star item');
  return sx(first.expr);
}

function syntaxErrorOf(text: string): QuiverError {
  try {
    parseSql(text);
  } catch (e) {
    if (e instanceof QuiverError) return e;
    throw e;
  }
  throw new Error(`expected a syntax error for: ${text}`);
}

describe('operator precedence (PostgreSQL)', () => {
  it.each([
    ['a OR b AND c', '(or a (and b c))'],
    ['a AND b OR c', '(or (and a b) c)'],
    ['NOT a = b', '(not (= a b))'],
    ['NOT a AND b', '(and (not a) b)'],
    ['NOT NOT x', '(not (not x))'],
    ['- 2 * 3', '(* (- 2) 3)'],
    ['- - - 5', '(- (- (- 5)))'],
    ['+ + x', '(+ (+ x))'],
    ['1 + 2 * 3', '(+ 1 (* 2 3))'],
    ['1 - 2 - 3', '(- (- 1 2) 3)'],
    ['8 / 4 / 2', '(/ (/ 8 4) 2)'],
    ['7 % 3 * 2', '(* (% 7 3) 2)'],
    ['a || b = c', '(= (|| a b) c)'],
    ['a || b + c', '(|| a (+ b c))'],
    ['1 + 2 BETWEEN 0 AND 5', '(between (+ 1 2) 0 5)'],
    ['x NOT BETWEEN a AND b', '(not-between x a b)'],
    ['x BETWEEN 1 AND 2 AND y', '(and (between x 1 2) y)'],
    ['a = b BETWEEN 1 AND 2', '(= a (between b 1 2))'],
    ['a IS NULL = b', '(= (is-null a) b)'],
    ['a = b IS NULL', '(is-null (= a b))'],
    ['NOT - 9 IS NULL', '(not (is-null (- 9)))'],
    ['NOT ( NULL ) IS NULL', '(not (is-null null))'],
    ['a IS NOT DISTINCT FROM b', '(is-not-distinct a b)'],
    ['a IS DISTINCT FROM b = c', '(is-distinct a (= b c))'],
    ['a != b', '(<> a b)'],
    ['a <> b', '(<> a b)'],
    ['a <= b AND c >= d', '(and (<= a b) (>= c d))'],
    ['- ( - 33 ) / + 3', '(/ (- (- 33)) (+ 3))'],
    ['col0 NOT IN ( - 3, + 5 )', '(not-in col0 [(- 3) (+ 5)])'],
    ['x IN ()', '(in x [])'],
    ['x NOT IN ()', '(not-in x [])'],
    ['a LIKE b || c', '(like a (|| b c))'],
    ['a LIKE \'x%\' ESCAPE \'!\' AND b', "(and (like a 'x%' '!') b)"],
    ['a NOT ILIKE b', '(not-ilike a b)'],
    ['x ISNULL', '(is-null x)'],
    ['x NOTNULL', '(is-not-null x)'],
    ['x IS TRUE', '(is-true x)'],
    ['x IS NOT FALSE', '(is-not-false x)'],
    ['x IS UNKNOWN', '(is-unknown x)'],
    ['x IS NOT UNKNOWN', '(is-not-unknown x)'],
    ['- x :: INTEGER', '(- (cast x INTEGER))'],
    ['a::text::varchar(3)', '(cast (cast a TEXT) VARCHAR(3))'],
    ['NOT EXISTS (SELECT 1)', '(not-exists <query>)'],
    ['NOT NOT EXISTS (SELECT 1)', '(not (not-exists <query>))'],
    ['a = NOT b', '(= a (not b))'],
    ['a + b IS NOT NULL OR c', '(or (is-not-null (+ a b)) c)'],
    ['a < b = c > d', '(> (= (< a b) c) d)'],
  ])('%s', (text, expected) => {
    expect(ex(text)).toBe(expected);
  });

  it('handles the unary chains of the SQLite corpus', () => {
    expect(item('SELECT - - 52 * + col1 + - CAST ( NULL AS INTEGER ) FROM tab0')).toBe(
      '(+ (* (- (- 52)) (+ col1)) (- (cast null INTEGER)))',
    );
    expect(item('SELECT col2 * + 44 + - col0 FROM tab0')).toBe('(+ (* col2 (+ 44)) (- col0))');
    expect(item('SELECT + MAX ( ALL col0 ) FROM tab0')).toBe('(+ (max col0))');
    expect(item('SELECT SUM ( DISTINCT - col1 ) FROM tab0')).toBe('(sum distinct (- col1))');
    expect(item('SELECT COUNT ( * ) FROM tab0')).toBe('(count *)');
    expect(item('SELECT CASE WHEN NOT ( NULL ) IS NULL THEN 1 ELSE 2 END')).toBe('(case [(not (is-null null)) 1] 2)');
  });
});

describe('literals and names', () => {
  it('keeps number text as written', () => {
    for (const n of ['12', '1.5', '.5', '1.', '1e10', '1.5E-3', '007']) {
      expect(strip(parseExpression(n))).toEqual({ kind: 'number', text: n });
    }
  });

  it('unescapes strings and quoted identifiers', () => {
    expect(strip(parseExpression("'it''s'"))).toEqual({ kind: 'string', value: "it's" });
    expect(strip(parseExpression("''"))).toEqual({ kind: 'string', value: '' });
    expect(strip(parseExpression('"My ""Col"""'))).toEqual({ kind: 'column', parts: ['My "Col"'] });
    expect(strip(parseExpression('MyTable.MyCol'))).toEqual({ kind: 'column', parts: ['mytable', 'mycol'] });
    expect(strip(parseExpression('s.t.a'))).toEqual({ kind: 'column', parts: ['s', 't', 'a'] });
  });

  it('reads booleans, NULL and parameters ($n and ? in order of appearance)', () => {
    expect(ex('TRUE AND false')).toBe('(and true false)');
    expect(ex('NULL')).toBe('null');
    const s = select('SELECT ?, $3, ? FROM t WHERE a = ?');
    expect(s.items.map((i) => (i.kind === 'expr' ? sx(i.expr) : '*'))).toEqual(['$1', '$3', '$2']);
    expect(sx(s.where!)).toBe('(= a $3)');
    // Numbering runs across the statements of one text.
    const [first, second] = parseSql('SELECT ?; SELECT ?');
    expect(first!.kind === 'query' && first!.query.body.kind === 'select' && first!.query.body.items[0]).toMatchObject({ expr: { index: 1 } });
    expect(second!.kind === 'query' && second!.query.body.kind === 'select' && second!.query.body.items[0]).toMatchObject({ expr: { index: 2 } });
  });

  it('reads typed literals and intervals', () => {
    expect(ex("DATE '1998-12-01'")).toBe("DATE'1998-12-01'");
    expect(ex("timestamp '2020-01-01 10:00:00'")).toBe("TIMESTAMP'2020-01-01 10:00:00'");
    expect(ex("TIME '10:00'")).toBe("TIME'10:00'");
    expect(ex("TIMESTAMP WITH TIME ZONE '2020-01-01 00:00:00+02'")).toBe("TIMESTAMPTZ'2020-01-01 00:00:00+02'");
    expect(ex("DOUBLE PRECISION '1.5'")).toBe("DOUBLE'1.5'");
    expect(ex("INTERVAL '1' DAY")).toBe("interval'1' day");
    expect(ex("INTERVAL '3' Days")).toBe("interval'3' day");
    expect(ex("INTERVAL '1 month 2 days'")).toBe("interval'1 month 2 days'");
    expect(ex('INTERVAL 1 DAY')).toBe("interval'1' day");
    expect(ex("DATE '1998-12-01' - INTERVAL '90' DAY")).toBe("(- DATE'1998-12-01' interval'90' day)");
    expect(strip(parseExpression("DATE '1998-12-01'"))).toEqual({
      kind: 'typed_literal',
      type: { name: 'DATE', args: [] },
      value: '1998-12-01',
    });
    // An interval keeps a following word that is not a unit as an alias.
    expect(select("SELECT INTERVAL '1 day' d").items[0]).toMatchObject({ alias: 'd' });
  });

  it.each([
    'date', 'year', 'month', 'day', 'hour', 'minute', 'second', 'key', 'value', 'first', 'last',
    'data', 'type', 'name', 'text', 'time', 'timestamp', 'interval', 'index', 'view', 'count',
    'sum', 'min', 'max', 'avg', 'replace', 'position', 'substring', 'trim', 'extract', 'filter',
    'over', 'partition', 'rows', 'range', 'show', 'tables', 'describe', 'explain', 'analyze',
    'copy', 'header', 'delimiter', 'format', 'quote', 'escape', 'temp', 'if', 'nulls', 'current',
    'unbounded', 'preceding', 'following', 'row', 'zone', 'double', 'precision', 'insert', 'delete',
    'drop', 'unknown', 'recursive', 'varying', 'character', 'without', 'csv',
  ])('accepts %s as a table, column and alias name', (word) => {
    const s = select(`SELECT ${word}, t.${word}, ${word}.x, x AS ${word}, y ${word} FROM ${word} JOIN t ${word}2 ON TRUE, u AS ${word}`);
    expect(s.items.map((i) => (i.kind === 'expr' ? [sx(i.expr), i.alias] : []))).toEqual([
      [word, undefined],
      [`t.${word}`, undefined],
      [`${word}.x`, undefined],
      ['x', word],
      ['y', word],
    ]);
    expect(s.from[0]).toMatchObject({ kind: 'join', left: { kind: 'table', name: word } });
    expect(s.from[1]).toMatchObject({ kind: 'table', name: 'u', alias: word });
    const create = one(`CREATE TABLE ${word} (${word} INT, ${word}2 ${word === 'type' ? 'INT' : 'TEXT'})`);
    expect(create).toMatchObject({ kind: 'create_table', name: word, columns: [{ name: word }, { name: `${word}2` }] });
  });

  it('reads the SSB table named date', () => {
    const s = select(
      "SELECT date.d_year, d.date FROM lineorder, date d WHERE lo_orderdate = date.d_datekey AND d.date > DATE '1998-12-01'",
    );
    expect(s.items.map((i) => (i.kind === 'expr' ? sx(i.expr) : '*'))).toEqual(['date.d_year', 'd.date']);
    expect(s.from[1]).toMatchObject({ kind: 'table', name: 'date', alias: 'd' });
    expect(sx(s.where!)).toBe("(and (= lo_orderdate date.d_datekey) (> d.date DATE'1998-12-01'))");
    expect(select('SELECT * FROM date').from[0]).toMatchObject({ kind: 'table', name: 'date' });
  });

  it('lets LEFT and RIGHT name functions', () => {
    expect(ex("left('abc', 2) || right('abc', 1)")).toBe("(|| (left 'abc' 2) (right 'abc' 1))");
  });
});

describe('special expression forms', () => {
  it('desugars SUBSTRING, TRIM and POSITION into calls', () => {
    expect(ex('SUBSTRING(s FROM 2 FOR 3)')).toBe('(substring s 2 3)');
    expect(ex('SUBSTRING(s FROM 2)')).toBe('(substring s 2)');
    expect(ex('SUBSTRING(s FOR 3)')).toBe('(substring s 1 3)');
    expect(ex('substring(s, 2, 3)')).toBe('(substring s 2 3)');
    expect(ex('TRIM(s)')).toBe('(trim s)');
    expect(ex("TRIM(BOTH 'x' FROM s)")).toBe("(trim s 'x')");
    expect(ex("TRIM(LEADING 'x' FROM s)")).toBe("(ltrim s 'x')");
    expect(ex('TRIM(TRAILING FROM s)')).toBe('(rtrim s)');
    expect(ex("TRIM('x' FROM s)")).toBe("(trim s 'x')");
    expect(ex("trim(s, 'x')")).toBe("(trim s 'x')");
    expect(ex("POSITION('b' IN s)")).toBe("(position 'b' s)");
    expect(ex("POSITION('b' || c IN s)")).toBe("(position (|| 'b' c) s)");
  });

  it('reads EXTRACT, CAST, TRY_CAST and CASE', () => {
    expect(ex('EXTRACT(YEAR FROM d)')).toBe('(extract year d)');
    expect(ex("EXTRACT('dow' FROM d)")).toBe('(extract dow d)');
    expect(ex('CAST(x AS DECIMAL(10, 2))')).toBe('(cast x DECIMAL(10,2))');
    expect(ex('TRY_CAST(x AS INT)')).toBe('(try-cast x INT)');
    expect(ex('CAST(x AS DOUBLE PRECISION)')).toBe('(cast x DOUBLE)');
    expect(ex('CAST(x AS CHARACTER VARYING(20))')).toBe('(cast x VARCHAR(20))');
    expect(ex('CAST(x AS TIMESTAMP WITHOUT TIME ZONE)')).toBe('(cast x TIMESTAMP)');
    expect(ex('x::timestamp with time zone')).toBe('(cast x TIMESTAMPTZ)');
    expect(select('SELECT x::int precision, y::char varying FROM t').items).toMatchObject([
      { expr: { type: { name: 'INT' } }, alias: 'precision' },
      { expr: { type: { name: 'VARCHAR' } } },
    ]);
    expect(ex('CASE a WHEN 1 THEN 2 WHEN 3 THEN 4 END')).toBe('(case a [1 2] [3 4])');
    expect(ex('CASE WHEN a THEN b ELSE c END')).toBe('(case [a b] c)');
  });

  it('reads function calls with DISTINCT, FILTER and OVER', () => {
    expect(ex('count(*)')).toBe('(count *)');
    expect(ex('count(DISTINCT a)')).toBe('(count distinct a)');
    expect(ex('COALESCE(a, b, 1)')).toBe('(coalesce a b 1)');
    expect(ex('now()')).toBe('(now)');
    const fn = parseExpression(
      'sum(x) FILTER (WHERE x > 0) OVER (PARTITION BY a, b ORDER BY c DESC NULLS FIRST ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)',
    );
    expect(strip(fn)).toEqual({
      kind: 'function',
      name: 'sum',
      args: [{ kind: 'column', parts: ['x'] }],
      distinct: false,
      star: false,
      filter: { kind: 'binary', op: '>', left: { kind: 'column', parts: ['x'] }, right: { kind: 'number', text: '0' } },
      over: {
        partitionBy: [
          { kind: 'column', parts: ['a'] },
          { kind: 'column', parts: ['b'] },
        ],
        orderBy: [{ expr: { kind: 'column', parts: ['c'] }, desc: true, nulls: 'first' }],
        frame: { units: 'rows', start: { kind: 'preceding', offset: { kind: 'number', text: '2' } }, end: { kind: 'current_row' } },
      },
    });
    expect(strip(parseExpression('row_number() OVER (ROWS UNBOUNDED PRECEDING)'))).toMatchObject({
      over: { partitionBy: [], orderBy: [], frame: { units: 'rows', start: { kind: 'unbounded_preceding' }, end: { kind: 'current_row' } } },
    });
    expect(strip(parseExpression('avg(x) OVER (ORDER BY d RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)'))).toMatchObject({
      over: { frame: { units: 'range', start: { kind: 'unbounded_preceding' }, end: { kind: 'unbounded_following' } } },
    });
    expect(strip(parseExpression('lag(x) OVER ()'))).toMatchObject({ over: { partitionBy: [], orderBy: [] } });
  });

  it('tells subqueries from parenthesized expressions', () => {
    expect(ex('(SELECT 1)')).toBe('<subquery>');
    expect(ex('(SELECT 1) + 1')).toBe('(+ <subquery> 1)');
    expect(ex('((SELECT 1) + 1)')).toBe('(+ <subquery> 1)');
    expect(ex('((SELECT 1))')).toBe('<subquery>');
    expect(ex('((SELECT 1) UNION (SELECT 2))')).toBe('<subquery>');
    expect(ex('x IN (SELECT a FROM t)')).toBe('(in x <query>)');
    expect(ex('x IN ((SELECT a FROM t) UNION (SELECT b FROM u))')).toBe('(in x <query>)');
    expect(ex('x IN ((SELECT 1), 2)')).toBe('(in x [<subquery> 2])');
    expect(ex('EXISTS (SELECT 1)')).toBe('(exists <query>)');
    expect(ex('x NOT IN (VALUES (1), (2))')).toBe('(not-in x <query>)');
  });

  it('keeps t.* in expressions for the binder to judge', () => {
    expect(strip(parseExpression('count(t.*)'))).toMatchObject({ args: [{ kind: 'star', table: 't' }] });
  });
});

describe('queries', () => {
  it('reads a full SELECT', () => {
    const q = query(
      'SELECT DISTINCT a, t.*, b AS x, c y, * FROM t1 AS t, t2 WHERE a > 1 GROUP BY a, b HAVING count(*) > 1 ORDER BY 1, 2 DESC NULLS LAST LIMIT 10 OFFSET 5',
    );
    expect(strip(q)).toEqual({
      kind: 'query',
      with: [],
      body: {
        kind: 'select',
        distinct: true,
        items: [
          { kind: 'expr', expr: { kind: 'column', parts: ['a'] } },
          { kind: 'star', table: 't' },
          { kind: 'expr', expr: { kind: 'column', parts: ['b'] }, alias: 'x' },
          { kind: 'expr', expr: { kind: 'column', parts: ['c'] }, alias: 'y' },
          { kind: 'star' },
        ],
        from: [
          { kind: 'table', name: 't1', alias: 't' },
          { kind: 'table', name: 't2' },
        ],
        where: { kind: 'binary', op: '>', left: { kind: 'column', parts: ['a'] }, right: { kind: 'number', text: '1' } },
        groupBy: [
          { kind: 'column', parts: ['a'] },
          { kind: 'column', parts: ['b'] },
        ],
        having: {
          kind: 'binary',
          op: '>',
          left: { kind: 'function', name: 'count', args: [], distinct: false, star: true },
          right: { kind: 'number', text: '1' },
        },
      },
      orderBy: [
        { expr: { kind: 'number', text: '1' }, desc: false },
        { expr: { kind: 'number', text: '2' }, desc: true, nulls: 'last' },
      ],
      limit: { kind: 'number', text: '10' },
      offset: { kind: 'number', text: '5' },
    });
  });

  it('accepts SELECT ALL, SELECT without FROM, OFFSET before LIMIT and LIMIT ALL', () => {
    expect(select('SELECT ALL 1').distinct).toBe(false);
    expect(select('SELECT 1').from).toEqual([]);
    const q = query('SELECT 1 OFFSET 2 ROWS LIMIT 3');
    expect(sx(q.limit!)).toBe('3');
    expect(sx(q.offset!)).toBe('2');
    expect(query('SELECT 1 LIMIT ALL').limit).toBeUndefined();
  });

  it('binds INTERSECT tighter than UNION and EXCEPT, left to right', () => {
    const body = query('SELECT 1 UNION SELECT 2 INTERSECT ALL SELECT 3 EXCEPT DISTINCT SELECT 4 UNION ALL SELECT 5').body;
    const shape = (b: Query['body']): string => {
      if (b.kind === 'set_op') return `(${b.op}${b.all ? '-all' : ''} ${shape(b.left)} ${shape(b.right)})`;
      if (b.kind === 'select') return sx((b.items[0] as { expr: Expr }).expr);
      return b.kind;
    };
    expect(shape(body)).toBe('(union-all (except (union 1 (intersect-all 2 3)) 4) 5)');
  });

  it('keeps a parenthesized query as a nested Query only when it has its own ORDER BY / LIMIT', () => {
    const body = query('(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL (SELECT b FROM u)').body;
    expect(body).toMatchObject({
      kind: 'set_op',
      left: { kind: 'query', limit: { kind: 'number', text: '1' }, body: { kind: 'select' } },
      right: { kind: 'select' },
    });
    expect(query('((SELECT 1))').body.kind).toBe('select');
    expect(query('(SELECT 1) ORDER BY 1').orderBy).toHaveLength(1);
  });

  it('reads VALUES and WITH', () => {
    expect(strip(query('VALUES (1, 2), (3, 4)').body)).toEqual({
      kind: 'values',
      rows: [
        [
          { kind: 'number', text: '1' },
          { kind: 'number', text: '2' },
        ],
        [
          { kind: 'number', text: '3' },
          { kind: 'number', text: '4' },
        ],
      ],
    });
    const q = query('WITH a (x) AS (SELECT 1), b AS (SELECT * FROM a) SELECT * FROM b');
    expect(q.with.map((c) => [c.name, c.columnNames])).toEqual([
      ['a', ['x']],
      ['b', undefined],
    ]);
    expect(q.pos).toEqual({ line: 1, column: 1 });
  });

  it('rejects WITH RECURSIVE clearly', () => {
    const e = syntaxErrorOf('WITH RECURSIVE r AS (SELECT 1) SELECT * FROM r');
    expect(e.code).toBe('NOT_SUPPORTED');
    expect(e.message).toMatch(/WITH RECURSIVE is not supported/);
    expect(e.position).toEqual({ line: 1, column: 6 });
  });

  it('reads joins', () => {
    const from = select(
      'SELECT * FROM a JOIN b ON a.x = b.x LEFT OUTER JOIN c USING (y) RIGHT JOIN d ON TRUE FULL JOIN e ON TRUE CROSS JOIN f NATURAL JOIN g INNER JOIN h ON TRUE NATURAL LEFT JOIN i',
    ).from;
    const shape = (r: SelectCore['from'][number]): string =>
      r.kind === 'join' ? `(${r.natural ? 'natural-' : ''}${r.joinType} ${shape(r.left)} ${shape(r.right)}${r.using ? ` using ${r.using.join(',')}` : ''})` : r.kind === 'table' ? r.name : r.kind;
    expect(shape(from[0]!)).toBe(
      '(natural-left (inner (natural-inner (cross (full (right (left (inner a b) c using y) d) e) f) g) h) i)',
    );
  });

  it('reads parenthesized joins, subqueries and table functions in FROM', () => {
    const from = select(
      "SELECT * FROM (a JOIN b ON TRUE) JOIN (SELECT 1 AS x) AS s (y) ON TRUE, read_csv('f.csv', header => true, delim := '|') AS r, (VALUES (1)) v",
    ).from;
    expect(strip(from)).toMatchObject([
      {
        kind: 'join',
        left: { kind: 'join', left: { name: 'a' }, right: { name: 'b' } },
        right: { kind: 'subquery', alias: 's', columnAliases: ['y'] },
      },
      {
        kind: 'table_function',
        name: 'read_csv',
        args: [{ kind: 'string', value: 'f.csv' }],
        namedArgs: { header: { kind: 'boolean', value: true }, delim: { kind: 'string', value: '|' } },
        alias: 'r',
      },
      { kind: 'subquery', alias: 'v' },
    ]);
    expect(select('SELECT * FROM ((SELECT 1) UNION (SELECT 2)) u').from[0]).toMatchObject({ kind: 'subquery', alias: 'u' });
    expect(select('SELECT * FROM ((SELECT 1) s JOIN t ON TRUE)').from[0]).toMatchObject({
      kind: 'join',
      left: { kind: 'subquery', alias: 's' },
    });
  });

  it('reads the SQLite corpus forms', () => {
    expect(select('SELECT ALL * FROM tab0 AS cor0 CROSS JOIN tab1 AS cor1').from[0]).toMatchObject({
      kind: 'join',
      joinType: 'cross',
      left: { name: 'tab0', alias: 'cor0' },
      right: { name: 'tab1', alias: 'cor1' },
    });
    expect(item('SELECT NULLIF ( col1, + 3 ) FROM tab0')).toBe('(nullif col1 (+ 3))');
    expect(item('SELECT ABS ( - 3 )')).toBe('(abs (- 3))');
  });
});

describe('statements', () => {
  it('reads CREATE TABLE with constraints, keys and sort order', () => {
    const s = one(
      'CREATE TABLE IF NOT EXISTS t (a INT NOT NULL PRIMARY KEY, b VARCHAR(20) DEFAULT \'x\' NULL, c DECIMAL(10,2) UNIQUE, d DOUBLE PRECISION) ORDER BY (a, b)',
    );
    expect(strip(s)).toEqual({
      kind: 'create_table',
      name: 't',
      ifNotExists: true,
      orReplace: false,
      columns: [
        { name: 'a', type: { name: 'INT', args: [] }, notNull: true, primaryKey: true },
        { name: 'b', type: { name: 'VARCHAR', args: [20] }, notNull: false, primaryKey: false, default: { kind: 'string', value: 'x' } },
        { name: 'c', type: { name: 'DECIMAL', args: [10, 2] }, notNull: false, primaryKey: false },
        { name: 'd', type: { name: 'DOUBLE', args: [] }, notNull: false, primaryKey: false },
      ],
      primaryKey: [],
      orderBy: ['a', 'b'],
    });
    expect(one('CREATE TABLE t1(a INTEGER, b INTEGER, c INTEGER, d INTEGER, e INTEGER)')).toMatchObject({
      columns: [{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd' }, { name: 'e' }],
    });
    expect(one('CREATE OR REPLACE TABLE t (a INT DEFAULT 0 NOT NULL, b INT, PRIMARY KEY (a, b)) ORDER BY a')).toMatchObject({
      orReplace: true,
      primaryKey: ['a', 'b'],
      orderBy: ['a'],
      columns: [{ name: 'a', notNull: true, default: { kind: 'number', text: '0' } }, { name: 'b' }],
    });
    expect(one('CREATE TABLE t (ts TIMESTAMP WITH TIME ZONE, c CHARACTER VARYING(5), u UNSIGNED, s SIGNED)')).toMatchObject({
      columns: [{ type: { name: 'TIMESTAMPTZ' } }, { type: { name: 'VARCHAR', args: [5] } }, { type: { name: 'UNSIGNED' } }, { type: { name: 'SIGNED' } }],
    });
  });

  it('reads CREATE TABLE AS, with ORDER BY before AS', () => {
    expect(one('CREATE TABLE t AS SELECT 1 AS a')).toMatchObject({ kind: 'create_table', columns: [], as: { kind: 'query' } });
    expect(one('CREATE TABLE t ORDER BY (a) AS SELECT 1 AS a')).toMatchObject({ orderBy: ['a'], as: { body: { kind: 'select' } } });
  });

  it('reads DROP', () => {
    expect(strip(one('DROP TABLE t1'))).toEqual({ kind: 'drop', object: 'table', names: ['t1'], ifExists: false });
    expect(strip(one('DROP VIEW IF EXISTS v1, v2'))).toEqual({ kind: 'drop', object: 'view', names: ['v1', 'v2'], ifExists: true });
    expect(strip(one('drop index i'))).toEqual({ kind: 'drop', object: 'index', names: ['i'], ifExists: false });
    expect(strip(one('DROP TABLE if'))).toEqual({ kind: 'drop', object: 'table', names: ['if'], ifExists: false });
  });

  it('reads CREATE VIEW and keeps its text', () => {
    const text = 'CREATE OR REPLACE VIEW v (x, y) AS\n  SELECT a, b FROM t WHERE a > 1 -- trailing comment\n;';
    expect(strip(one(text))).toMatchObject({
      kind: 'create_view',
      name: 'v',
      orReplace: true,
      ifNotExists: false,
      columnNames: ['x', 'y'],
      text: 'SELECT a, b FROM t WHERE a > 1',
      query: { kind: 'query' },
    });
    expect(one("CREATE VIEW IF NOT EXISTS w AS (SELECT 'a;b')")).toMatchObject({ ifNotExists: true, text: "(SELECT 'a;b')" });
  });

  it('reads CREATE INDEX', () => {
    expect(strip(one('CREATE INDEX t1i0 ON t1(a1,b1,c1,d1,e1,x1)'))).toEqual({
      kind: 'create_index',
      name: 't1i0',
      table: 't1',
      columns: ['a1', 'b1', 'c1', 'd1', 'e1', 'x1'],
      unique: false,
      ifNotExists: false,
    });
    expect(strip(one('CREATE UNIQUE INDEX IF NOT EXISTS i ON t USING BITMAP (a DESC, b)'))).toEqual({
      kind: 'create_index',
      name: 'i',
      table: 't',
      columns: ['a', 'b'],
      using: 'bitmap',
      unique: true,
      ifNotExists: true,
    });
  });

  it('reads INSERT', () => {
    expect(strip(one('INSERT INTO t1(e,c,b,d,a) VALUES(103,102,100,101,104)'))).toMatchObject({
      kind: 'insert',
      table: 't1',
      columns: ['e', 'c', 'b', 'd', 'a'],
      source: { body: { kind: 'values', rows: [[{ text: '103' }, { text: '102' }, { text: '100' }, { text: '101' }, { text: '104' }]] } },
    });
    expect(one('INSERT INTO t SELECT * FROM u')).toMatchObject({ source: { body: { kind: 'select' } } });
    expect(one('INSERT INTO t (SELECT * FROM u)')).toMatchObject({ source: { body: { kind: 'select' } } });
    expect((one('INSERT INTO t VALUES (1)') as { columns?: string[] }).columns).toBeUndefined();
  });

  it('reads COPY in both option syntaxes', () => {
    expect(strip(one("COPY t (a, b) FROM '/data/t.csv' WITH (FORMAT csv, HEADER true, DELIMITER '|', NULL 'NA', QUOTE '\"')"))).toEqual({
      kind: 'copy',
      table: 't',
      columns: ['a', 'b'],
      path: '/data/t.csv',
      options: { format: 'csv', header: true, delimiter: '|', null: 'NA', quote: '"' },
    });
    expect(strip(one("COPY lineorder FROM 'lineorder.tbl' DELIMITER '|' CSV HEADER NULL AS 'x' QUOTE '\"' ESCAPE '\\'"))).toEqual({
      kind: 'copy',
      table: 'lineorder',
      path: 'lineorder.tbl',
      options: { delimiter: '|', format: 'csv', header: true, null: 'x', quote: '"', escape: '\\' },
    });
    expect(strip(one("COPY t FROM 'x' (HEADER, SKIP 2, HEADER_OFF off)"))).toMatchObject({ options: { header: true, skip: 2, header_off: false } });
    expect(strip(one("COPY t FROM 'x'"))).toMatchObject({ options: {} });
  });

  it('reads DELETE, EXPLAIN, SHOW TABLES and DESCRIBE', () => {
    expect(strip(one('DELETE FROM t AS x WHERE x.a = 1'))).toMatchObject({ kind: 'delete', table: 't', alias: 'x', where: { op: '=' } });
    expect(strip(one('DELETE FROM t'))).toEqual({ kind: 'delete', table: 't' });
    expect(strip(one('EXPLAIN (CODEGEN) SELECT 1'))).toMatchObject({
      kind: 'explain',
      analyze: false,
      options: ['codegen'],
      statement: { kind: 'query' },
    });
    expect(strip(one('EXPLAIN ANALYZE SELECT 1'))).toMatchObject({ analyze: true, options: [] });
    expect(strip(one('EXPLAIN (ANALYZE, CODEGEN) SELECT 1'))).toMatchObject({ analyze: true, options: ['codegen'] });
    expect(strip(one('EXPLAIN (SELECT 1)'))).toMatchObject({ options: [], statement: { kind: 'query' } });
    expect(strip(one('SHOW TABLES'))).toEqual({ kind: 'show_tables' });
    expect(strip(one('DESCRIBE t'))).toEqual({ kind: 'describe', table: 't' });
  });

  it('splits statements on semicolons and ignores empty ones', () => {
    expect(parseSql('')).toEqual([]);
    expect(parseSql(' ; ;; ')).toEqual([]);
    expect(parseSql("SELECT 1; SELECT ';'; /* c */ ; -- x\nSELECT 3;").map((s) => s.kind)).toEqual(['query', 'query', 'query']);
  });

  it('skips comments and handles CRLF line ends', () => {
    const statements = parseSql('/* a\r\n comment */ SELECT 1 -- end\r\n,\r\n  2');
    expect(statements).toHaveLength(1);
    const s = statements[0]!;
    expect(s.kind === 'query' && s.query.body.kind === 'select' && s.query.body.items[1]!.pos).toEqual({ line: 4, column: 3 });
  });
});

describe('positions', () => {
  it('puts 1-based positions on nodes', () => {
    const s = parseSql('SELECT a,\n       b + 1 AS c\n  FROM t')[0]!;
    expect(s.pos).toEqual({ line: 1, column: 1 });
    const body = (s as { query: Query }).query.body as SelectCore;
    expect(body.items[1]!.pos).toEqual({ line: 2, column: 8 });
    const expr = (body.items[1] as { expr: Expr }).expr;
    expect(expr.pos).toEqual({ line: 2, column: 10 });
    expect(body.from[0]!.pos).toEqual({ line: 3, column: 8 });
  });
});

describe('syntax errors', () => {
  it.each([
    ['SELECT * FORM t', 1, 10, /syntax error at or near "FORM".*did you mean FROM/],
    ['SELECT a FORM t', 1, 15, /syntax error at or near "t".*did you mean FROM instead of "FORM"/],
    ['SELECT 1 +', 1, 11, /syntax error at end of input; expected an expression/],
    ['SELECT a FROM t WHERE', 1, 22, /at end of input; expected an expression/],
    ['SELECT (1', 1, 10, /at end of input; expected '\)'/],
    ['SELECT a\nFROM t\nWHERE x = = 1', 3, 11, /syntax error at or near "="; expected an expression/],
    ['CREATE TABLE t (a INT', 1, 22, /at end of input; expected/],
    ['CREATE TABLE (a INT)', 1, 14, /syntax error at or near "\("; expected identifier/],
    ['SELECT CASE WHEN 1 END', 1, 20, /syntax error at or near "END"; expected THEN/],
    ['FOO bar', 1, 1, /syntax error at or near "FOO"; expected a statement \(SELECT/],
    ['SELECT 1;\nUPSERT t SET a = 1', 2, 1, /syntax error at or near "UPSERT"; expected a statement/],
    ['UPDATE t SET', 1, 13, /at end of input; expected identifier/],
    ['SELECT FROM t', 1, 8, /syntax error at or near "FROM"; expected an expression or '\*'/],
    ['SELECT 1 2', 1, 10, /syntax error at or near "2"/],
    ["SELECT 'abc", 1, 8, /unterminated string literal/],
    ['SELECT "abc', 1, 8, /unterminated quoted identifier/],
    ['SELECT 1 /* never closed', 1, 10, /unterminated \/\* comment/],
    ['SELECT 1 # 2', 1, 10, /unexpected character/],
    ['SELECT a FROM t JOIN u', 1, 17, /JOIN needs ON <condition> or USING/],
    ['SELECT a FROM t NATURAL JOIN u ON TRUE', 1, 32, /NATURAL join cannot have an ON or USING clause/],
    ['SELECT 1 LIMIT 1 LIMIT 2', 1, 18, /LIMIT is given more than once/],
    ['SELECT "" FROM t', 1, 8, /zero-length quoted identifier/],
    ['SELECT $0', 1, 8, /there is no parameter \$0/],
    ['SELECT abs(x => 1)', 1, 12, /named arguments/],
    ['CREATE TABLE t (a INT PRIMARY KEY, b INT PRIMARY KEY)', 1, 36, /multiple primary keys/],
    ['CREATE TABLE t (a INT NULL NOT NULL)', 1, 28, /conflicting NULL\/NOT NULL/],
    ['CREATE TABLE t (a INT PRECISION)', 1, 23, /syntax error at or near "PRECISION"/],
    ["SELECT foo PRECISION 'x'", 1, 12, /FOO PRECISION is not a type/],
    ['SELECT CAST(x AS DECIMAL(1.5))', 1, 26, /whole number/],
    ['SELECT x BETWEEN SYMMETRIC 1 AND 2', 1, 18, /BETWEEN SYMMETRIC is not supported/],
    ['SELECT 1; SELEC 2', 1, 11, /syntax error at or near "SELEC".*did you mean SELECT/],
    ['SELECT sum(x) OVER (ROWS BETWEEN UNBOUNDED FOLLOWING AND CURRENT ROW) FROM t', 1, 34, /frame start cannot be UNBOUNDED FOLLOWING/],
  ])('%s', (text, line, column, message) => {
    const e = syntaxErrorOf(text);
    expect(e).toBeInstanceOf(QuiverError);
    expect(['SYNTAX_ERROR', 'NOT_SUPPORTED']).toContain(e.code);
    expect(e.message).toMatch(message);
    expect(e.position).toEqual({ line, column });
    // Short enough to read: never chevrotain's lists of lookahead paths.
    expect(e.message.length).toBeLessThan(200);
  });

  it('reports absurd nesting as a syntax error, and parses long flat chains', () => {
    const deep = 'SELECT ' + '('.repeat(20000) + '1' + ')'.repeat(20000);
    expect(syntaxErrorOf(deep)).toMatchObject({ code: 'SYNTAX_ERROR', message: expect.stringMatching(/nested too deeply/) });
    expect(ex('(((((((((((1)))))))))))')).toBe('1');
    const terms = Array.from({ length: 20000 }, (_, i) => `a${i}`).join(' + ');
    expect(parseSql(`SELECT ${terms}`)).toHaveLength(1);
  });

  it('rejects what PostgreSQL rejects', () => {
    for (const text of ['SELECT left FROM t', 'SELECT a FROM t WHERE', 'SELECT FROM WHERE', 'CREATE INDEX i ON t', 'SELECT * FROM t LIMIT 1, 2']) {
      expect(syntaxErrorOf(text).code).toBe('SYNTAX_ERROR');
    }
  });
});
