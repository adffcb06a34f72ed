// The rows of the SIGKILL crash test (sigkill-crash.test.ts). A batch is `n` rows whose values
// all follow from (batch id, row sequence number, n), so a reader tells a whole batch from half
// of one, a repeated row or a corrupted value without any other knowledge. The one definition of
// those rows, shared by the child process that writes them (crash-child.mjs: as SQL, as CSV for
// COPY, as typed arrays for the store) and by the test that checks them. Plain JavaScript,
// because the child runs without a TypeScript loader; crash-rows.d.mts types it for the test.

/** The table that INSERT, INSERT ... SELECT, COPY and the store's inserts write. */
export const MAIN_TABLE = 'crash_t';
/** CREATE TABLE AS writes one table per batch, named this plus the batch id. */
export const CTAS_PREFIX = 'crash_ctas_';
/** Batch ids stay below this, so the SQL arithmetic of `chk` fits in an INTEGER. */
export const MAX_BATCH_ID = 1_000_000;
/** Batches hold at most this many rows (the row generator of selectRowsSql has 4 digits). */
export const MAX_BATCH_ROWS = 10_000;

export const COLUMN_NAMES = ['batch', 'seq', 'n', 'chk', 'big', 'x', 'payload'];

/** Sorted by `chk`, which is unrelated to the insertion order, so every flush really sorts. */
export const CREATE_MAIN_TABLE = `CREATE TABLE IF NOT EXISTS ${MAIN_TABLE} (batch INTEGER, seq INTEGER, n INTEGER, chk INTEGER, big BIGINT, x DOUBLE, payload VARCHAR) ORDER BY (chk)`;
/** (batch, seq) identifies a row: the key of the upserts. */
export const CREATE_MAIN_KEY = `CREATE UNIQUE INDEX IF NOT EXISTS ${MAIN_TABLE}_key ON ${MAIN_TABLE} (batch, seq)`;

const CHK_MODULUS = 1_000_003;
const BIG_SHIFT = 4_294_967_296;
/** One row in PAYLOAD_NULL_EVERY has a NULL payload, so validity bitmaps are written too. */
const PAYLOAD_NULL_EVERY = 7;
const PAYLOAD_NULL_AT = 3;

/** A checksum-like value of a row: any change of batch, seq or n changes it. */
export function chkOf(batch, seq, n) {
  return ((batch * 31 + seq) * 17 + n) % CHK_MODULUS;
}

/** A BIGINT beyond 32 bits (below 2^53, so exact as a double too). */
export function bigOf(batch, seq) {
  return BigInt(batch) * BigInt(BIG_SHIFT) + BigInt(seq);
}

/** A DOUBLE with a fraction, exact in binary. */
export function xOf(batch, seq) {
  return batch + seq / 4;
}

/** A string, or NULL for one row in PAYLOAD_NULL_EVERY. */
export function payloadOf(batch, seq) {
  return (batch + seq) % PAYLOAD_NULL_EVERY === PAYLOAD_NULL_AT ? null : `b${batch}-s${seq}`;
}

/** Checks a batch id and row count before anything is written. */
export function checkBatchShape(batch, n) {
  if (!Number.isSafeInteger(batch) || batch < 0 || batch >= MAX_BATCH_ID) throw new Error(`batch id ${batch} is outside [0, ${MAX_BATCH_ID})`);
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_BATCH_ROWS) throw new Error(`batch size ${n} is outside [1, ${MAX_BATCH_ROWS}]`);
}

const DIGITS = '(VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9))';

/** SQL expressions of every column but `seq` and `n` of a row of batch `batch`, over columns
 *  named `seq` and `n`. */
function derivedColumnsSql(batch) {
  return {
    chk: `((${batch} * 31 + seq) * 17 + n) % ${CHK_MODULUS}`,
    big: `CAST(${batch} AS BIGINT) * ${BIG_SHIFT} + seq`,
    x: `CAST(${batch} AS DOUBLE) + CAST(seq AS DOUBLE) / 4`,
    payload: `CASE WHEN (${batch} + seq) % ${PAYLOAD_NULL_EVERY} = ${PAYLOAD_NULL_AT} THEN NULL ELSE 'b' || CAST(${batch} AS VARCHAR) || '-s' || CAST(seq AS VARCHAR) END`,
  };
}

/** A SELECT yielding the rows of batch `batch` (those with `from` <= seq < `to`) with the
 *  table's column names and types, computed by the SQL engine itself from a cross join of digit
 *  tables (for INSERT ... SELECT and CREATE TABLE AS). */
export function selectRowsSql(batch, n, from = 0, to = n) {
  checkBatchShape(batch, n);
  const d = derivedColumnsSql(batch);
  return (
    `SELECT ${batch} AS batch, seq, n, ${d.chk} AS chk, ${d.big} AS big, ${d.x} AS x, ${d.payload} AS payload ` +
    `FROM (SELECT d0.d + 10 * d1.d + 100 * d2.d + 1000 * d3.d AS seq, ${n} AS n FROM ${DIGITS} d0(d), ${DIGITS} d1(d), ${DIGITS} d2(d), ${DIGITS} d3(d)) digits ` +
    `WHERE seq >= ${from} AND seq < ${to}`
  );
}

/** An UPDATE that turns every row of batch `from` of `table` into the row of batch `to` with
 *  the same seq and n (the batch keeps its size). */
export function rewriteBatchSql(table, from, to) {
  checkBatchShape(to, 1);
  const d = derivedColumnsSql(to);
  return `UPDATE ${table} SET batch = ${to}, chk = ${d.chk}, big = ${d.big}, x = ${d.x}, payload = ${d.payload} WHERE batch = ${from}`;
}

/** The VALUES list of batch `batch` (those with `from` <= seq < `to`; for a plain INSERT). */
export function valuesSql(batch, n, from = 0, to = n) {
  checkBatchShape(batch, n);
  const rows = [];
  for (let s = from; s < to; s++) {
    const p = payloadOf(batch, s);
    rows.push(`(${batch}, ${s}, ${n}, ${chkOf(batch, s, n)}, ${bigOf(batch, s)}, ${xOf(batch, s)}, ${p === null ? 'NULL' : `'${p}'`})`);
  }
  return `VALUES ${rows.join(', ')}`;
}

/** The rows of batch `batch` as CSV without a header; NULL is an unquoted empty field. */
export function csvRows(batch, n) {
  checkBatchShape(batch, n);
  let out = '';
  for (let s = 0; s < n; s++) {
    const p = payloadOf(batch, s);
    out += `${batch},${s},${n},${chkOf(batch, s, n)},${bigOf(batch, s)},${xOf(batch, s)},${p === null ? '' : `"${p}"`}\n`;
  }
  return out;
}

/** The rows of batch `batch` as one typed array (or string array) per column, in COLUMN_NAMES
 *  order, plus the validity of `payload` (1 = present). */
export function columnArrays(batch, n) {
  checkBatchShape(batch, n);
  const cols = {
    batch: new Int32Array(n),
    seq: new Int32Array(n),
    n: new Int32Array(n),
    chk: new Int32Array(n),
    // BIGINT values within 2^53 travel as doubles in vectors (common/vector.ts).
    big: new Float64Array(n),
    x: new Float64Array(n),
    payload: new Array(n).fill(''),
  };
  const payloadValid = new Uint8Array(n).fill(1);
  for (let s = 0; s < n; s++) {
    cols.batch[s] = batch;
    cols.seq[s] = s;
    cols.n[s] = n;
    cols.chk[s] = chkOf(batch, s, n);
    cols.big[s] = Number(bigOf(batch, s));
    cols.x[s] = xOf(batch, s);
    const p = payloadOf(batch, s);
    if (p === null) payloadValid[s] = 0;
    else cols.payload[s] = p;
  }
  return { columns: cols, payloadValid };
}
