// The corpus exception list: reading it, and that every checked-in entry names the record it
// means (an applicable statement or query at that line with that SQL).

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkExceptions, readExceptions } from './exceptions.js';
import { parseSlt } from './parser.js';

const CORPUS_DIR = fileURLToPath(new URL('../../../shared/sqllogictest/', import.meta.url));
const EXCEPTIONS_PATH = fileURLToPath(new URL('./exceptions.json', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'slt-exceptions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('exceptions', () => {
  it('rejects an entry without a reason', () => {
    const path = join(dir, 'e.json');
    writeFileSync(path, JSON.stringify({ exceptions: [{ file: 'a.test', line: 3, sql: 'SELECT 1', why: '' }] }));
    expect(() => readExceptions(path)).toThrow(`${path}: entry 1 needs "file" (string), "line" (integer), "sql" and a non-empty "why"`);
  });

  it('checks that an entry points at an applicable record with the same SQL', () => {
    const records = parseSlt('query I nosort\nSELECT 1\n----\n1\n\nonlyif mysql\nquery I nosort\nSELECT 2\n----\n2\n', 'a.test');
    const entry = { file: 'a.test', why: 'test' };
    expect(checkExceptions([{ ...entry, line: 1, sql: 'SELECT 1' }], 'a.test', records)).toEqual([]);
    expect(checkExceptions([{ ...entry, line: 1, sql: 'SELECT 9' }], 'a.test', records)).toEqual([
      'a.test:1 is listed as an exception for "SELECT 9" but holds "SELECT 1"',
    ]);
    expect(checkExceptions([{ ...entry, line: 2, sql: 'SELECT 1' }], 'a.test', records)).toEqual([
      'a.test:2 is listed as an exception but no statement or query starts there',
    ]);
    expect(checkExceptions([{ ...entry, line: 7, sql: 'SELECT 2' }], 'a.test', records)).toEqual([
      'a.test:7 is listed as an exception but does not apply to Quiver',
    ]);
    expect(checkExceptions([{ ...entry, line: 2, sql: 'x' }], 'other.test', records)).toEqual([]);
  });

  it.skipIf(!existsSync(CORPUS_DIR))('holds only the deliberate differences of the README, each pointing at its record', () => {
    const exceptions = readExceptions(EXCEPTIONS_PATH);
    // The 4 records of evidence_in1.test that compare a string or blob literal with integers.
    // The list may only shrink: no entry outside these.
    const deliberate = ['evidence_in1.test:279', 'evidence_in1.test:290', 'evidence_in1.test:313', 'evidence_in1.test:324'];
    for (const e of exceptions) expect(deliberate).toContain(`${e.file}:${e.line}`);
    expect(new Set(exceptions.map((e) => `${e.file}:${e.line}`)).size).toBe(exceptions.length);
    const records = parseSlt(readFileSync(CORPUS_DIR + 'evidence_in1.test', 'utf8'), 'evidence_in1.test');
    expect(checkExceptions(exceptions, 'evidence_in1.test', records)).toEqual([]);
  });
});
