// Argument parsing for the `quiver` command line. The commands, their options, descriptions and
// examples live in one table (COMMANDS), which drives both the parser and the help text, so the
// help always lists exactly what is accepted. parseCommandLine() turns argv into a typed command
// or throws a UsageError that names the bad argument (the caller prints it and exits with 2).
//
// This module is loaded for every invocation, `--help` included, so it imports nothing heavy:
// the engine is loaded only by the commands that run SQL.

import { parseArgs } from 'node:util';
import { OUTPUT_FORMATS, type OutputFormat } from '../sql/result-format.js';

/** A mistake in the command line: the message names it; `command` picks the help to point at. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command: string | null = null,
  ) {
    super(message);
    this.name = 'UsageError';
  }

  /** The line telling the user where to read more. */
  hint(): string {
    return this.command === null ? "Run 'quiver --help' for usage." : `Run 'quiver ${this.command} --help' for usage.`;
  }
}

export interface SqlCommand {
  kind: 'sql';
  /** The database folder or ':memory:'; null when --url is given. */
  db: string | null;
  url: string | null;
  readOnly: boolean;
  format: OutputFormat;
  /** The SQL argument; null means: read stdin when piped, else open the interactive shell. */
  sql: string | null;
}

export interface GenSsbCommand {
  kind: 'gen-ssb';
  sf: number;
  out: string;
}

export interface BenchSsbCommand {
  kind: 'bench-ssb';
  sf: number;
  /** The engine to compare with; null: Quiver alone. */
  vs: 'duckdb' | null;
  /** DuckDB's threads; null: the machine's parallelism. */
  threads: number | null;
  runs: number;
  /** The .tbl folder; null: a folder named for the SF in the temporary directory. */
  dir: string | null;
  /** Quiver's database folder; null: a temporary one. */
  db: string | null;
  /** The results folder; null: ./bench/results. */
  out: string | null;
}

export interface ServeCommand {
  kind: 'serve';
  db: string;
  port: number;
  host: string;
  /** Load the demo star schema into a new or empty database folder first. */
  demo: boolean;
  /** The JSON configuration file (users, limits); null: none. */
  config: string | null;
}

export interface HelpCommand {
  kind: 'help';
  /** A command name, or null for the overview. */
  topic: string | null;
}

export interface VersionCommand {
  kind: 'version';
}

/** A command of the contract that this version does not have yet. */
export interface UnavailableCommand {
  kind: 'unavailable';
  command: string;
}

export type CliCommand = SqlCommand | GenSsbCommand | BenchSsbCommand | ServeCommand | HelpCommand | VersionCommand | UnavailableCommand;

interface OptionSpec {
  /** The long name, without the dashes. */
  readonly name: string;
  readonly short?: string;
  /** The value's placeholder in the help (DIR, N); absent for a flag. */
  readonly value?: string;
  readonly description: string;
}

interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly usage: readonly string[];
  readonly description: string;
  readonly options: readonly OptionSpec[];
  readonly examples: readonly string[];
  /** False for the commands of the contract that later versions bring. */
  readonly available: boolean;
}

const HELP_OPTION: OptionSpec = { name: 'help', short: 'h', description: 'Show this help' };

const NOT_YET = '(not available in this version yet)';

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'sql',
    summary: 'Run SQL statements, or open an interactive SQL shell',
    usage: [
      'quiver sql --db DIR [--read-only] [--format table|json|csv|tsv|ndjson] ["SQL; SQL; ..."]',
      'quiver sql --db DIR                 (no SQL: reads stdin when piped, else an interactive shell)',
      'quiver sql --url http://host:port   (a Quiver server: not available in this version yet)',
    ],
    description:
      'Runs the statements in order and prints the result of the last one. Without a SQL argument\n' +
      'the statements are read from stdin when it is piped, and in a terminal an interactive shell\n' +
      "opens (statements end with ';'; type .help there; history in ~/.quiver_history, or in the file\n" +
      'QUIVER_HISTORY names, none when it is empty). Errors go to stderr with their line and\n' +
      'column; the exit code is 1 after an error in the SQL, 2 after a mistake in the command line.\n' +
      "SQL that starts with '-' (a comment) goes after '--': quiver sql --db :memory: -- \"-- hi\\nSELECT 1\"",
    options: [
      { name: 'db', value: 'DIR', description: 'The database folder, or :memory: for a temporary in-memory database' },
      { name: 'url', value: 'URL', description: `A Quiver server to send the statements to ${NOT_YET}` },
      { name: 'read-only', description: 'Open the database read-only (while another process writes to it)' },
      { name: 'format', short: 'f', value: 'FORMAT', description: 'Output format: table (default), json, csv, tsv or ndjson' },
      HELP_OPTION,
    ],
    examples: [
      'quiver sql --db :memory: "CREATE TABLE t(a INT); INSERT INTO t VALUES (1),(2); SELECT sum(a) FROM t"',
      'echo "SELECT 42 AS answer" | quiver sql --db :memory: --format json',
      'quiver sql --db :memory:            (the interactive shell)',
    ],
    available: true,
  },
  {
    name: 'gen',
    summary: 'Generate benchmark data: the Star Schema Benchmark (SSB) tables',
    usage: ['quiver gen ssb [--sf N] --out DIR'],
    description:
      'Writes the five SSB tables (customer, supplier, part, date, lineorder) as dbgen-format .tbl\n' +
      'files (pipe-delimited). SF 1 is about 600 MB and 6 million lineorder rows; fractions such as\n' +
      '0.01 make small test sets. The same SF always gives the same files.',
    options: [
      { name: 'sf', value: 'N', description: 'Scale factor, greater than 0 and at most 1000 (default 1)' },
      { name: 'out', value: 'DIR', description: 'Output folder; created if missing, existing .tbl files are replaced' },
      HELP_OPTION,
    ],
    examples: ['quiver gen ssb --sf 0.1 --out ./ssb-data'],
    available: true,
  },
  {
    name: 'serve',
    summary: 'Serve SQL over HTTP',
    usage: ['quiver serve --db DIR [--port 8080] [--host 127.0.0.1]'],
    description:
      'Serves SQL over HTTP: POST /query (the SQL as the body, or JSON {"sql", "params", "format",\n' +
      '"timeout_ms"}), GET /query?sql=... (read-only statements), GET /health; ?format=json|ndjson|\n' +
      'csv|tsv|arrow; POST /insert?table=T; GET /metrics. Without users in --config it listens on loopback\n' +
      `only, without authentication. Ctrl+C or SIGTERM stops it. The console page ${NOT_YET}.`,
    options: [
      { name: 'db', value: 'DIR', description: 'The database folder, or :memory:' },
      { name: 'port', value: 'PORT', description: 'The port to listen on (default 8080; 0 picks a free one)' },
      { name: 'host', value: 'HOST', description: 'The address to listen on (default 127.0.0.1)' },
      { name: 'config', value: 'FILE', description: 'A JSON configuration: {"users": [{"name", "token", "role": "read"|"write"|"admin"}], "max_concurrent_queries": 8, "max_queued_queries": 64}' },
      { name: 'demo', description: 'On first start over a new or empty folder, load demo data: the Star Schema Benchmark at SF 0.1 (what npm start does)' },
      HELP_OPTION,
    ],
    examples: ['quiver serve --db ./quiver-data --port 8080', "curl -s localhost:8080/query -d 'SELECT 42'"],
    available: true,
  },
  {
    name: 'load',
    summary: `Load files or a database snapshot into tables ${NOT_YET}`,
    usage: [
      "quiver load SOURCE --db DIR [--table NAME] [--tables a,b] [--schema s] [--header|--no-header] [--delimiter '|']",
      '            [--mapping etl.sql] [--incremental COLUMN] [--json]',
    ],
    description:
      'SOURCE is a file (.csv, .tsv, .tbl, .ndjson, .parquet, .arrow), a folder of them, or a database\n' +
      `URL (postgres://..., mysql://..., sqlite:path/to/file.db). ${NOT_YET}`,
    options: [
      { name: 'db', value: 'DIR', description: 'The database folder, or :memory:' },
      { name: 'table', value: 'NAME', description: 'The target table of a single file' },
      { name: 'tables', value: 'a,b', description: 'The tables to read from a database source' },
      { name: 'schema', value: 'NAME', description: 'The schema of a database source' },
      { name: 'header', description: 'The files have a header row (default for .csv)' },
      { name: 'no-header', description: 'The files have no header row (default for .tbl and .tsv)' },
      { name: 'delimiter', value: 'CHAR', description: 'The field delimiter' },
      { name: 'mapping', value: 'FILE', description: 'A SQL transform to run on the staged tables' },
      { name: 'incremental', value: 'COLUMN', description: 'Load only rows past the last loaded value of COLUMN' },
      { name: 'json', description: 'Print progress and the summary as JSON' },
      HELP_OPTION,
    ],
    examples: ['quiver load ./ssb-data --db ./quiver-data'],
    available: false,
  },
  {
    name: 'bench',
    summary: 'Run the Star Schema Benchmark (SSB), against DuckDB on the same data',
    usage: ['quiver bench ssb [--sf 1] [--vs duckdb|none] [--threads N] [--runs 5] [--dir DIR] [--db DIR] [--out DIR]'],
    description:
      'Loads the SSB .tbl files (generated into --dir when missing) into Quiver on disk (the tables of\n' +
      "../shared/ssb/schema.sql, lineorder sorted by lo_orderdate) and into DuckDB in memory (its\n" +
      "fastest setting; @duckdb/node-api, a dev dependency), checks that every one of the 13 queries\n" +
      'returns the same rows in both (numbers by value, floats within 1e-9, ties under ORDER BY in any\n' +
      'order), runs each query once on each engine to warm up, then --runs times alternating between\n' +
      'the engines, and prints per query the median milliseconds of each engine and their ratio, the\n' +
      'geometric mean of the ratios, the load times and the bytes on disk. It writes the figures as\n' +
      'JSON and a bar chart as SVG into --out (ssb-sf<N>-<time>.json and .svg).\n' +
      'Quiver runs every query on one thread until its parallel runtime exists; --threads sets\n' +
      "DuckDB's threads (SET threads). Exit code 1 when an answer differs or a query fails.",
    options: [
      { name: 'sf', value: 'N', description: 'Scale factor, as for quiver gen ssb (default 1; 0.01 is a quick check)' },
      { name: 'vs', value: 'ENGINE', description: 'duckdb (default): time DuckDB too and check the answers; none: Quiver alone, unchecked' },
      { name: 'threads', value: 'N', description: "DuckDB's threads (default: the machine's cores); Quiver uses one for now" },
      { name: 'runs', value: 'R', description: 'Timed runs of each query per engine, after one warm-up run (default 5)' },
      { name: 'dir', value: 'DIR', description: 'Folder of the .tbl files; generated there when missing (default <tmp>/quiver-ssb-sf<N>)' },
      { name: 'db', value: 'DIR', description: "Quiver's database folder, kept afterwards; new or empty (default: a temporary one, removed)" },
      { name: 'out', value: 'DIR', description: 'Folder for the JSON and SVG results (default ./bench/results)' },
      HELP_OPTION,
    ],
    examples: ['quiver bench ssb --sf 1 --vs duckdb --threads 2', 'quiver bench ssb --sf 0.1 --dir ./ssb-data --runs 3'],
    available: true,
  },
  {
    name: 'help',
    summary: 'Show the help of a command',
    usage: ['quiver help [COMMAND]'],
    description: 'Shows the overview, or the options and examples of one command.',
    options: [],
    examples: ['quiver help sql'],
    available: true,
  },
];

const commandSpec = (name: string): CommandSpec | undefined => COMMANDS.find((c) => c.name === name);

// ---------------------------------------------------------------------------------------------
// Parsing

/** Parses the arguments after `quiver` (process.argv.slice(2)). */
export function parseCommandLine(argv: readonly string[]): CliCommand {
  const first = argv[0];
  if (first === undefined) throw new UsageError('no command given; the commands are ' + commandList());
  if (first === '--help' || first === '-h') return { kind: 'help', topic: null };
  if (first === '--version' || first === '-V' || first === '-v') return { kind: 'version' };
  if (first.startsWith('-')) throw new UsageError(`unknown option ${first}; a command comes first, e.g. quiver sql --db :memory: "SELECT 1"`);
  const spec = commandSpec(first);
  if (spec === undefined) {
    const near = closest(first, COMMANDS.map((c) => c.name));
    throw new UsageError(`unknown command "${first}"${near ? ` (did you mean "${near}"?)` : ''}; the commands are ${commandList()}`);
  }
  const rest = argv.slice(1);
  if (spec.name === 'help') return parseHelp(rest);
  if (wantsHelp(rest)) return { kind: 'help', topic: spec.name };
  if (!spec.available) return { kind: 'unavailable', command: spec.name };
  const { values, positionals } = parseOptions(spec, rest);
  switch (spec.name) {
    case 'sql':
      return sqlCommand(values, positionals);
    case 'gen':
      return genCommand(values, positionals);
    case 'bench':
      return benchCommand(values, positionals);
    case 'serve':
      return serveCommand(values, positionals);
    default:
      throw new Error(`command ${spec.name} has no parser`);
  }
}

function commandList(): string {
  return COMMANDS.map((c) => c.name).join(', ');
}

function parseHelp(rest: readonly string[]): HelpCommand {
  const topic = rest.find((a) => !a.startsWith('-'));
  if (topic === undefined) return { kind: 'help', topic: null };
  if (commandSpec(topic) === undefined) throw new UsageError(`no help for "${topic}": there is no such command; the commands are ${commandList()}`);
  return { kind: 'help', topic };
}

/** --help or -h anywhere before a `--` terminator. */
function wantsHelp(args: readonly string[]): boolean {
  for (const a of args) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

type OptionValues = Map<string, string | true>;

/**
 * Reads the options of one command. parseArgs runs non-strict so that every mistake can be
 * reported here in our words, naming the option and the command.
 */
function parseOptions(spec: CommandSpec, args: readonly string[]): { values: OptionValues; positionals: string[] } {
  const config: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const o of spec.options) config[o.name] = o.short === undefined ? { type: o.value ? 'string' : 'boolean' } : { type: o.value ? 'string' : 'boolean', short: o.short };
  const { tokens } = parseArgs({ args: [...args], options: config, strict: false, allowPositionals: true, tokens: true });
  const values: OptionValues = new Map();
  const positionals: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'positional') {
      positionals.push(t.value);
      continue;
    }
    if (t.kind === 'option-terminator') continue;
    const o = spec.options.find((x) => x.name === t.name);
    if (o === undefined) {
      const known = spec.options.map((x) => '--' + x.name);
      const near = t.rawName.startsWith('--') ? closest(t.rawName, known) : null;
      throw new UsageError(`unknown option ${t.rawName} for 'quiver ${spec.name}'${near ? ` (did you mean ${near}?)` : ''}`, spec.name);
    }
    if (o.value === undefined) {
      if (t.value !== undefined) throw new UsageError(`option --${o.name} takes no value (got "${t.value}")`, spec.name);
      values.set(o.name, true);
      continue;
    }
    // Non-strict parseArgs takes the next argument as the value even when it is another option.
    if (t.value === undefined || (!t.inlineValue && t.value.startsWith('-') && !isNumber(t.value))) {
      throw new UsageError(`option ${t.rawName} needs a value: ${t.rawName} ${o.value}`, spec.name);
    }
    values.set(o.name, t.value);
  }
  return { values, positionals };
}

function stringOption(values: OptionValues, name: string): string | null {
  const v = values.get(name);
  return typeof v === 'string' ? v : null;
}

function sqlCommand(values: OptionValues, positionals: string[]): SqlCommand {
  if (positionals.length > 1) {
    throw new UsageError(
      `expected the SQL as one argument, got ${positionals.length} arguments; quote it and separate statements with ';': quiver sql --db :memory: "SELECT 1; SELECT 2"`,
      'sql',
    );
  }
  const db = stringOption(values, 'db');
  const url = stringOption(values, 'url');
  if (db !== null && url !== null) throw new UsageError('give either --db or --url, not both', 'sql');
  if (db === null && url === null) {
    throw new UsageError('a database is required: --db DIR (or --db :memory: for a temporary in-memory database)', 'sql');
  }
  if (db === '') throw new UsageError('--db needs a folder name (or :memory:)', 'sql');
  if (url !== null && !isHttpUrl(url)) throw new UsageError(`--url must be an http:// or https:// address such as http://127.0.0.1:8080 (got "${url}")`, 'sql');
  const format = stringOption(values, 'format') ?? 'table';
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`unknown format "${format}" for --format; use one of ${OUTPUT_FORMATS.join(', ')}`, 'sql');
  }
  return { kind: 'sql', db, url, readOnly: values.get('read-only') === true, format: format as OutputFormat, sql: positionals[0] ?? null };
}

function genCommand(values: OptionValues, positionals: string[]): GenSsbCommand {
  const what = positionals[0];
  if (what === undefined) throw new UsageError('say which data to generate: quiver gen ssb --sf 1 --out DIR', 'gen');
  if (what !== 'ssb') throw new UsageError(`unknown data set "${what}"; quiver gen knows: ssb`, 'gen');
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}" after 'gen ssb'`, 'gen');
  const sfText = stringOption(values, 'sf') ?? '1';
  if (!isNumber(sfText)) throw new UsageError(`--sf must be a number such as 1 or 0.01 (got "${sfText}")`, 'gen');
  const out = stringOption(values, 'out');
  if (out === null || out === '') throw new UsageError('an output folder is required: --out DIR', 'gen');
  return { kind: 'gen-ssb', sf: Number(sfText), out };
}

function serveCommand(values: OptionValues, positionals: string[]): ServeCommand {
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; quiver serve takes options only`, 'serve');
  const db = stringOption(values, 'db');
  if (db === null || db === '') throw new UsageError('a database is required: --db DIR (or --db :memory:)', 'serve');
  const config = stringOption(values, 'config');
  if (config === '') throw new UsageError('--config needs a file name', 'serve');
  const portText = stringOption(values, 'port') ?? '8080';
  if (!/^\d+$/.test(portText) || Number(portText) > 65535) throw new UsageError(`--port must be a port number from 0 to 65535 (got "${portText}")`, 'serve');
  const host = stringOption(values, 'host') ?? '127.0.0.1';
  if (host === '') throw new UsageError('--host needs an address such as 127.0.0.1 or 0.0.0.0', 'serve');
  return { kind: 'serve', db, port: Number(portText), host, demo: values.get('demo') === true, config };
}

/** Timed runs of each query by default (the median of an odd count is one of them). */
const DEFAULT_RUNS = 5;

function benchCommand(values: OptionValues, positionals: string[]): BenchSsbCommand {
  const what = positionals[0];
  if (what === undefined) throw new UsageError('say which benchmark to run: quiver bench ssb --sf 1', 'bench');
  if (what !== 'ssb') throw new UsageError(`unknown benchmark "${what}"; quiver bench knows: ssb`, 'bench');
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}" after 'bench ssb'`, 'bench');
  const sfText = stringOption(values, 'sf') ?? '1';
  if (!isNumber(sfText) || !(Number(sfText) > 0)) throw new UsageError(`--sf must be a number greater than 0 such as 1 or 0.01 (got "${sfText}")`, 'bench');
  const vs = stringOption(values, 'vs') ?? 'duckdb';
  if (vs !== 'duckdb' && vs !== 'none') throw new UsageError(`--vs must be duckdb or none (got "${vs}")`, 'bench');
  const threadsText = stringOption(values, 'threads');
  if (threadsText !== null && !/^[1-9]\d*$/.test(threadsText)) throw new UsageError(`--threads must be a whole number of 1 or more (got "${threadsText}")`, 'bench');
  const runsText = stringOption(values, 'runs');
  if (runsText !== null && !/^[1-9]\d*$/.test(runsText)) throw new UsageError(`--runs must be a whole number of 1 or more (got "${runsText}")`, 'bench');
  const folder = (name: string): string | null => {
    const v = stringOption(values, name);
    if (v === '') throw new UsageError(`--${name} needs a folder name`, 'bench');
    return v;
  };
  return {
    kind: 'bench-ssb',
    sf: Number(sfText),
    vs: vs === 'duckdb' ? 'duckdb' : null,
    threads: threadsText === null ? null : Number(threadsText),
    runs: runsText === null ? DEFAULT_RUNS : Number(runsText),
    dir: folder('dir'),
    db: folder('db'),
    out: folder('out'),
  };
}

function isNumber(text: string): boolean {
  return /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(text);
}

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** The candidate within edit distance 2 of `word`, for "did you mean" hints. */
function closest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

// ---------------------------------------------------------------------------------------------
// Help

/** The overview (topic null) or one command's help. */
export function helpText(topic: string | null, version: string): string {
  if (topic === null) return overview(version);
  const spec = commandSpec(topic);
  if (spec === undefined) throw new UsageError(`no help for "${topic}": there is no such command`);
  const lines = ['Usage:', ...spec.usage.map((u) => '  ' + u), '', spec.description];
  if (spec.options.length > 0) {
    lines.push('', 'Options:');
    const labels = spec.options.map(optionLabel);
    const width = Math.max(...labels.map((l) => l.length));
    spec.options.forEach((o, i) => lines.push(`  ${labels[i]!.padEnd(width)}   ${o.description}`));
  }
  lines.push('', spec.examples.length === 1 ? 'Example:' : 'Examples:', ...spec.examples.map((e) => '  ' + e));
  return lines.join('\n') + '\n';
}

function optionLabel(o: OptionSpec): string {
  const long = '--' + o.name + (o.value ? ' ' + o.value : '');
  return o.short ? `-${o.short}, ${long}` : `    ${long}`;
}

function overview(version: string): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = [
    `quiver ${version}: a column-oriented analytic (OLAP) database`,
    '',
    'Usage: quiver <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}   ${c.summary}`),
    '',
    'Options:',
    '  -h, --help      Show help (also: quiver help <command>, quiver <command> --help)',
    '  -V, --version   Print the version',
    '',
    'Examples:',
    ...COMMANDS.filter((c) => c.name !== 'help').map((c) => '  ' + c.examples[0]!),
    '',
    "Run 'quiver help <command>' for a command's options.",
  ];
  return lines.join('\n') + '\n';
}
