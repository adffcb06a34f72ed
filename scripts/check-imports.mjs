// Fails when a module imports from a layer above its own (DESIGN.md: dependencies point one
// way: server, cli, etl, cluster -> sql -> exec -> storage -> common).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
// Lower rank = lower layer. A module may import its own layer or lower ones.
const RANK = { common: 0, storage: 1, exec: 2, sql: 3, etl: 4, cluster: 4, server: 5, cli: 6, bench: 7 };

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) yield p;
  }
}

const problems = [];
let checked = 0;
for (const layer of Object.keys(RANK)) {
  let dir;
  try {
    dir = join(root, layer);
    statSync(dir);
  } catch {
    continue;
  }
  for (const file of files(dir)) {
    checked++;
    const text = readFileSync(file, 'utf8');
    const re = /(?:import|export)[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;
    for (const m of text.matchAll(re)) {
      const spec = m[1] ?? m[2];
      const target = relative(root, resolve(dirname(file), spec));
      const targetLayer = target.split(sep)[0];
      if (targetLayer === 'index.ts' || targetLayer === 'index.js') {
        problems.push(`${relative(root, file)} imports the package entry (${spec})`);
        continue;
      }
      if (!(targetLayer in RANK)) continue;
      if (RANK[targetLayer] > RANK[layer]) {
        problems.push(`${relative(root, file)} (${layer}) imports ${target} (${targetLayer}), a layer above it`);
      }
    }
  }
}
if (problems.length > 0) {
  console.error(`Layering violations (dependencies must point down: cli/server -> sql -> exec -> storage -> common):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`import check: ${checked} modules, no upward imports`);
