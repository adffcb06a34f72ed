// The HTTP server (DESIGN.md, HTTP): SQL over HTTP with fastify, in ClickHouse's habits.
//
//   POST /query   raw SQL in any body that is not JSON (never URL-decoded, so `curl -d 'SELECT
//                 ...'` works), or JSON {"sql", "params", "format", "timeout_ms"}
//   GET  /query   ?sql=... for read-only statements (SELECT, EXPLAIN, SHOW, DESCRIBE)
//   POST /query/{id}/cancel   cancels a running query (ids: the X-Quiver-Query-Id header, which
//                 a client may also set itself on its request, as ClickHouse's query_id)
//   GET  /health, GET /metrics (Prometheus text)
//
// With users configured (server/access.ts) every endpoint but /health needs a token, and each
// statement is checked against the user's role before it runs.
//
// A query is cancelled when its client disconnects before the answer, or by the cancel
// endpoint, or when its timeout_ms passes.
// Formats (?format= or the JSON body's "format"): json (DESIGN.md's answer: columns, rows,
// stats), ndjson, csv (with a header row), tsv, arrow (an Arrow IPC stream). Text formats are
// written in chunks with backpressure (sql/result-format.ts). Every response carries the query
// id in X-Quiver-Query-Id. Errors are JSON `{"error":{"code","message","position"?}}`: 4xx for
// the caller's mistakes, 5xx for Quiver's own, never a stack trace.
//
// Answers are gzip-compressed when the client accepts it. At most maxConcurrent queries run at
// once, maxQueued wait, and the next is refused with 429 and Retry-After. Not yet (issue 6):
// NDJSON and Arrow bodies for /insert (server/insert.ts takes CSV and TSV), the console page, and results streamed from the executor (a result is
// computed whole, then written in chunks). GET /metrics: server/metrics.ts.

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import { createGzip, gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { tableToIPC } from 'apache-arrow';
import { type ErrorCode, QuiverError, toQuiverError } from '../common/errors.js';
import type { Database } from '../sql/database.js';
import type { QueryResult } from '../sql/result.js';
import { parseSql } from '../sql/parser/index.js';
import { type OutputFormat, type TextSink, writeResult } from '../sql/result-format.js';
import { AccessError, authenticate, authorize, authorizeInsert, type User } from './access.js';
import { insertBody } from './insert.js';
import { ServerMetrics } from './metrics.js';

export type HttpFormat = Exclude<OutputFormat, 'table'> | 'arrow';
const FORMATS: readonly HttpFormat[] = ['json', 'ndjson', 'csv', 'tsv', 'arrow'];

const CONTENT_TYPES: Record<HttpFormat, string> = {
  json: 'application/json; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  tsv: 'text/tab-separated-values; charset=utf-8',
  arrow: 'application/vnd.apache.arrow.stream',
};

/** Statements GET /query may run: they change nothing. */
const READ_ONLY_KINDS: ReadonlySet<string> = new Set(['query', 'explain', 'show_tables', 'show_setting', 'show_create', 'describe']);

/** Largest request body, and longest SQL text, accepted. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const MAX_SQL_CHARS = 1024 * 1024;

export interface ServerOptions {
  /** fastify's logger (request logs); off in tests. */
  logger?: boolean;
  /** Queries running at once (default 8); more wait in a queue, in arrival order. */
  maxConcurrent?: number;
  /** Queries waiting at most (default 64); past that a query is refused with 429 and
   *  Retry-After, as ClickHouse refuses past max_concurrent_queries. */
  maxQueued?: number;
  /** Users with tokens and roles (server/access.ts); none: no authentication. */
  users?: readonly User[];
}

/** How many queries run at once, and a queue of those waiting their turn. */
class Admission {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly maxActive: number,
    private readonly maxWaiting: number,
  ) {}

  /** Resolves when the query may run; fails with TOO_BUSY at once when the queue is full. */
  async enter(): Promise<void> {
    if (this.active < this.maxActive) {
      this.active++;
      return;
    }
    if (this.waiting.length >= this.maxWaiting) throw new TooBusy(this.active, this.waiting.length);
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** The query ended: its place goes to the first waiting one. */
  leave(): void {
    const next = this.waiting.shift();
    if (next !== undefined) next();
    else this.active--;
  }
}

/** Refused admission: the server answers 429 with Retry-After. */
class TooBusy extends QuiverError {
  constructor(active: number, waiting: number) {
    super('INVALID_INPUT', `the server is busy: ${active} queries are running and ${waiting} waiting; retry in a moment`);
  }
}

/** HTTP status of an error: the caller's mistakes are 4xx, Quiver's own 5xx. */
function statusOf(code: ErrorCode): number {
  switch (code) {
    case 'INTERNAL_ERROR':
    case 'IO_ERROR':
      return 500;
    case 'OUT_OF_MEMORY':
      return 503;
    case 'CANCELLED':
      return 408;
    case 'NOT_SUPPORTED':
      return 501;
    default:
      return 400;
  }
}

function errorBody(e: QuiverError): { error: { code: ErrorCode; message: string; position?: { line: number; column: number } } } {
  return { error: { code: e.code, message: e.message, ...(e.position === undefined ? {} : { position: { line: e.position.line, column: e.position.column } }) } };
}

/** The server's fastify instance over `db` (not listening yet). */
export function createServer(db: Database, options: ServerOptions = {}): FastifyInstance {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: MAX_BODY_BYTES, genReqId: queryIdOf });
  /** The running queries, by id: how POST /query/{id}/cancel finds them. */
  const running = new Map<string, AbortController>();
  const admission = new Admission(options.maxConcurrent ?? 8, options.maxQueued ?? 64);
  const metrics = new ServerMetrics();
  const run = async (request: QueryRequest, reply: FastifyReply): Promise<FastifyReply> => {
    try {
      await admission.enter();
    } catch (e) {
      metrics.ended('refused', 0);
      throw e;
    }
    const started = performance.now();
    try {
      const r = await runQuery(db, request, reply, running, metrics);
      metrics.ended('ok', (performance.now() - started) / 1000);
      return r;
    } catch (e) {
      metrics.ended(e instanceof QuiverError && e.code === 'CANCELLED' ? 'cancelled' : 'error', (performance.now() - started) / 1000);
      throw e;
    } finally {
      admission.leave();
    }
  };
  // Any body that is not JSON is the SQL text itself, exactly as sent.
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.addHook('onRequest', async (req, reply) => {
    void reply.header('X-Quiver-Query-Id', req.id);
  });
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _req, reply) => {
    if (err instanceof AccessError) {
      void reply.code(err.status).type(CONTENT_TYPES.json).send(errorBody(err));
      return;
    }
    if (err instanceof TooBusy) {
      void reply.code(429).header('Retry-After', '1').type(CONTENT_TYPES.json).send(errorBody(err));
      return;
    }
    // fastify's own rejections (an oversized or malformed body) are the caller's; the rest ours.
    const status = err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : null;
    const q = err instanceof QuiverError ? err : status !== null ? new QuiverError('INVALID_INPUT', err.message) : toQuiverError(err);
    void reply.code(status ?? statusOf(q.code)).type(CONTENT_TYPES.json).send(errorBody(q));
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send(errorBody(new QuiverError('INVALID_INPUT', `no such endpoint: ${req.method} ${req.url.split('?')[0]}; the endpoints are POST /query, GET /query?sql=..., POST /insert?table=T, POST /query/{id}/cancel, GET /health, GET /metrics`)));
  });

  // Who is asking (every endpoint but /health, which load balancers call without a token).
  const users = options.users ?? [];
  const userOf = new WeakMap<object, User | null>();
  app.addHook('preHandler', async (req) => {
    if (req.url === '/health') return;
    userOf.set(req, authenticate(users, req.headers.authorization));
  });
  const checked = (req: object, sql: string): void => authorize(userOf.get(req) ?? null, parseSql(sql));

  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/metrics', async (_req, reply) => reply.type('text/plain; version=0.0.4; charset=utf-8').send(metrics.text(admission.running, admission.queued)));

  app.post('/query', async (req, reply) => {
    const query = req.query as Record<string, string | undefined>;
    const body = req.body;
    let request: QueryRequest;
    if (typeof body === 'string') request = { sql: body, params: [], format: query.format, timeoutMs: undefined };
    else if (body !== null && typeof body === 'object' && !Array.isArray(body)) request = jsonRequest(body as Record<string, unknown>, query.format);
    else throw new QuiverError('INVALID_INPUT', 'POST /query takes the SQL as the body, or a JSON object {"sql": "...", "params": [...], "format": "json", "timeout_ms": 1000}');
    checkSqlSize(request.sql);
    if (users.length > 0) checked(req, request.sql);
    return run(request, reply);
  });

  app.post('/insert', async (req) => {
    authorizeInsert(userOf.get(req) ?? null);
    const q = req.query as Record<string, string | undefined>;
    return { inserted: await insertBody(db, { table: q.table, format: q.format, header: q.header, body: req.body }) };
  });

  app.post('/query/:id/cancel', async (req) => {
    const { id } = req.params as { id: string };
    const query = running.get(id);
    if (query === undefined) throw new QuiverError('INVALID_INPUT', `no query with id "${id}" is running`);
    query.abort(new QuiverError('CANCELLED', `query ${id} was cancelled (POST /query/${id}/cancel)`));
    return { cancelled: id };
  });

  app.get('/query', async (req, reply) => {
    const query = req.query as Record<string, string | undefined>;
    const sql = query.sql;
    if (sql === undefined || sql.trim() === '') throw new QuiverError('INVALID_INPUT', 'GET /query needs ?sql=... (or POST the SQL as the body)');
    checkSqlSize(sql);
    if (users.length > 0) checked(req, sql);
    const kinds = parseSql(sql).map((s) => s.kind);
    const writing = kinds.find((k) => !READ_ONLY_KINDS.has(k));
    if (writing !== undefined) throw new QuiverError('INVALID_INPUT', `GET /query runs read-only statements only (SELECT, EXPLAIN, SHOW, DESCRIBE), not ${writing.toUpperCase().replace('_', ' ')}; POST it to /query`);
    return run({ sql, params: [], format: query.format, timeoutMs: undefined }, reply);
  });

  return app;
}

interface QueryRequest {
  sql: string;
  params: unknown[];
  format: string | undefined;
  timeoutMs: number | undefined;
}

function jsonRequest(body: Record<string, unknown>, formatParam: string | undefined): QueryRequest {
  const known = ['sql', 'params', 'format', 'timeout_ms'];
  const unknown = Object.keys(body).find((k) => !known.includes(k));
  if (unknown !== undefined) throw new QuiverError('INVALID_INPUT', `unknown field "${unknown}" in the JSON body; its fields are: ${known.join(', ')}`);
  if (typeof body.sql !== 'string') throw new QuiverError('INVALID_INPUT', 'the JSON body needs "sql": a string of SQL');
  if (body.params !== undefined && !Array.isArray(body.params)) throw new QuiverError('INVALID_INPUT', '"params" must be an array of values for $1, $2, ...');
  if (body.format !== undefined && typeof body.format !== 'string') throw new QuiverError('INVALID_INPUT', `"format" must be one of ${FORMATS.join(', ')}`);
  const t = body.timeout_ms;
  if (t !== undefined && !(typeof t === 'number' && Number.isInteger(t) && t > 0)) throw new QuiverError('INVALID_INPUT', '"timeout_ms" must be a positive whole number of milliseconds');
  return { sql: body.sql, params: (body.params as unknown[] | undefined) ?? [], format: (body.format as string | undefined) ?? formatParam, timeoutMs: t };
}

function checkSqlSize(sql: string): void {
  if (sql.length > MAX_SQL_CHARS) throw new QuiverError('INVALID_INPUT', `the SQL is ${sql.length} characters long; at most ${MAX_SQL_CHARS} are accepted`);
}

function formatOf(name: string | undefined): HttpFormat {
  const f = (name ?? 'json').toLowerCase();
  if (!(FORMATS as readonly string[]).includes(f)) throw new QuiverError('INVALID_INPUT', `unknown format "${name}"; use one of ${FORMATS.join(', ')}`);
  return f as HttpFormat;
}

/** A query id the client chose (X-Quiver-Query-Id on its request), else a new UUID. */
function queryIdOf(req: IncomingMessage): string {
  const given = req.headers['x-quiver-query-id'];
  return typeof given === 'string' && /^[A-Za-z0-9_.:-]{1,64}$/.test(given) ? given : randomUUID();
}

async function runQuery(db: Database, request: QueryRequest, reply: FastifyReply, running: Map<string, AbortController>, metrics: ServerMetrics): Promise<FastifyReply> {
  const format = formatOf(request.format);
  checkSqlSize(request.sql);
  if (request.sql.trim() === '') throw new QuiverError('INVALID_INPUT', 'the request holds no SQL');
  const id = String(reply.request.id);
  // A client that left while its query waited for a turn needs no answer.
  if (reply.raw.destroyed) throw new QuiverError('CANCELLED', `query ${id} was cancelled: its client closed the connection while it waited`);
  if (running.has(id)) throw new QuiverError('INVALID_INPUT', `a query with id "${id}" is already running; give each query its own X-Quiver-Query-Id`);
  const controller = new AbortController();
  // The response closes before it finished: the client went away, and its query stops.
  const onClose = (): void => {
    if (!reply.raw.writableFinished) controller.abort(new QuiverError('CANCELLED', `query ${id} was cancelled: its client closed the connection`));
  };
  reply.raw.on('close', onClose);
  running.set(id, controller);
  let result: QueryResult;
  try {
    result = await db.query(request.sql, request.params, { signal: controller.signal, ...(request.timeoutMs === undefined ? {} : { timeoutMs: request.timeoutMs }) });
  } finally {
    running.delete(id);
  }
  if (controller.signal.aborted) throw controller.signal.reason as QuiverError;
  metrics.read(result.stats.rowsRead, result.stats.bytesRead);
  const gzip = acceptsGzip(reply.request.headers['accept-encoding']);
  if (format === 'arrow') {
    const ipc = Buffer.from(tableToIPC(result.toArrow(), 'stream'));
    if (!gzip) return reply.type(CONTENT_TYPES.arrow).send(ipc);
    return reply.type(CONTENT_TYPES.arrow).header('Content-Encoding', 'gzip').header('Vary', 'Accept-Encoding').send(gzipSync(ipc));
  }
  // The text is written to the socket as it is made, in chunks, waiting when the client reads
  // slowly; fastify is told the reply is handled here.
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, { 'Content-Type': CONTENT_TYPES[format], 'X-Quiver-Query-Id': id, ...(gzip ? { 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' } : {}) });
  const out: Writable = gzip ? createGzip() : raw;
  if (out !== raw) out.pipe(raw);
  try {
    await writeResult(result, format, sinkTo(out, raw));
    out.end();
  } catch {
    // The result was computed before the first byte: what fails here is the connection.
    out.destroy();
    raw.destroy();
  }
  return reply;
}

/** Whether an Accept-Encoding header takes gzip (and does not refuse it with q=0). */
function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  return header.split(',').some((part) => {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (name !== 'gzip' && name !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/** Writes to `out` (the response, or a gzip stream into it), waiting while the client's buffer
 *  is full; fails when the client is gone (then no 'drain' would ever come). */
function sinkTo(out: Writable, client: ServerResponse): TextSink {
  const gone = (): QuiverError => new QuiverError('IO_ERROR', 'the client closed the connection');
  return {
    write: (chunk) => {
      if (client.destroyed) throw gone();
      if (out.write(chunk)) return;
      return new Promise<void>((resolve, reject) => {
        const done = (): void => {
          out.off('drain', done);
          client.off('close', done);
          if (client.destroyed) reject(gone());
          else resolve();
        };
        out.on('drain', done);
        client.on('close', done);
      });
    },
  };
}
