// The SVG bar chart of `quiver bench ssb`: a log axis labelled by decades that spans every
// value, a bar per engine and query (none, with "n/a", where an engine has no time), and text
// escaped for XML.

import { describe, expect, it } from 'vitest';
import { barChartSvg } from '../../cli/bench-chart.js';

const series = [
  { name: 'Quiver', color: '#111111' },
  { name: 'DuckDB', color: '#222222' },
];

describe('barChartSvg', () => {
  it('labels every decade from below the smallest value to above the largest', () => {
    const svg = barChartSvg({ title: 't', subtitle: 's', series, groups: [{ label: 'q1.1', values: [3.2, 2400], note: '750.00×' }] });
    const labels = [...svg.matchAll(/font-size="11" text-anchor="end">([^<]+)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(['1 ms', '10 ms', '100 ms', '1 s', '10 s']);
    expect(svg).toContain('>750.00×</text>');
    expect(svg.match(/<rect [^>]*><title>/g)).toHaveLength(2);
  });

  it('draws no bar where an engine has no time, and escapes text', () => {
    const svg = barChartSvg({ title: 'a < b & "c"', subtitle: '', series, groups: [{ label: 'q2.1', values: [null, 5], note: 'different' }] });
    expect(svg).toContain('>a &lt; b &amp; &quot;c&quot;</text>');
    expect(svg).toContain('>n/a</text>');
    expect(svg.match(/<rect [^>]*><title>/g)).toHaveLength(1);
    expect(svg).not.toMatch(/NaN|Infinity/);
  });
});
