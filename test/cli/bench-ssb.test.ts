// `quiver bench ssb` at a tiny scale factor: it must generate the data, load both engines, find
// every one of the 13 answers equal to DuckDB's, time each query the number of runs asked, and
// write the JSON and SVG results where --out says. Timings are not checked (DESIGN.md: speed is
// measured in bench/, never asserted in tests), only that they are there.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSsbBench, type SsbBenchOptions, type SsbBenchResult } from '../../cli/bench-ssb.js';
import { readSsbQueries } from '../../cli/ssb-files.js';

const SF = 0.01;
const RUNS = 2;

describe('quiver bench ssb at SF 0.01', () => {
  let root: string;
  let lines: string[];
  let result: SsbBenchResult;
  const options = (over: Partial<SsbBenchOptions>): SsbBenchOptions => ({
    sf: SF,
    vs: 'duckdb',
    threads: 1,
    runs: RUNS,
    dir: join(root, 'data'),
    db: null,
    out: join(root, 'results'),
    log: (line) => lines.push(line),
    ...over,
  });

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'quiver-bench-ssb-test-'));
    lines = [];
    result = await runSsbBench(options({}));
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('generates the missing .tbl files into --dir', () => {
    expect(readdirSync(join(root, 'data')).sort()).toEqual(['customer.tbl', 'date.tbl', 'lineorder.tbl', 'part.tbl', 'supplier.tbl']);
    expect(lines[0]).toBe(`generating SSB SF ${SF} into ${join(root, 'data')} ...`);
  });

  it('finds all 13 answers equal to DuckDB\'s and times each query on both engines', () => {
    const r = result.report;
    expect(r.queries.map((q) => q.name)).toEqual(readSsbQueries().map((q) => q.name));
    expect(r.queries).toHaveLength(13);
    for (const q of r.queries) {
      expect({ name: q.name, answer: q.answer, problem: q.problem }).toEqual({ name: q.name, answer: 'same', problem: null });
      expect(q.quiverMs).toHaveLength(RUNS);
      expect(q.duckdbMs).toHaveLength(RUNS);
      expect(q.ratio).toBeCloseTo(q.quiverMedianMs! / q.duckdbMedianMs!, 9);
    }
    expect(r.allAnswersSame).toBe(true);
    expect(r.ratioQueries).toBe(13);
    expect(r.geometricMeanRatio).toBeGreaterThan(0);
    // q2.1 selects rows at this SF: the check compared real groups, not two empty results.
    expect(r.queries.find((q) => q.name === 'q2.1')!.rows).toBeGreaterThan(0);
  });

  it('reports the load of both engines, the same rows in each, and the bytes on disk', () => {
    const r = result.report;
    expect(r.duckdb).not.toBeNull();
    expect(r.quiver.load.rows).toEqual(r.duckdb!.load.rows);
    expect(r.quiver.load.rows.customer).toBe(300);
    expect(r.quiver.load.rows.date).toBe(2556);
    expect(Object.keys(r.quiver.load.tables)).toEqual(['customer', 'supplier', 'part', 'date', 'lineorder']);
    expect(r.quiver.bytesOnDisk).toBeGreaterThan(0);
    expect(r.quiver.bytesOnDisk).toBeLessThan(r.tblBytes);
    expect(r.duckdb!.bytesOnDisk).toBeNull();
    expect(r.duckdb!.threads).toBe(1);
    expect(r.quiver.threadsNote).toMatch(/thread/);
  });

  it('prints the table: a line per query with both medians and the ratio, then the geometric mean', () => {
    const text = lines.join('\n');
    expect(text).toMatch(/^query +rows +Quiver ms +DuckDB ms +Quiver\/DuckDB +answer$/m);
    for (const q of result.report.queries) expect(text).toMatch(new RegExp(`^${q.name.replace('.', '\\.')} +\\d+ +[\\d.]+ +[\\d.]+ +[\\d.]+ +same$`, 'm'));
    expect(text).toMatch(/^geometric mean of Quiver\/DuckDB: [\d.]+ \(over 13 of 13 queries\)$/m);
    expect(text).toMatch(/^ {2}DuckDB: none, it runs in memory/m);
  });

  it('writes the JSON and the SVG chart into --out, named for the SF', () => {
    const { jsonFile, svgFile } = result;
    expect(jsonFile.startsWith(join(root, 'results', `ssb-sf${SF}-`))).toBe(true);
    expect(svgFile).toBe(jsonFile.replace(/\.json$/, '.svg'));
    const json = JSON.parse(readFileSync(jsonFile, 'utf8')) as typeof result.report;
    expect(json.sf).toBe(SF);
    expect(json.queries.map((q) => q.answer)).toEqual(Array(13).fill('same'));
    expect(json.geometricMeanRatio).toBe(result.report.geometricMeanRatio);
    const svg = readFileSync(svgFile, 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    for (const q of result.report.queries) expect(svg).toContain(`>${q.name}</text>`);
    // Two bars per query, each with its time as a tooltip.
    expect(svg.match(/<rect [^>]*><title>q\d\.\d (Quiver|DuckDB)/g)).toHaveLength(26);
  });

  it('runs Quiver alone with vs none, reusing the data and keeping the database asked for', async () => {
    lines = [];
    const db = join(root, 'quiver-db');
    const alone = await runSsbBench(options({ vs: null, runs: 1, db, out: join(root, 'alone') }));
    expect(lines[0]).toBe(`SSB SF ${SF} data: ${join(root, 'data')}`);
    expect(alone.report.duckdb).toBeNull();
    expect(alone.report.queries.map((q) => q.answer)).toEqual(Array(13).fill('unchecked'));
    expect(alone.report.queries.every((q) => q.quiverMs.length === 1 && q.ratio === null)).toBe(true);
    expect(alone.report.allAnswersSame).toBe(true);
    expect(existsSync(db) && readdirSync(db).length > 0).toBe(true);
    expect(readFileSync(alone.svgFile, 'utf8').match(/<rect [^>]*><title>/g)).toHaveLength(13);
  });

  it('refuses a --db folder that holds files', async () => {
    const db = join(root, 'busy');
    mkdirSync(db);
    writeFileSync(join(db, 'keep.txt'), 'mine');
    await expect(runSsbBench(options({ db }))).rejects.toThrow(/--db .*busy is not empty/);
    expect(readFileSync(join(db, 'keep.txt'), 'utf8')).toBe('mine');
  });

  it('refuses .tbl files of another scale factor', async () => {
    await expect(runSsbBench(options({ sf: 0.02 }))).rejects.toThrow(/are not scale factor 0\.02: customer\.tbl has 300 rows, SF 0\.02 has 600/);
  });
});
