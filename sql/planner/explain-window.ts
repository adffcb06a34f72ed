// EXPLAIN text of one window function of a Window node:
// `rank() OVER (PARTITION BY #0 ORDER BY #1 ASC NULLS LAST RANGE UNBOUNDED PRECEDING..CURRENT ROW)`.

import type { WindowBound, WindowSpec } from '../../exec/plan.js';

function boundText(b: WindowBound): string {
  switch (b.kind) {
    case 'unbounded_preceding':
      return 'UNBOUNDED PRECEDING';
    case 'preceding':
      return `${b.offset} PRECEDING`;
    case 'current_row':
      return 'CURRENT ROW';
    case 'following':
      return `${b.offset} FOLLOWING`;
    case 'unbounded_following':
      return 'UNBOUNDED FOLLOWING';
  }
}

export function windowSpecText(f: WindowSpec, col: (i: number) => string): string {
  const args = f.args.map((a) => `#${a}`);
  if (f.fn === 'ntile' || ((f.fn === 'lag' || f.fn === 'lead') && f.param !== 1)) args.splice(f.fn === 'ntile' ? 0 : 1, 0, String(f.param));
  const parts: string[] = [];
  if (f.partitionBy.length > 0) parts.push(`PARTITION BY ${f.partitionBy.map((i) => `#${i}`).join(', ')}`);
  if (f.orderBy.length > 0) parts.push(`ORDER BY ${f.orderBy.map((k) => `${col(k.index)} ${k.desc ? 'DESC' : 'ASC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`).join(', ')}`);
  parts.push(`${f.frame.units.toUpperCase()} ${boundText(f.frame.start)}..${boundText(f.frame.end)}`);
  const filter = f.filter === null ? '' : ` FILTER #${f.filter}`;
  return `${f.fn}(${args.join(', ')})${filter} OVER (${parts.join(' ')})`;
}
