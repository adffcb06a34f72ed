// Text <-> physical value conversions: PostgreSQL's rules, exact decimals, calendar edges.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { T, decimalType } from '../../common/types.js';
import { QuiverError } from '../../common/errors.js';
import {
  civilFromDays,
  daysFromCivil,
  formatDate,
  formatDecimal,
  formatDouble,
  formatInterval,
  formatTimestamp,
  formatTimestampIso,
  parseBoolean,
  parseDate,
  parseDecimal,
  parseDouble,
  parseInteger,
  parseInterval,
  parseTimestamp,
  MICROS_PER_DAY,
  MICROS_PER_HOUR,
} from '../../common/text-values.js';

function errorOf(f: () => unknown): QuiverError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(QuiverError);
    return e as QuiverError;
  }
  throw new Error('expected an error');
}

function expectError(f: () => unknown, code: string, message: string): void {
  const e = errorOf(f);
  expect(e.code).toBe(code);
  expect(e.message).toBe(message);
}

describe('parseInteger', () => {
  it('parses signs and surrounding whitespace', () => {
    expect(parseInteger('42', T.INTEGER)).toBe(42);
    expect(parseInteger('  -17 ', T.INTEGER)).toBe(-17);
    expect(parseInteger('+8', T.SMALLINT)).toBe(8);
    expect(parseInteger('\t007\n', T.INTEGER)).toBe(7);
    expect(Object.is(parseInteger('-0', T.INTEGER), 0)).toBe(true);
  });
  it('checks ranges per type', () => {
    expect(parseInteger('2147483647', T.INTEGER)).toBe(2147483647);
    expect(parseInteger('-2147483648', T.INTEGER)).toBe(-2147483648);
    expectError(() => parseInteger('2147483648', T.INTEGER), 'OVERFLOW_ERROR', 'value "2147483648" is out of range for type INTEGER');
    expectError(() => parseInteger('32768', T.SMALLINT), 'OVERFLOW_ERROR', 'value "32768" is out of range for type SMALLINT');
    expect(parseInteger('-32768', T.SMALLINT)).toBe(-32768);
    expectError(() => parseInteger('99999999999999999999', T.INTEGER), 'OVERFLOW_ERROR', 'value "99999999999999999999" is out of range for type INTEGER');
  });
  it('gives BIGINT as a number up to 2^53 and a bigint beyond', () => {
    expect(parseInteger('9007199254740992', T.BIGINT)).toBe(9007199254740992);
    expect(parseInteger('-9007199254740992', T.BIGINT)).toBe(-9007199254740992);
    expect(parseInteger('9007199254740993', T.BIGINT)).toBe(9007199254740993n);
    expect(parseInteger('9223372036854775807', T.BIGINT)).toBe(9223372036854775807n);
    expect(parseInteger('-9223372036854775808', T.BIGINT)).toBe(-9223372036854775808n);
    expect(parseInteger('000000000000000000012', T.BIGINT)).toBe(12);
    expectError(() => parseInteger('9223372036854775808', T.BIGINT), 'OVERFLOW_ERROR', 'value "9223372036854775808" is out of range for type BIGINT');
  });
  it('rejects what is not an integer', () => {
    for (const bad of ['12a', '1.5', '', ' ', '-', '+', '1 2', '0x10', '1e3']) {
      expectError(() => parseInteger(bad, T.INTEGER), 'CONVERSION_ERROR', `invalid input for type INTEGER: "${bad}"`);
    }
    expectError(() => parseInteger('x', T.BIGINT), 'CONVERSION_ERROR', 'invalid input for type BIGINT: "x"');
  });
});

describe('parseDecimal / formatDecimal', () => {
  it('scales exactly', () => {
    expect(parseDecimal('12.5', 5, 2)).toBe(1250);
    expect(parseDecimal('-12.5', 5, 2)).toBe(-1250);
    expect(parseDecimal('0.05', 5, 2)).toBe(5);
    expect(parseDecimal('.5', 5, 2)).toBe(50);
    expect(parseDecimal('5.', 5, 2)).toBe(500);
    expect(parseDecimal(' +3 ', 5, 0)).toBe(3);
    expect(parseDecimal('0.01', 18, 17)).toBe(1000000000000000);
    expect(parseDecimal('0.1', 18, 17)).toBe(10000000000000000n);
  });
  it('rounds half away from zero to the scale', () => {
    expect(parseDecimal('1.005', 5, 2)).toBe(101);
    expect(parseDecimal('1.004999', 5, 2)).toBe(100);
    expect(parseDecimal('-1.005', 5, 2)).toBe(-101);
    expect(parseDecimal('2.5', 5, 0)).toBe(3);
    expect(parseDecimal('-2.5', 5, 0)).toBe(-3);
    expect(parseDecimal('0.004', 5, 2)).toBe(0);
    expect(Object.is(parseDecimal('-0.004', 5, 2), 0)).toBe(true);
    expect(parseDecimal('0.5', 5, 0)).toBe(1);
    expect(parseDecimal('0.05', 5, 0)).toBe(0);
  });
  it('accepts exponents', () => {
    expect(parseDecimal('1e3', 10, 2)).toBe(100000);
    expect(parseDecimal('1.5E-2', 10, 3)).toBe(15);
    expect(parseDecimal('15e-4', 10, 2)).toBe(0);
    expect(parseDecimal('25e-3', 10, 1)).toBe(0);
    expect(parseDecimal('5e-1', 10, 0)).toBe(1);
    expect(parseDecimal('0e999999999', 10, 0)).toBe(0);
    expect(parseDecimal('1e-99999999', 10, 2)).toBe(0);
  });
  it('returns a bigint beyond 2^53', () => {
    expect(parseDecimal('123456789012345.67', 18, 2)).toBe(12345678901234567n);
    expect(parseDecimal('-99999999999999.9999', 18, 4)).toBe(-999999999999999999n);
    expect(parseDecimal('90071992547409.92', 18, 2)).toBe(9007199254740992);
    expect(parseDecimal('12345678901234567890123456789.5', 38, 1)).toBe(123456789012345678901234567895n);
  });
  it('checks the precision', () => {
    expect(parseDecimal('999.99', 5, 2)).toBe(99999);
    expectError(() => parseDecimal('1000', 5, 2), 'OVERFLOW_ERROR', 'numeric field overflow: "1000" has more than 3 integer digits for type DECIMAL(5,2)');
    expectError(() => parseDecimal('999.995', 5, 2), 'OVERFLOW_ERROR', 'numeric field overflow: "999.995" has more than 3 integer digits for type DECIMAL(5,2)');
    expectError(() => parseDecimal('1', 2, 2), 'OVERFLOW_ERROR', 'numeric field overflow: "1" has more than 0 integer digits for type DECIMAL(2,2)');
    expectError(() => parseDecimal('1e400', 18, 2), 'OVERFLOW_ERROR', 'numeric field overflow: "1e400" has more than 16 integer digits for type DECIMAL(18,2)');
    expectError(() => parseDecimal('10', 1, 0), 'OVERFLOW_ERROR', 'numeric field overflow: "10" has more than 1 integer digit for type DECIMAL(1,0)');
    expect(parseDecimal('0000000000000000000001.5', 2, 1)).toBe(15);
    expectError(() => parseDecimal('99999999999999999999', 19, 0), 'OVERFLOW_ERROR', 'numeric field overflow: "99999999999999999999" has more than 19 integer digits for type DECIMAL(19,0)');
  });
  it('rejects malformed text', () => {
    for (const bad of ['', '.', '-', 'e5', '1e', '1.2.3', 'abc', '1 2', 'NaN', '1e+']) {
      expectError(() => parseDecimal(bad, 10, 2), 'CONVERSION_ERROR', `invalid input for type DECIMAL(10,2): "${bad}"`);
    }
  });
  it('formats exact digits', () => {
    expect(formatDecimal(-1250, 2)).toBe('-12.50');
    expect(formatDecimal(5, 2)).toBe('0.05');
    expect(formatDecimal(-5, 2)).toBe('-0.05');
    expect(formatDecimal(0, 3)).toBe('0.000');
    expect(formatDecimal(123, 0)).toBe('123');
    expect(formatDecimal(12345678901234567n, 2)).toBe('123456789012345.67');
    expect(formatDecimal(-9223372036854775808n, 18)).toBe('-9.223372036854775808');
    expect(() => formatDecimal(1.5, 2)).toThrow(QuiverError);
  });
  it('round-trips through text', () => {
    const type = decimalType(18, 4);
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 18n) + 1n, max: 10n ** 18n - 1n }), (v) => {
        const back = parseDecimal(formatDecimal(v, 4), type.precision!, type.scale!);
        expect(BigInt(back)).toBe(v);
      }),
    );
  });
});

describe('parseDouble / formatDouble', () => {
  it('parses numbers and PostgreSQL specials', () => {
    expect(parseDouble(' 1.5 ')).toBe(1.5);
    expect(parseDouble('-2e3')).toBe(-2000);
    expect(parseDouble('.25')).toBe(0.25);
    expect(parseDouble('1.')).toBe(1);
    expect(parseDouble('NaN')).toBeNaN();
    expect(parseDouble('nan')).toBeNaN();
    expect(parseDouble('Infinity')).toBe(Infinity);
    expect(parseDouble('-INFINITY')).toBe(-Infinity);
    expect(parseDouble('+inf')).toBe(Infinity);
    expect(parseDouble('-inf')).toBe(-Infinity);
    expect(Object.is(parseDouble('-0'), -0)).toBe(true);
    expect(parseDouble('0e10')).toBe(0);
    expect(parseDouble('4.9e-324')).toBe(5e-324);
  });
  it('rejects bad text and out-of-range values', () => {
    for (const bad of ['', 'abc', '1e', '0x10', '1_000', '--1', '-nan']) {
      expectError(() => parseDouble(bad), 'CONVERSION_ERROR', `invalid input for type DOUBLE: "${bad}"`);
    }
    expectError(() => parseDouble('1e400'), 'OVERFLOW_ERROR', 'value "1e400" is out of range for type DOUBLE');
    expectError(() => parseDouble('1e-400'), 'OVERFLOW_ERROR', 'value "1e-400" is out of range for type DOUBLE');
  });
  it('formats as PostgreSQL prints float8', () => {
    expect(formatDouble(1.5)).toBe('1.5');
    expect(formatDouble(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(formatDouble(100)).toBe('100');
    expect(formatDouble(123456789012345)).toBe('123456789012345');
    expect(formatDouble(1e15)).toBe('1e+15');
    expect(formatDouble(1234567890123456)).toBe('1.234567890123456e+15');
    expect(formatDouble(1e20)).toBe('1e+20');
    expect(formatDouble(0.0001)).toBe('0.0001');
    expect(formatDouble(0.00001)).toBe('1e-05');
    expect(formatDouble(-1.25e-7)).toBe('-1.25e-07');
    expect(formatDouble(1e100)).toBe('1e+100');
    expect(formatDouble(5e-324)).toBe('5e-324');
    expect(formatDouble(-0)).toBe('-0');
    expect(formatDouble(0)).toBe('0');
    expect(formatDouble(NaN)).toBe('NaN');
    expect(formatDouble(Infinity)).toBe('Infinity');
    expect(formatDouble(-Infinity)).toBe('-Infinity');
  });
  it('round-trips every double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (v) => {
        expect(Object.is(parseDouble(formatDouble(v)), v)).toBe(true);
      }),
    );
  });
});

describe('parseBoolean', () => {
  it('accepts PostgreSQL spellings and prefixes', () => {
    for (const t of ['true', 'TRUE', 't', 'tr', 'yes', 'y', 'Ye', 'on', 'ON', '1', ' true ']) expect(parseBoolean(t)).toBe(1);
    for (const f of ['false', 'f', 'fals', 'no', 'n', 'off', 'of', 'OFF', '0', '\tFALSE\n']) expect(parseBoolean(f)).toBe(0);
  });
  it('rejects the rest', () => {
    for (const bad of ['', 'o', 'truex', 'yess', '2', '10', 'nope', 'onn']) {
      expectError(() => parseBoolean(bad), 'CONVERSION_ERROR', `invalid input for type BOOLEAN: "${bad}"`);
    }
  });
});

describe('dates', () => {
  it('parses and validates', () => {
    expect(parseDate('1970-01-01')).toBe(0);
    expect(parseDate('1970-01-02')).toBe(1);
    expect(parseDate('1969-12-31')).toBe(-1);
    expect(parseDate(' 2000-02-29 ')).toBe(11016);
    expect(parseDate('2024-1-5')).toBe(parseDate('2024-01-05'));
    expect(parseDate('0001-01-01')).toBe(-719162);
    expect(parseDate('9999-12-31')).toBe(2932896);
    expect(parseDate('1600-02-29')).toBe(daysFromCivil(1600, 2, 29));
    for (const bad of ['1900-02-29', '2023-02-29', '2024-02-30', '2024-04-31', '2024-13-01', '2024-00-10', '2024-01-00', '0000-01-01', '24-01-01', '2024/01/01', '20240101', '2024-01-01x', '', '12345-01-01']) {
      expectError(() => parseDate(bad), 'CONVERSION_ERROR', `invalid input for type DATE: "${bad}"`);
    }
  });
  it('formats', () => {
    expect(formatDate(0)).toBe('1970-01-01');
    expect(formatDate(-1)).toBe('1969-12-31');
    expect(formatDate(11016)).toBe('2000-02-29');
    expect(formatDate(-719162)).toBe('0001-01-01');
    expect(formatDate(2932896)).toBe('9999-12-31');
    expect(formatDate(-719163)).toBe('0000-12-31');
    expect(formatDate(-719529)).toBe('-0001-12-31');
    expect(formatDate(2932897)).toBe('10000-01-01');
  });
  it('agrees with the JS calendar over the whole range', () => {
    const out = new Int32Array(3);
    for (let d = -719162; d <= 2932896; d += 97) {
      const iso = new Date(d * 86400000).toISOString().slice(0, 10);
      expect(formatDate(d)).toBe(iso);
      expect(parseDate(iso)).toBe(d);
      civilFromDays(d, out);
      expect(daysFromCivil(out[0]!, out[1]!, out[2]!)).toBe(d);
    }
  });
});

describe('timestamps', () => {
  const at = (iso: string) => Date.parse(iso) * 1000;
  it('parses the accepted forms', () => {
    expect(parseTimestamp('1970-01-01')).toBe(0);
    expect(parseTimestamp('2024-03-05')).toBe(at('2024-03-05T00:00:00Z'));
    expect(parseTimestamp('2024-03-05 13:14')).toBe(at('2024-03-05T13:14:00Z'));
    expect(parseTimestamp('2024-03-05 13:14:15')).toBe(at('2024-03-05T13:14:15Z'));
    expect(parseTimestamp('2024-03-05T13:14:15.5')).toBe(at('2024-03-05T13:14:15.500Z'));
    expect(parseTimestamp('2024-03-05 13:14:15.123456')).toBe(at('2024-03-05T13:14:15Z') + 123456);
    expect(parseTimestamp('2024-03-05 13:14:15.1234565')).toBe(at('2024-03-05T13:14:15Z') + 123457);
    expect(parseTimestamp('2024-03-05 13:14:15.12345649')).toBe(at('2024-03-05T13:14:15Z') + 123456);
    expect(parseTimestamp('1969-12-31 23:59:59.999999')).toBe(-1);
    expect(parseTimestamp('2024-03-05 9:05:00')).toBe(at('2024-03-05T09:05:00Z'));
  });
  it('applies zones', () => {
    expect(parseTimestamp('2024-03-05T13:14:15Z')).toBe(at('2024-03-05T13:14:15Z'));
    expect(parseTimestamp('2024-03-05 13:14:15 UTC')).toBe(at('2024-03-05T13:14:15Z'));
    expect(parseTimestamp('2024-03-05 13:14:15+02')).toBe(at('2024-03-05T11:14:15Z'));
    expect(parseTimestamp('2024-03-05 13:14:15-05:30')).toBe(at('2024-03-05T18:44:15Z'));
    expect(parseTimestamp('2024-03-05 13:14:15 +0530')).toBe(at('2024-03-05T07:44:15Z'));
  });
  it('rolls over 24:00 and leap seconds', () => {
    expect(parseTimestamp('2024-03-05 24:00:00')).toBe(at('2024-03-06T00:00:00Z'));
    expect(parseTimestamp('2024-03-05 23:59:60')).toBe(at('2024-03-06T00:00:00Z'));
  });
  it('rejects bad text', () => {
    for (const bad of ['', '2024-03-05 13', '2024-03-05 13:1', '2024-03-05X13:14', '2024-02-30 00:00', '2024-03-05 13:14:15.', '2024-03-05 13:14:15+2', '2024-03-05 13:14:15+02:', '2024-03-05 13:14:15 PST', 'now']) {
      expectError(() => parseTimestamp(bad), 'CONVERSION_ERROR', `invalid input for type TIMESTAMP: "${bad}"`);
    }
    for (const bad of ['2024-03-05 25:00:00', '2024-03-05 24:00:01', '2024-03-05 12:60:00', '2024-03-05 12:00:61', '2024-03-05 12:00:00+16']) {
      expectError(() => parseTimestamp(bad), 'OVERFLOW_ERROR', `value "${bad}" is out of range for type TIMESTAMP`);
    }
  });
  it('formats as PostgreSQL and as ISO', () => {
    expect(formatTimestamp(0)).toBe('1970-01-01 00:00:00');
    expect(formatTimestamp(-1)).toBe('1969-12-31 23:59:59.999999');
    expect(formatTimestamp(at('2024-03-05T13:14:15.5Z'))).toBe('2024-03-05 13:14:15.5');
    expect(formatTimestamp(at('2024-03-05T13:14:15Z') + 120)).toBe('2024-03-05 13:14:15.00012');
    expect(formatTimestampIso(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(formatTimestampIso(at('2024-03-05T13:14:15.5Z'))).toBe('2024-03-05T13:14:15.500Z');
    expect(formatTimestampIso(at('2024-03-05T13:14:15Z') + 120)).toBe('2024-03-05T13:14:15.000120Z');
    expect(formatTimestampIso(-1)).toBe('1969-12-31T23:59:59.999999Z');
  });
  // Microseconds are exact in a double up to 2^53 (years 1685..2255); beyond, the physical
  // representation itself rounds, so the round trip is checked inside that range.
  it('round-trips and matches Date for millisecond values', () => {
    fc.assert(
      fc.property(fc.integer({ min: -9007199254740, max: 9007199254739 }), fc.integer({ min: 0, max: 999 }), (ms, us) => {
        const micros = ms * 1000 + us;
        expect(parseTimestamp(formatTimestamp(micros))).toBe(micros);
        expect(parseTimestamp(formatTimestampIso(micros))).toBe(micros);
        if (us === 0) expect(formatTimestampIso(micros)).toBe(new Date(ms).toISOString());
      }),
    );
  });
});

describe('intervals', () => {
  const iv = (months: number, days: number, micros: number) => ({ months, days, micros });
  it('parses units, times, fractions and ago', () => {
    expect(parseInterval('1 day')).toEqual(iv(0, 1, 0));
    expect(parseInterval('2 months 3 days')).toEqual(iv(2, 3, 0));
    expect(parseInterval('1 year')).toEqual(iv(12, 0, 0));
    expect(parseInterval('3 hours')).toEqual(iv(0, 0, 3 * MICROS_PER_HOUR));
    expect(parseInterval('10:00:00')).toEqual(iv(0, 0, 10 * MICROS_PER_HOUR));
    expect(parseInterval('10:30')).toEqual(iv(0, 0, 10.5 * MICROS_PER_HOUR));
    expect(parseInterval('-01:00:00.5')).toEqual(iv(0, 0, -3600500000));
    expect(parseInterval('1 day 02:00:00')).toEqual(iv(0, 1, 2 * MICROS_PER_HOUR));
    expect(parseInterval('1.5 days')).toEqual(iv(0, 1, MICROS_PER_DAY / 2));
    expect(parseInterval('1.5 months')).toEqual(iv(1, 15, 0));
    expect(parseInterval('1.5 years')).toEqual(iv(18, 0, 0));
    expect(parseInterval('2 weeks')).toEqual(iv(0, 14, 0));
    expect(parseInterval('3days 4h')).toEqual(iv(0, 3, 4 * MICROS_PER_HOUR));
    expect(parseInterval('@ 1 minute ago')).toEqual(iv(0, 0, -60000000));
    expect(parseInterval('1 Year 2 Mons')).toEqual(iv(14, 0, 0));
    expect(parseInterval('90')).toEqual(iv(0, 0, 90000000));
    expect(parseInterval('1 century')).toEqual(iv(1200, 0, 0));
    expect(parseInterval('250 ms')).toEqual(iv(0, 0, 250000));
  });
  it('takes a separate unit for bare numbers', () => {
    expect(parseInterval('3', 'day')).toEqual(iv(0, 3, 0));
    expect(parseInterval('2', 'MONTH')).toEqual(iv(2, 0, 0));
    expect(parseInterval('1 hour', 'day')).toEqual(iv(0, 0, MICROS_PER_HOUR));
    expectError(() => parseInterval('3', 'fortnight'), 'CONVERSION_ERROR', 'unknown INTERVAL unit "fortnight"');
  });
  it('rejects bad text', () => {
    for (const bad of ['', 'day', '1 fortnight', '1 day 2 3', 'ago', '1:2:3:4', 'x 1 day']) {
      expectError(() => parseInterval(bad), 'CONVERSION_ERROR', `invalid input for type INTERVAL: "${bad}"`);
    }
    expectError(() => parseInterval('1:60'), 'OVERFLOW_ERROR', 'value "1:60" is out of range for type INTERVAL');
  });
  it('formats as PostgreSQL', () => {
    expect(formatInterval(iv(0, 0, 0))).toBe('00:00:00');
    expect(formatInterval(iv(14, 3, 4 * MICROS_PER_HOUR + 5 * 60e6 + 6.5e6))).toBe('1 year 2 mons 3 days 04:05:06.5');
    expect(formatInterval(iv(0, 1, 0))).toBe('1 day');
    expect(formatInterval(iv(24, 2, 0))).toBe('2 years 2 days');
    expect(formatInterval(iv(0, -1, 2 * MICROS_PER_HOUR))).toBe('-1 days +02:00:00');
    expect(formatInterval(iv(-1, 0, -MICROS_PER_HOUR))).toBe('-1 mons -01:00:00');
    expect(formatInterval(iv(0, 0, 100 * MICROS_PER_HOUR))).toBe('100:00:00');
    expect(formatInterval(iv(-12, 0, 0))).toBe('-1 years');
  });
});
