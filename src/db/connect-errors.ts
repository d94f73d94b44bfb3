// Why PostgreSQL could not be opened at start-up, in words an operator can act on: which variables named the
// server, where it was looked for, and what to do. Start-up only: a later outage is the circuit breaker's
// (pg-breaker.ts), answered 503 / 1023 while the process stays up.
import type { PostgresConfig } from '../config.js';

/** A start-up failure to reach or use the configured PostgreSQL database; its message is meant for the operator. */
export class DatabaseStartError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'DatabaseStartError';
  }
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
]);
// SQLSTATE: invalid_catalog_name (no such database); invalid_password, invalid_authorization_specification.
const NO_DATABASE = '3D000';
const AUTH_FAILED = new Set(['28P01', '28000']);

/** The operator's version of a connection error, or the error itself when it is something else (a failed migration). */
export function explainConnectError(error: unknown, config: PostgresConfig): unknown {
  const cause = rootCause(error);
  const code = (cause as { code?: unknown }).code;
  const target = describeTarget(config);
  if (code === NO_DATABASE) {
    return new DatabaseStartError(
      `database "${target.database}" does not exist on the PostgreSQL server at ${target.address} (${target.names.database}): ` +
        `create it with \`createdb -h ${target.host} -p ${target.port}${target.user ? ` -U ${target.user}` : ''} ${target.database}\` ` +
        `or \`CREATE DATABASE "${target.database}";\``,
      error,
    );
  }
  if (typeof code === 'string' && AUTH_FAILED.has(code)) {
    return new DatabaseStartError(
      `the PostgreSQL server at ${target.address} refused the login (${(cause as Error).message}): check the user and password in ${target.names.login}`,
      error,
    );
  }
  // pg's own connection errors carry no code: its connect timeout, and a server that closed the connection.
  const message = String((cause as Error).message ?? '');
  const timedOut = /timeout/i.test(message);
  if ((typeof code === 'string' && UNREACHABLE_CODES.has(code)) || timedOut || /^Connection terminated/.test(message)) {
    const why = timedOut
      ? `no answer within WA_DB_CONNECT_TIMEOUT_MS=${config.timeouts.connectMs}`
      : typeof code === 'string'
        ? code
        : message;
    return new DatabaseStartError(
      `the PostgreSQL server at ${target.address} (${target.names.server}) is not reachable (${why}): ` +
        'check that it runs and accepts TCP connections at that address',
      error,
    );
  }
  return error;
}

function rootCause(error: unknown): object {
  let current: unknown = error;
  while (current instanceof Error && current.cause !== undefined && (current as { code?: unknown }).code === undefined)
    current = current.cause;
  return typeof current === 'object' && current !== null ? current : { message: String(current) };
}

/** Where the server was looked for, without the password, and the variables that say so. */
function describeTarget(config: PostgresConfig) {
  const url = new URL(config.url);
  const host = url.hostname || 'localhost';
  const port = url.port || '5432';
  const user = decodeURIComponent(url.username);
  // libpq's rule, which pg follows: no database in the URL means the one named like the user.
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || user || 'postgres';
  const fromUrl = config.source === 'WA_DB_URL';
  return {
    host,
    port,
    user,
    database,
    address: `${host}:${port}`,
    names: {
      database: fromUrl ? 'WA_DB_URL' : 'WA_DB_NAME',
      server: fromUrl ? 'WA_DB_URL' : 'WA_DB_HOSTNAME, WA_DB_PORT',
      login: fromUrl ? 'WA_DB_URL' : 'WA_DB_USERNAME, WA_DB_PASSWORD',
    },
  };
}
