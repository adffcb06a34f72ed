// The server under load (issue 6): C concurrent clients for a while, each sending in turn small
// SSB queries (GET and POST /query) and inserts of a few rows (POST /insert), over keep-alive
// HTTP. It counts requests and errors (any status but 200), measures each request's latency, and
// checks at the end that the table written to holds exactly the rows acknowledged. The server is
// a real `quiver serve` process, or one in this process for the suite's short version.

/** SSB-shaped queries that answer in milliseconds at a small scale factor. */
const QUERIES = [
  'SELECT sum(lo_extendedprice * lo_discount) AS revenue FROM lineorder, date WHERE lo_orderdate = d_datekey AND d_year = 1993 AND lo_discount BETWEEN 1 AND 3 AND lo_quantity < 25',
  "SELECT d_year, sum(lo_revenue) FROM lineorder JOIN date ON lo_orderdate = d_datekey JOIN supplier ON lo_suppkey = s_suppkey WHERE s_region = 'ASIA' GROUP BY d_year ORDER BY d_year",
  'SELECT count(*) FROM lineorder WHERE lo_quantity = 7',
  'SELECT c_region, count(*) FROM customer GROUP BY c_region ORDER BY 1',
];

export interface LoadOptions {
  /** The server, e.g. http://127.0.0.1:8080. */
  url: string;
  clients: number;
  seconds: number;
  /** One request in this many is an insert. */
  insertEvery: number;
}

export interface LoadReport {
  requests: number;
  errors: number;
  /** The first few errors, for the report. */
  errorSamples: string[];
  inserted: number;
  rowsInTable: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** The table the load inserts into; created (empty) before the clients start. */
const TABLE = 'load_events';

export async function runLoad(o: LoadOptions): Promise<LoadReport> {
  const post = (path: string, body: string) => fetch(o.url + path, { method: 'POST', body });
  const created = await post('/query', `DROP TABLE IF EXISTS ${TABLE}; CREATE TABLE ${TABLE} (client INTEGER, seq INTEGER, note VARCHAR)`);
  if (created.status !== 200) throw new Error(`cannot create ${TABLE}: ${await created.text()}`);
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let inserted = 0;
  const end = performance.now() + o.seconds * 1000;
  const client = async (c: number): Promise<void> => {
    for (let i = 0; performance.now() < end; i++) {
      const started = performance.now();
      let r: Response;
      let rows = 0;
      if (i % o.insertEvery === o.insertEvery - 1) {
        rows = 1 + (i % 3);
        const body = Array.from({ length: rows }, (_, k) => `${c},${i * 3 + k},client ${c} row ${i}`).join('\n') + '\n';
        r = await fetch(`${o.url}/insert?table=${TABLE}&header=false`, { method: 'POST', body });
      } else {
        const sql = QUERIES[(c + i) % QUERIES.length]!;
        r = i % 2 === 0 ? await post('/query', sql) : await fetch(`${o.url}/query?sql=${encodeURIComponent(sql)}&format=csv`);
      }
      const text = await r.text();
      latencies.push(performance.now() - started);
      if (r.status !== 200) {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(`${r.status} ${text.slice(0, 200)}`);
      } else if (rows > 0) {
        inserted += (JSON.parse(text) as { inserted: number }).inserted;
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: o.clients }, (_, c) => client(c)));
  const elapsed = (performance.now() - t0) / 1000;
  const count = await post('/query', `SELECT count(*) FROM ${TABLE}`);
  const rowsInTable = Number(((await count.json()) as { rows: [[string]] }).rows[0][0]);
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    requests: latencies.length,
    errors,
    errorSamples,
    inserted,
    rowsInTable,
    requestsPerSecond: latencies.length / elapsed,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: latencies[latencies.length - 1] ?? 0,
  };
}

export function loadReportText(o: LoadOptions, r: LoadReport): string {
  return [
    `${o.clients} clients for ${o.seconds} s against ${o.url}: ${r.requests.toLocaleString('en-US')} requests, ${r.requestsPerSecond.toFixed(0)} per second`,
    `latency: p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms, max ${r.maxMs.toFixed(1)} ms`,
    `errors: ${r.errors}${r.errorSamples.length > 0 ? ` (${r.errorSamples.join('; ')})` : ''}`,
    `rows inserted and acknowledged: ${r.inserted}; rows in ${TABLE} at the end: ${r.rowsInTable}${r.inserted === r.rowsInTable ? ' (consistent)' : ' (INCONSISTENT)'}`,
  ].join('\n');
}
