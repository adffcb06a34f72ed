// Quiver's embedded library: the package entry point.
//
//   const db = await Database.open(':memory:');
//   await db.exec('CREATE TABLE t (a INT, b VARCHAR)');
//   const r = await db.query('SELECT b, count(*) FROM t WHERE a > $1 GROUP BY b', [10]);
//   r.rows(); r.toArrow();

export { Database, type QueryOptions } from './sql/database.js';
export { QueryResult, type ColumnInfo } from './sql/result.js';
export { QuiverError } from './common/errors.js';
