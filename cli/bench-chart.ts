// The SVG chart `quiver bench ssb` writes beside its JSON: one group of bars per query, one bar
// per engine, on a logarithmic time axis (SSB times span two or three decades between q1.x and
// q2.x-q4.x, so a linear axis would flatten the short ones), with each group's ratio above it.
// Plain SVG text, no script or external font, so it renders the same in a browser and on GitHub.

export interface ChartSeries {
  name: string;
  color: string;
}

export interface ChartGroup {
  label: string;
  /** One value (milliseconds) per series; null where that engine has none (an error). */
  values: readonly (number | null)[];
  /** Text above the group (the ratio), or null. */
  note: string | null;
}

export interface ChartSpec {
  title: string;
  subtitle: string;
  series: readonly ChartSeries[];
  groups: readonly ChartGroup[];
}

const MARGIN = { left: 78, right: 24, top: 92, bottom: 46 };
const PLOT_HEIGHT = 320;
const GROUP_WIDTH = 76;
const GROUP_PADDING = 14;
const FONT = 'font-family="Helvetica, Arial, sans-serif"';
/** Minor grid lines inside each decade. */
const MINOR_STEPS = [2, 5];
/** The smallest time drawn, so a time of 0 still has a place on a log axis. */
const MIN_MS = 0.01;

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** A duration for an axis label: 1 ms, 10 ms, 100 ms, 1 s, 10 s ... */
function formatAxisMs(ms: number): string {
  if (ms >= 1000) return `${+(ms / 1000).toPrecision(3)} s`;
  return `${+ms.toPrecision(3)} ms`;
}

function formatMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

/** The chart as an SVG document. */
export function barChartSvg(spec: ChartSpec): string {
  const values = spec.groups.flatMap((g) => g.values.filter((v): v is number => v !== null)).map((v) => Math.max(v, MIN_MS));
  const lowExp = values.length === 0 ? 0 : Math.floor(Math.log10(Math.min(...values)));
  let highExp = values.length === 0 ? 1 : Math.ceil(Math.log10(Math.max(...values)));
  if (highExp <= lowExp) highExp = lowExp + 1;
  const plotWidth = Math.max(spec.groups.length, 1) * GROUP_WIDTH;
  const width = MARGIN.left + plotWidth + MARGIN.right;
  const height = MARGIN.top + PLOT_HEIGHT + MARGIN.bottom;
  const y = (ms: number) => MARGIN.top + PLOT_HEIGHT * (1 - (Math.log10(Math.max(ms, MIN_MS)) - lowExp) / (highExp - lowExp));
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT}>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="26" font-size="17" font-weight="bold">${escapeXml(spec.title)}</text>`,
    `<text x="${MARGIN.left}" y="46" font-size="12" fill="#444444">${escapeXml(spec.subtitle)}</text>`,
  ];
  // Legend.
  let lx = MARGIN.left;
  for (const s of spec.series) {
    out.push(`<rect x="${lx}" y="60" width="12" height="12" fill="${s.color}"/>`);
    out.push(`<text x="${lx + 17}" y="70" font-size="12">${escapeXml(s.name)}</text>`);
    lx += 30 + 7 * s.name.length;
  }
  out.push(`<text x="${width - MARGIN.right}" y="70" font-size="11" fill="#666666" text-anchor="end">milliseconds, log scale; lower is better</text>`);
  // Grid: a labelled line per decade, light lines at 2x and 5x.
  for (let e = lowExp; e <= highExp; e++) {
    const ms = 10 ** e;
    const gy = y(ms).toFixed(1);
    out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${gy}" y2="${gy}" stroke="#bbbbbb" stroke-width="1"/>`);
    out.push(`<text x="${MARGIN.left - 8}" y="${(y(ms) + 4).toFixed(1)}" font-size="11" text-anchor="end">${formatAxisMs(ms)}</text>`);
    if (e === highExp) continue;
    for (const m of MINOR_STEPS) {
      const my = y(m * ms).toFixed(1);
      out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${my}" y2="${my}" stroke="#eeeeee" stroke-width="1"/>`);
    }
  }
  const base = MARGIN.top + PLOT_HEIGHT;
  const barWidth = (GROUP_WIDTH - 2 * GROUP_PADDING) / Math.max(spec.series.length, 1);
  spec.groups.forEach((g, i) => {
    const gx = MARGIN.left + i * GROUP_WIDTH;
    let top = base;
    g.values.forEach((v, k) => {
      const x = (gx + GROUP_PADDING + k * barWidth).toFixed(1);
      const s = spec.series[k]!;
      if (v === null) {
        out.push(`<text x="${(gx + GROUP_PADDING + (k + 0.5) * barWidth).toFixed(1)}" y="${base - 4}" font-size="10" text-anchor="middle" fill="${s.color}">n/a</text>`);
        return;
      }
      const by = y(v);
      top = Math.min(top, by);
      out.push(
        `<rect x="${x}" y="${by.toFixed(1)}" width="${(barWidth - 1).toFixed(1)}" height="${(base - by).toFixed(1)}" fill="${s.color}">` +
          `<title>${escapeXml(`${g.label} ${s.name}: ${formatMs(v)} ms`)}</title></rect>`,
      );
    });
    if (g.note !== null) {
      out.push(`<text x="${(gx + GROUP_WIDTH / 2).toFixed(1)}" y="${(top - 5).toFixed(1)}" font-size="11" text-anchor="middle">${escapeXml(g.note)}</text>`);
    }
    out.push(`<text x="${(gx + GROUP_WIDTH / 2).toFixed(1)}" y="${base + 18}" font-size="12" text-anchor="middle">${escapeXml(g.label)}</text>`);
  });
  out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${base}" y2="${base}" stroke="#333333" stroke-width="1"/>`);
  out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${base}" stroke="#333333" stroke-width="1"/>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}
