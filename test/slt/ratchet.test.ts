// The corpus ratchet: reading and checking ratchet.json, drops, raising only upward.

import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { raiseRatchet, ratchetDrops, readRatchet, writeRatchet } from './ratchet.js';

const CORPUS_DIR = fileURLToPath(new URL('../../../shared/sqllogictest/', import.meta.url));
const RATCHET_PATH = fileURLToPath(new URL('./ratchet.json', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'slt-ratchet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ratchet', () => {
  it('round-trips through a file', () => {
    const path = join(dir, 'r.json');
    writeRatchet(path, { total: 3, files: { 'a.test': 1, 'b.test': 2 } });
    expect(readRatchet(path)).toEqual({ total: 3, files: { 'a.test': 1, 'b.test': 2 } });
  });

  it('rejects a malformed file with its path and the bad entry', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, '{"total": 0, "files": {"a.test": -1}}');
    expect(() => readRatchet(path)).toThrow(`${path}: the count of a.test must be a non-negative integer, got -1`);
    writeFileSync(path, '{"a.test": 1}');
    expect(() => readRatchet(path)).toThrow(/expected \{"total"/);
    writeFileSync(path, '{');
    expect(() => readRatchet(path)).toThrow(/cannot read the ratchet/);
  });

  it('reports each file that passed fewer records than its ratchet', () => {
    const ratchet = { total: 15, files: { 'a.test': 10, 'b.test': 5 } };
    const passed = new Map([
      ['a.test', 9],
      ['b.test', 7],
      ['new.test', 0],
    ]);
    expect(ratchetDrops(ratchet, passed)).toEqual(['a.test: 9 records passed, fewer than the ratchet\'s 10']);
  });

  it('raises counts but never lowers them, and recomputes the total', () => {
    const ratchet = { total: 15, files: { 'b.test': 5, 'a.test': 10 } };
    const raised = raiseRatchet(ratchet, new Map([
      ['a.test', 9],
      ['b.test', 7],
      ['c.test', 2],
    ]));
    expect(raised).toEqual({ total: 19, files: { 'a.test': 10, 'b.test': 7, 'c.test': 2 } });
    expect(Object.keys(raised.files)).toEqual(['a.test', 'b.test', 'c.test']);
  });

  it.skipIf(!existsSync(CORPUS_DIR))('the checked-in ratchet names every corpus file and adds up', () => {
    const ratchet = readRatchet(RATCHET_PATH);
    const files = readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.test')).sort();
    expect(Object.keys(ratchet.files).sort()).toEqual(files);
    expect(Object.values(ratchet.files).reduce((s, n) => s + n, 0)).toBe(ratchet.total);
  });
});
