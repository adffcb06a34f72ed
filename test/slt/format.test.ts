// Value formatting of the sqllogictest runner: I, R and T as SQLite's runner prints them.

import { describe, expect, it } from 'vitest';
import { formatDouble3, formatRealAsText, formatValue } from './format.js';

describe('formatValue I', () => {
  const i = (v: unknown, type = 'INTEGER') => formatValue(v, 'I', type);

  it('prints integers and truncates doubles toward zero', () => {
    expect(i(42)).toBe('42');
    expect(i(-42)).toBe('-42');
    expect(i(3.9, 'DOUBLE')).toBe('3');
    expect(i(-3.9, 'DOUBLE')).toBe('-3');
    expect(i(-0.5, 'DOUBLE')).toBe('0');
    expect(i(-0, 'DOUBLE')).toBe('0');
  });

  it('saturates at the int64 range like sqlite3_column_int64', () => {
    expect(i(1e30, 'DOUBLE')).toBe('9223372036854775807');
    expect(i(-1e30, 'DOUBLE')).toBe('-9223372036854775808');
    expect(i(Number.NaN, 'DOUBLE')).toBe('0');
    expect(i(2 ** 60, 'DOUBLE')).toBe('1152921504606846976');
  });

  it('prints a bigint exactly', () => {
    expect(i(-9223372036854775808n, 'BIGINT')).toBe('-9223372036854775808');
    expect(i(12345678901234567n, 'BIGINT')).toBe('12345678901234567');
  });

  it('truncates a DECIMAL string toward zero', () => {
    expect(i('-12.50', 'DECIMAL(10,2)')).toBe('-12');
    expect(i('12.99', 'DECIMAL(10,2)')).toBe('12');
    expect(i('-0.50', 'DECIMAL(10,2)')).toBe('0');
  });

  it('reads the leading integer of text like atoi', () => {
    expect(i('12abc', 'VARCHAR')).toBe('12');
    expect(i('  -7x', 'VARCHAR')).toBe('-7');
    expect(i('abc', 'VARCHAR')).toBe('0');
    expect(i('', 'VARCHAR')).toBe('0');
    expect(i('99999999999999999999', 'VARCHAR')).toBe('9223372036854775807');
  });

  it('prints booleans as 1 and 0', () => {
    expect(i(true, 'BOOLEAN')).toBe('1');
    expect(i(false, 'BOOLEAN')).toBe('0');
  });
});

describe('formatValue R', () => {
  const r = (v: unknown, type = 'DOUBLE') => formatValue(v, 'R', type);

  it('prints three decimals, rounding half away from zero', () => {
    expect(r(1.25)).toBe('1.250');
    expect(r(1 / 3)).toBe('0.333');
    expect(r(2 / 3)).toBe('0.667');
    expect(r(1.0625)).toBe('1.063');
    expect(r(-1.0625)).toBe('-1.063');
    expect(r(12)).toBe('12.000');
  });

  it('rounds from 16 significant digits like sqlite3_snprintf', () => {
    // 1.0005 is held as 1.000499999999999945...; SQLite rounds 16 digits (1.000500000000000) up.
    expect(r(1.0005)).toBe('1.001');
    // Both expected in evidence_slt_lang_aggfunc.test.
    expect(r(-(2 ** 63))).toBe('-9223372036854776000.000');
    expect(r(-(2 ** 64))).toBe('-18446744073709550000.000');
    expect(r(12345678901234.5625)).toBe('12345678901234.560');
  });

  it('keeps the sign of a tiny negative (-0.000) but not of negative zero', () => {
    expect(r(-0.0001)).toBe('-0.000');
    expect(r(-0)).toBe('0.000');
    expect(r(0)).toBe('0.000');
  });

  it('converts bigint and integer values to doubles', () => {
    expect(r(5n, 'BIGINT')).toBe('5.000');
    expect(r(7, 'INTEGER')).toBe('7.000');
  });

  it('rounds a DECIMAL string on its exact digits', () => {
    expect(r('1.0005', 'DECIMAL(10,4)')).toBe('1.001');
    expect(r('-12.50', 'DECIMAL(10,2)')).toBe('-12.500');
    expect(r('-0.0004', 'DECIMAL(10,4)')).toBe('-0.000');
    expect(r('0.9995', 'DECIMAL(10,4)')).toBe('1.000');
    expect(r('123456789012345678.999', 'DECIMAL(21,3)')).toBe('123456789012345678.999');
  });

  it('reads the leading number of text like atof', () => {
    expect(r('3.5x', 'VARCHAR')).toBe('3.500');
    expect(r('abc', 'VARCHAR')).toBe('0.000');
    expect(r('1e2', 'VARCHAR')).toBe('100.000');
  });

  it('prints infinities and NaN', () => {
    expect(formatDouble3(Infinity)).toBe('Inf');
    expect(formatDouble3(-Infinity)).toBe('-Inf');
    expect(formatDouble3(Number.NaN)).toBe('NaN');
  });
});

describe('formatValue T', () => {
  const t = (v: unknown, type = 'VARCHAR') => formatValue(v, 'T', type);

  it('prints an empty string as (empty)', () => {
    expect(t('')).toBe('(empty)');
    expect(t(' ')).toBe(' ');
  });

  it('prints every byte of a non-printable character as @', () => {
    expect(t('a\tb\nc')).toBe('a@b@c');
    expect(t('é')).toBe('@@');
    expect(t('日')).toBe('@@@');
    expect(t('~ok')).toBe('~ok');
  });

  it('prints numbers as SQLite casts them to text', () => {
    expect(t(12, 'INTEGER')).toBe('12');
    expect(t(-12345678901234567n, 'BIGINT')).toBe('-12345678901234567');
    expect(t(1, 'DOUBLE')).toBe('1.0');
    expect(t(0.1, 'DOUBLE')).toBe('0.1');
    expect(t('-12.50', 'DECIMAL(10,2)')).toBe('-12.50');
  });

  it('prints booleans and dates as text', () => {
    expect(t(true, 'BOOLEAN')).toBe('true');
    expect(t(false, 'BOOLEAN')).toBe('false');
    expect(t('2024-02-29', 'DATE')).toBe('2024-02-29');
  });
});

describe('formatRealAsText (%!.15g, checked against sqlite3 3.40 CAST(x AS TEXT))', () => {
  it.each([
    [1e20, '1.0e+20'],
    [1.5e-7, '1.5e-07'],
    [0.1, '0.1'],
    [100, '100.0'],
    [1.2345678901234568e17, '1.23456789012346e+17'],
    [-0.0001, '-0.0001'],
    [1e15, '1.0e+15'],
    [1e14, '100000000000000.0'],
    [2.5, '2.5'],
    [1 / 3, '0.333333333333333'],
    [0, '0.0'],
  ])('%s -> %s', (x, text) => {
    expect(formatRealAsText(x)).toBe(text);
  });
});

describe('NULL', () => {
  it('prints NULL for every letter', () => {
    for (const letter of ['I', 'R', 'T'] as const) {
      expect(formatValue(null, letter, 'INTEGER')).toBe('NULL');
      expect(formatValue(undefined, letter, 'VARCHAR')).toBe('NULL');
    }
  });
});
