// The comparator's own rules, on hand-made results: exact numbers across representations,
// float tolerance, multisets without ORDER BY, and runs of tied sort keys with ORDER BY.

import { describe, expect, it } from 'vitest';
import { compareResults, mismatchReport, type ResultSet } from '../../cli/compare-results.js';

function rs(types: string[], rows: unknown[][]): ResultSet {
  return { columns: types.map((type, i) => ({ name: `c${i}`, type })), rows };
}

describe('compareResults', () => {
  it('compares numbers by exact value across HUGEINT, BIGINT, DECIMAL strings and numbers', () => {
    const duck = rs(['HUGEINT', 'DECIMAL(38,2)', 'INTEGER', 'DECIMAL(18,4)'], [[12345678901234567890n, '12.50', 7, '-0.0100']]);
    const quiver = rs(['BIGINT', 'DECIMAL(18,2)', 'INTEGER', 'DECIMAL(18,2)'], [[12345678901234567890n, '12.5', 7n, '-0.01']]);
    expect(compareResults(duck, quiver, null)).toBeNull();
    const off = rs(['BIGINT', 'DECIMAL(18,2)', 'INTEGER', 'DECIMAL(18,2)'], [[12345678901234567891n, '12.5', 7, '-0.01']]);
    expect(compareResults(duck, off, null)).toMatch(/differ/);
    const decimalOff = rs(['BIGINT', 'DECIMAL(18,2)', 'INTEGER', 'DECIMAL(18,2)'], [[12345678901234567890n, '12.51', 7, '-0.01']]);
    expect(compareResults(duck, decimalOff, null)).toMatch(/differ/);
  });

  it('compares DOUBLE columns with a relative tolerance of 1e-9', () => {
    const duck = rs(['DOUBLE'], [[1e20], [0.1 + 0.2], [0]]);
    expect(compareResults(duck, rs(['DOUBLE'], [[1e20 * (1 + 1e-12)], [0.3], [1e-15]]), null)).toBeNull();
    expect(compareResults(duck, rs(['DOUBLE'], [[1e20 * (1 + 1e-6)], [0.3], [0]]), null)).toMatch(/differ/);
    // A DOUBLE on one side and a DECIMAL string on the other compare as floats.
    expect(compareResults(rs(['DOUBLE'], [[2.5]]), rs(['DECIMAL(18,1)'], [['2.5']]), null)).toBeNull();
  });

  it('treats rows without ORDER BY as a multiset', () => {
    const duck = rs(['INTEGER', 'VARCHAR'], [[1, 'a'], [2, null], [1, 'a']]);
    expect(compareResults(duck, rs(['INTEGER', 'VARCHAR'], [[2, null], [1, 'a'], [1, 'a']]), null)).toBeNull();
    expect(compareResults(duck, rs(['INTEGER', 'VARCHAR'], [[2, null], [1, 'a'], [2, null]]), null)).toMatch(/differ/);
    expect(compareResults(duck, rs(['INTEGER', 'VARCHAR'], [[1, 'a'], [2, null]]), null)).toMatch(/row count/);
    expect(compareResults(duck, rs(['INTEGER'], [[1], [2], [1]]), null)).toMatch(/column count/);
  });

  it('keeps the order of ORDER BY keys but lets tied rows come in any order', () => {
    const keys = [{ column: 0, desc: false, nullsFirst: false }];
    const duck = rs(['INTEGER', 'VARCHAR'], [[1, 'x'], [1, 'y'], [2, 'z'], [null, 'w']]);
    expect(compareResults(duck, rs(['INTEGER', 'VARCHAR'], [[1, 'y'], [1, 'x'], [2, 'z'], [null, 'w']]), keys)).toBeNull();
    expect(compareResults(duck, rs(['INTEGER', 'VARCHAR'], [[1, 'x'], [2, 'z'], [1, 'y'], [null, 'w']]), keys)).toMatch(/order differs/);
    expect(compareResults(duck, rs(['INTEGER', 'VARCHAR'], [[null, 'w'], [1, 'x'], [1, 'y'], [2, 'z']]), keys)).toMatch(/order differs/);
    expect(compareResults(duck, rs(['INTEGER', 'VARCHAR'], [[1, 'x'], [1, 'q'], [2, 'z'], [null, 'w']]), keys)).toMatch(/equal sort keys/);
  });

  it('chains float sort keys equal within tolerance into one run', () => {
    const keys = [{ column: 0, desc: false, nullsFirst: false }];
    const a = 4999999939.730769;
    const duck = rs(['DOUBLE', 'VARCHAR'], [[a, 'p'], [a * (1 + 4e-10), 'q'], [a * (1 + 8e-10), 'r']]);
    const quiver = rs(['DOUBLE', 'VARCHAR'], [[a * (1 + 8e-10), 'r'], [a * (1 + 4e-10), 'q'], [a, 'p']]);
    expect(compareResults(duck, quiver, keys)).toBeNull();
  });

  it('normalizes dates and timestamps', () => {
    const duck = rs(['DATE', 'TIMESTAMP'], [['2024-02-29', '2024-03-03 00:00:00']]);
    expect(compareResults(duck, rs(['DATE', 'TIMESTAMP'], [['2024-02-29', '2024-03-03T00:00:00.000Z']]), null)).toBeNull();
    expect(compareResults(duck, rs(['DATE', 'TIMESTAMP'], [['2024-02-28', '2024-03-03T00:00:00']]), null)).toMatch(/differ/);
    expect(compareResults(duck, rs(['DATE', 'TIMESTAMP'], [['2024-02-29', '2024-03-03 00:00:01']]), null)).toMatch(/differ/);
  });

  it('never equates a string with a number or NULL with a value', () => {
    expect(compareResults(rs(['VARCHAR'], [['1']]), rs(['INTEGER'], [[1]]), null)).toMatch(/differ/);
    expect(compareResults(rs(['DOUBLE'], [[1.5]]), rs(['VARCHAR'], [['1.5']]), null)).toMatch(/differ/);
    expect(compareResults(rs(['INTEGER'], [[null]]), rs(['INTEGER'], [[0]]), null)).toMatch(/differ/);
    expect(compareResults(rs(['BOOLEAN'], [[true]]), rs(['BOOLEAN'], [[false]]), null)).toMatch(/differ/);
  });
});

describe('mismatchReport', () => {
  it('shows the query, the reason, both results and the plan', () => {
    const text = mismatchReport({
      title: 'query #3',
      sql: 'SELECT 1',
      reason: 'row count differs',
      expected: rs(['INTEGER'], [[1]]),
      expectedError: null,
      actual: null,
      actualError: 'boom',
      plan: 'Projection\n  Scan',
    });
    expect(text).toContain('query #3: row count differs');
    expect(text).toContain('SELECT 1');
    expect(text).toContain('(1)');
    expect(text).toContain('error: boom');
    expect(text).toContain('  Scan');
  });
});
