// GET /metrics: the server's counters in Prometheus' text format (version 0.0.4), as ClickHouse
// exposes its own: queries by outcome, their latency as a histogram, rows and bytes read, and the
// queries running and waiting now.

/** How a query ended. */
export type QueryOutcome = 'ok' | 'error' | 'cancelled' | 'refused';

/** Upper bounds of the latency buckets, in seconds. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export class ServerMetrics {
  private readonly outcomes = new Map<QueryOutcome, number>([
    ['ok', 0],
    ['error', 0],
    ['cancelled', 0],
    ['refused', 0],
  ]);
  /** Queries per bucket (not cumulative; the text sums them), the last one +Inf. */
  private readonly buckets = new Float64Array(BUCKETS.length + 1);
  private seconds = 0;
  private timed = 0;
  private rowsRead = 0;
  private bytesRead = 0;

  /** A query ended after `seconds` (refused ones are counted, not timed). */
  ended(outcome: QueryOutcome, seconds: number): void {
    this.outcomes.set(outcome, this.outcomes.get(outcome)! + 1);
    if (outcome === 'refused') return;
    let b = 0;
    while (b < BUCKETS.length && seconds > BUCKETS[b]!) b++;
    this.buckets[b]!++;
    this.seconds += seconds;
    this.timed++;
  }

  /** What a query read from storage. */
  read(rows: number, bytes: number): void {
    this.rowsRead += rows;
    this.bytesRead += bytes;
  }

  /** The exposition text, with the queries running and waiting now. */
  text(running: number, waiting: number): string {
    const lines: string[] = [];
    const metric = (name: string, type: string, help: string): void => void lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    metric('quiver_queries_total', 'counter', 'Queries by how they ended: ok, error (the query failed), cancelled (timeout, cancel, client gone), refused (server busy).');
    for (const [outcome, n] of this.outcomes) lines.push(`quiver_queries_total{outcome="${outcome}"} ${n}`);
    metric('quiver_query_duration_seconds', 'histogram', 'Time from admission to the end of the answer, of the queries that ran.');
    let cumulative = 0;
    for (let b = 0; b < BUCKETS.length; b++) {
      cumulative += this.buckets[b]!;
      lines.push(`quiver_query_duration_seconds_bucket{le="${BUCKETS[b]}"} ${cumulative}`);
    }
    lines.push(`quiver_query_duration_seconds_bucket{le="+Inf"} ${this.timed}`, `quiver_query_duration_seconds_sum ${this.seconds}`, `quiver_query_duration_seconds_count ${this.timed}`);
    metric('quiver_rows_read_total', 'counter', 'Rows the queries read from tables.');
    lines.push(`quiver_rows_read_total ${this.rowsRead}`);
    metric('quiver_bytes_read_total', 'counter', 'Bytes of column blocks the queries read from disk (not from the block cache).');
    lines.push(`quiver_bytes_read_total ${this.bytesRead}`);
    metric('quiver_queries_running', 'gauge', 'Queries running now.');
    lines.push(`quiver_queries_running ${running}`);
    metric('quiver_queries_waiting', 'gauge', 'Queries waiting for their turn now.');
    lines.push(`quiver_queries_waiting ${waiting}`);
    return lines.join('\n') + '\n';
  }
}
