// `npm run bench:ssb -- --sf 1 [--vs duckdb|none] [--threads N] [--runs R] [--dir DIR] [--db DIR]
// [--out DIR]`: the Star Schema Benchmark against DuckDB, the same command as `quiver bench ssb`
// (cli/bench-ssb.ts, which see), with the same options and help (`-- --help`).

import { helpText, parseCommandLine, UsageError } from '../cli/args.js';

async function main(): Promise<number> {
  let command;
  try {
    command = parseCommandLine(['bench', 'ssb', ...process.argv.slice(2)]);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`Error: ${e.message}\n${e.hint()}\n`);
    return 2;
  }
  if (command.kind === 'help') {
    process.stdout.write(helpText('bench', ''));
    return 0;
  }
  if (command.kind !== 'bench-ssb') throw new Error(`bench/ssb.ts: unexpected command ${command.kind}`);
  // The `roaring` package's loader (node-pre-gyp) parses process.argv and takes `--dir` for its
  // own option: our flags are read, keep them from it.
  process.argv.splice(2);
  const { runBenchCommand } = await import('../cli/bench-ssb.js');
  return runBenchCommand(command, (text) => process.stdout.write(text));
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(`Error: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  },
);
