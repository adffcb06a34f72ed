// Settings: named values a session changes with `SET name = value` (or `SET name TO value`),
// puts back with `RESET name` / `RESET ALL` / `SET name = DEFAULT`, and reads with `SHOW name` /
// `SHOW ALL`. They hold for one Database (its engine), are not stored, and start at their
// defaults when it opens. SETTINGS below is the registry: each setting says its type, default,
// how a value is checked and normalized, and how it takes effect. A new setting is one entry.

import { catalogError, QuiverError, type SourcePosition } from '../common/errors.js';
import { ENCODING_NAMES, parseForcedEncoding } from '../storage/encoding/encoding-kind.js';
import type { DiskStore } from '../storage/disk/disk-store.js';
import { availableParallelism, totalmem } from 'node:os';
import { formatBytes, parseBytes } from '../exec/memory.js';

/** A value as SET gives it: a string literal or word, a number, or TRUE / FALSE / ON. */
export type SettingValue = string | number | boolean;

/** What settings act on. */
export interface SettingsTarget {
  readonly store: DiskStore | null;
  /** Limits the engine gives each query it runs. */
  readonly limits: QueryLimits;
}

export interface QueryLimits {
  /** Bytes a query's operators may hold (exec/memory.ts). */
  memoryLimit: number;
  /** Threads a query may run on (exec/parallel/). */
  threads: number;
}

/** As DuckDB: one thread per core. */
export function defaultThreads(): number {
  return availableParallelism();
}

/** Most threads a query may ask for. */
const MAX_THREADS = 256;

/** As DuckDB: 80% of the machine's memory. */
export function defaultMemoryLimit(): number {
  return Math.floor(totalmem() * 0.8);
}

export interface SettingDef {
  readonly name: string;
  readonly description: string;
  /** The values it takes, for SHOW ALL and error messages. */
  readonly accepts: string;
  readonly default: SettingValue;
  /** The value to keep; a wrong one is a QuiverError saying what is wrong and what it takes
   *  (the caller adds the setting's name). */
  parse(value: SettingValue): SettingValue;
  /** Puts a (parsed) value into effect. */
  apply(value: SettingValue, target: SettingsTarget): void;
}

const forceEncoding: SettingDef = {
  name: 'force_encoding',
  description: 'the encoding every block of the parts written from now on uses where it can hold the block (tests); auto lets each block choose',
  accepts: `${ENCODING_NAMES.map((n) => `'${n}'`).join(', ')} or 'auto'`,
  default: 'auto',
  parse(value) {
    if (typeof value !== 'string') throw new QuiverError('INVALID_INPUT', `use one of ${forceEncoding.accepts}, not ${String(value)}`);
    return parseForcedEncoding(value) ?? 'auto';
  },
  apply(value, target) {
    // An in-memory database writes no parts, so there is nothing to force.
    if (target.store !== null) target.store.forceEncoding = parseForcedEncoding(String(value));
  },
};

const memoryLimit: SettingDef = {
  name: 'memory_limit',
  description: "the memory a query's operators (join build sides, sorts, windows, GROUP BY) may hold before it fails with OUT_OF_MEMORY; the block cache is shared and not counted",
  accepts: "a size such as '512MB', '4GB', '1.5GiB' or a number of bytes",
  default: formatBytes(defaultMemoryLimit()),
  parse(value) {
    const bytes = parseBytes(String(value));
    if (bytes === null || bytes <= 0) throw new QuiverError('INVALID_INPUT', `use ${memoryLimit.accepts}, not ${typeof value === 'string' ? `'${value}'` : String(value)}`);
    return formatBytes(bytes);
  },
  apply(value, target) {
    target.limits.memoryLimit = parseBytes(String(value).replace(' ', ''))!;
  },
};

const threads: SettingDef = {
  name: 'threads',
  description: 'the threads a query runs on: GROUP BY queries over tables on disk split their scan among this many worker threads',
  accepts: `a whole number from 1 to ${MAX_THREADS}`,
  default: defaultThreads(),
  parse(value) {
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) throw new QuiverError('INVALID_INPUT', `use ${threads.accepts}, not ${typeof value === 'string' ? `'${value}'` : String(value)}`);
    return n;
  },
  apply(value, target) {
    target.limits.threads = Number(value);
  },
};

/** Every setting, by name. */
export const SETTINGS: ReadonlyMap<string, SettingDef> = new Map([forceEncoding, memoryLimit, threads].map((s) => [s.name, s]));

/** The current settings of one engine. */
export class Settings {
  private readonly values = new Map<string, SettingValue>();

  constructor(private readonly target: SettingsTarget) {
    for (const def of SETTINGS.values()) this.values.set(def.name, def.default);
  }

  /** SET name = value; `null` (DEFAULT) resets it. */
  set(name: string, value: SettingValue | null, pos?: SourcePosition): void {
    const def = settingDef(name, pos);
    if (value === null) return this.reset(name, pos);
    let parsed: SettingValue;
    try {
      parsed = def.parse(value);
    } catch (e) {
      if (!(e instanceof QuiverError)) throw e;
      throw new QuiverError('INVALID_INPUT', `invalid value for setting ${def.name}: ${e.message}`, pos);
    }
    def.apply(parsed, this.target);
    this.values.set(def.name, parsed);
  }

  /** RESET name, or RESET ALL with null. */
  reset(name: string | null, pos?: SourcePosition): void {
    const defs = name === null ? [...SETTINGS.values()] : [settingDef(name, pos)];
    for (const def of defs) {
      def.apply(def.default, this.target);
      this.values.set(def.name, def.default);
    }
  }

  /** A setting's current value as text (SHOW name). */
  get(name: string, pos?: SourcePosition): string {
    const def = settingDef(name, pos);
    return String(this.values.get(def.name));
  }

  /** Every setting with its value (SHOW ALL), by name. */
  list(): { name: string; value: string; default: string; description: string }[] {
    return [...SETTINGS.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((def) => ({
        name: def.name,
        value: String(this.values.get(def.name)),
        default: String(def.default),
        description: `${def.description}; takes ${def.accepts}`,
      }));
  }
}

function settingDef(name: string, pos?: SourcePosition): SettingDef {
  const def = SETTINGS.get(name);
  if (def === undefined) {
    throw catalogError(`unknown setting "${name}"; the settings are: ${[...SETTINGS.keys()].sort().join(', ')}`, pos);
  }
  return def;
}
