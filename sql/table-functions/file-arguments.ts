// What the file-reading table functions (read_csv, read_parquet, read_ndjson) share: the path
// argument, checked to name an existing regular file (never a directory or a device), named
// options read with their types checked, and the detected columns carried through the plan as
// plain data (one JSON string argument).

import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { binderError, QuiverError } from '../../common/errors.js';
import { decimalType, type LogicalType, T, TypeId, typeToString } from '../../common/types.js';
import type { Scalar } from '../../common/vector.js';
import type { Pos } from '../ast.js';
import type { TableFunctionArgument, TableFunctionColumn } from './table-function.js';

/** The file the first argument names, resolved; an error naming it unless it is a regular file. */
export function filePathArgument(fn: string, usage: string, args: readonly TableFunctionArgument[], pos: Pos): string {
  if (args.length !== 1) throw binderError(`${fn} takes one positional argument, the file path, not ${args.length}; call it as ${usage}`, pos);
  const a = args[0]!;
  if (a.type.id !== TypeId.VARCHAR || typeof a.value !== 'string') {
    throw binderError(`${fn} takes the file path as a string, not ${a.value === null ? 'NULL' : `a ${typeToString(a.type)}`}; call it as ${usage}`, a.pos);
  }
  return checkedFile(fn, a.value, a.pos);
}

/** `path` resolved, if it names a regular file; otherwise an IO_ERROR naming it. */
export function checkedFile(fn: string, path: string, pos?: Pos): string {
  const full = resolve(path);
  let kind: string;
  try {
    const st = statSync(full);
    if (st.isFile()) return full;
    kind = st.isDirectory() ? 'a directory' : 'not a regular file';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    kind = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (e as Error).message})`;
    throw new QuiverError('IO_ERROR', `${fn}: file "${path}" ${kind}`, pos);
  }
  throw new QuiverError('IO_ERROR', `${fn}: "${path}" is ${kind}; give the path of a file`, pos);
}

/** Named options: each read at most once by `take`; `done` rejects any left over. */
export class NamedOptions {
  private readonly left: Map<string, TableFunctionArgument>;

  constructor(
    private readonly fn: string,
    known: readonly string[],
    named: Readonly<Record<string, TableFunctionArgument>>,
  ) {
    this.left = new Map(Object.entries(named).map(([k, v]) => [k.toLowerCase(), v]));
    for (const [name, arg] of this.left) {
      if (!known.includes(name)) throw binderError(`${fn} has no option "${name}"; its options are: ${known.join(', ')}`, arg.pos);
    }
  }

  /** A one-character-or-more string option. */
  string(...names: string[]): string | undefined {
    const a = this.take(names);
    if (a === undefined) return undefined;
    if (typeof a.value !== 'string') throw binderError(`${this.fn} option ${names[0]} must be a string`, a.pos);
    return a.value;
  }

  boolean(name: string): boolean | undefined {
    const a = this.take([name]);
    if (a === undefined) return undefined;
    if (a.type.id !== TypeId.BOOLEAN || a.value === null) throw binderError(`${this.fn} option ${name} must be true or false`, a.pos);
    return a.value === 1;
  }

  private take(names: string[]): TableFunctionArgument | undefined {
    let found: TableFunctionArgument | undefined;
    for (const n of names) {
      const a = this.left.get(n);
      if (a === undefined) continue;
      if (found !== undefined) throw binderError(`${this.fn} options ${names.join(' and ')} are the same; give one`, a.pos);
      found = a;
    }
    return found;
  }
}

/** Columns as one plan argument. */
export function columnsArgument(columns: readonly TableFunctionColumn[]): Scalar {
  return JSON.stringify(columns);
}

/** The columns back, with the shared type objects (some code compares types by identity). */
export function columnsFromArgument(arg: Scalar): { name: string; type: LogicalType }[] {
  const parsed = JSON.parse(arg as string) as { name: string; type: LogicalType }[];
  return parsed.map(({ name, type }) => ({
    name,
    type: type.id === TypeId.DECIMAL ? decimalType(type.precision!, type.scale!) : T[type.id as keyof typeof T],
  }));
}
