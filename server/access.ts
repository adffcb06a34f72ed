// Users and what they may run (issue 6): a configuration may define users with tokens and roles.
//   read    SELECT, EXPLAIN, SHOW, DESCRIBE, and nothing that reads files on the server
//   write   also INSERT, UPDATE, DELETE, DDL, transactions, POST /insert
//   admin   everything: also COPY (files on the server), the file-reading table functions
//           (read_csv, read_ndjson, read_parquet), SET/RESET, CHECKPOINT, OPTIMIZE
// A request names its user by `Authorization: Bearer TOKEN`; a wrong or missing token is 401, a
// statement beyond the role 403. Tokens are compared in constant time and never logged or echoed.
// With no users configured there is no authentication, and the server listens on loopback only.

import { createHash, timingSafeEqual } from 'node:crypto';
import { QuiverError } from '../common/errors.js';
import type { Statement } from '../sql/ast.js';

export type Role = 'read' | 'write' | 'admin';
const ROLES: readonly Role[] = ['read', 'write', 'admin'];

export interface User {
  readonly name: string;
  readonly role: Role;
  /** SHA-256 of the token: compared in constant time, and the token itself is not kept. */
  readonly digest: Buffer;
}

/** Refusals: 401 (who are you?) and 403 (not allowed). */
export class AccessError extends QuiverError {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super('INVALID_INPUT', message);
  }
}

const READ_KINDS: ReadonlySet<string> = new Set(['query', 'explain', 'show_tables', 'show_setting', 'show_create', 'describe']);
const ADMIN_KINDS: ReadonlySet<string> = new Set(['copy', 'copy_to', 'set', 'reset', 'checkpoint', 'optimize']);
const FILE_FUNCTIONS: ReadonlySet<string> = new Set(['read_csv', 'read_ndjson', 'read_parquet']);

/** The users of a configuration's "users" array, checked. */
export function parseUsers(value: unknown): User[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new QuiverError('INVALID_INPUT', '"users" must be an array of {"name", "token", "role"}');
  const names = new Set<string>();
  return value.map((u: unknown, i) => {
    const where = `users[${i}]`;
    if (u === null || typeof u !== 'object') throw new QuiverError('INVALID_INPUT', `${where} must be an object {"name", "token", "role"}`);
    const { name, token, role } = u as Record<string, unknown>;
    if (typeof name !== 'string' || name === '') throw new QuiverError('INVALID_INPUT', `${where} needs a "name"`);
    if (names.has(name)) throw new QuiverError('INVALID_INPUT', `${where}: user "${name}" is defined twice`);
    names.add(name);
    if (typeof token !== 'string' || token.length < 16) throw new QuiverError('INVALID_INPUT', `${where} (${name}) needs a "token" of at least 16 characters`);
    if (!(ROLES as readonly unknown[]).includes(role)) throw new QuiverError('INVALID_INPUT', `${where} (${name}) needs a "role": one of ${ROLES.join(', ')}`);
    return { name, role: role as Role, digest: digestOf(token) };
  });
}

function digestOf(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** The user a request's Authorization header names; null when no users are configured. */
export function authenticate(users: readonly User[], authorization: string | undefined): User | null {
  if (users.length === 0) return null;
  const m = authorization === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (m === null) throw new AccessError(401, 'this server needs a token: send the header "Authorization: Bearer TOKEN"');
  const digest = digestOf(m[1]!);
  // Every user is compared, so the time does not tell which one (or whether any) matched.
  let found: User | null = null;
  for (const u of users) if (timingSafeEqual(u.digest, digest) && found === null) found = u;
  if (found === null) throw new AccessError(401, 'the token is not valid');
  return found;
}

/** Refuses statements beyond the user's role (null: no users, everything allowed). */
export function authorize(user: User | null, statements: readonly Statement[]): void {
  if (user === null || user.role === 'admin') return;
  for (const s of statements) {
    if (ADMIN_KINDS.has(s.kind) || readsFiles(s)) throw new AccessError(403, `user "${user.name}" (role ${user.role}) may not run ${describeKind(s)}: it is for the admin role`);
    if (user.role === 'read' && !READ_KINDS.has(s.kind)) throw new AccessError(403, `user "${user.name}" (role read) may only run SELECT, EXPLAIN, SHOW and DESCRIBE, not ${describeKind(s)}`);
  }
}

/** Refuses POST /insert to a read user. */
export function authorizeInsert(user: User | null): void {
  if (user !== null && user.role === 'read') throw new AccessError(403, `user "${user.name}" (role read) may not insert rows`);
}

function describeKind(s: Statement): string {
  return readsFiles(s) && !ADMIN_KINDS.has(s.kind) ? 'a table function that reads files on the server' : s.kind.toUpperCase().replace(/_/g, ' ');
}

/** Whether a statement calls a table function that reads server files (anywhere inside it). */
function readsFiles(node: unknown): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some(readsFiles);
  const o = node as Record<string, unknown>;
  if (o.kind === 'table_function' && typeof o.name === 'string' && FILE_FUNCTIONS.has(o.name.toLowerCase())) return true;
  for (const v of Object.values(o)) if (readsFiles(v)) return true;
  return false;
}
