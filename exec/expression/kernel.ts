// Kernel generation: every scalar function and operator is a small expression template
// (from the fixed tables in functions.ts and cast.ts, never from user text) that is compiled
// into a specialized loop per argument shape (vector or constant) and output array kind.
// Literal values are passed to the loop as arguments; they are never spliced into source.
//
// A generated kernel has the signature
//   (n, a0, a1, ..., out, ov, H) => void
// where aK is the K-th argument's data array (or its value, for a constant argument), out the
// output array, ov the output validity (a byte mask, or null when no row can become NULL),
// and H the helper object of the function. The template refers to argument values as $0,
// $1, ..., to the row index as `i`, and may set `ov[i] = 0` through a NULL-if condition.

export interface KernelTemplate {
  /** A stable name for the template (cache key and EXPLAIN (CODEGEN) label). */
  name: string;
  /** The JS expression computing one result from $0, $1, ... */
  body: string;
  /** Optional JS condition under which the result is NULL instead (e.g. division by zero). */
  nullIf?: string;
  /** Helper functions the body calls as H.name(...). */
  helpers?: Record<string, unknown>;
}

export type ArgShape = 'v' | 'c';

type KernelFn = (...args: unknown[]) => void;

const cache = new Map<string, { fn: KernelFn; source: string }>();

export interface CompiledKernel {
  run: KernelFn;
  source: string;
}

/** Builds (or fetches from cache) the loop for a template and argument shapes. */
export function compileKernel(t: KernelTemplate, shapes: ArgShape[], variant = '', nullable = false): CompiledKernel {
  // `variant` names the argument array kinds, so each kind combination gets its own
  // function object and V8 sees monomorphic array accesses in it. `nullable` kernels skip the
  // rows whose output is already NULL: their slots hold placeholder values, and a function
  // like sqrt or an overflow check must never fail on a row that is NULL anyway.
  const key = `${t.name}|${shapes.join('')}|${variant}|${nullable ? 'n' : ''}`;
  let entry = cache.get(key);
  if (entry === undefined) {
    const source = kernelSource(t, shapes, nullable);
    // The source is assembled only from our own templates and shapes; see the module comment.
    const fn = new Function(`return ${source}`)() as KernelFn;
    entry = { fn, source };
    cache.set(key, entry);
  }
  return { run: entry.fn, source: entry.source };
}

function kernelSource(t: KernelTemplate, shapes: ArgShape[], nullable: boolean): string {
  const params = shapes.map((_, k) => `a${k}`);
  const loads = shapes.map((s, k) => (s === 'v' ? `const x${k} = a${k}[i];` : '')).join(' ');
  const sub = (tpl: string) =>
    tpl.replace(/\$(\d+)/g, (_, d: string) => (shapes[Number(d)] === 'v' ? `x${d}` : `a${d}`));
  const body = sub(t.body);
  const fname = t.name.replace(/[^A-Za-z0-9_]/g, '_');
  const inner = t.nullIf
    ? `if (${sub(t.nullIf)}) { ov[i] = 0; } else { out[i] = ${body}; }`
    : `out[i] = ${body};`;
  return `function ${fname}_${shapes.join('')}(n, ${params.join(', ')}${params.length ? ', ' : ''}out, ov, H) {
  let r;
  for (let i = 0; i < n; i++) { ${nullable ? 'if (ov[i] === 0) continue; ' : ''}${loads} ${inner} }
}`;
}
