// Properties of exec/expression/text-functions.ts and datetime-functions.ts that the SQL logic
// tests (test/sql/functions/scalar_functions_more.test) check only by example: left/right
// split a string, lpad/rpad give exactly n characters, split_part's fields are the string's
// pieces, make_date and strftime agree with the calendar, date_diff counts month boundaries.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuiverError } from '../../../common/errors.js';
import { formatDate } from '../../../common/text-values.js';
import { dateDiffDays, makeDate, strftime } from '../../../exec/expression/datetime-functions.js';
import { compileRegex, leftChars, pad, regexReplace, rightChars, splitPart } from '../../../exec/expression/text-functions.js';

const text = fc.string({ unit: fc.constantFrom('a', 'b', ',', 'é', '👍', ' '), maxLength: 12 });
const chars = (s: string) => Array.from(s).length;

describe('string helpers', () => {
  it('left(s, n) || right(s, -n) is s, for any n but 0', () => {
    fc.assert(fc.property(text, fc.integer({ min: -15, max: 15 }).filter((n) => n !== 0), (s, n) => {
      expect(leftChars(s, n) + rightChars(s, -n)).toBe(s);
    }));
    expect(leftChars('ab', 0) + rightChars('ab', 0)).toBe('');
  });

  it('lpad/rpad give exactly n characters and keep s when padding', () => {
    fc.assert(fc.property(text, fc.integer({ min: -2, max: 20 }), fc.constantFrom('*', 'xy', '👍é'), fc.boolean(), (s, n, fill, left) => {
      const r = pad(s, n, fill, left);
      expect(chars(r)).toBe(Math.max(n, 0));
      if (n >= chars(s)) expect(left ? r.endsWith(s) : r.startsWith(s)).toBe(true);
      else expect(r).toBe(leftChars(s, Math.max(n, 0)));
    }));
  });

  it('pads with an empty fill only when no padding is needed', () => {
    expect(pad('abc', 2, '', true)).toBe('ab');
    expect(() => pad('abc', 4, '', false)).toThrow(QuiverError);
  });

  it('split_part fields joined with the separator give s back; negative n counts from the end', () => {
    fc.assert(fc.property(text, fc.constantFrom(',', 'a', ' ,'), (s, sep) => {
      const count = s.split(sep).length;
      const fields = Array.from({ length: count }, (_, i) => splitPart(s, sep, i + 1));
      expect(fields.join(sep)).toBe(s);
      for (let i = 1; i <= count; i++) expect(splitPart(s, sep, -i)).toBe(fields[count - i]);
      expect(splitPart(s, sep, count + 1)).toBe('');
      expect(splitPart(s, sep, -count - 1)).toBe('');
      expect(splitPart(s, sep, 0)).toBe('');
    }));
  });

  it('regexp_replace rewrites \\N group references and keeps $ literal', () => {
    expect(regexReplace('abc', '(b)(c)', '\\2\\1$1\\0\\\\', '')).toBe('acb$1bc\\');
    expect(regexReplace('aaa', 'a', 'b', 'g')).toBe('bbb');
    expect(() => compileRegex('(', '', false)).toThrow(/invalid regular expression/);
    expect(() => compileRegex('a', 'x', true)).toThrow(/unrecognized regex option 'x'/);
  });
});

describe('date helpers', () => {
  const ymd = fc.record({ y: fc.integer({ min: 1, max: 9999 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }) });

  it('make_date accepts exactly the dates that exist, and strftime prints them back', () => {
    fc.assert(fc.property(ymd, ({ y, m, d }) => {
      const real = new Date(Date.UTC(2000, m - 1, d));
      real.setUTCFullYear(y);
      const exists = real.getUTCMonth() === m - 1 && real.getUTCDate() === d;
      if (!exists) {
        expect(() => makeDate(y, m, d)).toThrow(/not a valid date/);
        return;
      }
      const days = makeDate(y, m, d);
      expect(strftime(days * 86_400_000_000, '%Y-%m-%d')).toBe(formatDate(days));
      expect(strftime(days * 86_400_000_000, '%-m/%-d')).toBe(`${m}/${d}`);
    }));
  });

  it("date_diff('month') counts month boundaries: (y2 * 12 + m2) - (y1 * 12 + m1)", () => {
    fc.assert(fc.property(ymd, ymd, (a, b) => {
      const da = makeDate(a.y, a.m, Math.min(a.d, 28));
      const db = makeDate(b.y, b.m, Math.min(b.d, 28));
      expect(dateDiffDays('month', da, db)).toBe(b.y * 12 + b.m - (a.y * 12 + a.m));
      expect(dateDiffDays('week', da, db)).toBe(Math.trunc((db - da) / 7));
    }));
  });
});
